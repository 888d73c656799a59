/**
 * SMS delivery: the SSL Wireless adapter against the fake gateway (test/node/fake-sslwireless.ts),
 * the `clean-care-sms` queue consumer with the outbox provider, retries with backoff for transient
 * gateway failures, and the dead-letter paths.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { createServiceContext } from "../../context";
import { smsDeadLetters, smsOutbox } from "../../db/schema";
import worker from "../../index";
import { SmsSendError } from "../../providers/sms/sms-provider";
import { SslWirelessSmsProvider } from "../../providers/sms/sslwireless-provider";
import { deliverSmsBatch, retryDelaySeconds, type SmsJob } from "./sms.service";

const GATEWAY = () => `${env.FAKE_SMS_GATEWAY_URL}/api/v3/send-sms`;
const SMS_QUEUE = "clean-care-sms";
const DLQ = "clean-care-sms-dlq";

/** A random valid number (+88017XXXXXXXX) ending in `suffix`; the database is shared across test files. */
function randomPhone(suffix = ""): string {
  const digits = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => String(b % 10)).join("");
  return `+88017${digits.slice(0, 8 - suffix.length)}${suffix}`;
}

function gateway(overrides: Partial<{ apiToken: string; apiUrl: string }> = {}) {
  return new SslWirelessSmsProvider({ apiUrl: GATEWAY(), apiToken: "fake-token", sid: "CLEANCARE", ...overrides });
}

async function sentByGateway(csmsId: string): Promise<unknown[]> {
  const res = await fetch(`${env.FAKE_SMS_GATEWAY_URL}/__sent?csms_id=${encodeURIComponent(csmsId)}`);
  return res.json();
}

async function sendError(promise: Promise<unknown>): Promise<SmsSendError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SmsSendError);
  return err as SmsSendError;
}

function message<Body>(body: Body, attempts = 1, id: string = crypto.randomUUID()) {
  return { id, timestamp: new Date(), attempts, body };
}

async function outboxFor(phone: string) {
  const res = await SELF.fetch(`http://api.test/api/v1/dev/sms?phone=${encodeURIComponent(phone)}`);
  expect(res.status).toBe(200);
  return (await res.json<{ results: { phone: string; message: string; created_at: string }[] }>()).results;
}

async function withDb<T>(fn: (services: ReturnType<typeof createServiceContext>) => Promise<T>, bindings: Env = env): Promise<T> {
  const services = createServiceContext(bindings);
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}

const deadLettersFor = (csmsId: string) => withDb((s) => s.db.select().from(smsDeadLetters).where(eq(smsDeadLetters.csmsId, csmsId)));

describe("SslWirelessSmsProvider against the gateway", () => {
  it("sends the SMS Plus v3 JSON request and resolves when the gateway accepts it", async () => {
    const phone = randomPhone();
    const csmsId = crypto.randomUUID();
    const text = "আপনার Clean Care যাচাইকরণ কোড: 123456। এটি ৫ মিনিটের জন্য বৈধ।";
    await expect(gateway().send({ csmsId, phone, text })).resolves.toBeUndefined();
    expect(await sentByGateway(csmsId)).toStrictEqual([{ api_token: "fake-token", sid: "CLEANCARE", msisdn: phone.slice(1), sms: text, csms_id: csmsId }]);
    expect(phone.slice(1)).toMatch(/^8801\d{9}$/);
  });

  it("reports a gateway outage (HTTP 503) as a transient failure", async () => {
    const err = await sendError(gateway().send({ csmsId: crypto.randomUUID(), phone: randomPhone("0503"), text: "hi" }));
    expect(err.permanent).toBe(false);
    expect(err.message).toMatch(/503/);
  });

  it("reports an invalid number (4025) as a permanent failure", async () => {
    const csmsId = crypto.randomUUID();
    const err = await sendError(gateway().send({ csmsId, phone: randomPhone("4025"), text: "hi" }));
    expect(err.permanent).toBe(true);
    expect(err.message).toMatch(/4025/);
    expect(await sentByGateway(csmsId)).toEqual([]);
  });

  it("reports bad credentials (4001) as a permanent failure", async () => {
    const csmsId = crypto.randomUUID();
    const err = await sendError(gateway({ apiToken: "wrong-token" }).send({ csmsId, phone: randomPhone(), text: "hi" }));
    expect(err.permanent).toBe(true);
    expect(err.message).toMatch(/4001/);
    expect(await sentByGateway(csmsId)).toEqual([]);
  });

  it("reports an unreachable gateway as a transient failure", async () => {
    const err = await sendError(gateway({ apiUrl: "http://127.0.0.1:9/api/v3/send-sms" }).send({ csmsId: crypto.randomUUID(), phone: randomPhone(), text: "hi" }));
    expect(err.permanent).toBe(false);
    expect(err.message).toMatch(/unreachable/);
  });

  it("treats a resend of an accepted csms_id (4022 duplicate) as delivered, without a second copy", async () => {
    const sms = { csmsId: crypto.randomUUID(), phone: randomPhone(), text: "once only" };
    await gateway().send(sms);
    await expect(gateway().send(sms)).resolves.toBeUndefined();
    expect(await sentByGateway(sms.csmsId)).toHaveLength(1);
  });
});

describe("queue consumer (clean-care-sms, outbox provider)", () => {
  it("delivers jobs to the outbox, acks them, and the dev route lists them newest first", async () => {
    expect(env.SMS_PROVIDER).toBe("outbox");
    const phone = randomPhone();
    const first = message<SmsJob>({ phone, text: "first message" });
    const second = message<SmsJob>({ phone, text: "দ্বিতীয় বার্তা" });
    for (const msg of [first, second]) {
      const batch = createMessageBatch<SmsJob>(SMS_QUEUE, [msg]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      const result = await getQueueResult(batch, ctx);
      expect(result.explicitAcks).toEqual([msg.id]);
      expect(result.retryMessages).toEqual([]);
    }
    const results = await outboxFor(phone);
    expect(results.map((r) => r.message)).toEqual(["দ্বিতীয় বার্তা", "first message"]);
    expect(results[0]!.phone).toBe(phone);
    expect(Date.parse(results[0]!.created_at)).toBeGreaterThanOrEqual(Date.parse(results[1]!.created_at));
  });

  it("is idempotent by message id: a redelivered message is stored once", async () => {
    const phone = randomPhone();
    const msg = message<SmsJob>({ phone, text: "delivered twice" });
    for (let i = 0; i < 2; i++) {
      const batch = createMessageBatch<SmsJob>(SMS_QUEUE, [{ ...msg, attempts: i + 1 }]);
      const ctx = createExecutionContext();
      await worker.queue(batch, env, ctx);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([msg.id]);
    }
    expect(await outboxFor(phone)).toHaveLength(1);
    const rows = await withDb((s) => s.db.select().from(smsOutbox).where(eq(smsOutbox.csmsId, msg.id)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ phone, message: "delivered twice" });
  });

  it("acks and drops a malformed job without storing anything, and still delivers the rest of the batch", async () => {
    const phone = randomPhone();
    const bad = [message({ phone }), message("not an object"), message({ phone: 1717, text: "x" }), message(null)];
    const good = message<SmsJob>({ phone, text: "the good one" });
    const batch = createMessageBatch<unknown>(SMS_QUEUE, [...bad, good]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual([...bad, good].map((m) => m.id).sort());
    expect(result.retryMessages).toEqual([]);
    expect((await outboxFor(phone)).map((r) => r.message)).toEqual(["the good one"]);
  });
});

describe("retries and dead letters (SSL Wireless provider)", () => {
  const sslwirelessEnv = () =>
    ({
      ...env,
      SMS_PROVIDER: "sslwireless",
      SSLWIRELESS_API_URL: GATEWAY(),
      SSLWIRELESS_API_TOKEN: "fake-token",
      SSLWIRELESS_SID: "CLEANCARE",
    }) as Env;

  it("uses exponential backoff capped at 10 minutes", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(retryDelaySeconds)).toEqual([10, 20, 40, 80, 160, 320, 600, 600]);
  });

  it("retries a transient failure with the backoff delay for its attempt, and acks the rest", async () => {
    const transient = message<SmsJob>({ phone: randomPhone("0503"), text: "gateway down" }, 3);
    const ok = message<SmsJob>({ phone: randomPhone(), text: "gateway fine" });
    const batch = createMessageBatch<SmsJob>(SMS_QUEUE, [transient, ok]);
    const retry = vi.spyOn(batch.messages[0]!, "retry");
    const ctx = createExecutionContext();
    await withDb((services) => deliverSmsBatch(services, batch), sslwirelessEnv());
    const result = await getQueueResult(batch, ctx);
    expect(result.retryMessages).toEqual([{ msgId: transient.id }]);
    expect(result.explicitAcks).toEqual([ok.id]);
    expect(retry).toHaveBeenCalledTimes(1);
    expect(retry).toHaveBeenCalledWith({ delaySeconds: retryDelaySeconds(3) });
    expect(retryDelaySeconds(3)).toBe(40);
    expect(await deadLettersFor(transient.id)).toEqual([]);
    expect(await sentByGateway(ok.id)).toHaveLength(1);
  });

  it("acks a permanent failure without retrying and records it as a dead letter", async () => {
    const phone = randomPhone("4025");
    const msg = message<SmsJob>({ phone, text: "to an invalid number" }, 2);
    const batch = createMessageBatch<SmsJob>(SMS_QUEUE, [msg]);
    const ctx = createExecutionContext();
    await withDb((services) => deliverSmsBatch(services, batch), sslwirelessEnv());
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toEqual([msg.id]);
    expect(result.retryMessages).toEqual([]);
    const rows = await deadLettersFor(msg.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ csmsId: msg.id, phone, message: "to an invalid number", attempts: 2 });
    expect(rows[0]!.reason).toMatch(/^permanent: gateway status 4025/);
  });

  it("the dead-letter consumer records every exhausted message with 'retries exhausted' and acks", async () => {
    const a = message<SmsJob>({ phone: randomPhone(), text: "gave up on this" }, 6);
    const b = message<SmsJob>({ phone: randomPhone(), text: "and this" }, 6);
    const junk = message("garbage");
    const batch = createMessageBatch<unknown>(DLQ, [a, b, junk]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.sort()).toEqual([a.id, b.id, junk.id].sort());
    expect(result.retryMessages).toEqual([]);
    for (const m of [a, b]) {
      const rows = await deadLettersFor(m.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ phone: m.body.phone, message: m.body.text, attempts: 6, reason: "retries exhausted" });
    }
    expect(await deadLettersFor(junk.id)).toEqual([]);

    // A redelivered dead letter is recorded once.
    const again = createMessageBatch<unknown>(DLQ, [a]);
    const ctx2 = createExecutionContext();
    await worker.queue(again, env, ctx2);
    expect((await getQueueResult(again, ctx2)).explicitAcks).toEqual([a.id]);
    expect(await deadLettersFor(a.id)).toHaveLength(1);
  });

  it("an unknown queue is retried, not silently acked", async () => {
    const msg = message<SmsJob>({ phone: randomPhone(), text: "lost?" });
    const batch = createMessageBatch<SmsJob>("clean-care-unknown", [msg]);
    const ctx = createExecutionContext();
    await worker.queue(batch, env, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.retryBatch.retry).toBe(true);
    expect(result.explicitAcks).toEqual([]);
  });
});
