/** Waste collection schedules: public cacheable reads, the next collections, admin CRUD and its permissions. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { signedIn, withServices } from "../../../test/support/factories";
import { api, roundTrips } from "../../../test/support/http";
import { createSchedule, HOUSEHOLD, wardCounter } from "../../../test/support/waste";
import { nextCollections } from "./waste-schedules.service";
import type { ScheduleDto } from "./waste.schemas";

// This file's wards: 100–139.
const ward = wardCounter(100);

const activityFor = (resourceId: string) =>
  withServices(async ({ db }) => (await db.execute<{ action: string; user_id: string }>(sql`select action, user_id from activity_logs where resource_id = ${resourceId} order by created_at`)).rows);

describe("schedules: create and read", () => {
  it("a super admin adds a schedule; anyone reads it, publicly cacheable with an ETag and 304; one round trip", async () => {
    const w = ward();
    const admin = await signedIn({ userType: "super_admin" });
    const made = await createSchedule(admin.access, { ward_number: w, days_of_week: ["tue", 6, "saturday"] });
    expect(made).toMatchObject({
      ward_number: w,
      waste_type: "household",
      days_of_week: ["tuesday", "saturday"],
      start_time: "07:00",
      end_time: "10:00",
      time_zone: "Asia/Dhaka",
      collector: "Rahim (van 12)",
      vehicle: "DHA-TA-11-2233",
      is_active: true,
    });
    await createSchedule(admin.access, { ward_number: w, waste_type: "recyclable", days_of_week: ["friday"], start_time: "15:00", end_time: "17:30" });

    const res = await api(`/api/v1/waste/schedules?ward_number=${w}`);
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(2);
    expect(res.body.results.map((s: any) => s.waste_type)).toEqual(["household", "recyclable"]);
    expect(res.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=300");
    expect(roundTrips(res)).toBe(1);
    const etag = res.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await api(`/api/v1/waste/schedules?ward_number=${w}`, { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBeNull();

    // The answer changes (and so its ETag) when a schedule does.
    await api(`/api/v1/waste/schedules/${made.id}`, { method: "PATCH", token: admin.access, body: { end_time: "11:00" } });
    const changed = await api(`/api/v1/waste/schedules?ward_number=${w}`, { headers: { "If-None-Match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.body.results[0].end_time).toBe("11:00");

    const one = await api(`/api/v1/waste/schedules/${made.id}`);
    expect(one.status).toBe(200);
    expect(one.body.id).toBe(made.id);
    expect(await activityFor(made.id)).toEqual([
      { action: "waste_schedule.create", user_id: admin.user.id },
      { action: "waste_schedule.update", user_id: admin.user.id },
    ]);
  });

  it("filters by waste type (alias or value) and hides inactive schedules from the public list", async () => {
    const w = ward();
    const admin = await signedIn({ userType: "super_admin" });
    await createSchedule(admin.access, { ward_number: w, waste_type: "medical" });
    const off = await createSchedule(admin.access, { ward_number: w, waste_type: "e_waste", is_active: false });
    const medical = await api(`/api/v1/waste/schedules?ward_number=${w}&waste_type=medical`);
    expect(medical.body.results.map((s: any) => s.waste_type)).toEqual(["medical"]);
    const all = await api(`/api/v1/waste/schedules?ward_number=${w}`);
    expect(all.body.results.map((s: any) => s.id)).not.toContain(off.id);
  });

  it("one schedule per ward × waste type: a second is 409 and writes nothing", async () => {
    const w = ward();
    const admin = await signedIn({ userType: "super_admin" });
    await createSchedule(admin.access, { ward_number: w });
    const second = await api("/api/v1/waste/schedules", { token: admin.access, body: { ...HOUSEHOLD, ward_number: w } });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe("conflict");
    expect((await api(`/api/v1/waste/schedules?ward_number=${w}`)).body.count).toBe(1);
    // Moving another schedule onto that pair is 409 too.
    const other = await createSchedule(admin.access, { ward_number: w, waste_type: "recyclable" });
    const move = await api(`/api/v1/waste/schedules/${other.id}`, { method: "PATCH", token: admin.access, body: { waste_type: "household" } });
    expect(move.status).toBe(409);
  });

  it("refuses a window that ends before it starts, also when only one end changes", async () => {
    const w = ward();
    const admin = await signedIn({ userType: "super_admin" });
    const bad = await api("/api/v1/waste/schedules", { token: admin.access, body: { ...HOUSEHOLD, ward_number: w, start_time: "10:00", end_time: "09:00" } });
    expect(bad.status).toBe(400);
    expect(bad.body.details.end_time).toBeDefined();
    const made = await createSchedule(admin.access, { ward_number: w });
    const patch = await api(`/api/v1/waste/schedules/${made.id}`, { method: "PATCH", token: admin.access, body: { start_time: "12:00" } });
    expect(patch.status).toBe(400);
    expect(patch.body.details.end_time).toBeDefined();
    expect((await api(`/api/v1/waste/schedules/${made.id}`)).body.start_time).toBe("07:00");
  });

  it.each([
    ["no days", { days_of_week: [] }],
    ["an unknown day", { days_of_week: ["someday"] }],
    ["day 7", { days_of_week: [7] }],
    ["a time without minutes", { start_time: "7" }],
    ["24:00", { end_time: "24:00" }],
    ["an unknown waste type", { waste_type: "nuclear" }],
    ["a bad ward", { ward_number: "12a" }],
    ["an unknown field", { colour: "green" }],
  ])("400 on %s, nothing stored", async (_what, patch) => {
    const w = ward();
    const admin = await signedIn({ userType: "super_admin" });
    const res = await api("/api/v1/waste/schedules", { token: admin.access, body: { ...HOUSEHOLD, ward_number: w, ...patch } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_error");
    const { rows } = await withServices(({ db }) => db.execute<{ n: number }>(sql`select count(*)::int as n from waste_schedules where ward_number = ${w}`));
    expect(rows[0]!.n).toBe(0);
  });

  it("delete removes it (204) and logs it; a second delete is 404", async () => {
    const w = ward();
    const admin = await signedIn({ userType: "super_admin" });
    const made = await createSchedule(admin.access, { ward_number: w });
    const gone = await api(`/api/v1/waste/schedules/${made.id}`, { method: "DELETE", token: admin.access });
    expect(gone.status).toBe(204);
    expect(roundTrips(gone)).toBe(1);
    expect((await api(`/api/v1/waste/schedules/${made.id}`)).status).toBe(404);
    expect((await api(`/api/v1/waste/schedules/${made.id}`, { method: "DELETE", token: admin.access })).status).toBe(404);
    expect((await activityFor(made.id)).map((a) => a.action)).toEqual(["waste_schedule.create", "waste_schedule.delete"]);
  });
});

describe("schedules: who may change them", () => {
  it("anonymous 401, citizens 403, admins need waste.<action> in the schedule's ward; nothing written when refused", async () => {
    const w = ward();
    const elsewhere = ward();
    const citizen = await signedIn();
    const noGrant = await signedIn({ userType: "admin", permissions: [{ permission_type: "complaints", can_create: true, can_update: true, can_delete: true }] });
    const readOnly = await signedIn({ userType: "admin", permissions: [{ permission_type: "waste", ward_numbers: [w] }] });
    const local = await signedIn({ userType: "admin", permissions: [{ permission_type: "waste", ward_numbers: [w], can_create: true, can_update: true, can_delete: true }] });
    const body = { ...HOUSEHOLD, ward_number: w };
    expect((await api("/api/v1/waste/schedules", { body })).status).toBe(401);
    expect((await api("/api/v1/waste/schedules", { token: citizen.access, body })).status).toBe(403);
    expect((await api("/api/v1/waste/schedules", { token: noGrant.access, body })).status).toBe(403);
    expect((await api("/api/v1/waste/schedules", { token: readOnly.access, body })).status).toBe(403);
    expect((await api("/api/v1/waste/schedules", { token: local.access, body: { ...body, ward_number: elsewhere } })).status).toBe(403);
    expect((await api(`/api/v1/waste/schedules?ward_number=${elsewhere}`)).body.count).toBe(0);
    expect((await api(`/api/v1/waste/schedules?ward_number=${w}`)).body.count).toBe(0);

    const made = await api("/api/v1/waste/schedules", { token: local.access, body });
    expect(made.status).toBe(201);
    const id = made.body.id;
    // The ward-limited admin may not move it out of their ward.
    expect((await api(`/api/v1/waste/schedules/${id}`, { method: "PATCH", token: local.access, body: { ward_number: elsewhere } })).status).toBe(403);
    expect((await api(`/api/v1/waste/schedules/${id}`, { method: "PATCH", token: readOnly.access, body: { notes: "x" } })).status).toBe(403);
    expect((await api(`/api/v1/waste/schedules/${id}`, { method: "PATCH", token: citizen.access, body: { notes: "x" } })).status).toBe(403);
    expect((await api(`/api/v1/waste/schedules/${id}`, { method: "DELETE", token: noGrant.access })).status).toBe(403);
    expect((await api(`/api/v1/waste/schedules/${id}`, { method: "DELETE" })).status).toBe(401);
    const unchanged = await api(`/api/v1/waste/schedules/${id}`);
    expect(unchanged.body).toMatchObject({ ward_number: w, notes: null });
    expect((await activityFor(id)).map((a) => a.action)).toEqual(["waste_schedule.create"]);
    const put = await api(`/api/v1/waste/schedules/${id}`, { method: "PUT", token: local.access, body: { notes: "Ring the bell" } });
    expect(put.status).toBe(200);
    expect(put.body.notes).toBe("Ring the bell");
    expect((await api(`/api/v1/waste/schedules/${id}`, { method: "DELETE", token: local.access })).status).toBe(204);
  });
});

describe("next collections", () => {
  const schedule = (over: Partial<ScheduleDto>): ScheduleDto => ({
    id: crypto.randomUUID(),
    ward_number: "120",
    waste_type: "household",
    days_of_week: ["saturday", "tuesday"],
    start_time: "07:00",
    end_time: "10:00",
    time_zone: "Asia/Dhaka",
    collector: null,
    vehicle: null,
    notes: null,
    is_active: true,
    created_at: "",
    updated_at: "",
    ...over,
  });

  it("expands days of week in Dhaka time from now: a window under way counts, an ended one does not", () => {
    // 2026-12-05 is a Saturday. 08:00 Dhaka = 02:00 UTC.
    const now = new Date("2026-12-05T02:00:00Z");
    const out = nextCollections([schedule({}), schedule({ waste_type: "recyclable", days_of_week: ["saturday"], start_time: "06:00", end_time: "07:30" })], now, 7);
    expect(out.map((c) => [c.date, c.day_of_week, c.waste_type, c.in_progress])).toEqual([
      ["2026-12-05", "saturday", "household", true],
      ["2026-12-08", "tuesday", "household", false],
    ]);
    expect(out[0]).toMatchObject({ starts_at: "2026-12-05T07:00:00+06:00", ends_at: "2026-12-05T10:00:00+06:00" });
  });

  it("the Dhaka day, not the UTC day: 19:00 UTC Friday is already Saturday in Dhaka", () => {
    const now = new Date("2026-12-04T19:00:00Z"); // Saturday 01:00 Dhaka
    const out = nextCollections([schedule({ days_of_week: ["saturday"] })], now, 1);
    expect(out.map((c) => c.date)).toEqual(["2026-12-05"]);
  });

  it("GET /waste/schedules/next answers the ward's upcoming collections in time order, publicly, in one round trip", async () => {
    const w = ward();
    const admin = await signedIn({ userType: "super_admin" });
    const every = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];
    await createSchedule(admin.access, { ward_number: w, days_of_week: every, start_time: "00:00", end_time: "23:59" });
    await createSchedule(admin.access, { ward_number: w, waste_type: "recyclable", days_of_week: ["friday"] });
    const res = await api(`/api/v1/waste/schedules/next?ward_number=${w}&days=7`);
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    expect(res.headers.get("cache-control")).toContain("public");
    const household = res.body.results.filter((c: any) => c.waste_type === "household");
    expect(household.length).toBe(7);
    expect(household[0].in_progress).toBe(true); // every day, all day: under way now (unless it is 23:59 in Dhaka)
    expect(res.body.results.filter((c: any) => c.waste_type === "recyclable").length).toBe(1);
    const starts = res.body.results.map((c: any) => Date.parse(c.starts_at));
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect((await api("/api/v1/waste/schedules/next")).status).toBe(400);
    expect((await api(`/api/v1/waste/schedules/next?ward_number=${w}&days=99`)).status).toBe(400);
    const other = await api(`/api/v1/waste/schedules/next?ward_number=${ward()}`);
    expect(other.body.results).toEqual([]);
  });
});
