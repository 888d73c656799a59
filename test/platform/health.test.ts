import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("GET /health", () => {
  it("reports a healthy database", async () => {
    const res = await SELF.fetch("http://api.test/health");
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body.status).toBe("healthy");
    expect(body.services.database).toBe("healthy");
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(res.headers.get("server-timing")).toMatch(/db;dur=\d+;desc="1 statements, 1 round trips"/);
  });
});

describe("GET /health with the database down", () => {
  it("answers 503 unhealthy, naming the database, within the check's time limit", async () => {
    const { env } = await import("cloudflare:test");
    const { createApp } = await import("../../src/app");
    const { createExecutionContext, waitOnExecutionContext } = await import("cloudflare:test");
    // A relay address nothing listens on: the driver cannot reach any database.
    const downEnv = { ...env, DB_RELAY_URL: "127.0.0.1:9" } as Env;
    const ctx = createExecutionContext();
    const started = Date.now();
    const res = await createApp().fetch(new Request("http://api.test/health"), downEnv, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    const body = await res.json<any>();
    expect(body.status).toBe("unhealthy");
    expect(body.services.database).toMatch(/^unhealthy: /);
    expect(Date.now() - started).toBeLessThan(6000);
  });

  it("other routes answer 503 service_unavailable, not 500", async () => {
    const { env, createExecutionContext, waitOnExecutionContext } = await import("cloudflare:test");
    const { createApp } = await import("../../src/app");
    const ctx = createExecutionContext();
    const res = await createApp().fetch(
      new Request("http://api.test/api/v1/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ phone: "01712345678", password: "x" }) }),
      { ...env, DB_RELAY_URL: "127.0.0.1:9" } as Env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    expect((await res.json<any>()).code).toBe("service_unavailable");
  });
});
