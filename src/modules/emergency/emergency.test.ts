/** Emergencies, happy paths: raising, limits, lists, responding, history, hotlines. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { FIRE, freshWard, raiseEmergency, respond } from "../../../test/support/emergency";
import { signedIn, waitForSms, withServices } from "../../../test/support/factories";
import { api, roundTrips } from "../../../test/support/http";
import { dhakaDayStamp } from "../../lib/dhaka-time";

const SUBMITTED = "জমা দেওয়া হয়েছে";
const IN_PROGRESS = "প্রক্রিয়াধীন";
const RESOLVED = "সমাধান হয়েছে";

const smsCount = async (phone: string) => (await api(`/api/v1/dev/sms?phone=${encodeURIComponent(phone)}`)).body.results.length as number;

describe("raising an emergency", () => {
  it("stores it in Bengali with high priority, the reporter's ward and a day reference; one round trip", async () => {
    const ward = freshWard();
    const citizen = await signedIn({ wardNumber: ward, name: "Karim Mia" });
    const res = await api("/api/v1/emergency", { token: citizen.access, body: { ...FIRE, emergency_type: "medical", latitude: 23.8069, longitude: 90.3687 } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      emergency_type: "চিকিৎসা জরুরি",
      priority: "উচ্চ",
      status: SUBMITTED,
      ward_number: ward,
      latitude: 23.8069,
      longitude: 90.3687,
      user: { id: citizen.user.id, name: "Karim Mia", phone: citizen.user.phone },
      assigned_to: null,
      responded_at: null,
    });
    expect(res.body.reference_number).toMatch(new RegExp(`^EM${dhakaDayStamp()}\\d{4}$`));
    expect(roundTrips(res)).toBe(1);
    const history = await api(`/api/v1/emergency/${res.body.id}/updates`, { token: citizen.access });
    expect(history.body).toEqual([expect.objectContaining({ old_status: null, new_status: SUBMITTED, updated_by: { id: citizen.user.id, name: "Karim Mia" } })]);
  });

  it("takes an explicit ward over the reporter's, and Bengali enum values as they are", async () => {
    const citizen = await signedIn({ wardNumber: freshWard() });
    const e = await raiseEmergency(citizen.access, { emergency_type: "পুলিশ", ward_number: 17 });
    expect(e.ward_number).toBe("17");
    expect(e.emergency_type).toBe("পুলিশ");
  });

  it("SMSes the staff responsible for the ward (not staff of other wards) with reference, place and the reporter's phone", async () => {
    const ward = freshWard();
    const local = await signedIn({ userType: "admin", permissions: [{ permission_type: "emergency", ward_numbers: [ward], can_update: true }] });
    const elsewhere = await signedIn({ userType: "admin", permissions: [{ permission_type: "emergency", ward_numbers: [freshWard()] }] });
    const noEmergencyGrant = await signedIn({ userType: "admin", permissions: [{ permission_type: "complaints", ward_numbers: [ward] }] });
    const citizen = await signedIn({ wardNumber: ward });
    const e = await raiseEmergency(citizen.access);
    const text = await waitForSms(local.user.phone);
    expect(text).toContain(e.reference_number);
    expect(text).toContain("অগ্নিকাণ্ড");
    expect(text).toContain(FIRE.location);
    expect(text).toContain(citizen.user.phone);
    await new Promise((r) => setTimeout(r, 500)); // the other messages of the batch had their chance
    expect(await smsCount(elsewhere.user.phone)).toBe(0);
    expect(await smsCount(noEmergencyGrant.user.phone)).toBe(0);
  });
});

describe("anti-flood limits", () => {
  it("a fourth open emergency is refused with 409; resolving one makes room", async () => {
    const citizen = await signedIn({ wardNumber: freshWard() });
    const admin = await signedIn({ userType: "super_admin" });
    const raised = [];
    for (let i = 0; i < 3; i++) raised.push(await raiseEmergency(citizen.access));
    const fourth = await api("/api/v1/emergency", { token: citizen.access, body: FIRE });
    expect(fourth.status).toBe(409);
    expect(fourth.body.code).toBe("conflict");
    expect(fourth.body.error).toMatch(/3 open/);
    const before = await api("/api/v1/emergency", { token: citizen.access });
    expect(before.body.count).toBe(3);
    await respond(admin.access, raised[0].id, { status: "in_progress" });
    expect((await respond(admin.access, raised[0].id, { status: "resolved" })).status).toBe(200);
    expect((await api("/api/v1/emergency", { token: citizen.access, body: FIRE })).status).toBe(201);
  });

  it("a sixth emergency within the hour is 429 with Retry-After, even with none open", async () => {
    const citizen = await signedIn({ wardNumber: freshWard() });
    const admin = await signedIn({ userType: "super_admin" });
    for (let i = 0; i < 5; i++) {
      const e = await raiseEmergency(citizen.access);
      await respond(admin.access, e.id, { status: "in_progress" });
      await respond(admin.access, e.id, { status: "resolved" });
    }
    const sixth = await api("/api/v1/emergency", { token: citizen.access, body: FIRE, headers: { "accept-language": "bn" } });
    expect(sixth.status).toBe(429);
    expect(sixth.body.code).toBe("rate_limited");
    expect(sixth.body.error).toContain("৫টি");
    const retryAfter = Number(sixth.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    // The limit is a rolling hour: once the oldest is an hour old, there is room again.
    await withServices(({ db }) => db.execute(sql`update emergency_requests set created_at = created_at - interval '61 minutes' where user_id = ${citizen.user.id}`));
    expect((await api("/api/v1/emergency", { token: citizen.access, body: FIRE })).status).toBe(201);
  });
});

describe("lists and reads", () => {
  it("citizens list their own; staff list with filters, newest first, paginated", async () => {
    const ward = freshWard();
    const a = await signedIn({ wardNumber: ward });
    const b = await signedIn({ wardNumber: ward });
    const admin = await signedIn({ userType: "super_admin" });
    const fire = await raiseEmergency(a.access);
    const medical = await raiseEmergency(b.access, { emergency_type: "medical" });
    const police = await raiseEmergency(b.access, { emergency_type: "police" });
    await respond(admin.access, police.id, { status: "in_progress" });

    const own = await api("/api/v1/emergency", { token: a.access });
    expect(own.body.results.map((e: any) => e.id)).toEqual([fire.id]);

    const inWard = await api(`/api/v1/emergency?ward_number=${ward}&page_size=2`, { token: admin.access });
    expect(inWard.body.count).toBe(3);
    expect(inWard.body.results.map((e: any) => e.id)).toEqual([police.id, medical.id]);
    expect(inWard.body.next).toContain("page=2");
    expect(roundTrips(inWard)).toBe(1);

    const byType = await api(`/api/v1/emergency?ward_number=${ward}&emergency_type=medical`, { token: admin.access });
    expect(byType.body.results.map((e: any) => e.id)).toEqual([medical.id]);
    const byStatus = await api(`/api/v1/emergency?ward_number=${ward}&status=in_progress`, { token: admin.access });
    expect(byStatus.body.results.map((e: any) => e.id)).toEqual([police.id]);

    const today = new Date(Date.now() + 6 * 3600_000).toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 30 * 3600_000).toISOString().slice(0, 10);
    expect((await api(`/api/v1/emergency?ward_number=${ward}&from=${today}&to=${today}`, { token: admin.access })).body.count).toBe(3);
    expect((await api(`/api/v1/emergency?ward_number=${ward}&from=${tomorrow}`, { token: admin.access })).body.count).toBe(0);
    const justAfter = encodeURIComponent(new Date(Date.parse(police.created_at) + 1).toISOString());
    expect((await api(`/api/v1/emergency?ward_number=${ward}&to=${encodeURIComponent(medical.created_at)}`, { token: admin.access })).body.count).toBe(2);
    expect((await api(`/api/v1/emergency?ward_number=${ward}&from=${justAfter}`, { token: admin.access })).body.count).toBe(0);
  });

  it("the reporter and staff read one; another citizen gets 404", async () => {
    const owner = await signedIn({ wardNumber: freshWard() });
    const other = await signedIn();
    const admin = await signedIn({ userType: "admin" });
    const e = await raiseEmergency(owner.access);
    expect((await api(`/api/v1/emergency/${e.id}`, { token: owner.access })).body.id).toBe(e.id);
    expect((await api(`/api/v1/emergency/${e.id}`, { token: admin.access })).body.id).toBe(e.id);
    const stranger = await api(`/api/v1/emergency/${e.id}`, { token: other.access });
    expect(stranger.status).toBe(404);
    expect(stranger.body.code).toBe("not_found");
    expect((await api(`/api/v1/emergency/${e.id}/updates`, { token: other.access })).status).toBe(404);
  });
});

describe("responding", () => {
  it("moves one step at a time, sets responded_at once, records history and tells the reporter by SMS", async () => {
    const citizen = await signedIn({ wardNumber: freshWard() });
    const admin = await signedIn({ userType: "admin", name: "Duty Officer" });
    const responder = await signedIn({ userType: "admin", name: "Fire Liaison" });
    const e = await raiseEmergency(citizen.access);

    const skip = await respond(admin.access, e.id, { status: "resolved" });
    expect(skip.status).toBe(409);
    expect(skip.body.code).toBe("conflict");

    const noted = await respond(admin.access, e.id, { note: "Fire service informed", assigned_to: responder.user.id });
    expect(noted.status).toBe(200);
    expect(noted.body.status).toBe(SUBMITTED);
    expect(noted.body.assigned_to).toEqual({ id: responder.user.id, name: "Fire Liaison" });
    const firstResponse = noted.body.responded_at;
    expect(firstResponse).not.toBeNull();
    expect(await waitForSms(citizen.user.phone)).toContain("Fire service informed");

    const started = await respond(responder.access, e.id, { status: "in_progress" });
    expect(started.body.status).toBe(IN_PROGRESS);
    expect(started.body.responded_at).toBe(firstResponse);
    expect(await waitForSms(citizen.user.phone, 1)).toContain(IN_PROGRESS);

    const again = await respond(responder.access, e.id, { status: "in_progress" });
    expect(again.status).toBe(409);

    const done = await respond(responder.access, e.id, { status: "resolved", note: "Extinguished" });
    expect(done.body.status).toBe(RESOLVED);
    expect(done.body.resolved_at).not.toBeNull();
    expect(await waitForSms(citizen.user.phone, 2)).toContain(RESOLVED);
    expect((await respond(admin.access, e.id, { note: "after the fact" })).status).toBe(409);

    const history = (await api(`/api/v1/emergency/${e.id}/updates`, { token: citizen.access })).body;
    expect(history.map((h: any) => [h.old_status, h.new_status, h.note, h.updated_by.name])).toEqual([
      [null, SUBMITTED, null, "Test Citizen"],
      [SUBMITTED, SUBMITTED, "Fire service informed", "Duty Officer"],
      [SUBMITTED, IN_PROGRESS, null, "Fire Liaison"],
      [IN_PROGRESS, RESOLVED, "Extinguished", "Fire Liaison"],
    ]);
    expect(history[1].assigned_to).toEqual({ id: responder.user.id, name: "Fire Liaison" });

    const log = await withServices(({ db }) =>
      db.execute<{ action: string; user_id: string }>(sql`select action, user_id from activity_logs where resource_id = ${e.id} order by created_at`),
    );
    expect(log.rows.map((r) => [r.action, r.user_id])).toEqual([
      ["emergency.respond", admin.user.id],
      ["emergency.respond", responder.user.id],
      ["emergency.respond", responder.user.id],
    ]);
  });

  it("an assignee must be active staff: 400 and nothing changes", async () => {
    const citizen = await signedIn({ wardNumber: freshWard() });
    const admin = await signedIn({ userType: "admin" });
    const e = await raiseEmergency(citizen.access);
    const res = await respond(admin.access, e.id, { assigned_to: citizen.user.id, status: "in_progress" });
    expect(res.status).toBe(400);
    expect(res.body.details.assigned_to).toBeDefined();
    const now = (await api(`/api/v1/emergency/${e.id}`, { token: admin.access })).body;
    expect(now).toMatchObject({ status: SUBMITTED, assigned_to: null, responded_at: null });
    expect((await api(`/api/v1/emergency/${e.id}/updates`, { token: admin.access })).body).toHaveLength(1);
  });
});

describe("hotlines", () => {
  it("are public, seeded with 999 and the fire service, in Bengali and English, and cacheable", async () => {
    const res = await api("/api/v1/emergency/contacts");
    expect(res.status).toBe(200);
    const byCategory = Object.fromEntries(res.body.results.map((c: any) => [c.category, c]));
    expect(byCategory.national).toMatchObject({ phone: "999", name_en: "National Emergency Service", name_bn: "জাতীয় জরুরি সেবা" });
    expect(byCategory.fire.phone).toBe("16163");
    for (const category of ["ambulance", "police", "city"]) expect(byCategory[category]).toBeDefined();
    expect(res.headers.get("cache-control")).toContain("public");
  });

  it("admins add, change and remove them; inactive ones leave the public list; every change is logged", async () => {
    const admin = await signedIn({ userType: "super_admin" });
    const created = await api("/api/v1/emergency/contacts", {
      token: admin.access,
      body: { name_bn: "ঢাকা ওয়াসা", name_en: "Dhaka WASA", phone: "16162", category: "other", sort_order: 90 },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await api("/api/v1/emergency/contacts")).body.results.some((c: any) => c.id === id)).toBe(true);
    const hidden = await api(`/api/v1/emergency/contacts/${id}`, { method: "PATCH", token: admin.access, body: { is_active: false } });
    expect(hidden.body.is_active).toBe(false);
    expect((await api("/api/v1/emergency/contacts")).body.results.some((c: any) => c.id === id)).toBe(false);
    expect((await api("/api/v1/emergency/contacts?include=all", { token: admin.access })).body.results.some((c: any) => c.id === id)).toBe(true);
    expect((await api(`/api/v1/emergency/contacts/${id}`, { method: "DELETE", token: admin.access })).status).toBe(204);
    expect((await api(`/api/v1/emergency/contacts/${id}`, { method: "DELETE", token: admin.access })).status).toBe(404);
    const log = await withServices(({ db }) => db.execute<{ action: string }>(sql`select action from activity_logs where resource_id = ${id} order by created_at`));
    expect(log.rows.map((r) => r.action)).toEqual(["emergency_contact.create", "emergency_contact.update", "emergency_contact.delete"]);
  });
});
