/** Secondary transfer stations: the signed-in list with load and over-capacity flag, readings with history. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { signedIn, withServices } from "../../../test/support/factories";
import { api, roundTrips } from "../../../test/support/http";
import { createStation, wasteWard } from "../../../test/support/waste";

const read = (token: string, id: string, load: unknown, note?: string) => api(`/api/v1/waste/sts/${id}/readings`, { token, body: { load_tonnes: load, ...(note ? { note } : {}) } });

describe("stations", () => {
  it("a super admin adds one (empty); any signed-in user sees it with load percentage; anonymous 401", async () => {
    const admin = await signedIn({ userType: "super_admin" });
    const citizen = await signedIn();
    const w = wasteWard();
    const made = await createStation(admin.access, { ward_number: w, capacity_tonnes: 80 });
    expect(made).toMatchObject({ ward_number: w, capacity_tonnes: 80, current_load_tonnes: 0, load_percentage: 0, over_capacity: false, status: "operational", last_reading_at: null });
    const list = await api(`/api/v1/waste/sts?ward_number=${w}`, { token: citizen.access });
    expect(list.status).toBe(200);
    expect(list.body.results.map((s: any) => s.id)).toContain(made.id);
    expect(roundTrips(list)).toBe(1);
    expect((await api(`/api/v1/waste/sts/${made.id}`, { token: citizen.access })).body.name).toBe(made.name);
    expect((await api("/api/v1/waste/sts")).status).toBe(401);
    expect((await api(`/api/v1/waste/sts/${made.id}`)).status).toBe(401);
  });

  it("readings: each one is kept with the load it replaced; over capacity is accepted and flagged; one round trip", async () => {
    const admin = await signedIn({ userType: "super_admin" });
    const s = await createStation(admin.access, { capacity_tonnes: 50 });
    const first = await read(admin.access, s.id, 20.5, "Morning count");
    expect(first.status).toBe(201);
    expect(roundTrips(first)).toBe(1);
    expect(first.body.station).toMatchObject({ current_load_tonnes: 20.5, load_percentage: 41, over_capacity: false });
    expect(first.body.reading).toMatchObject({ load_tonnes: 20.5, previous_load_tonnes: 0, capacity_tonnes: 50, over_capacity: false, note: "Morning count", recorded_by: { id: admin.user.id } });
    const over = await read(admin.access, s.id, 61);
    expect(over.status).toBe(201);
    expect(over.body.station).toMatchObject({ current_load_tonnes: 61, load_percentage: 122, over_capacity: true });
    expect(over.body.reading).toMatchObject({ previous_load_tonnes: 20.5, over_capacity: true });
    const flagged = await api(`/api/v1/waste/sts?over_capacity=true&ward_number=${s.ward_number}`, { token: admin.access });
    expect(flagged.body.results.map((x: any) => x.id)).toContain(s.id);
    const history = await api(`/api/v1/waste/sts/${s.id}/readings`, { token: admin.access });
    expect(history.body.count).toBe(2);
    expect(history.body.results.map((r: any) => [r.load_tonnes, r.previous_load_tonnes])).toEqual([
      [61, 20.5],
      [20.5, 0],
    ]);
    const logs = await withServices(({ db }) => db.execute<{ action: string }>(sql`select action from activity_logs where resource_id = ${s.id} order by created_at`));
    expect(logs.rows.map((r) => r.action)).toEqual(["waste_sts.create", "waste_sts.reading", "waste_sts.reading"]);
  });

  it("a negative or non-numeric reading is 400 and changes nothing", async () => {
    const admin = await signedIn({ userType: "super_admin" });
    const s = await createStation(admin.access);
    await read(admin.access, s.id, 10);
    for (const bad of [-0.5, "12", null, 1e9]) {
      const res = await read(admin.access, s.id, bad);
      expect(res.status, String(bad)).toBe(400);
    }
    expect((await api(`/api/v1/waste/sts/${s.id}`, { token: admin.access })).body.current_load_tonnes).toBe(10);
    expect((await api(`/api/v1/waste/sts/${s.id}/readings`, { token: admin.access })).body.count).toBe(1);
  });

  it("the readings are append-only in the database too", async () => {
    const admin = await signedIn({ userType: "super_admin" });
    const s = await createStation(admin.access);
    await read(admin.access, s.id, 10);
    await expect(withServices(({ db }) => db.execute(sql`update waste_sts_readings set load_tonnes = 1 where sts_id = ${s.id}`))).rejects.toThrow();
  });

  it("status and capacity change by PATCH (not the load); the load stays as read", async () => {
    const admin = await signedIn({ userType: "super_admin" });
    const s = await createStation(admin.access, { capacity_tonnes: 100 });
    await read(admin.access, s.id, 90);
    const res = await api(`/api/v1/waste/sts/${s.id}`, { method: "PATCH", token: admin.access, body: { status: "maintenance", capacity_tonnes: 80 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "maintenance", capacity_tonnes: 80, current_load_tonnes: 90, over_capacity: true, load_percentage: 112.5 });
    expect((await api(`/api/v1/waste/sts/${s.id}`, { method: "PATCH", token: admin.access, body: { current_load_tonnes: 0 } })).status).toBe(400);
    expect((await api(`/api/v1/waste/sts/${s.id}`, { method: "PATCH", token: admin.access, body: { status: "exploded" } })).status).toBe(400);
    expect((await api(`/api/v1/waste/sts/${s.id}`, { method: "PATCH", token: admin.access, body: { capacity_tonnes: 0 } })).status).toBe(400);
  });

  it("who may record: ward staff with waste.update; others 403 (citizens, other wards' staff) or 401; nothing written", async () => {
    const w = wasteWard();
    let elsewhere = wasteWard();
    while (elsewhere === w) elsewhere = wasteWard();
    const admin = await signedIn({ userType: "super_admin" });
    const s = await createStation(admin.access, { ward_number: w });
    const local = await signedIn({ userType: "admin", permissions: [{ permission_type: "waste", ward_numbers: [w], can_update: true }] });
    const readOnly = await signedIn({ userType: "admin", permissions: [{ permission_type: "waste", ward_numbers: [w] }] });
    const other = await signedIn({ userType: "admin", permissions: [{ permission_type: "waste", ward_numbers: [elsewhere], can_update: true, can_create: true }] });
    const noGrant = await signedIn({ userType: "admin", permissions: [{ permission_type: "complaints", can_update: true }] });
    const citizen = await signedIn({ wardNumber: w });
    expect((await api(`/api/v1/waste/sts/${s.id}/readings`, { body: { load_tonnes: 5 } })).status).toBe(401);
    expect((await read(citizen.access, s.id, 5)).status).toBe(403);
    expect((await read(readOnly.access, s.id, 5)).status).toBe(403);
    expect((await read(other.access, s.id, 5)).status).toBe(403);
    expect((await read(noGrant.access, s.id, 5)).status).toBe(403);
    expect((await api(`/api/v1/waste/sts/${s.id}`, { method: "PATCH", token: other.access, body: { status: "closed" } })).status).toBe(403);
    expect((await api("/api/v1/waste/sts", { token: other.access, body: { name: `x ${crypto.randomUUID()}`, ward_number: w, latitude: 23.7, longitude: 90.4, capacity_tonnes: 5 } })).status).toBe(403);
    expect((await api("/api/v1/waste/sts", { token: citizen.access, body: { name: "x", ward_number: w, latitude: 23.7, longitude: 90.4, capacity_tonnes: 5 } })).status).toBe(403);
    expect((await api(`/api/v1/waste/sts/${s.id}/readings`, { token: citizen.access })).status).toBe(403);
    expect((await api(`/api/v1/waste/sts/${s.id}/readings`, { token: other.access })).status).toBe(404);
    expect((await api(`/api/v1/waste/sts/${s.id}`, { token: admin.access })).body.current_load_tonnes).toBe(0);
    const ok = await read(local.access, s.id, 5);
    expect(ok.status).toBe(201);
    expect((await api(`/api/v1/waste/sts/${s.id}/readings`, { token: readOnly.access })).body.count).toBe(1);
    expect((await read(local.access, crypto.randomUUID(), 5)).status).toBe(404);
  });

  it("20 concurrent readings: all kept, each one's previous load is another's load (no lost update)", async () => {
    const admin = await signedIn({ userType: "super_admin" });
    const s = await createStation(admin.access, { capacity_tonnes: 100 });
    const loads = Array.from({ length: 20 }, (_, i) => i + 1);
    const results = await Promise.all(loads.map((l) => read(admin.access, s.id, l)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const history = (await api(`/api/v1/waste/sts/${s.id}/readings?page_size=100`, { token: admin.access })).body.results as any[];
    expect(history.length).toBe(20);
    // A chain: 0 → a → b → … ; every previous is 0 or some other reading's load, each used once.
    const previous = history.map((r) => r.previous_load_tonnes).sort((a, b) => a - b);
    const finalLoad = (await api(`/api/v1/waste/sts/${s.id}`, { token: admin.access })).body.current_load_tonnes;
    expect(previous).toEqual([0, ...loads.filter((l) => l !== finalLoad)].sort((a, b) => a - b));
  });
});
