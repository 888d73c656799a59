/** Emergencies: the role × route matrix, hostile input (400, nothing written), and concurrency. */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { FIRE, freshWard, raiseEmergency, respond } from "../../../test/support/emergency";
import { signedIn, withServices, type SignedInUser } from "../../../test/support/factories";
import { api } from "../../../test/support/http";
import { dhakaDayStamp } from "../../lib/dhaka-time";

const rowsOf = (userId: string) =>
  withServices(async ({ db }) => {
    const { rows } = await db.execute<{ n: number; updates: number }>(sql`
      select count(*)::int as n, (select count(*)::int from emergency_updates h join emergency_requests e on e.id = h.emergency_id where e.user_id = ${userId}) as updates
      from emergency_requests where user_id = ${userId}`);
    return rows[0]!;
  });

describe("role × route matrix", () => {
  const ward = freshWard();
  const who: Record<string, SignedInUser | null> = {};
  let emergencyId = "";
  beforeAll(async () => {
    who.anonymous = null;
    who.owner = await signedIn({ wardNumber: ward });
    who.otherCitizen = await signedIn({ wardNumber: ward });
    who.readerOfWard = await signedIn({ userType: "admin", permissions: [{ permission_type: "emergency", ward_numbers: [ward] }] });
    who.responderOfWard = await signedIn({ userType: "admin", permissions: [{ permission_type: "emergency", ward_numbers: [ward], can_update: true }] });
    who.responderElsewhere = await signedIn({ userType: "admin", permissions: [{ permission_type: "emergency", ward_numbers: [freshWard()], can_update: true }] });
    who.adminWithoutGrant = await signedIn({ userType: "admin", permissions: [{ permission_type: "complaints", can_update: true }] });
    who.serviceProvider = await signedIn({ userType: "service_provider" });
    who.superAdmin = await signedIn({ userType: "super_admin" });
    emergencyId = (await raiseEmergency(who.owner!.access)).id;
  });

  const expected: Record<string, { read: number; respond: number; listed: boolean }> = {
    anonymous: { read: 401, respond: 401, listed: false },
    owner: { read: 200, respond: 403, listed: true },
    otherCitizen: { read: 404, respond: 403, listed: false },
    readerOfWard: { read: 200, respond: 403, listed: true },
    responderOfWard: { read: 200, respond: 200, listed: true },
    responderElsewhere: { read: 404, respond: 404, listed: false },
    adminWithoutGrant: { read: 404, respond: 404, listed: false },
    serviceProvider: { read: 404, respond: 403, listed: false },
    superAdmin: { read: 200, respond: 200, listed: true },
  };

  it.each(Object.keys(expected))("%s", async (role) => {
    const token = who[role]?.access;
    const want = expected[role]!;
    const read = await api(`/api/v1/emergency/${emergencyId}`, { token });
    expect(read.status).toBe(want.read);
    if (read.status !== 200) expect(read.body.code).toBeTruthy();
    expect((await api(`/api/v1/emergency/${emergencyId}/updates`, { token })).status).toBe(want.read);
    const answer = await respond(token ?? "", emergencyId, { note: `checked by ${role}` });
    expect(answer.status).toBe(want.respond);
    const list = await api(`/api/v1/emergency?ward_number=${ward}`, { token });
    if (!token) expect(list.status).toBe(401);
    else expect(list.body.results.some((e: any) => e.id === emergencyId)).toBe(want.listed);
    // A refused response leaves no trace: only allowed roles' notes are in the history.
    const history = await withServices(({ db }) => db.execute<{ note: string }>(sql`select note from emergency_updates where emergency_id = ${emergencyId} and note = ${`checked by ${role}`}`));
    expect(history.rows.length).toBe(want.respond === 200 ? 1 : 0);
  });

  it("hotline changes need a city-wide emergency grant", async () => {
    const contact = { name_bn: "পরীক্ষা", name_en: "Test line", phone: "16000", category: "other" };
    const cityWide = await signedIn({ userType: "admin", permissions: [{ permission_type: "emergency", can_create: true, can_delete: true }] });
    expect((await api("/api/v1/emergency/contacts", { body: contact })).status).toBe(401);
    expect((await api("/api/v1/emergency/contacts", { token: who.owner!.access, body: contact })).status).toBe(403);
    expect((await api("/api/v1/emergency/contacts", { token: who.responderOfWard!.access, body: contact })).status).toBe(403);
    const made = await api("/api/v1/emergency/contacts", { token: cityWide.access, body: contact });
    expect(made.status).toBe(201);
    expect((await api(`/api/v1/emergency/contacts/${made.body.id}`, { method: "PATCH", token: cityWide.access, body: { phone: "16001" } })).status).toBe(403); // no can_update
    expect((await api(`/api/v1/emergency/contacts/${made.body.id}`, { method: "DELETE", token: who.responderOfWard!.access })).status).toBe(403);
    expect((await api(`/api/v1/emergency/contacts/${made.body.id}`, { method: "DELETE", token: cityWide.access })).status).toBe(204);
  });
});

describe("hostile input: 400 with the envelope, nothing written", () => {
  const bad: Array<[string, unknown]> = [
    ["unknown emergency type", { ...FIRE, emergency_type: "alien_invasion" }],
    ["empty description", { ...FIRE, description: "  " }],
    ["missing location", { emergency_type: "fire", description: "x" }],
    ["latitude without longitude", { ...FIRE, latitude: 23.8 }],
    ["latitude out of range", { ...FIRE, latitude: 123, longitude: 90 }],
    ["ward not a number", { ...FIRE, ward_number: "ward-12" }],
    ["an unknown field", { ...FIRE, priority: "নিম্ন" }],
    ["status set by the reporter", { ...FIRE, status: "resolved" }],
    ["a huge description", { ...FIRE, description: "আগুন".repeat(1000) }],
    ["an array", [FIRE]],
  ];
  it.each(bad)("raise: %s", async (_label, body) => {
    const citizen = await signedIn({ wardNumber: freshWard() });
    const res = await api("/api/v1/emergency", { token: citizen.access, body });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: "validation_error", error: expect.any(String) });
    expect(await rowsOf(citizen.user.id)).toEqual({ n: 0, updates: 0 });
  });

  it("raise: broken JSON and the wrong content type", async () => {
    const citizen = await signedIn();
    const broken = await api("/api/v1/emergency", { token: citizen.access, body: '{"emergency_type": "fire",', headers: { "content-type": "application/json" } });
    expect([broken.status, broken.body.code]).toEqual([400, "invalid_json"]);
    const form = await api("/api/v1/emergency", { token: citizen.access, body: "emergency_type=fire", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(form.status).toBeGreaterThanOrEqual(400);
    expect(form.status).toBeLessThan(500);
    expect(await rowsOf(citizen.user.id)).toEqual({ n: 0, updates: 0 });
  });

  const badResponses: Array<[string, unknown]> = [
    ["nothing to do", {}],
    ["an unknown status", { status: "done" }],
    ["a malformed assignee", { assigned_to: "someone" }],
    ["an empty note", { note: "" }],
    ["an unknown field", { priority: "নিম্ন" }],
  ];
  it.each(badResponses)("respond: %s", async (_label, body) => {
    const citizen = await signedIn({ wardNumber: freshWard() });
    const admin = await signedIn({ userType: "super_admin" });
    const e = await raiseEmergency(citizen.access);
    const res = await respond(admin.access, e.id, body as Record<string, unknown>);
    expect([res.status, res.body.code]).toEqual([400, "validation_error"]);
    expect(await rowsOf(citizen.user.id)).toEqual({ n: 1, updates: 1 });
  });

  it("query and path: bad filters are 400, a malformed or unknown id 404", async () => {
    const admin = await signedIn({ userType: "super_admin" });
    for (const q of ["status=done", "emergency_type=x", "ward_number=abc", "from=yesterday", "to=2026-13-45T99", "page_size=1000", "page=0"]) {
      const res = await api(`/api/v1/emergency?${q}`, { token: admin.access });
      expect([q, res.status, res.body.code]).toEqual([q, 400, "validation_error"]);
    }
    expect((await api("/api/v1/emergency/not-a-uuid", { token: admin.access })).status).toBe(404);
    expect((await api(`/api/v1/emergency/${crypto.randomUUID()}`, { token: admin.access })).status).toBe(404);
    expect((await respond(admin.access, crypto.randomUUID(), { note: "x" })).status).toBe(404);
  });

  it("hotlines: bad fields are 400", async () => {
    const admin = await signedIn({ userType: "super_admin" });
    for (const body of [{ name_bn: "ক", name_en: "A", phone: "call me", category: "other" }, { name_bn: "ক", name_en: "A", phone: "999", category: "aliens" }, {}]) {
      expect((await api("/api/v1/emergency/contacts", { token: admin.access, body })).status).toBe(400);
    }
    expect((await api(`/api/v1/emergency/contacts/${crypto.randomUUID()}`, { method: "PATCH", token: admin.access, body: {} })).status).toBe(400);
  });
});

describe("concurrency", () => {
  it("20 emergencies raised at once get 20 distinct reference numbers with no gaps", async () => {
    const citizens = await Promise.all(Array.from({ length: 20 }, () => signedIn({ wardNumber: freshWard() })));
    const results = await Promise.all(citizens.map((c) => api("/api/v1/emergency", { token: c.access, body: FIRE })));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const numbers = results.map((r) => Number(r.body.reference_number.slice(-4))).sort((a, b) => a - b);
    expect(new Set(numbers).size).toBe(20);
    expect(results.every((r) => r.body.reference_number.startsWith(`EM${dhakaDayStamp()}`))).toBe(true);
    // Gap-free: the day's numbers so far are exactly 1..max.
    const all = await withServices(({ db }) =>
      db.execute<{ n: number; max: number }>(sql`select count(*)::int as n, max(right(reference_number, 4)::int) as max from emergency_requests where reference_number like ${`EM${dhakaDayStamp()}%`}`),
    );
    expect(all.rows[0]!.max).toBe(all.rows[0]!.n);
  });

  it("one citizen firing 10 at once gets exactly 3 through; the rest are 409", async () => {
    const citizen = await signedIn({ wardNumber: freshWard() });
    const results = await Promise.all(Array.from({ length: 10 }, () => api("/api/v1/emergency", { token: citizen.access, body: FIRE })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 409)).toHaveLength(7);
    expect(await rowsOf(citizen.user.id)).toEqual({ n: 3, updates: 3 });
  });

  it("two staff moving the same emergency at once: one moves it, the other gets 409, one history row", async () => {
    const citizen = await signedIn({ wardNumber: freshWard() });
    const [a, b] = await Promise.all([signedIn({ userType: "super_admin" }), signedIn({ userType: "admin" })]);
    const e = await raiseEmergency(citizen.access);
    const results = await Promise.all([respond(a!.access, e.id, { status: "in_progress" }), respond(b!.access, e.id, { status: "in_progress" })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const history = await api(`/api/v1/emergency/${e.id}/updates`, { token: a!.access });
    expect(history.body.filter((h: any) => h.new_status === "প্রক্রিয়াধীন")).toHaveLength(1);
  });
});
