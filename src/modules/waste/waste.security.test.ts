/** Pickup requests: the role × route matrix, concurrency (reference numbers, status moves), the OpenAPI document. */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { signedIn, withServices, type SignedInUser } from "../../../test/support/factories";
import { api } from "../../../test/support/http";
import { inHours, moveStatus, pickupBody, requestPickup, wasteWard } from "../../../test/support/waste";
import { dhakaDayStamp } from "../../lib/dhaka-time";

describe("role × route matrix (pickup requests)", () => {
  const ward = wasteWard();
  let elsewhere = wasteWard();
  while (elsewhere === ward) elsewhere = wasteWard();
  const who: Record<string, SignedInUser | null> = {};
  beforeAll(async () => {
    who.anonymous = null;
    who.owner = await signedIn({ wardNumber: ward });
    who.otherCitizen = await signedIn({ wardNumber: ward });
    who.readerOfWard = await signedIn({ userType: "admin", permissions: [{ permission_type: "waste", ward_numbers: [ward] }] });
    who.updaterOfWard = await signedIn({ userType: "admin", permissions: [{ permission_type: "waste", ward_numbers: [ward], can_update: true }] });
    who.updaterElsewhere = await signedIn({ userType: "admin", permissions: [{ permission_type: "waste", ward_numbers: [elsewhere], can_update: true }] });
    who.adminWithoutGrant = await signedIn({ userType: "admin", permissions: [{ permission_type: "complaints", can_update: true }] });
    who.superAdmin = await signedIn({ userType: "super_admin" });
  });

  // `move` is a staff cancel (or the owner's own cancel), tried on a fresh request each time.
  const expected: Record<string, { read: number; move: number; listed: boolean }> = {
    anonymous: { read: 401, move: 401, listed: false },
    owner: { read: 200, move: 200, listed: true },
    otherCitizen: { read: 404, move: 404, listed: false },
    readerOfWard: { read: 200, move: 403, listed: true },
    updaterOfWard: { read: 200, move: 200, listed: true },
    updaterElsewhere: { read: 404, move: 404, listed: false },
    adminWithoutGrant: { read: 404, move: 404, listed: false },
    superAdmin: { read: 200, move: 200, listed: true },
  };

  it.each(Object.keys(expected))("%s", async (role) => {
    const token = who[role]?.access;
    const want = expected[role]!;
    const p = await requestPickup(who.owner!.access, { waste_type: "household" });
    const read = await api(`/api/v1/waste/pickup-requests/${p.id}`, { token });
    expect(read.status).toBe(want.read);
    if (read.status !== 200) expect(read.body.code).toBeTruthy();
    expect((await api(`/api/v1/waste/pickup-requests/${p.id}/updates`, { token })).status).toBe(want.read);
    const list = await api(`/api/v1/waste/pickup-requests?ward_number=${ward}`, { token });
    if (!token) expect(list.status).toBe(401);
    else expect(list.body.results.some((x: any) => x.id === p.id)).toBe(want.listed);
    const move = await moveStatus(token, p.id, { status: "cancelled", note: `by ${role}` });
    expect(move.status).toBe(want.move);
    // A refused move leaves no trace.
    const after = await withServices(({ db }) => db.execute<{ status: string; updates: number }>(sql`
      select status, (select count(*)::int from waste_pickup_updates where pickup_request_id = r.id) as updates from waste_pickup_requests r where id = ${p.id}`));
    expect(after.rows[0]).toEqual(want.move === 200 ? { status: "cancelled", updates: 2 } : { status: "requested", updates: 1 });
    // Only staff schedule; the owner's token may not.
    if (role === "owner") expect((await moveStatus(token, (await requestPickup(token!, { waste_type: "household" })).id, { status: "scheduled", scheduled_for: inHours(4) })).status).toBe(403);
  });

  it("creating needs a signed-in user", async () => {
    expect((await api("/api/v1/waste/pickup-requests", { body: pickupBody() })).status).toBe(401);
    expect((await api("/api/v1/waste/pickup-requests")).status).toBe(401);
  });
});

describe("concurrency", () => {
  it("20 pickup requests at once get 20 distinct WP numbers with no gaps", async () => {
    const citizens = await Promise.all(Array.from({ length: 20 }, () => signedIn({ wardNumber: wasteWard() })));
    const results = await Promise.all(citizens.map((c) => api("/api/v1/waste/pickup-requests", { token: c.access, body: pickupBody({ waste_type: "household" }) })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const numbers = results.map((r) => Number(r.body.reference_number.slice(-4)));
    expect(new Set(numbers).size).toBe(20);
    expect(results.every((r) => r.body.reference_number.startsWith(`WP${dhakaDayStamp()}`))).toBe(true);
    const all = await withServices(({ db }) =>
      db.execute<{ n: number; max: number }>(sql`select count(*)::int as n, max(right(reference_number, 4)::int) as max from waste_pickup_requests where reference_number like ${`WP${dhakaDayStamp()}%`}`),
    );
    expect(all.rows[0]!.max).toBe(all.rows[0]!.n);
  });

  it("two staff moving the same scheduled request at once (collected vs cancelled): exactly one wins, the other is 409", async () => {
    const w = wasteWard();
    const citizen = await signedIn({ wardNumber: w });
    const a = await signedIn({ userType: "admin", permissions: [{ permission_type: "waste", ward_numbers: [w], can_update: true }] });
    const b = await signedIn({ userType: "super_admin" });
    for (let round = 0; round < 5; round++) {
      const p = await requestPickup(citizen.access, { waste_type: "household" });
      expect((await moveStatus(b.access, p.id, { status: "scheduled", scheduled_for: inHours(6) })).status).toBe(200);
      const [x, y] = await Promise.all([moveStatus(a.access, p.id, { status: "collected" }), moveStatus(b.access, p.id, { status: "cancelled" })]);
      expect([x.status, y.status].sort()).toEqual([200, 409]);
      const winner = x.status === 200 ? x.body.status : y.body.status;
      const stored = await withServices(({ db }) => db.execute<{ status: string; updates: number; logs: number }>(sql`
        select status, (select count(*)::int from waste_pickup_updates where pickup_request_id = r.id) as updates,
               (select count(*)::int from activity_logs where resource_id = r.id::text) as logs
        from waste_pickup_requests r where id = ${p.id}`));
      expect(stored.rows[0]).toEqual({ status: winner, updates: 3, logs: 2 });
    }
  });

  it("ten concurrent schedulings of one request: one 200, nine 409", async () => {
    const citizen = await signedIn({ wardNumber: wasteWard() });
    const admin = await signedIn({ userType: "super_admin" });
    const p = await requestPickup(citizen.access, { waste_type: "recyclable" });
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => moveStatus(admin.access, p.id, { status: "scheduled", scheduled_for: inHours(10 + i) })));
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)]);
  });
});

describe("the OpenAPI document", () => {
  it("documents every waste route and its schemas", async () => {
    const doc = (await api("/api/v1/openapi.json")).body;
    const methods = (path: string) => Object.keys(doc.paths[path] ?? {}).sort();
    expect(methods("/api/v1/waste/schedules")).toEqual(["get", "post"]);
    expect(methods("/api/v1/waste/schedules/next")).toEqual(["get"]);
    expect(methods("/api/v1/waste/schedules/{id}")).toEqual(["delete", "get", "patch", "put"]);
    expect(methods("/api/v1/waste/pickup-requests")).toEqual(["get", "post"]);
    expect(methods("/api/v1/waste/pickup-requests/{id}")).toEqual(["get"]);
    expect(methods("/api/v1/waste/pickup-requests/{id}/updates")).toEqual(["get"]);
    expect(methods("/api/v1/waste/pickup-requests/{id}/status")).toEqual(["post"]);
    expect(methods("/api/v1/waste/pickup-requests/{id}/pay")).toEqual(["post"]);
    expect(methods("/api/v1/waste/pickup-requests/{id}/photos/{photo_id}")).toEqual(["get"]);
    expect(methods("/api/v1/waste/sts")).toEqual(["get", "post"]);
    expect(methods("/api/v1/waste/sts/{id}")).toEqual(["get", "patch"]);
    expect(methods("/api/v1/waste/sts/{id}/readings")).toEqual(["get", "post"]);
    expect(Object.keys(doc.components.schemas)).toEqual(
      expect.arrayContaining(["WasteSchedule", "NextWasteCollection", "WastePickupRequest", "WastePickupFee", "WastePickupStatusChange", "TransferStation", "TransferStationReading"]),
    );
    expect(doc.paths["/api/v1/waste/pickup-requests"].post.requestBody.content).toHaveProperty("multipart/form-data");
    expect(doc.paths["/api/v1/waste/schedules"].get.security).toBeUndefined();
    expect(doc.paths["/api/v1/waste/sts"].get.security).toEqual([{ bearerAuth: [] }]);
  });
});
