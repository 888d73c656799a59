/**
 * POST /payments/refund (staff): full and partial refunds through the gateway, never more than was
 * paid, idempotent, safe under concurrency and when the gateway's answer is lost.
 */
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { paymentRefunds } from "../../db/schema";
import { signedIn, withServices } from "../../../test/support/factories";
import { api } from "../../../test/support/http";
import { completedPayment, paymentRow, sandbox, startPayment } from "../../../test/support/payments";

const refundsOf = (paymentId: string) =>
  withServices(({ db }) => db.select().from(paymentRefunds).where(eq(paymentRefunds.paymentId, paymentId)).orderBy(paymentRefunds.createdAt));

async function setup(amount = "500.00") {
  const citizen = await signedIn();
  const admin = await signedIn({ userType: "admin" });
  const paid = await completedPayment(citizen.access, { amount });
  const refund = (body: Record<string, unknown>, headers: Record<string, string> = {}, token = admin.access) =>
    api("/api/v1/payments/refund", { token, body: { payment_id: paid.payment_id, reason: "Charged twice", ...body }, headers });
  const gatewayRefunds = async () => (await sandbox.payment(paid.gatewayId)).refunds.map((r) => r.amountPaisa);
  return { citizen, admin, paid, refund, gatewayRefunds };
}

describe("refunds", () => {
  it("a full refund (no amount) refunds everything through the gateway and marks the payment refunded", async () => {
    const { paid, refund, gatewayRefunds } = await setup("750.25");
    const res = await refund({});
    expect(res.status).toBe(200);
    expect(res.body.payment).toMatchObject({ id: paid.payment_id, status: "refunded", refunded_amount: "750.25", amount: "750.25" });
    expect(res.body.refund).toMatchObject({ amount: "750.25", status: "completed", reason: "Charged twice", gateway_refund_id: expect.stringMatching(/^[A-Z0-9]{10}$/), completed_at: expect.any(String) });
    expect(await gatewayRefunds()).toEqual([75025]);
    const [call] = await sandbox.calls({ payment_id: paid.gatewayId, operation: "refund" });
    expect(call!.request).toMatchObject({ paymentID: paid.gatewayId, trxID: paid.row.gatewayTransactionId, amount: "750.25", sku: res.body.refund.id, reason: "Charged twice" });
  });

  it("partial refunds add up to the amount paid; then the payment is refunded; a cent more is a 400 and writes nothing", async () => {
    const { refund, paid, gatewayRefunds } = await setup();
    const first = await refund({ amount: "200.00" });
    expect(first.status).toBe(200);
    expect(first.body.payment).toMatchObject({ status: "completed", refunded_amount: "200.00" });
    const second = await refund({ amount: 300 });
    expect(second.body.payment).toMatchObject({ status: "refunded", refunded_amount: "500.00" });

    const more = await refund({ amount: "0.01" });
    expect(more.status).toBe(400);
    expect(more.body.code).toBe("validation_error");
    expect(more.body.details.amount).toEqual(["At most 0.00 of 500.00 can still be refunded."]);
    expect(await refundsOf(paid.payment_id)).toHaveLength(2);
    expect(await gatewayRefunds()).toEqual([20000, 30000]);
  });

  it.each([
    ["more than was paid", { amount: "500.01" }, "amount"],
    ["a negative amount", { amount: "-1.00" }, "amount"],
    ["a zero amount", { amount: "0" }, "amount"],
    ["too many decimals", { amount: "1.001" }, "amount"],
    ["no reason", { reason: "" }, "reason"],
  ])("refuses %s with 400 and refunds nothing", async (_what, body, field) => {
    const { refund, paid, gatewayRefunds } = await setup();
    const res = await refund(body);
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.details)).toEqual([field]);
    expect(await refundsOf(paid.payment_id)).toEqual([]);
    expect(await gatewayRefunds()).toEqual([]);
    expect((await paymentRow(paid.payment_id)).status).toBe("completed");
  });

  it("only a completed payment can be refunded (409); an unknown one is 404", async () => {
    const { admin, citizen } = await setup();
    const processing = await startPayment(citizen.access);
    const res = await api("/api/v1/payments/refund", { token: admin.access, body: { payment_id: processing.payment_id, reason: "x" } });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: "conflict", error: "Only a completed payment can be refunded." });
    const unknown = await api("/api/v1/payments/refund", { token: admin.access, body: { payment_id: crypto.randomUUID(), reason: "x" } });
    expect(unknown.status).toBe(404);
  });

  it("is idempotent: the same Idempotency-Key returns the same refund without a second gateway refund", async () => {
    const { refund, paid, gatewayRefunds } = await setup();
    const key = { "idempotency-key": crypto.randomUUID() };
    const first = await refund({ amount: "100.00" }, key);
    const again = await refund({ amount: "100.00" }, key);
    expect(again.status).toBe(200);
    expect(again.body.refund.id).toBe(first.body.refund.id);
    expect(again.body.payment.refunded_amount).toBe("100.00");
    const other = await refund({ amount: "100.00" }, { "idempotency-key": crypto.randomUUID() });
    expect(other.body.refund.id).not.toBe(first.body.refund.id);
    expect(await gatewayRefunds()).toEqual([10000, 10000]);
    expect(await refundsOf(paid.payment_id)).toHaveLength(2);
  });

  it("a full refund of an already refunded payment changes nothing and succeeds", async () => {
    const { refund, gatewayRefunds } = await setup();
    await refund({});
    const again = await refund({});
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ payment: { status: "refunded", refunded_amount: "500.00" }, refund: null });
    expect(await gatewayRefunds()).toEqual([50000]);
  });

  it("concurrent refunds never add up to more than was paid", async () => {
    const { refund, paid, gatewayRefunds } = await setup();
    const answers = await Promise.all(Array.from({ length: 6 }, () => refund({ amount: "200.00" })));
    const statuses = answers.map((a) => a.status);
    expect(statuses.every((s) => s === 200 || s === 409 || s === 400)).toBe(true);
    expect(statuses).toContain(200);
    const refunded = (await gatewayRefunds()).reduce((a, b) => a + b, 0);
    expect(refunded).toBeLessThanOrEqual(50000);
    const row = await paymentRow(paid.payment_id);
    expect(Math.round(Number(row.refundedAmount) * 100)).toBe(refunded);
    expect(statuses.filter((s) => s === 200).length * 20000).toBe(refunded);
  });

  it("a lost gateway answer leaves the refund pending (503, further refunds wait), and the next request settles it from the refund status", async () => {
    const { refund, paid, gatewayRefunds } = await setup();
    await sandbox.fault({ payment_id: paid.gatewayId, operation: "refund", fail: "http_500", apply: "after", times: 1 });
    const lost = await refund({ amount: "100.00" });
    expect(lost.status).toBe(503);
    expect(await gatewayRefunds()).toEqual([10000]); // it did go through
    expect((await refundsOf(paid.payment_id)).map((r) => r.status)).toEqual(["pending"]);

    const blocked = await refund({ amount: "50.00" });
    expect(blocked.status).toBe(409);
    expect(blocked.body.error).toMatch(/still being processed/);

    // Later (past twice the gateway timeout) the next refund asks bKash what became of it first.
    await withServices(({ db }) => db.execute(sql`update payment_refunds set created_at = created_at - interval '1 minute' where payment_id = ${paid.payment_id}`));
    const next = await refund({ amount: "50.00" });
    expect(next.status).toBe(200);
    const rows = await refundsOf(paid.payment_id);
    expect(rows.map((r) => [r.amount, r.status])).toEqual([
      ["100.00", "completed"],
      ["50.00", "completed"],
    ]);
    expect(next.body.payment.refunded_amount).toBe("150.00");
    expect(await gatewayRefunds()).toEqual([10000, 5000]);
  });

  it("a refund the gateway never received is failed when looked up, and the amount is free again", async () => {
    const { refund, paid, gatewayRefunds } = await setup();
    await sandbox.fault({ payment_id: paid.gatewayId, operation: "refund", fail: "maintenance", times: 1 });
    expect((await refund({})).status).toBe(503);
    await withServices(({ db }) => db.execute(sql`update payment_refunds set created_at = created_at - interval '1 minute' where payment_id = ${paid.payment_id}`));
    const retry = await refund({});
    expect(retry.status).toBe(200);
    expect(retry.body.payment).toMatchObject({ status: "refunded", refunded_amount: "500.00" });
    expect((await refundsOf(paid.payment_id)).map((r) => r.status)).toEqual(["failed", "completed"]);
    expect(await gatewayRefunds()).toEqual([50000]);
  });
});

describe("refunds are staff-only", () => {
  it("citizens (even for their own payment) and service providers get 403; anonymous 401; admin and super_admin may", async () => {
    const { refund, citizen, gatewayRefunds } = await setup();
    const provider = await signedIn({ userType: "service_provider" });
    const superAdmin = await signedIn({ userType: "super_admin" });
    expect((await refund({ amount: "1.00" }, {}, citizen.access)).status).toBe(403);
    expect((await refund({ amount: "1.00" }, {}, provider.access)).status).toBe(403);
    expect((await api("/api/v1/payments/refund", { body: { payment_id: crypto.randomUUID(), reason: "x" } })).status).toBe(401);
    expect(await gatewayRefunds()).toEqual([]);
    expect((await refund({ amount: "1.00" }, {}, superAdmin.access)).status).toBe(200);
    expect((await refund({ amount: "1.00" })).status).toBe(200);
  });
});
