/** Paying a pickup's fee through the payment engine and the local bKash sandbox. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { signedIn, withServices } from "../../../test/support/factories";
import { api } from "../../../test/support/http";
import { callbackMessage, CALLBACK_QUEUE, consume, gatewayIdOf, payAtGateway, paymentRow } from "../../../test/support/payments";
import { inHours, moveStatus, requestPickup, wasteWard } from "../../../test/support/waste";

const pay = (token: string, id: string, body: Record<string, unknown> = { payment_method: "bkash" }) => api(`/api/v1/waste/pickup-requests/${id}/pay`, { token, body });

/** The customer acts on the sandbox's checkout page; the callback consumer settles it. */
async function settle(paymentId: string, bkashUrl: string, action: "success" | "cancel") {
  await payAtGateway(bkashUrl, action);
  await consume(CALLBACK_QUEUE, [callbackMessage({ payment_id: await gatewayIdOf(paymentId), status: action })]);
}

describe("the paid pickup", () => {
  it("e-waste: pay through bKash, the settled payment is linked, then it can be scheduled; a second payment is refused", async () => {
    const w = wasteWard();
    const citizen = await signedIn({ wardNumber: w });
    const staff = await signedIn({ userType: "admin", permissions: [{ permission_type: "waste", ward_numbers: [w], can_update: true }] });
    const p = await requestPickup(citizen.access, { waste_type: "e_waste" });
    expect((await moveStatus(staff.access, p.id, { status: "scheduled", scheduled_for: inHours(30) })).status).toBe(409);

    const started = await pay(citizen.access, p.id);
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    expect(started.body).toMatchObject({ pickup_request_id: p.id, amount: "500.00", status: "processing", payment_url: expect.any(String), bkash_url: expect.any(String) });
    expect(await paymentRow(started.body.payment_id)).toMatchObject({ serviceType: "waste_pickup", amount: "500.00", userId: citizen.user.id, phoneNumber: citizen.user.phone });
    // Open but unpaid: still not schedulable.
    const open = await api(`/api/v1/waste/pickup-requests/${p.id}`, { token: citizen.access });
    expect(open.body.fee).toMatchObject({ paid: false, payment: { id: started.body.payment_id, status: "processing" } });
    expect((await moveStatus(staff.access, p.id, { status: "scheduled", scheduled_for: inHours(30) })).status).toBe(409);

    await settle(started.body.payment_id, started.body.bkash_url, "success");
    expect((await paymentRow(started.body.payment_id)).status).toBe("completed");
    const paid = await api(`/api/v1/waste/pickup-requests/${p.id}`, { token: citizen.access });
    expect(paid.body.fee).toMatchObject({ paid: true, payment: { id: started.body.payment_id, status: "completed", transaction_id: started.body.transaction_id } });

    const again = await pay(citizen.access, p.id);
    expect(again.status).toBe(409);
    const scheduled = await moveStatus(staff.access, p.id, { status: "scheduled", scheduled_for: inHours(30) });
    expect(scheduled.status).toBe(200);
    expect(scheduled.body.fee.paid).toBe(true);
  });

  it("a cancelled checkout leaves it unpaid; paying again works and the paid attempt is the one shown", async () => {
    const citizen = await signedIn({ wardNumber: wasteWard() });
    const admin = await signedIn({ userType: "super_admin" });
    const p = await requestPickup(citizen.access, { waste_type: "construction" });
    const first = await pay(citizen.access, p.id);
    await settle(first.body.payment_id, first.body.bkash_url, "cancel");
    expect((await paymentRow(first.body.payment_id)).status).toBe("cancelled");
    expect((await api(`/api/v1/waste/pickup-requests/${p.id}`, { token: citizen.access })).body.fee).toMatchObject({ paid: false, payment: { status: "cancelled" } });
    expect((await moveStatus(admin.access, p.id, { status: "scheduled", scheduled_for: inHours(30) })).status).toBe(409);

    const second = await pay(citizen.access, p.id, { payment_method: "bKash", phone_number: "01812345678" });
    expect(second.status).toBe(201);
    expect((await paymentRow(second.body.payment_id)).phoneNumber).toBe("+8801812345678");
    await settle(second.body.payment_id, second.body.bkash_url, "success");
    const paid = await api(`/api/v1/waste/pickup-requests/${p.id}`, { token: citizen.access });
    expect(paid.body.fee).toMatchObject({ paid: true, payment: { id: second.body.payment_id, status: "completed" } });
    const links = await withServices(({ db }) => db.execute<{ payment_id: string }>(sql`select payment_id from waste_pickup_payments where pickup_request_id = ${p.id} order by created_at`));
    expect(links.rows.map((r) => r.payment_id)).toEqual([first.body.payment_id, second.body.payment_id]);
  });

  it("nothing to pay: a free pickup, a cancelled one (409); someone else's (404); bad input (400); no payment stored", async () => {
    const citizen = await signedIn({ wardNumber: wasteWard() });
    const other = await signedIn();
    const free = await requestPickup(citizen.access, { waste_type: "household" });
    expect((await pay(citizen.access, free.id)).status).toBe(409);
    const ewaste = await requestPickup(citizen.access, { waste_type: "e_waste" });
    expect((await pay(other.access, ewaste.id)).status).toBe(404);
    expect((await pay(citizen.access, ewaste.id, { payment_method: "cash" })).status).toBe(400);
    expect((await pay(citizen.access, ewaste.id, { payment_method: "bkash", phone_number: "123" })).status).toBe(400);
    expect((await api(`/api/v1/waste/pickup-requests/${ewaste.id}/pay`, { body: { payment_method: "bkash" } })).status).toBe(401);
    expect((await moveStatus(citizen.access, ewaste.id, { status: "cancelled" })).status).toBe(200);
    expect((await pay(citizen.access, ewaste.id)).status).toBe(409);
    const payments = await withServices(({ db }) => db.execute(sql`select 1 from payments where user_id = ${citizen.user.id}`));
    expect(payments.rows.length).toBe(0);
  });

  it("POST /payments/process refuses waste_pickup: its payments are made for a request", async () => {
    const citizen = await signedIn();
    const res = await api("/api/v1/payments/process", { token: citizen.access, body: { service_type: "waste_pickup", amount: "500.00", payment_method: "bkash", phone_number: citizen.user.phone } });
    expect(res.status).toBe(400);
    expect(res.body.details.service_type[0]).toMatch(/pickup-requests/);
  });
});
