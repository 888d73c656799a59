/**
 * Payments from the outside: start one through the API, act as the customer on the bKash sandbox's
 * checkout page, follow its redirect back to our callback, drive the callback queue consumer, and
 * read or steer the sandbox through its /__control endpoints.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from "cloudflare:test";
import { eq, sql } from "drizzle-orm";
import { expect } from "vitest";
import { donationProjects, payableServices, paymentLogs, payments } from "../../src/db/schema";
import worker from "../../src/index";
import type { PaymentCallbackJob } from "../../src/modules/payments/callbacks.service";
import { withServices } from "./factories";
import { api, BASE } from "./http";

export const CALLBACK_QUEUE = "clean-care-payment-callbacks";
export const CALLBACK_DLQ = "clean-care-payment-callbacks-dlq";

export const sandboxUrl = () => env.BKASH_SANDBOX_URL;

async function control<T = any>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${sandboxUrl()}/__control${path}`, {
    method,
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 400) throw new Error(`sandbox control ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json() as Promise<T>;
}

export interface SandboxCall {
  seq: number;
  operation: string;
  app_key?: string;
  payment_id?: string;
  request: Record<string, unknown>;
  http_status: number;
  response: Record<string, any>;
  fault?: string;
}

export const sandbox = {
  calls: async (filter: { payment_id?: string; operation?: string; app_key?: string; since?: number } = {}) => {
    const query = new URLSearchParams(Object.entries(filter).map(([k, v]) => [k, String(v)]));
    return (await control<{ calls: SandboxCall[]; last_seq: number }>("GET", `/calls?${query}`)).calls;
  },
  lastSeq: async () => (await control<{ last_seq: number }>("GET", "/calls?payment_id=none")).last_seq,
  fault: (fault: { operation?: string; payment_id?: string; app_key?: string; delay_ms?: number; fail?: string; apply?: string; times?: number | null }) =>
    control<{ id: string }>("POST", "/faults", fault),
  clearFaults: (paymentId: string) => control("DELETE", `/faults?payment_id=${encodeURIComponent(paymentId)}`),
  payment: (paymentId: string) => control<{ state: string; trxID?: string; amount: string; refunds: { amountPaisa: number }[] }>("GET", `/payments/${paymentId}`),
  tamper: (paymentId: string, patch: { report_amount?: string; report_invoice?: string; state?: string }) => control("PATCH", `/payments/${paymentId}`, patch),
  addMerchant: (m: { app_key: string; app_secret: string; username: string; password: string }) => control("POST", "/merchants", m),
  settings: (s: { token_ttl_seconds?: number; checkout_ttl_seconds?: number }) => control("POST", "/settings", s),
  expireTokens: (appKey?: string) => control("POST", "/tokens/expire", { app_key: appKey }),
};

export interface Started {
  payment_id: string;
  transaction_id: string;
  status: string;
  payment_url: string;
  bkash_url?: string;
}

/** POST /payments/process as `token`; asserts 201. */
export async function startPayment(token: string, body: Record<string, unknown> = {}): Promise<Started> {
  const res = await api<Started>("/api/v1/payments/process", {
    token,
    body: { service_type: "holding_tax", amount: "500.00", payment_method: "bkash", ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** The customer's choice on the sandbox's checkout page; returns where bKash redirects the browser (our callback). */
export async function payAtGateway(bkashUrl: string, action: "success" | "failure" | "cancel"): Promise<string> {
  const res = await fetch(`${bkashUrl}?action=${action}`, { redirect: "manual" });
  expect(res.status).toBe(302);
  return res.headers.get("location")!;
}

/** The browser following the gateway's redirect to our callback; returns our answer (a 302 to the app). */
export async function followToCallback(location: string, method: "GET" | "POST" = "GET"): Promise<Response> {
  const url = new URL(location);
  expect(url.origin).toBe(BASE);
  return SELF.fetch(url.toString(), { method, redirect: "manual" });
}

/** The gateway's payment id (bKash paymentID) stored for one of our payments. */
export async function gatewayIdOf(paymentId: string): Promise<string> {
  const [row] = await withServices(({ db }) => db.select({ id: payments.gatewayPaymentId }).from(payments).where(eq(payments.id, paymentId)));
  return row!.id!;
}

export async function paymentRow(paymentId: string) {
  const [row] = await withServices(({ db }) => db.select().from(payments).where(eq(payments.id, paymentId)));
  return row!;
}

export async function paymentLog(paymentId: string) {
  return withServices(({ db }) => db.select().from(paymentLogs).where(eq(paymentLogs.paymentId, paymentId)).orderBy(paymentLogs.createdAt));
}

/** Polls GET /payments/{id} until its status is not `processing` (or the time is up); returns the payment. */
export async function waitForSettled(paymentId: string, token: string, timeoutMs = 15_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api(`/api/v1/payments/${paymentId}`, { token });
    if (res.body.status !== "processing" || Date.now() > deadline) return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Pretends time passed: moves the payment's clock fields back by `minutes`. */
export async function backdate(paymentId: string, minutes: number): Promise<void> {
  await withServices(({ db }) =>
    db.execute(sql`
      update payments set created_at = created_at - make_interval(mins => ${minutes}),
        execute_claimed_at = execute_claimed_at - make_interval(mins => ${minutes}),
        last_checked_at = last_checked_at - make_interval(mins => ${minutes})
      where id = ${paymentId}`),
  );
}

export function callbackMessage(job: Omit<PaymentCallbackJob, "received_at" | "gateway"> & { gateway?: string }, attempts = 1, id: string = crypto.randomUUID()) {
  return { id, timestamp: new Date(), attempts, body: { gateway: "bkash", received_at: new Date().toISOString(), ...job } };
}

/**
 * Runs the worker's queue handler on one batch, as the Queues runtime would, and returns the
 * ack/retry result plus the delay each retried message asked for.
 */
export async function consume(queue: string, messages: ReturnType<typeof callbackMessage>[]) {
  const batch = createMessageBatch(queue, messages);
  const delays: Record<string, number | undefined> = {};
  for (const m of batch.messages) {
    const retry = m.retry.bind(m);
    m.retry = (options?: QueueRetryOptions) => {
      delays[m.id] = options?.delaySeconds;
      retry(options);
    };
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return { batch, result: await getQueueResult(batch, ctx), delays };
}

/** SMS the outbox provider "sent" to a phone (newest first). */
export async function smsTo(phone: string): Promise<string[]> {
  const res = await api(`/api/v1/dev/sms?phone=${encodeURIComponent(phone)}`);
  return (res.body.results as { message: string }[]).map((r) => r.message);
}

/** Waits until `phone` has `count` SMS, then a little longer to show no more arrive; returns them. */
export async function settledSms(phone: string, count: number, timeoutMs = 10_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let messages = await smsTo(phone);
  while (messages.length < count && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 150));
    messages = await smsTo(phone);
  }
  await new Promise((r) => setTimeout(r, 1500));
  return smsTo(phone);
}

/** A payment the customer paid and the consumer settled (driven directly, without waiting for the queue). */
export async function completedPayment(token: string, body: Record<string, unknown> = {}) {
  const started = await startPayment(token, body);
  const gatewayId = await gatewayIdOf(started.payment_id);
  await payAtGateway(started.bkash_url!, "success");
  await consume(CALLBACK_QUEUE, [callbackMessage({ payment_id: gatewayId, status: "success" })]);
  const row = await paymentRow(started.payment_id);
  expect(row.status).toBe("completed");
  return { ...started, gatewayId, row };
}

/** A donation project straight in the database (names are unique: a random suffix keeps test files apart). */
export async function createProject(options: { name?: string; goal?: string; active?: boolean } = {}) {
  const [row] = await withServices(({ db }) =>
    db
      .insert(donationProjects)
      .values({
        name: options.name ?? `Test project ${crypto.randomUUID().slice(0, 8)}`,
        nameBn: "পরীক্ষা প্রকল্প",
        description: "A project for tests",
        goalAmount: options.goal ?? "100000.00",
        isActive: options.active ?? true,
      })
      .returning(),
  );
  return row!;
}

export interface ServiceOptions {
  code?: string;
  nameEn?: string;
  nameBn?: string;
  feeType?: "fixed" | "range" | "free";
  fixedAmount?: string | null;
  minAmount?: string | null;
  maxAmount?: string | null;
  active?: boolean;
  sortOrder?: number;
}

/**
 * A payable service straight in the database, with a random code and names so test files never
 * collide (the seeded catalogue is shared by every file: tests must not change it). Free amount by default.
 */
export async function createPayableService(options: ServiceOptions = {}) {
  const suffix = crypto.randomUUID().replace(/-/g, "").slice(0, 10);
  const [row] = await withServices(({ db }) =>
    db
      .insert(payableServices)
      .values({
        code: options.code ?? `test_service_${suffix}`,
        nameEn: options.nameEn ?? `Test Service ${suffix}`,
        nameBn: options.nameBn ?? `পরীক্ষা সেবা ${suffix}`,
        feeType: options.feeType ?? "free",
        fixedAmount: options.fixedAmount ?? null,
        minAmount: options.minAmount ?? null,
        maxAmount: options.maxAmount ?? null,
        isActive: options.active ?? true,
        sortOrder: options.sortOrder ?? 500,
      })
      .returning(),
  );
  return row!;
}
