/** The development-only SMS outbox route: GET /api/v1/dev/sms?phone= (api-contract.md §3). */
import { SELF, createExecutionContext, createMessageBatch, env, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import worker from "../../src/index";

const BASE = "http://api.test";

function randomPhone(): string {
  const digits = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => String(b % 10)).join("");
  return `+88019${digits}`;
}

async function deliver(phone: string, text: string) {
  const msg = { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: { phone, text } };
  const batch = createMessageBatch("clean-care-sms", [msg]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([msg.id]);
}

describe("GET /api/v1/dev/sms", () => {
  it("rejects an invalid phone with 400 validation_error naming the phone field", async () => {
    for (const phone of ["123", "+8801212345678", "017123456789", "abc"]) {
      const res = await SELF.fetch(`${BASE}/api/v1/dev/sms?phone=${encodeURIComponent(phone)}`);
      expect(res.status, phone).toBe(400);
      const body = await res.json<any>();
      expect(body.code).toBe("validation_error");
      expect(body.details.phone).toEqual([expect.stringMatching(/Bangladeshi mobile number/)]);
    }
  });

  it("requires the phone parameter", async () => {
    const res = await SELF.fetch(`${BASE}/api/v1/dev/sms`);
    expect(res.status).toBe(400);
    const body = await res.json<any>();
    expect(body.code).toBe("validation_error");
    expect(body.details.phone).toBeDefined();
  });

  it("accepts every phone spelling and answers in the stored +880 form", async () => {
    const phone = randomPhone();
    await deliver(phone, "হ্যালো");
    const local = `0${phone.slice(4)}`; // 01XXXXXXXXX
    for (const spelling of [phone, phone.slice(1), local]) {
      const res = await SELF.fetch(`${BASE}/api/dev/sms/?phone=${encodeURIComponent(spelling)}`);
      expect(res.status, spelling).toBe(200);
      const { results } = await res.json<any>();
      expect(results, spelling).toEqual([{ phone, message: "হ্যালো", created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    }
  });

  it("returns an empty list for a number that received nothing", async () => {
    const res = await SELF.fetch(`${BASE}/api/v1/dev/sms?phone=${encodeURIComponent(randomPhone())}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ results: [] });
  });

  it("answers 404 not_found outside development, even for a valid request", async () => {
    const phone = randomPhone();
    await deliver(phone, "secret code 123456");
    const app = createApp();
    for (const environment of ["production", "staging", "test"]) {
      const ctx = createExecutionContext();
      const res = await app.fetch(new Request(`${BASE}/api/v1/dev/sms?phone=${encodeURIComponent(phone)}`), { ...env, ENVIRONMENT: environment } as Env, ctx);
      await waitOnExecutionContext(ctx);
      expect(res.status, environment).toBe(404);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: "Not found.", code: "not_found" });
      expect(text).not.toContain("123456");
    }
    // ...and the same request is served in development.
    const ctx = createExecutionContext();
    const dev = await app.fetch(new Request(`${BASE}/api/v1/dev/sms?phone=${encodeURIComponent(phone)}`), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(dev.status).toBe(200);
  });

  it("hides even validation errors outside development (no hint that the route exists)", async () => {
    const ctx = createExecutionContext();
    const res = await createApp().fetch(new Request(`${BASE}/api/v1/dev/sms?phone=nope`), { ...env, ENVIRONMENT: "production" } as Env, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(404);
  });
});
