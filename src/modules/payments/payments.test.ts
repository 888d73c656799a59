/**
 * Payments over HTTP (contract §7): starting one, the whole bKash flow through the sandbox for
 * success, failure and cancel (checkout page → callback → queue → execute/query → settled), the
 * app's return redirect, bad input and unavailable methods, lists, and who may see what.
 */
import { eq, sql } from "drizzle-orm";
import { createExecutionContext, env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { payments } from "../../db/schema";
import worker from "../../index";
import { signedIn, withServices } from "../../../test/support/factories";
import { api, BASE, statementCount } from "../../../test/support/http";
import { followToCallback, gatewayIdOf, payAtGateway, paymentRow, sandbox, settledSms, startPayment, waitForSettled } from "../../../test/support/payments";

const paymentsOf = (userId: string) => withServices(({ db }) => db.select().from(payments).where(eq(payments.userId, userId)));

describe("POST /payments/process", () => {
  it("records the payment, creates it at bKash with the documented fields, and answers where to pay", async () => {
    const { user, access } = await signedIn();
    const res = await api("/api/v1/payments/process", {
      token: access,
      body: { service_type: "Trade_License", amount: 1250.5, payment_method: "bKash", phone_number: "01812345678" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      payment_id: expect.any(String),
      transaction_id: expect.stringMatching(/^TXN\d{8}[A-Z2-9]{8}$/),
      status: "processing",
      payment_url: expect.stringMatching(/\/checkout\/TR0011/),
      bkash_url: res.body.payment_url,
    });

    const row = await paymentRow(res.body.payment_id);
    expect(row).toMatchObject({
      userId: user.id,
      serviceType: "trade_license",
      amount: "1250.50",
      paymentMethod: "bkash",
      phoneNumber: "+8801812345678",
      transactionId: res.body.transaction_id,
      status: "processing",
      gatewayTransactionId: null,
      completedAt: null,
    });
    // numeric in Postgres, not a float
    const [{ type }] = (await withServices(({ db }) => db.execute<{ type: string }>(sql`select pg_typeof(amount)::text as type from payments where id = ${row.id}`))).rows as [{ type: string }];
    expect(type).toBe("numeric");

    const [create] = await sandbox.calls({ payment_id: row.gatewayPaymentId!, operation: "create" });
    expect(create!.request).toEqual({
      mode: "0011",
      payerReference: "01812345678",
      callbackURL: `${BASE}/api/v1/payments/bkash/callback`,
      amount: "1250.50",
      currency: "BDT",
      intent: "sale",
      merchantInvoiceNumber: res.body.transaction_id,
    });
    expect(create!.response.statusCode).toBe("0000");
  });

  it("defaults the paying wallet to the account's phone", async () => {
    const { user, access } = await signedIn();
    const started = await startPayment(access, { phone_number: undefined });
    expect((await paymentRow(started.payment_id)).phoneNumber).toBe(user.phone);
  });

  it.each([
    ["a negative amount", { amount: "-5.00" }, "amount"],
    ["a zero amount", { amount: 0 }, "amount"],
    ["three decimal places", { amount: "10.005" }, "amount"],
    ["a float with three decimal places", { amount: 10.125 }, "amount"],
    ["an exponent", { amount: "1e3" }, "amount"],
    ["more than numeric(12,2) holds", { amount: "10000000000.00" }, "amount"],
    ["an unknown method", { payment_method: "paypal" }, "payment_method"],
    ["a malformed phone", { phone_number: "01212345678" }, "phone_number"],
    ["no service type", { service_type: "" }, "service_type"],
    ["the reserved donation type", { service_type: "donation" }, "service_type"],
  ])("refuses %s with 400 on that field and writes nothing", async (_what, override, field) => {
    const { user, access } = await signedIn();
    const res = await api("/api/v1/payments/process", {
      token: access,
      body: { service_type: "holding_tax", amount: "500.00", payment_method: "bkash", phone_number: "01712345678", ...override },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_error");
    expect(Object.keys(res.body.details)).toEqual([field]);
    expect(await paymentsOf(user.id)).toEqual([]);
  });

  it.each(["nagad", "rocket", "upay", "card", "bank"])("answers 422 payment_method_unavailable for %s (no gateway configured) and writes nothing", async (method) => {
    const { user, access } = await signedIn();
    const res = await api("/api/v1/payments/process", {
      token: access,
      body: { service_type: "holding_tax", amount: "500.00", payment_method: method },
      headers: { "accept-language": "bn" },
    });
    expect(res.status).toBe(422);
    expect(res.body).toEqual({ code: "payment_method_unavailable", error: "এই পেমেন্ট পদ্ধতি এখনও চালু হয়নি। অন্য একটি পদ্ধতি বেছে নিন।" });
    expect(await paymentsOf(user.id)).toEqual([]);
  });

  it("a create bKash declines is 422 payment_declined, and the payment is kept as failed with bKash's reason", async () => {
    // A merchant account of its own, so the one-shot fault cannot hit another test file's create.
    const m = { app_key: `key-${crypto.randomUUID()}`, app_secret: "s", username: "u", password: "p" };
    await sandbox.addMerchant(m);
    await sandbox.fault({ operation: "create", app_key: m.app_key, fail: "error:2023", times: 1 });
    const merchantEnv = { ...env, BKASH_APP_KEY: m.app_key, BKASH_APP_SECRET: m.app_secret, BKASH_USERNAME: m.username, BKASH_PASSWORD: m.password } as Env;
    const { user, access } = await signedIn();
    const res = await worker.fetch!(
      new Request(`${BASE}/api/v1/payments/process`, {
        method: "POST",
        headers: { authorization: `Bearer ${access}`, "content-type": "application/json" },
        body: JSON.stringify({ service_type: "holding_tax", amount: "500.00", payment_method: "bkash" }),
      }),
      merchantEnv,
      createExecutionContext(),
    );
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ code: "payment_declined", error: "The payment gateway declined the request." });
    const [row] = await paymentsOf(user.id);
    expect(row).toMatchObject({ status: "failed", gatewayPaymentId: null, failureReason: "The gateway declined: 2023 Insufficient Balance" });
  });

  it("needs a signed-in user", async () => {
    const res = await api("/api/v1/payments/process", { body: { service_type: "holding_tax", amount: "500.00", payment_method: "bkash" } });
    expect(res.status).toBe(401);
  });
});

describe("the whole bKash flow through the sandbox", () => {
  it("success: checkout → callback redirects to the app → queue executes once → completed, with one SMS receipt", async () => {
    const { user, access } = await signedIn();
    const started = await startPayment(access, { amount: "750.00", service_type: "waste_collection_fee" });
    const gatewayId = await gatewayIdOf(started.payment_id);

    const location = await payAtGateway(started.bkash_url!, "success");
    expect(location).toBe(`${BASE}/api/v1/payments/bkash/callback?paymentID=${gatewayId}&status=success`);
    const back = await followToCallback(location);
    expect(back.status).toBe(302);
    expect(back.headers.get("location")).toBe(`cleancare://payments/result?payment_id=${started.payment_id}&status=success`);

    const settled = await waitForSettled(started.payment_id, access);
    const trx = (await sandbox.payment(gatewayId)).trxID;
    expect(settled).toMatchObject({
      id: started.payment_id,
      status: "completed",
      amount: "750.00",
      gateway_transaction_id: trx,
      failure_reason: null,
      completed_at: expect.any(String),
    });
    expect(trx).toMatch(/^[A-Z0-9]{10}$/);
    expect(await sandbox.calls({ payment_id: gatewayId, operation: "execute" })).toHaveLength(1);
    const sms = await settledSms(user.phone, 1);
    expect(sms).toEqual([`Clean Care: আপনার ৳৭৫০.০০ পেমেন্ট (waste_collection_fee) সম্পন্ন হয়েছে। লেনদেন নং ${started.transaction_id}, TrxID ${trx}। ধন্যবাদ।`]);
  });

  it("failure: the query confirms it and the payment is failed, nothing executed, no receipt", async () => {
    const { user, access } = await signedIn();
    const started = await startPayment(access);
    const gatewayId = await gatewayIdOf(started.payment_id);
    const back = await followToCallback(await payAtGateway(started.bkash_url!, "failure"));
    expect(back.headers.get("location")).toBe(`cleancare://payments/result?payment_id=${started.payment_id}&status=failure`);

    const settled = await waitForSettled(started.payment_id, access);
    expect(settled).toMatchObject({ status: "failed", failure_reason: "The payment failed at the gateway.", completed_at: null, gateway_transaction_id: null });
    expect(await sandbox.calls({ payment_id: gatewayId, operation: "query" })).toHaveLength(1);
    expect(await sandbox.calls({ payment_id: gatewayId, operation: "execute" })).toEqual([]);
    expect(await settledSms(user.phone, 0)).toEqual([]);
  });

  it("cancel: confirmed by a query, the payment is cancelled", async () => {
    const { access } = await signedIn();
    const started = await startPayment(access);
    await followToCallback(await payAtGateway(started.bkash_url!, "cancel"));
    expect(await waitForSettled(started.payment_id, access)).toMatchObject({ status: "cancelled", failure_reason: "The payment was cancelled." });
  });

  it("a server-to-server POST callback answers 200 JSON and settles the same way", async () => {
    const { access } = await signedIn();
    const started = await startPayment(access);
    const location = await payAtGateway(started.bkash_url!, "success");
    const res = await api(new URL(location).pathname, { method: "POST", body: Object.fromEntries(new URL(location).searchParams) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: "Callback received; the payment is being verified.", payment_id: started.payment_id });
    expect((await waitForSettled(started.payment_id, access)).status).toBe("completed");
  });

  it("the callback changes nothing itself: right after it answers, the payment is still processing", async () => {
    const { access } = await signedIn();
    const started = await startPayment(access);
    const back = await followToCallback(await payAtGateway(started.bkash_url!, "success"));
    expect(back.status).toBe(302);
    // The consumer waits for its batch (max_batch_timeout 1 s), so this read happens before it runs.
    expect((await paymentRow(started.payment_id)).status).toBe("processing");
  });

  it("validates callback parameters (400), and an unknown gateway or payment changes nothing", async () => {
    const bad = await api("/api/v1/payments/bkash/callback?paymentID=x&status=paid");
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.details)).toEqual(["status"]);
    expect((await api("/api/v1/payments/bkash/callback?status=success")).status).toBe(400);
    expect((await api("/api/v1/payments/paypal/callback?paymentID=x&status=success")).status).toBe(404);

    const unknown = await SELF.fetch(`${BASE}/api/v1/payments/bkash/callback?paymentID=TR0011doesnotexist&status=success`, { redirect: "manual" });
    expect(unknown.status).toBe(302);
    expect(unknown.headers.get("location")).toBe("cleancare://payments/result?error=unknown_payment");
    const unknownPost = await api("/api/v1/payments/bkash/callback", { body: { paymentID: "TR0011doesnotexist", status: "success" } });
    expect(unknownPost.status).toBe(404);
  });
});

describe("reading payments", () => {
  it("lists own payments newest first with pagination, in a fixed number of statements", async () => {
    const { access } = await signedIn();
    const first = await startPayment(access, { amount: "100.00" });
    const second = await startPayment(access, { amount: "200.00" });
    const third = await startPayment(access, { amount: "300.00" });

    const page1 = await api("/api/v1/payments?page_size=2", { token: access });
    expect(page1.status).toBe(200);
    expect(page1.body).toMatchObject({ count: 3, previous: null, next: expect.stringContaining("page=2") });
    expect(page1.body.results.map((p: any) => p.id)).toEqual([third.payment_id, second.payment_id]);
    expect(page1.body.results[0]).toEqual({
      id: third.payment_id,
      user_id: expect.any(String),
      service_type: "holding_tax",
      amount: "300.00",
      payment_method: "bkash",
      phone_number: expect.stringMatching(/^\+8801/),
      transaction_id: third.transaction_id,
      gateway_transaction_id: null,
      status: "processing",
      failure_reason: null,
      refunded_amount: "0.00",
      created_at: expect.any(String),
      updated_at: expect.any(String),
      completed_at: null,
    });
    const page2 = await api("/api/v1/payments?page=2&page_size=2", { token: access });
    expect(page2.body.results.map((p: any) => p.id)).toEqual([first.payment_id]);
    expect(page2.body.next).toBeNull();

    const byAmount = await api("/api/v1/payments?ordering=amount", { token: access });
    expect(byAmount.body.results.map((p: any) => p.amount)).toEqual(["100.00", "200.00", "300.00"]);
    // auth user lookup + rows + count, however many rows
    expect(statementCount(page1)).toBe(3);
    expect(statementCount(byAmount)).toBe(3);
  });

  it("a citizen sees only own payments; another's is 404; staff see everyone's with filters", async () => {
    const alice = await signedIn();
    const bob = await signedIn();
    const admin = await signedIn({ userType: "admin" });
    const alicePayment = await startPayment(alice.access, { service_type: "trade_license" });
    await startPayment(bob.access);

    const bobList = await api("/api/v1/payments", { token: bob.access });
    expect(bobList.body.results.every((p: any) => p.user_id === bob.user.id)).toBe(true);
    expect(bobList.body.count).toBe(1);
    // a citizen's user_id filter is ignored: still only their own
    const sneaky = await api(`/api/v1/payments?user_id=${alice.user.id}`, { token: bob.access });
    expect(sneaky.body.results.map((p: any) => p.user_id)).toEqual([bob.user.id]);

    expect((await api(`/api/v1/payments/${alicePayment.payment_id}`, { token: bob.access })).status).toBe(404);
    expect((await api("/api/v1/payments/verify", { token: bob.access, body: { payment_id: alicePayment.payment_id } })).status).toBe(404);
    expect((await api(`/api/v1/payments/${alicePayment.payment_id}`, { token: alice.access })).status).toBe(200);
    expect((await api(`/api/v1/payments/${alicePayment.payment_id}`, { token: admin.access })).status).toBe(200);
    expect((await api(`/api/v1/payments/${alicePayment.payment_id}`)).status).toBe(401);

    const filtered = await api(`/api/v1/payments?user_id=${alice.user.id}&service_type=trade_license`, { token: admin.access });
    expect(filtered.body.results.map((p: any) => p.id)).toEqual([alicePayment.payment_id]);
    const bySearch = await api(`/api/v1/payments?search=${alicePayment.transaction_id}`, { token: admin.access });
    expect(bySearch.body.results.map((p: any) => p.id)).toEqual([alicePayment.payment_id]);
    // history is always one's own, staff included
    const adminHistory = await api("/api/v1/payments/history", { token: admin.access });
    expect(adminHistory.body).toMatchObject({ count: 0, results: [] });
    const aliceHistory = await api("/api/v1/payments/history?status=processing", { token: alice.access });
    expect(aliceHistory.body.results.map((p: any) => p.id)).toEqual([alicePayment.payment_id]);
  });

  it("an unknown or malformed id is 404", async () => {
    const { access } = await signedIn();
    expect((await api(`/api/v1/payments/${crypto.randomUUID()}`, { token: access })).status).toBe(404);
    expect((await api("/api/v1/payments/not-a-uuid", { token: access })).status).toBe(404);
  });
});
