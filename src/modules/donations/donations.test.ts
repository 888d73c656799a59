/**
 * Donations (contract §7): projects with what they raised, donating through the payment engine,
 * the DN receipt number given on completion (Dhaka day, gap-free), history, and who sees what.
 */
import { createExecutionContext, env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { donations, payments } from "../../db/schema";
import worker from "../../index";
import { dhakaDayStamp } from "../../lib/dhaka-time";
import { signedIn, withServices } from "../../../test/support/factories";
import { api, BASE, statementCount } from "../../../test/support/http";
import { CALLBACK_QUEUE, callbackMessage, consume, createProject, gatewayIdOf, payAtGateway, settledSms } from "../../../test/support/payments";

async function donate(token: string, body: Record<string, unknown>) {
  const res = await api("/api/v1/donations", { token, body: { amount: "1000.00", payment_method: "bkash", ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { donation_id: string; payment_id: string; transaction_id: string; payment_url: string; bkash_url: string };
}

/** The customer pays (or not) and the consumer settles the callback. */
async function settle(started: { payment_id: string; bkash_url: string }, action: "success" | "failure" = "success") {
  const gatewayId = await gatewayIdOf(started.payment_id);
  await payAtGateway(started.bkash_url, action);
  await consume(CALLBACK_QUEUE, [callbackMessage({ payment_id: gatewayId, status: action })]);
  return gatewayId;
}

const receiptNumber = (n: string) => Number(n.slice(-4));

describe("donation projects", () => {
  it("lists active projects publicly with goal, amount raised (completed less refunded) and count", async () => {
    const project = await createProject({ goal: "50000.00" });
    const hidden = await createProject({ active: false });
    const donor = await signedIn();
    const admin = await signedIn({ userType: "admin" });
    const a = await donate(donor.access, { project_id: project.id, amount: "1500.50" });
    const b = await donate(donor.access, { project_name: project.name, amount: "499.50" });
    const c = await donate(donor.access, { project_id: project.id, amount: "700.00" });
    await settle(a);
    await settle(b);
    await settle(c, "failure");
    await api("/api/v1/payments/refund", { token: admin.access, body: { payment_id: b.payment_id, amount: "99.50", reason: "asked back" } });

    const res = await api("/api/v1/donations/projects?page_size=100");
    expect(res.status).toBe(200);
    const listed = res.body.results.find((p: any) => p.id === project.id);
    expect(listed).toEqual({
      id: project.id,
      name: project.name,
      name_bn: "পরীক্ষা প্রকল্প",
      description: "A project for tests",
      goal_amount: "50000.00",
      amount_raised: "1900.50",
      donations_count: 2,
      created_at: project.createdAt.toISOString(),
    });
    expect(res.body.results.some((p: any) => p.id === hidden.id)).toBe(false);
    expect(statementCount(res)).toBe(2);
  });
});

describe("donating", () => {
  it("starts a bKash payment, and completion gives a DN receipt number, a thank-you SMS and the donation in the history", async () => {
    const project = await createProject({ name: `Buriganga cleanup ${crypto.randomUUID().slice(0, 6)}` });
    const donor = await signedIn();
    const started = await donate(donor.access, { project_name: project.name, message: "For a cleaner river" });
    expect(started).toEqual({
      donation_id: expect.any(String),
      payment_id: expect.any(String),
      transaction_id: expect.stringMatching(/^TXN/),
      status: "processing",
      payment_url: expect.stringContaining("/checkout/TR0011"),
      bkash_url: started.payment_url,
    });
    const before = await api(`/api/v1/donations/${started.donation_id}`, { token: donor.access });
    expect(before.body).toMatchObject({ status: "processing", receipt_number: null });

    await settle(started);
    const after = await api(`/api/v1/donations/${started.donation_id}`, { token: donor.access });
    expect(after.status).toBe(200);
    expect(after.body).toEqual({
      id: started.donation_id,
      user_id: donor.user.id,
      project_id: project.id,
      project_name: project.name,
      amount: "1000.00",
      payment_method: "bkash",
      payment_id: started.payment_id,
      transaction_id: started.transaction_id,
      status: "completed",
      message: "For a cleaner river",
      receipt_number: expect.stringMatching(new RegExp(`^DN${dhakaDayStamp()}\\d{4}$`)),
      created_at: expect.any(String),
      completed_at: expect.any(String),
    });
    const [payment] = await withServices(({ db }) => db.select().from(payments).where(eq(payments.id, started.payment_id)));
    expect(payment).toMatchObject({ serviceType: "donation", amount: "1000.00", status: "completed" });
    expect(await settledSms(donor.user.phone, 1)).toEqual([
      `Clean Care: "${project.name}" প্রকল্পে ৳১০০০.০০ অনুদানের জন্য ধন্যবাদ। রসিদ নং ${after.body.receipt_number}।`,
    ]);

    const history = await api("/api/v1/donations", { token: donor.access });
    expect(history.body).toMatchObject({ count: 1, next: null, previous: null });
    expect(history.body.results).toEqual([after.body]);
    expect(statementCount(history)).toBe(3);
  });

  it("receipt numbers are consecutive and unique, even for donations completing at the same moment", async () => {
    const project = await createProject();
    const donors = await Promise.all(Array.from({ length: 8 }, () => signedIn()));
    const started = await Promise.all(donors.map((d) => donate(d.access, { project_id: project.id, amount: "10.00" })));
    const gatewayIds = await Promise.all(started.map(async (s) => {
      await payAtGateway(s.bkash_url, "success");
      return gatewayIdOf(s.payment_id);
    }));
    await Promise.all(gatewayIds.map((id) => consume(CALLBACK_QUEUE, [callbackMessage({ payment_id: id, status: "success" })])));
    const rows = await withServices(({ db }) => db.select({ receipt: donations.receiptNumber }).from(donations).where(eq(donations.projectId, project.id)));
    const numbers = rows.map((r) => receiptNumber(r.receipt!)).sort((a, b) => a - b);
    expect(numbers).toHaveLength(8);
    expect(numbers.at(-1)! - numbers[0]!).toBe(7); // 8 consecutive numbers
    expect(new Set(rows.map((r) => r.receipt)).size).toBe(8);
  });

  it("a failed donation gets no receipt number and no SMS", async () => {
    const project = await createProject();
    const donor = await signedIn();
    const started = await donate(donor.access, { project_id: project.id });
    await settle(started, "failure");
    const res = await api(`/api/v1/donations/${started.donation_id}`, { token: donor.access });
    expect(res.body).toMatchObject({ status: "failed", receipt_number: null, completed_at: null });
    expect(await settledSms(donor.user.phone, 0)).toEqual([]);
  });

  it.each([
    ["an unknown project", { project_name: "No such project" }, 400, "project_name"],
    ["an inactive project", "inactive", 400, "project_id"],
    ["no project at all", { project_name: undefined }, 400, "project_name"],
    ["a negative amount", { amount: "-10" }, 400, "amount"],
    ["an unknown method", { payment_method: "cash" }, 400, "payment_method"],
    ["a malformed phone", { phone_number: "12345" }, 400, "phone_number"],
  ] as const)("refuses %s and writes nothing", async (_what, override, status, field) => {
    const project = await createProject();
    const inactive = await createProject({ active: false });
    const donor = await signedIn();
    const body = override === "inactive" ? { project_id: inactive.id } : { project_id: undefined, project_name: project.name, ...override };
    const res = await api("/api/v1/donations", { token: donor.access, body: { amount: "100.00", payment_method: "bkash", ...body } });
    expect(res.status).toBe(status);
    expect(Object.keys(res.body.details)).toEqual([field]);
    const written = await withServices(({ db }) => db.select().from(payments).where(eq(payments.userId, donor.user.id)));
    expect(written).toEqual([]);
  });

  it("an unavailable method is 422 and writes nothing", async () => {
    const project = await createProject();
    const donor = await signedIn();
    const res = await api("/api/v1/donations", { token: donor.access, body: { project_id: project.id, amount: "100.00", payment_method: "nagad" } });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe("payment_method_unavailable");
    const written = await withServices(({ db }) => db.select().from(donations).where(eq(donations.userId, donor.user.id)));
    expect(written).toEqual([]);
  });

  it("a gateway that does not answer is a 503; the payment is recorded as failed, no checkout shown", async () => {
    const project = await createProject();
    const donor = await signedIn();
    const unreachable = { ...env, BKASH_BASE_URL: "http://127.0.0.1:9/v1.2.0-beta" } as Env;
    const res = await worker.fetch!(
      new Request(`${BASE}/api/v1/donations`, {
        method: "POST",
        headers: { authorization: `Bearer ${donor.access}`, "content-type": "application/json" },
        body: JSON.stringify({ project_id: project.id, amount: "100.00", payment_method: "bkash" }),
      }),
      unreachable,
      createExecutionContext(),
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ code: "service_unavailable", error: "The payment gateway is not answering. Please try again shortly." });
    const [payment] = await withServices(({ db }) => db.select().from(payments).where(eq(payments.userId, donor.user.id)));
    expect(payment).toMatchObject({ status: "failed", gatewayPaymentId: null, failureReason: expect.stringMatching(/^The gateway did not answer: bkash grant_token: unreachable/) });
  });
});

describe("who sees donations", () => {
  it("the donor sees their own; another citizen gets 404 and an empty list; staff can read it", async () => {
    const project = await createProject();
    const donor = await signedIn();
    const other = await signedIn();
    const admin = await signedIn({ userType: "admin" });
    const started = await donate(donor.access, { project_id: project.id });
    expect((await api(`/api/v1/donations/${started.donation_id}`, { token: other.access })).status).toBe(404);
    expect((await api("/api/v1/donations", { token: other.access })).body).toMatchObject({ count: 0, results: [] });
    expect((await api(`/api/v1/donations/${started.donation_id}`, { token: admin.access })).status).toBe(200);
    expect((await api(`/api/v1/donations/${started.donation_id}`)).status).toBe(401);
    expect((await api("/api/v1/donations", { body: { project_id: project.id, amount: "1", payment_method: "bkash" } })).status).toBe(401);
    expect((await api(`/api/v1/donations/${crypto.randomUUID()}`, { token: donor.access })).status).toBe(404);
  });
});
