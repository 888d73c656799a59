/**
 * The bKash Tokenized Checkout adapter against the local sandbox: tokens (grant once, refresh
 * before expiry, re-grant on 401), the five operations and their answers, outages, and the payment
 * log without secrets. Each test uses its own merchant account so the sandbox's call records are
 * its own even while other test files run.
 */
import { env } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, readConfig } from "../../env";
import { withServices } from "../../../test/support/factories";
import { sandbox, sandboxUrl } from "../../../test/support/payments";
import { BkashGateway, TOKEN_REFRESH_MARGIN_MS } from "./bkash-gateway";
import { GatewayUnavailableError, type GatewayCallRecord } from "./gateway";
import { paymentLogWriter } from "./index";

async function merchant() {
  const m = { app_key: `key-${crypto.randomUUID()}`, app_secret: `secret-${crypto.randomUUID()}`, username: "merchant-user", password: `pw-${crypto.randomUUID()}` };
  await sandbox.addMerchant(m);
  return m;
}

async function adapter(overrides: Partial<{ password: string; baseUrl: string; timeoutMs: number }> = {}) {
  const m = await merchant();
  const log: GatewayCallRecord[] = [];
  const gateway = new BkashGateway(
    { baseUrl: env.BKASH_BASE_URL!, appKey: m.app_key, appSecret: m.app_secret, username: m.username, password: m.password, timeoutMs: 2_500, ...overrides },
    async (record) => void log.push(record),
  );
  const operations = async () => (await sandbox.calls({ app_key: m.app_key })).map((c) => `${c.operation}:${c.http_status}`);
  return { gateway, log, m, operations };
}

const createRequest = (invoiceNumber = `TXN${Date.now()}`) => ({
  amount: "120.50",
  invoiceNumber,
  payerPhone: "+8801712345678",
  callbackUrl: "http://api.test/api/v1/payments/bkash/callback",
});

async function created(gateway: BkashGateway) {
  const answer = await gateway.create(createRequest(), {});
  if (!answer.ok) throw new Error(`create refused: ${answer.rejection.code}`);
  return answer.payment;
}

async function authorise(redirectUrl: string, action: "success" | "failure" | "cancel" = "success") {
  const res = await fetch(`${redirectUrl}?action=${action}`, { redirect: "manual" });
  expect(res.status).toBe(302);
}

afterEach(async () => {
  await sandbox.settings({ token_ttl_seconds: 3600 });
});

describe("tokens", () => {
  it("grants once and reuses the id_token across calls and adapter instances", async () => {
    const { gateway, m, operations } = await adapter();
    const payment = await created(gateway);
    await gateway.query(payment.gatewayPaymentId, {});
    const second = new BkashGateway(
      { baseUrl: env.BKASH_BASE_URL!, appKey: m.app_key, appSecret: m.app_secret, username: m.username, password: m.password, timeoutMs: 2_500 },
      async () => undefined,
    );
    await second.query(payment.gatewayPaymentId, {});
    expect(await operations()).toEqual(["grant:200", "create:200", "query:200", "query:200"]);
  });

  it("concurrent first calls share one grant", async () => {
    const { gateway, operations } = await adapter();
    await Promise.all(Array.from({ length: 5 }, () => created(gateway)));
    expect((await operations()).filter((o) => o.startsWith("grant"))).toEqual(["grant:200"]);
  });

  it("refreshes (not grants) when the token is within the refresh margin of its expiry", async () => {
    expect(TOKEN_REFRESH_MARGIN_MS).toBe(300_000);
    await sandbox.settings({ token_ttl_seconds: 120 }); // shorter than the margin: due at once
    const { gateway, operations } = await adapter();
    await created(gateway);
    await sandbox.settings({ token_ttl_seconds: 3600 });
    await created(gateway);
    await created(gateway);
    expect(await operations()).toEqual(["grant:200", "create:200", "refresh:200", "create:200", "create:200"]);
  });

  it("an expired token (HTTP 401) is replaced by a new grant and the call repeated once", async () => {
    const { gateway, m, operations } = await adapter();
    const payment = await created(gateway);
    await sandbox.expireTokens(m.app_key);
    const answer = await gateway.query(payment.gatewayPaymentId, {});
    expect(answer.ok).toBe(true);
    expect(await operations()).toEqual(["grant:200", "create:200", "query:401", "grant:200", "query:200"]);
  });

  it("wrong credentials are an outage with a clear reason, not a crash", async () => {
    const { gateway } = await adapter({ password: "wrong" });
    const err = await gateway.create(createRequest(), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayUnavailableError);
    expect((err as Error).message).toBe("bkash grant_token: token refused: http_401 Unauthorized");
  });
});

describe("operations", () => {
  it("create answers the paymentID and the checkout page", async () => {
    const { gateway } = await adapter();
    const answer = await gateway.create(createRequest("TXN-CREATE-1"), {});
    expect(answer).toMatchObject({
      ok: true,
      payment: { gatewayPaymentId: expect.stringMatching(/^TR0011/), redirectUrl: expect.stringMatching(new RegExp(`^${sandboxUrl()}/checkout/TR0011`)) },
    });
  });

  it("a create bKash refuses is a rejection with its code", async () => {
    const { gateway } = await adapter();
    const answer = await gateway.create({ ...createRequest(), amount: "0.00" }, {});
    expect(answer).toMatchObject({ ok: false, rejection: { code: "2006", message: "Invalid amount" } });
  });

  it("execute: 2056 before the customer paid, Completed with trxID after, 2062 the second time", async () => {
    const { gateway } = await adapter();
    const payment = await created(gateway);
    expect(await gateway.execute(payment.gatewayPaymentId, {})).toMatchObject({ ok: false, rejection: { code: "2056" } });
    await authorise(payment.redirectUrl);
    const done = await gateway.execute(payment.gatewayPaymentId, {});
    expect(done).toMatchObject({
      ok: true,
      state: { status: "completed", amount: "120.50", currency: "BDT", invoiceNumber: expect.stringMatching(/^TXN/), transactionId: expect.stringMatching(/^[A-Z0-9]{10}$/) },
    });
    expect(await gateway.execute(payment.gatewayPaymentId, {})).toMatchObject({ ok: false, rejection: { code: "2062", message: "The payment has already been completed" } });
  });

  it.each([
    ["success", "initiated"],
    ["failure", "failed"],
    ["cancel", "cancelled"],
  ] as const)("query after the customer chose %s reports %s", async (action, status) => {
    const { gateway } = await adapter();
    const payment = await created(gateway);
    await authorise(payment.redirectUrl, action);
    expect(await gateway.query(payment.gatewayPaymentId, {})).toMatchObject({ ok: true, state: { status } });
  });

  it("query reports Expired and unknown statuses (never final) as such", async () => {
    const { gateway } = await adapter();
    const payment = await created(gateway);
    await sandbox.tamper(payment.gatewayPaymentId, { state: "Expired" });
    expect(await gateway.query(payment.gatewayPaymentId, {})).toMatchObject({ ok: true, state: { status: "expired" } });
    await sandbox.tamper(payment.gatewayPaymentId, { state: "Authorized-by-mars" });
    expect(await gateway.query(payment.gatewayPaymentId, {})).toMatchObject({ ok: true, state: { status: "unknown" } });
  });

  it("refund, partial then the rest; more than paid is rejected (2026); refund status reports the latest", async () => {
    const { gateway } = await adapter();
    const payment = await created(gateway);
    await authorise(payment.redirectUrl);
    const executed = await gateway.execute(payment.gatewayPaymentId, {});
    const trx = executed.ok ? executed.state.transactionId! : "";
    const refund = (amount: string) => gateway.refund({ gatewayPaymentId: payment.gatewayPaymentId, transactionId: trx, amount, reason: "duplicate", reference: crypto.randomUUID() }, {});

    const first = await refund("20.50");
    expect(first).toMatchObject({ ok: true, refund: { amount: "20.50", transactionId: trx, refundId: expect.stringMatching(/^[A-Z0-9]{10}$/) } });
    expect(await refund("100.01")).toMatchObject({ ok: false, rejection: { code: "2026" } });
    const rest = await refund("100.00");
    expect(rest).toMatchObject({ ok: true, refund: { amount: "100.00" } });
    const status = await gateway.refundStatus(payment.gatewayPaymentId, trx, {});
    expect(status).toMatchObject({ ok: true, refund: { refundId: rest.ok ? rest.refund.refundId : "", amount: "100.00" } });
  });
});

describe("outages", () => {
  it.each([
    ["maintenance", { fail: "maintenance" }, "bkash query: maintenance (503)"],
    ["an HTTP 500", { fail: "http_500" }, "bkash query: HTTP 500"],
    ["a slow gateway", { delay_ms: 3_500 }, "bkash query: no answer within 2500 ms"],
  ])("%s is a GatewayUnavailableError", async (_what, fault, message) => {
    const { gateway } = await adapter();
    const payment = await created(gateway);
    await sandbox.fault({ payment_id: payment.gatewayPaymentId, operation: "query", times: 1, ...fault });
    const err = await gateway.query(payment.gatewayPaymentId, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayUnavailableError);
    expect((err as Error).message).toBe(message);
  });

  it("an unreachable gateway is a GatewayUnavailableError", async () => {
    const { gateway } = await adapter({ baseUrl: "http://127.0.0.1:9/v1.2.0-beta" });
    const err = await gateway.create(createRequest(), {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayUnavailableError);
    expect((err as Error).message).toMatch(/^bkash grant_token: unreachable/);
  });
});

describe("the payment log", () => {
  it("records every call with operation, status code, latency and the answer, without secrets", async () => {
    const { gateway, log, m } = await adapter();
    const payment = await created(gateway);
    await gateway.query(payment.gatewayPaymentId, { paymentId: "11111111-1111-4111-8111-111111111111" });
    expect(log.map((r) => [r.operation, r.httpStatus, r.statusCode, r.success])).toEqual([
      ["grant_token", 200, "0000", true],
      ["create", 200, "0000", true],
      ["query", 200, "0000", true],
    ]);
    expect(log.every((r) => r.latencyMs >= 0)).toBe(true);
    expect(log[2]!.paymentId).toBe("11111111-1111-4111-8111-111111111111");
    const everything = JSON.stringify(log);
    expect(everything).not.toContain(m.app_secret);
    expect(everything).not.toContain(m.app_key);
    expect(everything).not.toContain("sandbox-id-");
    expect(everything).not.toContain("sandbox-refresh-");
    expect(log[0]!.request).toEqual({ app_key: "[redacted]", app_secret: "[redacted]" });
    expect(log[0]!.response).toMatchObject({ id_token: "[redacted]", refresh_token: "[redacted]", expires_in: 3600 });
  });

  it("is written to payment_logs, with no secret anywhere in the table", async () => {
    const m = await merchant();
    const started = new Date();
    await withServices(async (services) => {
      const gateway = new BkashGateway(
        { baseUrl: env.BKASH_BASE_URL!, appKey: m.app_key, appSecret: m.app_secret, username: m.username, password: m.password, timeoutMs: 2_500 },
        paymentLogWriter(services),
      );
      await gateway.create(createRequest(), {});
    });
    const rows = await withServices(({ db }) =>
      db.execute<{ operation: string; leaks: boolean }>(sql`
        select operation, (request::text || coalesce(response::text, '')) ~ ${`${m.app_secret}|${m.password}|sandbox-id-|sandbox-refresh-`} as leaks
        from payment_logs where created_at >= ${started.toISOString()}`),
    );
    expect(rows.rows.map((r) => r.operation)).toEqual(expect.arrayContaining(["grant_token", "create"]));
    expect(rows.rows.filter((r) => r.leaks)).toEqual([]);
  });
});

describe("configuration", () => {
  it("bKash is all five settings or none; a partial set is named", () => {
    const partial = { ...env, BKASH_PASSWORD: undefined } as unknown as Env;
    expect(() => readConfig(partial)).toThrow(ConfigError);
    expect(() => readConfig(partial)).toThrow(/BKASH_PASSWORD: required when any BKASH_\* setting is present/);
    const none = { ...env, BKASH_BASE_URL: undefined, BKASH_APP_KEY: undefined, BKASH_APP_SECRET: undefined, BKASH_USERNAME: undefined, BKASH_PASSWORD: undefined } as unknown as Env;
    expect(readConfig(none).BKASH_BASE_URL).toBeUndefined();
  });
});
