/** Pickup requests: making one (JSON, multipart photos), reading, the status machine, SMS, fees. */
import { env } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { signedIn, waitForSms, withServices } from "../../../test/support/factories";
import { file, form, jpegBytes, pdfBytes, pngBytes } from "../../../test/support/files";
import { api, roundTrips } from "../../../test/support/http";
import { dhakaTomorrow, inHours, moveStatus, pickupBody, requestPickup, wasteWard } from "../../../test/support/waste";
import { dhakaDayStamp } from "../../lib/dhaka-time";
import { createPickup } from "./waste-pickups.service";

const photoCount = async () => (await env.MEDIA.list({ prefix: "waste-pickups/" })).objects.length;
const rowsOf = (userId: string) =>
  withServices(async ({ db }) => {
    const { rows } = await db.execute<{ n: number; photos: number; updates: number }>(sql`
      select count(*)::int as n,
             (select count(*)::int from waste_pickup_photos p join waste_pickup_requests r on r.id = p.pickup_request_id where r.user_id = ${userId}) as photos,
             (select count(*)::int from waste_pickup_updates h join waste_pickup_requests r on r.id = h.pickup_request_id where r.user_id = ${userId}) as updates
      from waste_pickup_requests where user_id = ${userId}`);
    return rows[0]!;
  });
const smsCount = async (phone: string) => (await api(`/api/v1/dev/sms?phone=${encodeURIComponent(phone)}`)).body.results.length as number;

function multipart(photos: File[], fields: Record<string, string> = {}) {
  const { waste_type, description, location, preferred_date } = pickupBody({ waste_type: "household" }) as Record<string, string>;
  return form({ waste_type: waste_type!, description: description!, location: location!, preferred_date: preferred_date!, ...fields, ...(photos.length ? { photos } : {}) });
}

describe("making a pickup request", () => {
  it("stores it with a WP day reference, the requester's ward, a free household pickup; one round trip", async () => {
    const w = wasteWard();
    const citizen = await signedIn({ wardNumber: w, name: "Salma Begum" });
    const res = await api("/api/v1/waste/pickup-requests", { token: citizen.access, body: pickupBody({ waste_type: "household", latitude: 23.7461, longitude: 90.3742 }) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      waste_type: "household",
      status: "requested",
      ward_number: w,
      preferred_date: dhakaTomorrow(),
      latitude: 23.7461,
      longitude: 90.3742,
      scheduled_for: null,
      fee: null,
      photos: [],
      user: { id: citizen.user.id, name: "Salma Begum", phone: citizen.user.phone },
    });
    expect(res.body.reference_number).toMatch(new RegExp(`^WP${dhakaDayStamp()}\\d{4}$`));
    expect(roundTrips(res)).toBe(1);
    const history = await api(`/api/v1/waste/pickup-requests/${res.body.id}/updates`, { token: citizen.access });
    expect(history.body).toEqual([expect.objectContaining({ old_status: null, new_status: "requested", updated_by: { id: citizen.user.id, name: "Salma Begum" } })]);
  });

  it("e-waste and bulky construction debris carry the waste_pickup fee from the catalogue", async () => {
    const citizen = await signedIn({ wardNumber: wasteWard() });
    const ewaste = await requestPickup(citizen.access, { waste_type: "e_waste" });
    expect(ewaste.fee).toEqual({
      service_type: "waste_pickup",
      amount: "500.00",
      currency: "BDT",
      paid: false,
      payment: null,
      pay_url: expect.stringMatching(new RegExp(`/api/v1/waste/pickup-requests/${ewaste.id}/pay$`)),
    });
    expect((await requestPickup(citizen.access, { waste_type: "construction" })).fee.amount).toBe("500.00");
    expect((await requestPickup(citizen.access, { waste_type: "recyclable" })).fee).toBeNull();
    const services = await api("/api/v1/payments/services?page_size=100");
    expect(services.body.results.find((s: any) => s.code === "waste_pickup")).toMatchObject({
      fee_type: "fixed",
      fixed_amount: "500.00",
      payment_path: "/api/v1/waste/pickup-requests/{id}/pay",
    });
  });

  it("multipart with up to 3 photos: stored in R2, listed with URLs the requester (not others) can fetch", async () => {
    const citizen = await signedIn({ wardNumber: wasteWard() });
    const other = await signedIn();
    const res = await api("/api/v1/waste/pickup-requests", {
      token: citizen.access,
      body: multipart([file(pngBytes(), "pile.png"), file(jpegBytes(), "sofa.jpg"), file(pngBytes(300), "third.png")], { ward_number: "150" }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.ward_number).toBe("150");
    expect(res.body.photos.map((p: any) => [p.image_name, p.content_type])).toEqual([
      ["pile.png", "image/png"],
      ["sofa.jpg", "image/jpeg"],
      ["third.png", "image/png"],
    ]);
    const url = new URL(res.body.photos[1].url);
    const bytes = await api(url.pathname, { token: citizen.access });
    expect(bytes.status).toBe(200);
    expect(bytes.headers.get("content-type")).toBe("image/jpeg");
    expect(bytes.headers.get("cache-control")).toContain("private");
    expect((await api(url.pathname, { token: other.access })).status).toBe(404);
    expect((await api(url.pathname)).status).toBe(401);
  });

  it("a fourth photo, a PDF or an oversized photo is refused with nothing stored: no row, no R2 object", async () => {
    const citizen = await signedIn({ wardNumber: wasteWard() });
    const before = await photoCount();
    const four = await api("/api/v1/waste/pickup-requests", { token: citizen.access, body: multipart(Array.from({ length: 4 }, (_, i) => file(pngBytes(), `${i}.png`))) });
    expect(four.status).toBe(400);
    expect(four.body.details.photos).toBeDefined();
    const pdf = await api("/api/v1/waste/pickup-requests", { token: citizen.access, body: multipart([file(pngBytes(), "ok.png"), file(pdfBytes(), "renamed.png", "image/png")]) });
    expect(pdf.status).toBe(415);
    const big = await api("/api/v1/waste/pickup-requests", { token: citizen.access, body: multipart([file(pngBytes(), "ok.png"), file(pngBytes(5 * 1024 * 1024 + 1), "big.png")]) });
    expect(big.status).toBe(413);
    // Good photos with a bad field: refused before any photo is stored.
    const badField = await api("/api/v1/waste/pickup-requests", { token: citizen.access, body: multipart([file(pngBytes(), "ok.png")], { description: "x".repeat(2001) }) });
    expect(badField.status).toBe(400);
    expect(await rowsOf(citizen.user.id)).toEqual({ n: 0, photos: 0, updates: 0 });
    expect(await photoCount()).toBe(before);
  });

  it("photos already in R2 are deleted again when the insert fails after them", async () => {
    const citizen = await signedIn({ wardNumber: wasteWard() });
    const before = await photoCount();
    // A ward too long for its column gets past no route's validation; the service is called directly to fail the insert.
    const input = { ...(pickupBody({ waste_type: "household" }) as any), ward_number: "x".repeat(40) };
    const subject = { id: citizen.user.id, phone: citizen.user.phone, userType: "citizen" as const, isVerified: true, tokenVersion: 0 };
    await expect(withServices((services) => createPickup(services, subject, input, [file(pngBytes(), "a.png"), file(jpegBytes(), "b.jpg")]))).rejects.toThrow();
    expect(await photoCount()).toBe(before);
    expect(await rowsOf(citizen.user.id)).toEqual({ n: 0, photos: 0, updates: 0 });
  });

  it.each([
    ["an unknown waste type", { waste_type: "plutonium" }],
    ["a past preferred date", { preferred_date: "2020-01-01" }],
    ["a date too far ahead", { preferred_date: "2099-01-01" }],
    ["not a date", { preferred_date: "2026-02-30" }],
    ["an empty description", { description: "   " }],
    ["latitude without longitude", { latitude: 23.7 }],
    ["latitude out of range", { latitude: 123, longitude: 90 }],
    ["an unknown field", { status: "collected" }],
    ["a bad ward", { ward_number: "ward 5" }],
  ])("400 on %s, nothing written", async (_what, patch) => {
    const citizen = await signedIn({ wardNumber: wasteWard() });
    const res = await api("/api/v1/waste/pickup-requests", { token: citizen.access, body: pickupBody(patch) });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_error");
    expect(await rowsOf(citizen.user.id)).toEqual({ n: 0, photos: 0, updates: 0 });
  });

  it("refuses a body that is neither JSON nor multipart (415)", async () => {
    const citizen = await signedIn();
    const res = await api("/api/v1/waste/pickup-requests", { token: citizen.access, body: "waste_type=household", headers: { "content-type": "text/plain" } });
    expect(res.status).toBe(415);
  });
});

describe("lists", () => {
  it("citizens see their own; staff see those of their wards, with filters; one round trip", async () => {
    const w = wasteWard();
    let other = wasteWard();
    while (other === w) other = wasteWard();
    const citizen = await signedIn({ wardNumber: w });
    const neighbour = await signedIn({ wardNumber: w });
    const a = await requestPickup(citizen.access, { waste_type: "household" });
    const b = await requestPickup(citizen.access, { waste_type: "e_waste" });
    const c = await requestPickup(neighbour.access, { waste_type: "household", ward_number: other });
    const own = await api("/api/v1/waste/pickup-requests", { token: citizen.access });
    expect(own.body.results.map((p: any) => p.id)).toEqual([b.id, a.id]);
    expect(roundTrips(own)).toBe(1);
    expect((await api(`/api/v1/waste/pickup-requests/${a.id}`, { token: neighbour.access })).status).toBe(404);

    const local = await signedIn({ userType: "admin", permissions: [{ permission_type: "waste", ward_numbers: [w] }] });
    const staffList = await api(`/api/v1/waste/pickup-requests?ward_number=${w}`, { token: local.access });
    expect(staffList.body.results.map((p: any) => p.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(staffList.body.results.map((p: any) => p.id)).not.toContain(c.id);
    expect((await api(`/api/v1/waste/pickup-requests?ward_number=${other}`, { token: local.access })).body.results.map((p: any) => p.id)).not.toContain(c.id);
    const filtered = await api(`/api/v1/waste/pickup-requests?ward_number=${w}&waste_type=e_waste&status=requested`, { token: local.access });
    expect(filtered.body.results.map((p: any) => p.id)).toContain(b.id);
    expect(filtered.body.results.map((p: any) => p.id)).not.toContain(a.id);
    const superAdmin = await signedIn({ userType: "super_admin" });
    expect((await api(`/api/v1/waste/pickup-requests?ward_number=${other}`, { token: superAdmin.access })).body.results.map((p: any) => p.id)).toContain(c.id);
    expect((await api("/api/v1/waste/pickup-requests?status=lost", { token: superAdmin.access })).status).toBe(400);
  });
});

describe("the status machine", () => {
  it("requested → scheduled → collected by ward staff: history, activity log, an SMS to the requester each time; one round trip", async () => {
    const w = wasteWard();
    const citizen = await signedIn({ wardNumber: w });
    const staff = await signedIn({ userType: "admin", permissions: [{ permission_type: "waste", ward_numbers: [w], can_update: true }] });
    const p = await requestPickup(citizen.access, { waste_type: "household" });
    const when = inHours(26);
    const scheduled = await moveStatus(staff.access, p.id, { status: "scheduled", scheduled_for: when, note: "Van 12 comes in the morning" });
    expect(scheduled.status, JSON.stringify(scheduled.body)).toBe(200);
    expect(roundTrips(scheduled)).toBe(1);
    expect(scheduled.body).toMatchObject({ status: "scheduled", scheduled_for: new Date(when).toISOString() });
    const first = await waitForSms(citizen.user.phone);
    expect(first).toContain(p.reference_number);
    expect(first).toContain("সময় নির্ধারিত");
    expect(first).toContain("Van 12 comes in the morning");

    const collected = await moveStatus(staff.access, p.id, { status: "collected" });
    expect(collected.status).toBe(200);
    expect(collected.body.status).toBe("collected");
    expect(collected.body.collected_at).not.toBeNull();
    expect(await waitForSms(citizen.user.phone, 1)).toContain("সংগ্রহ করা হয়েছে");

    const history = await api(`/api/v1/waste/pickup-requests/${p.id}/updates`, { token: citizen.access });
    expect(history.body.map((h: any) => [h.old_status, h.new_status])).toEqual([
      [null, "requested"],
      ["requested", "scheduled"],
      ["scheduled", "collected"],
    ]);
    expect(history.body[1].scheduled_for).toBe(new Date(when).toISOString());
    const logs = await withServices(({ db }) => db.execute<{ action: string; user_id: string }>(sql`select action, user_id from activity_logs where resource_id = ${p.id} order by created_at`));
    expect(logs.rows).toEqual([
      { action: "waste_pickup.status", user_id: staff.user.id },
      { action: "waste_pickup.status", user_id: staff.user.id },
    ]);
  });

  it.each([
    ["requested → collected", [], "collected"],
    ["collected → cancelled", ["scheduled", "collected"], "cancelled"],
    ["cancelled → scheduled", ["cancelled"], "scheduled"],
    ["scheduled → scheduled", ["scheduled"], "scheduled"],
    ["anything → requested", [], "requested"],
  ])("%s is 409, nothing changes", async (_what, path, target) => {
    const w = wasteWard();
    const citizen = await signedIn({ wardNumber: w });
    const admin = await signedIn({ userType: "super_admin" });
    const p = await requestPickup(citizen.access, { waste_type: "household" });
    for (const step of path as string[]) {
      const r = await moveStatus(admin.access, p.id, step === "scheduled" ? { status: step, scheduled_for: inHours(5) } : { status: step });
      expect(r.status).toBe(200);
    }
    const res = await moveStatus(admin.access, p.id, target === "scheduled" ? { status: target, scheduled_for: inHours(8) } : { status: target });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe("conflict");
    const history = await api(`/api/v1/waste/pickup-requests/${p.id}/updates`, { token: citizen.access });
    expect(history.body.length).toBe(1 + (path as string[]).length);
  });

  it("the requester may cancel their own (no SMS to themselves), but not schedule it; others may not touch it", async () => {
    const w = wasteWard();
    const citizen = await signedIn({ wardNumber: w });
    const other = await signedIn({ wardNumber: w });
    const p = await requestPickup(citizen.access, { waste_type: "household" });
    expect((await moveStatus(citizen.access, p.id, { status: "scheduled", scheduled_for: inHours(3) })).status).toBe(403);
    expect((await moveStatus(other.access, p.id, { status: "cancelled" })).status).toBe(404);
    expect((await moveStatus(undefined, p.id, { status: "cancelled" })).status).toBe(401);
    const cancelled = await moveStatus(citizen.access, p.id, { status: "cancelled" });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.cancelled_at).not.toBeNull();
    await new Promise((r) => setTimeout(r, 300));
    expect(await smsCount(citizen.user.phone)).toBe(0);
    const logs = await withServices(({ db }) => db.execute(sql`select 1 from activity_logs where resource_id = ${p.id}`));
    expect(logs.rows.length).toBe(0); // not a staff mutation
  });

  it.each([
    ["scheduled without scheduled_for", { status: "scheduled" }],
    ["scheduled_for in the past", { status: "scheduled", scheduled_for: "2020-01-01T09:00:00+06:00" }],
    ["scheduled_for without an offset", { status: "scheduled", scheduled_for: "2030-01-01T09:00:00" }],
    ["scheduled_for with another status", { status: "cancelled", scheduled_for: inHours(4) }],
    ["an unknown status", { status: "lost" }],
  ])("400 on %s", async (_what, body) => {
    const citizen = await signedIn({ wardNumber: wasteWard() });
    const admin = await signedIn({ userType: "super_admin" });
    const p = await requestPickup(citizen.access, { waste_type: "household" });
    const res = await moveStatus(admin.access, p.id, body);
    expect(res.status).toBe(400);
    expect((await api(`/api/v1/waste/pickup-requests/${p.id}`, { token: citizen.access })).body.status).toBe("requested");
  });

  it("an e-waste request with its fee unpaid cannot be scheduled (409), but may be cancelled", async () => {
    const citizen = await signedIn({ wardNumber: wasteWard() });
    const admin = await signedIn({ userType: "super_admin" });
    const p = await requestPickup(citizen.access, { waste_type: "e_waste" });
    const res = await moveStatus(admin.access, p.id, { status: "scheduled", scheduled_for: inHours(30) });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatch(/not been paid/);
    expect((await moveStatus(admin.access, p.id, { status: "cancelled" })).status).toBe(200);
  });
});
