/**
 * The payment-callbacks queue and what stands behind it: exactly-once completion under duplicate
 * callbacks, never trusting a callback, a slow or failing gateway (retries → dead letter →
 * reconciliation), and on-demand verification. The real adapter talks to the bKash sandbox.
 */
import { createExecutionContext, createScheduledController, env, SELF } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { payments } from "../src/db/schema";
import worker from "../src/index";
import { callbackRetryDelaySeconds } from "../src/modules/payments/callbacks.service";
import { signedIn, withServices } from "../test/support/factories";
import { api, BASE } from "../test/support/http";
import {
  backdate,
  CALLBACK_DLQ,
  CALLBACK_QUEUE,
  callbackMessage,
  consume,
  gatewayIdOf,
  payAtGateway,
  paymentLog,
  paymentRow,
  sandbox,
  settledSms,
  startPayment,
  waitForSettled,
} from "../test/support/payments";

/** A started payment whose customer already made their choice on the checkout page. */
async function paidAtGateway(action: "success" | "failure" | "cancel" = "success", body: Record<string, unknown> = {}) {
  const citizen = await signedIn();
  const started = await startPayment(citizen.access, body);
  const gatewayId = await gatewayIdOf(started.payment_id);
  const callback = await payAtGateway(started.bkash_url!, action);
  return { ...citizen, ...started, gatewayId, callback };
}

async function runCron() {
  await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }), env);
}

describe("exactly once", () => {
  it("100 concurrent duplicate success callbacks → one execute, one completion, one SMS receipt", async () => {
    const p = await paidAtGateway();
    const responses = await Promise.all(Array.from({ length: 100 }, () => SELF.fetch(p.callback, { redirect: "manual" })));
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(302));

    const settled = await waitForSettled(p.payment_id, p.access);
    expect(settled.status).toBe("completed");
    expect(await settledSms(p.user.phone, 1)).toHaveLength(1);
    expect(await sandbox.calls({ payment_id: p.gatewayId, operation: "execute" })).toHaveLength(1);
    const row = await paymentRow(p.payment_id);
    expect(row.completedAt!.toISOString()).toBe(settled.completed_at);
  });

  it("the same for 20 payments at once, 10 duplicates each, all interleaved", async () => {
    const many = await Promise.all(Array.from({ length: 20 }, () => paidAtGateway()));
    const callbacks = many.flatMap((p) => Array.from({ length: 10 }, () => p.callback)).sort(() => Math.random() - 0.5);
    const responses = await Promise.all(callbacks.map((url) => SELF.fetch(url, { redirect: "manual" })));
    expect(responses.map((r) => r.status)).toEqual(Array(callbacks.length).fill(302));

    for (const p of many) expect((await waitForSettled(p.payment_id, p.access)).status).toBe("completed");
    const sms = await Promise.all(many.map((p) => settledSms(p.user.phone, 1, 5_000)));
    expect(sms.map((m) => m.length)).toEqual(Array(20).fill(1));
    const executes = await Promise.all(many.map((p) => sandbox.calls({ payment_id: p.gatewayId, operation: "execute" })));
    expect(executes.map((e) => e.length)).toEqual(Array(20).fill(1));
  });

  it("10 consumer batches of 10 duplicates running concurrently: all acked, one completion", async () => {
    const p = await paidAtGateway();
    const runs = await Promise.all(
      Array.from({ length: 10 }, () => consume(CALLBACK_QUEUE, Array.from({ length: 10 }, () => callbackMessage({ payment_id: p.gatewayId, status: "success" })))),
    );
    for (const { batch, result } of runs) {
      expect(result.retryMessages).toEqual([]);
      expect(result.explicitAcks.sort()).toEqual(batch.messages.map((m) => m.id).sort());
    }
    expect((await paymentRow(p.payment_id)).status).toBe("completed");
    expect(await settledSms(p.user.phone, 1)).toHaveLength(1);
    expect(await sandbox.calls({ payment_id: p.gatewayId, operation: "execute" })).toHaveLength(1);
  });

  it("a late failure callback after completion changes nothing", async () => {
    const p = await paidAtGateway();
    await consume(CALLBACK_QUEUE, [callbackMessage({ payment_id: p.gatewayId, status: "success" })]);
    const before = await sandbox.calls({ payment_id: p.gatewayId });
    const { result } = await consume(CALLBACK_QUEUE, [callbackMessage({ payment_id: p.gatewayId, status: "cancel" })]);
    expect(result.explicitAcks).toHaveLength(1);
    expect((await paymentRow(p.payment_id)).status).toBe("completed");
    // settled payments are not even asked about again, and a redirect arriving now is not even queued
    const again = await SELF.fetch(p.callback, { redirect: "manual" });
    expect(again.headers.get("location")).toBe(`cleancare://payments/result?payment_id=${p.payment_id}&status=success`);
    await new Promise((r) => setTimeout(r, 1_500)); // past the consumer's batch window
    expect(await sandbox.calls({ payment_id: p.gatewayId })).toHaveLength(before.length);
  });
});

describe("never trusted", () => {
  it("a callback for an unknown payment id is acked and changes nothing", async () => {
    const msg = callbackMessage({ payment_id: "TR0011unknown0000000000", status: "success" });
    const { result } = await consume(CALLBACK_QUEUE, [msg]);
    expect(result.explicitAcks).toEqual([msg.id]);
    expect(await sandbox.calls({ payment_id: "TR0011unknown0000000000" })).toEqual([]);
  });

  it("status=success while the gateway says the payment failed → failed", async () => {
    const p = await paidAtGateway("failure");
    const forged = new URL(p.callback);
    forged.searchParams.set("status", "success");
    await SELF.fetch(forged.toString(), { redirect: "manual" });
    const settled = await waitForSettled(p.payment_id, p.access);
    expect(settled).toMatchObject({ status: "failed", failure_reason: "The payment failed at the gateway." });
    expect(await settledSms(p.user.phone, 0)).toEqual([]);
  });

  it("status=success before the customer paid: stays processing, and the real payment later still completes", async () => {
    const citizen = await signedIn();
    const started = await startPayment(citizen.access);
    const gatewayId = await gatewayIdOf(started.payment_id);
    const early = await consume(CALLBACK_QUEUE, [callbackMessage({ payment_id: gatewayId, status: "success" })]);
    expect(early.result.explicitAcks).toHaveLength(1);
    expect((await sandbox.calls({ payment_id: gatewayId, operation: "execute" }))[0]!.response.statusCode).toBe("2056");
    expect((await paymentRow(started.payment_id)).status).toBe("processing");

    await payAtGateway(started.bkash_url!, "success");
    await consume(CALLBACK_QUEUE, [callbackMessage({ payment_id: gatewayId, status: "success" })]);
    expect((await paymentRow(started.payment_id)).status).toBe("completed");
  });

  it("a failure callback while the gateway says Completed → completed (the gateway decides)", async () => {
    const p = await paidAtGateway("success");
    // Our execute goes through but its answer is lost, and the query after it fails too: retried.
    await sandbox.fault({ payment_id: p.gatewayId, operation: "execute", fail: "http_500", apply: "after", times: 1 });
    await sandbox.fault({ payment_id: p.gatewayId, operation: "query", fail: "maintenance", times: 1 });
    const success = await consume(CALLBACK_QUEUE, [callbackMessage({ payment_id: p.gatewayId, status: "success" })]);
    expect(success.result.retryMessages).toHaveLength(1);
    expect((await paymentRow(p.payment_id)).status).toBe("processing");
    // Then a (forged or confused) failure callback arrives: the query finds the money moved.
    const { result } = await consume(CALLBACK_QUEUE, [callbackMessage({ payment_id: p.gatewayId, status: "failure" })]);
    expect(result.explicitAcks).toHaveLength(1);
    expect((await paymentRow(p.payment_id)).status).toBe("completed");
  });

  it.each([
    ["amount", { report_amount: "5.00" }, /amount 5\.00 ≠ 500\.00/],
    ["invoice number", { report_invoice: "TXN-SOMEONE-ELSE" }, /invoice TXN-SOMEONE-ELSE ≠ TXN/],
  ])("a Completed answer with a mismatching %s is not completed, and is logged", async (_what, tamper, problem) => {
    const p = await paidAtGateway();
    await sandbox.tamper(p.gatewayId, tamper);
    await consume(CALLBACK_QUEUE, [callbackMessage({ payment_id: p.gatewayId, status: "success" })]);
    const row = await paymentRow(p.payment_id);
    expect(row.status).toBe("failed");
    expect(row.completedAt).toBeNull();
    expect(row.failureReason).toMatch(problem);
    const verification = (await paymentLog(p.payment_id)).filter((l) => l.operation === "verification");
    expect(verification).toHaveLength(1);
    expect(verification[0]).toMatchObject({ success: false, error: expect.stringMatching(problem) });
    expect(await settledSms(p.user.phone, 0)).toEqual([]);
  });
});

describe("gateway trouble", () => {
  it("execute answering 2062 → query → completed", async () => {
    const p = await paidAtGateway();
    await sandbox.fault({ payment_id: p.gatewayId, operation: "execute", fail: "answer_2062", times: 1 });
    const { result } = await consume(CALLBACK_QUEUE, [callbackMessage({ payment_id: p.gatewayId, status: "success" })]);
    expect(result.explicitAcks).toHaveLength(1);
    const calls = await sandbox.calls({ payment_id: p.gatewayId });
    expect(calls.map((c) => `${c.operation}:${c.response.statusCode ?? c.http_status}`)).toEqual(["create:0000", "checkout:302", "execute:2062", "query:0000"]);
    expect((await paymentRow(p.payment_id)).status).toBe("completed");
    expect(await settledSms(p.user.phone, 1)).toHaveLength(1);
  });

  it("a slow execute times out → query says still open → retried with backoff → the next attempt finds it completed; executed once", async () => {
    const p = await paidAtGateway();
    await sandbox.fault({ payment_id: p.gatewayId, operation: "execute", delay_ms: 4_000, times: 1 });
    const msg = callbackMessage({ payment_id: p.gatewayId, status: "success" });
    const first = await consume(CALLBACK_QUEUE, [msg]);
    expect(first.result.retryMessages).toEqual([{ msgId: msg.id }]);
    expect(first.delays[msg.id]).toBe(5);
    expect((await paymentRow(p.payment_id)).status).toBe("processing");
    const log = await paymentLog(p.payment_id);
    expect(log.find((l) => l.operation === "execute")).toMatchObject({ success: false, error: "no answer within 2500 ms", httpStatus: null });

    await new Promise((r) => setTimeout(r, 2_000)); // the sandbox finishes the slow execute
    const second = await consume(CALLBACK_QUEUE, [{ ...msg, attempts: 2 }]);
    expect(second.result.explicitAcks).toEqual([msg.id]);
    expect((await paymentRow(p.payment_id)).status).toBe("completed");
    expect(await sandbox.calls({ payment_id: p.gatewayId, operation: "execute" })).toHaveLength(1);
  });

  it("gateway down → retried with growing delays → dead letter → reconciliation completes it later, one receipt", async () => {
    const p = await paidAtGateway();
    await sandbox.fault({ payment_id: p.gatewayId, operation: "execute", fail: "maintenance", times: null });
    await sandbox.fault({ payment_id: p.gatewayId, operation: "query", fail: "http_500", times: null });
    const msg = callbackMessage({ payment_id: p.gatewayId, status: "success" });
    const delays: number[] = [];
    for (let attempts = 1; attempts <= 6; attempts++) {
      const { result, delays: asked } = await consume(CALLBACK_QUEUE, [{ ...msg, attempts }]);
      expect(result.explicitAcks).toEqual([]);
      expect(result.retryMessages).toEqual([{ msgId: msg.id }]);
      delays.push(asked[msg.id]!);
    }
    expect(delays).toEqual([5, 10, 20, 40, 80, 160]);
    expect((await paymentRow(p.payment_id)).status).toBe("processing");

    // wrangler.toml: after max_retries the message lands on the dead-letter queue.
    const dead = await consume(CALLBACK_DLQ, [{ ...msg, attempts: 6 }]);
    expect(dead.result.explicitAcks).toEqual([msg.id]);
    const deadLog = (await paymentLog(p.payment_id)).filter((l) => l.operation === "callback_dead_letter");
    expect(deadLog).toHaveLength(1);
    expect(deadLog[0]!.error).toMatch(/retries exhausted after 6 attempts; left to reconciliation/);
    expect((await paymentRow(p.payment_id)).status).toBe("processing");

    // The gateway recovers; 20 minutes later the cron checks unsettled payments.
    await sandbox.clearFaults(p.gatewayId);
    await backdate(p.payment_id, 20);
    await runCron();
    expect((await paymentRow(p.payment_id)).status).toBe("completed");
    expect(await settledSms(p.user.phone, 1)).toHaveLength(1);
    const executes = await sandbox.calls({ payment_id: p.gatewayId, operation: "execute" });
    expect(executes.filter((c) => c.response.statusCode === "0000")).toHaveLength(1);
  });

  it("retry delays grow from 5 s and are capped at 5 minutes", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 30].map(callbackRetryDelaySeconds)).toEqual([5, 10, 20, 40, 80, 160, 300, 300]);
  });

  it("a malformed message is acked and dropped; the rest of the batch is settled", async () => {
    const p = await paidAtGateway();
    const junk = [callbackMessage({ payment_id: p.gatewayId, status: "paid" as never }), { id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body: "junk" as never }];
    const good = callbackMessage({ payment_id: p.gatewayId, status: "success" });
    const { result } = await consume(CALLBACK_QUEUE, [...junk, good]);
    expect(result.explicitAcks.sort()).toEqual([...junk, good].map((m) => m.id).sort());
    expect((await paymentRow(p.payment_id)).status).toBe("completed");
  });
});

describe("reconciliation (cron) and on-demand verification", () => {
  it("settles what callbacks never reported, and leaves recent or unknown-state payments alone", async () => {
    const lostSuccess = await paidAtGateway("success");
    const lostFailure = await paidAtGateway("failure");
    const recent = await paidAtGateway("success");
    const abandoned = await paidAtGateway("success").then(async (p) => {
      await sandbox.tamper(p.gatewayId, { state: "Initiated" }); // the customer never paid
      return p;
    });
    await backdate(lostSuccess.payment_id, 16);
    await backdate(lostFailure.payment_id, 16);
    await backdate(abandoned.payment_id, 25 * 60);
    const never = await withServices(async ({ db }) => {
      const [row] = await db
        .insert(payments)
        .values({ userId: recent.user.id, serviceType: "holding_tax", amount: "10.00", paymentMethod: "bkash", phoneNumber: recent.user.phone, transactionId: `TXNNEVER${Date.now()}` })
        .returning();
      return row!;
    });
    await backdate(never.id, 16);

    await runCron();
    expect((await paymentRow(lostSuccess.payment_id)).status).toBe("completed");
    expect(await settledSms(lostSuccess.user.phone, 1)).toHaveLength(1);
    expect(await paymentRow(lostFailure.payment_id)).toMatchObject({ status: "failed", failureReason: "The payment failed at the gateway." });
    expect(await paymentRow(abandoned.payment_id)).toMatchObject({ status: "failed", failureReason: "The payment was not completed within 24 hours." });
    expect(await paymentRow(never.id)).toMatchObject({ status: "failed", failureReason: "The payment was never created at the gateway." });
    expect((await paymentRow(recent.payment_id)).status).toBe("processing");
    expect(await sandbox.calls({ payment_id: recent.gatewayId, operation: "query" })).toEqual([]);

    // Checked payments wait 15 minutes before the next check.
    const stillOpen = await paidAtGateway("success");
    await sandbox.tamper(stillOpen.gatewayId, { state: "Initiated" });
    await backdate(stillOpen.payment_id, 16);
    await runCron();
    const queries = (await sandbox.calls({ payment_id: stillOpen.gatewayId, operation: "query" })).length;
    expect(queries).toBe(1);
    await runCron();
    expect(await sandbox.calls({ payment_id: stillOpen.gatewayId, operation: "query" })).toHaveLength(queries);
  });

  it("POST /payments/verify settles a payment whose callback was lost; a settled one is returned as is", async () => {
    const p = await paidAtGateway("success");
    const res = await api("/api/v1/payments/verify", { token: p.access, body: { payment_id: p.payment_id } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: p.payment_id, status: "completed", gateway_transaction_id: expect.any(String) });
    const again = await api("/api/v1/payments/verify", { token: p.access, body: { payment_id: p.payment_id } });
    expect(again.body.status).toBe("completed");
    expect(await sandbox.calls({ payment_id: p.gatewayId, operation: "query" })).toHaveLength(1);
  });

  it("POST /payments/verify answers 503 while the gateway is down, and changes nothing", async () => {
    const p = await paidAtGateway("success");
    await sandbox.fault({ payment_id: p.gatewayId, operation: "query", fail: "maintenance", times: 1 });
    const res = await api("/api/v1/payments/verify", { token: p.access, body: { payment_id: p.payment_id } });
    expect(res.status).toBe(503);
    expect(res.body.code).toBe("service_unavailable");
    expect((await paymentRow(p.payment_id)).status).toBe("processing");
  });

  it("POST /payments/verify on an unpaid payment leaves it processing", async () => {
    const citizen = await signedIn();
    const started = await startPayment(citizen.access);
    const res = await api("/api/v1/payments/verify", { token: citizen.access, body: { payment_id: started.payment_id } });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("processing");
    expect((await paymentRow(started.payment_id)).executeClaimedBy).toBeNull();
  });
});

describe("the gateway return redirect", () => {
  it("sends the browser to the configured deep link with our payment id", async () => {
    const p = await paidAtGateway();
    const res = await SELF.fetch(p.callback, { redirect: "manual" });
    const location = new URL(res.headers.get("location")!);
    expect(`${location.protocol}//${location.host}${location.pathname}`).toBe("cleancare://payments/result");
    expect(Object.fromEntries(location.searchParams)).toEqual({ payment_id: p.payment_id, status: "success" });
    expect(p.callback.startsWith(`${BASE}/api/v1/payments/bkash/callback?`)).toBe(true);
  });

  it("honours PAYMENT_RETURN_URL", async () => {
    const p = await paidAtGateway();
    const res = await worker.fetch!(new Request(p.callback), { ...env, PAYMENT_RETURN_URL: "https://app.cleancare.test/paid?from=bkash" } as Env, createExecutionContext());
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`https://app.cleancare.test/paid?from=bkash&payment_id=${p.payment_id}&status=success`);
    // the stored payment is untouched by the callback itself
    const [row] = await withServices(({ db }) => db.select({ status: payments.status }).from(payments).where(eq(payments.id, p.payment_id)));
    expect(row!.status).toBe("processing");
  });
});
