/**
 * Ward-scoped permissions on complaints: every staff route × every grant × a complaint inside and
 * outside the granted wards. Reads outside what one may read are 404 (nothing to see); a mutation
 * on a complaint one may read but not change is 403; a super admin is unrestricted.
 */
import { describe, expect, it } from "vitest";
import { fileComplaint } from "../../../test/support/complaints";
import { signedIn, type PermissionGrant } from "../../../test/support/factories";
import { api, roundTrips } from "../../../test/support/http";
import { completedPayment, createProject, startPayment } from "../../../test/support/payments";

type Action = "read" | "update" | "delete";
interface Grant {
  name: string;
  userType: "admin" | "super_admin";
  grants?: PermissionGrant[];
  /** What the grant allows, per action, for a complaint in ward 71 and in ward 72. */
  allows: Record<Action, { "71": boolean; "72": boolean }>;
}

const none = { "71": false, "72": false };
const only71 = { "71": true, "72": false };
const both = { "71": true, "72": true };
const GRANTS: Grant[] = [
  { name: "admin with no complaints permission", userType: "admin", grants: [{ permission_type: "notices", can_read: true, can_update: true }], allows: { read: none, update: none, delete: none } },
  { name: "admin reading ward 71", userType: "admin", grants: [{ permission_type: "complaints", ward_numbers: ["71"], can_read: true }], allows: { read: only71, update: none, delete: none } },
  {
    name: "admin updating ward 71",
    userType: "admin",
    grants: [{ permission_type: "complaints", ward_numbers: ["71"], can_read: true, can_update: true }],
    allows: { read: only71, update: only71, delete: none },
  },
  {
    name: "admin reading and deleting everywhere, updating nowhere",
    userType: "admin",
    grants: [{ permission_type: "complaints", ward_numbers: [], can_read: true, can_update: false, can_delete: true }],
    allows: { read: both, update: none, delete: both },
  },
  { name: "super admin", userType: "super_admin", allows: { read: both, update: both, delete: both } },
];

interface RouteCase {
  name: string;
  action: Action;
  call: (token: string, complaint: { id: string; tracking_number: string }, assignee: string) => Promise<{ status: number }>;
  ok: number;
}

const ROUTES: RouteCase[] = [
  { name: "GET /complaints/{id}", action: "read", ok: 200, call: (t, c) => api(`/api/v1/complaints/${c.id}`, { token: t }) },
  { name: "GET /complaints/track/{n}", action: "read", ok: 200, call: (t, c) => api(`/api/v1/complaints/track/${c.tracking_number}`, { token: t }) },
  { name: "GET /complaints/{id}/updates", action: "read", ok: 200, call: (t, c) => api(`/api/v1/complaints/${c.id}/updates`, { token: t }) },
  {
    name: "POST /complaints/{id}/update_status",
    action: "update",
    ok: 200,
    call: (t, c) => api(`/api/v1/complaints/${c.id}/update_status`, { token: t, body: { status: "in_progress" } }),
  },
  { name: "POST /complaints/{id}/assign", action: "update", ok: 200, call: (t, c, a) => api(`/api/v1/complaints/${c.id}/assign`, { token: t, body: { assigned_to: a } }) },
  { name: "PATCH /complaints/{id}", action: "update", ok: 200, call: (t, c) => api(`/api/v1/complaints/${c.id}`, { method: "PATCH", token: t, body: { priority: "high" } }) },
  { name: "DELETE /complaints/{id}", action: "delete", ok: 204, call: (t, c) => api(`/api/v1/complaints/${c.id}`, { method: "DELETE", token: t }) },
];

const expected = (grant: Grant, route: RouteCase, ward: "71" | "72") => {
  if (!grant.allows.read[ward]) return 404;
  return grant.allows[route.action][ward] ? route.ok : 403;
};

describe("complaints × permissions × wards", async () => {
  const citizen = await signedIn();
  const assignee = await signedIn({ userType: "admin" });
  for (const grant of GRANTS) {
    describe(grant.name, async () => {
      const staff = await signedIn({ userType: grant.userType, permissions: grant.grants });
      for (const route of ROUTES) {
        for (const ward of ["71", "72"] as const) {
          const want = expected(grant, route, ward);
          it(`${route.name}, ward ${ward} → ${want}`, async () => {
            const complaint = await fileComplaint(citizen.access, { ward_number: ward });
            const res = await route.call(staff.access, complaint, assignee.user.id);
            expect(res.status).toBe(want);
            // A refused change changed nothing.
            if (want !== route.ok) {
              const after = await api(`/api/v1/complaints/${complaint.id}`, { token: citizen.access });
              expect(after.status).toBe(200);
              expect(after.body).toMatchObject({ status: complaint.status, priority: complaint.priority, assigned_to: null });
            }
          });
        }
      }
    });
  }
});

describe("lists and totals contain only the wards one may read", () => {
  it("a ward-71 admin's list and statistics hold ward 71 only, in one round trip each", async () => {
    const citizen = await signedIn();
    await fileComplaint(citizen.access, { ward_number: "71" });
    await fileComplaint(citizen.access, { ward_number: "72" });
    const admin = await signedIn({ userType: "admin", permissions: [{ permission_type: "complaints", ward_numbers: ["71"], can_read: true }] });
    const list = await api("/api/v1/complaints?page_size=100", { token: admin.access });
    expect(list.status).toBe(200);
    expect(list.body.count).toBeGreaterThan(0);
    expect(new Set(list.body.results.map((c: { ward_number: string }) => c.ward_number))).toEqual(new Set(["71"]));
    expect(roundTrips(list)).toBe(1);
    const stats = await api("/api/v1/complaints/statistics", { token: admin.access });
    expect(Object.keys(stats.body.by_ward)).toEqual(["71"]);
    expect(stats.body.total).toBe(stats.body.by_ward["71"]);
    expect(roundTrips(stats)).toBe(1);

    const boss = await signedIn({ userType: "super_admin" });
    const all = await api("/api/v1/complaints/statistics", { token: boss.access });
    expect(Object.keys(all.body.by_ward)).toEqual(expect.arrayContaining(["71", "72"]));
  });

  it("a permission change applies to the admin's very next request (no sign-in again)", async () => {
    const boss = await signedIn({ userType: "super_admin" });
    const citizen = await signedIn();
    const complaint = await fileComplaint(citizen.access, { ward_number: "72" });
    const admin = await signedIn({ userType: "admin", permissions: [{ permission_type: "complaints", ward_numbers: ["71"], can_read: true }] });
    expect((await api(`/api/v1/complaints/${complaint.id}`, { token: admin.access })).status).toBe(404);
    const grant = [{ permission_type: "complaints", ward_numbers: ["71", "72"], can_read: true, can_update: true }];
    expect((await api(`/api/v1/admin-users/${admin.user.id}/permissions`, { method: "PUT", token: boss.access, body: grant })).status).toBe(200);
    expect((await api(`/api/v1/complaints/${complaint.id}`, { token: admin.access })).status).toBe(200);
    expect((await api(`/api/v1/complaints/${complaint.id}/update_status`, { token: admin.access, body: { status: "in_progress" } })).status).toBe(200);
  });
});

describe("users and payments are scoped by ward too", () => {
  it("an admin with users/payments read for ward 71 sees ward-71 citizens and their payments only", async () => {
    const inside = await signedIn({ wardNumber: "71" });
    const outside = await signedIn({ wardNumber: "72" });
    const paidInside = await startPayment(inside.access);
    const paidOutside = await startPayment(outside.access);
    const admin = await signedIn({
      userType: "admin",
      permissions: [
        { permission_type: "users", ward_numbers: ["71"], can_read: true },
        { permission_type: "payments", ward_numbers: ["71"], can_read: true },
      ],
    });
    expect((await api(`/api/v1/users/${inside.user.id}`, { token: admin.access })).status).toBe(200);
    expect((await api(`/api/v1/users/${outside.user.id}`, { token: admin.access })).status).toBe(404);
    const people = await api("/api/v1/users?page_size=100&ward_number=72", { token: admin.access });
    expect(people.body.count).toBe(0);
    expect((await api(`/api/v1/payments/${paidInside.payment_id}`, { token: admin.access })).status).toBe(200);
    expect((await api(`/api/v1/payments/${paidOutside.payment_id}`, { token: admin.access })).status).toBe(404);
    const list = await api("/api/v1/payments?page_size=100", { token: admin.access });
    const ids = list.body.results.map((p: { id: string }) => p.id);
    expect(ids).toContain(paidInside.payment_id);
    expect(ids).not.toContain(paidOutside.payment_id);
    // Without the permission at all: nothing (the route itself stays open to staff).
    const other = await signedIn({ userType: "admin", permissions: [{ permission_type: "complaints", can_read: true }] });
    expect((await api("/api/v1/payments?page_size=100", { token: other.access })).body.count).toBe(0);
  });
});

describe("refunds need payments.update in the payer's ward", () => {
  it("no payments permission → 404; read only → 403; update → refunded", async () => {
    const payer = await signedIn({ wardNumber: "71" });
    const paid = await completedPayment(payer.access, { amount: "300.00" });
    const refund = (token: string) => api("/api/v1/payments/refund", { token, body: { payment_id: paid.payment_id, reason: "Charged twice" } });
    const nobody = await signedIn({ userType: "admin", permissions: [{ permission_type: "complaints", can_read: true, can_update: true }] });
    const reader = await signedIn({ userType: "admin", permissions: [{ permission_type: "payments", ward_numbers: ["71"], can_read: true }] });
    const elsewhere = await signedIn({ userType: "admin", permissions: [{ permission_type: "payments", ward_numbers: ["72"], can_read: true, can_update: true }] });
    const refunder = await signedIn({ userType: "admin", permissions: [{ permission_type: "payments", ward_numbers: ["71"], can_read: true, can_update: true }] });
    expect((await refund(nobody.access)).status).toBe(404);
    expect((await refund(elsewhere.access)).status).toBe(404);
    expect((await refund(reader.access)).status).toBe(403);
    const done = await refund(refunder.access);
    expect(done.status, JSON.stringify(done.body)).toBe(200);
  });
});


describe("chat rooms are scoped to the wards staff may read chats in", () => {
  it("a support room of ward 71: staff of 71 see, list and join it; staff of 72 or without chat get 404", async () => {
    const citizen = await signedIn({ wardNumber: "71" });
    const room = await api("/api/v1/chat/rooms", { token: citizen.access, body: { type: "support", title: "Water" } });
    expect(room.status).toBe(201);
    const inWard = await signedIn({ userType: "admin", permissions: [{ permission_type: "chat", ward_numbers: ["71"] }] });
    const otherWard = await signedIn({ userType: "admin", permissions: [{ permission_type: "chat", ward_numbers: ["72"] }] });
    const noChat = await signedIn({ userType: "admin", permissions: [{ permission_type: "complaints" }] });
    const chief = await signedIn({ userType: "super_admin" });
    for (const who of [inWard, chief]) {
      expect((await api(`/api/v1/chat/rooms/${room.body.id}`, { token: who.access })).status).toBe(200);
      const listed = await api("/api/v1/chat/rooms?type=support&page_size=100", { token: who.access });
      expect(listed.body.results.some((r: { id: string }) => r.id === room.body.id)).toBe(true);
    }
    for (const who of [otherWard, noChat]) {
      expect((await api(`/api/v1/chat/rooms/${room.body.id}`, { token: who.access })).status).toBe(404);
      expect((await api(`/api/v1/chat/rooms/${room.body.id}/messages`, { token: who.access, body: { message: "hello" } })).status).toBe(404);
      const listed = await api("/api/v1/chat/rooms?type=support&page_size=100", { token: who.access });
      expect(listed.body.results.some((r: { id: string }) => r.id === room.body.id)).toBe(false);
    }
    expect((await api(`/api/v1/chat/rooms/${room.body.id}/messages`, { token: inWard.access, body: { message: "আমরা দেখছি" } })).status).toBe(201);
  });
});

describe("donations are read like payments: payments.read in the donor's ward", () => {
  it("staff of the donor's ward read a donation; others get 404", async () => {
    const donor = await signedIn({ wardNumber: "71" });
    const project = await createProject(); // its own: the suite's files share one database, in any order
    const started = await api("/api/v1/donations", { token: donor.access, body: { project_id: project.id, amount: "100.00", payment_method: "bkash", phone_number: donor.user.phone } });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const id = started.body.donation_id ?? started.body.id;
    const reader = await signedIn({ userType: "admin", permissions: [{ permission_type: "payments", ward_numbers: ["71"] }] });
    const elsewhere = await signedIn({ userType: "admin", permissions: [{ permission_type: "payments", ward_numbers: ["72"] }] });
    expect((await api(`/api/v1/donations/${id}`, { token: reader.access })).status).toBe(200);
    expect((await api(`/api/v1/donations/${id}`, { token: elsewhere.access })).status).toBe(404);
    expect((await api(`/api/v1/donations/${id}`, { token: donor.access })).status).toBe(200);
  });
});

describe("the payment catalogue is city-wide", () => {
  it("changes need an unrestricted payments grant for the action (403, nothing written); each is logged", async () => {
    const code = `svc_${crypto.randomUUID().slice(0, 8).replace(/-/g, "")}`;
    const body = { code, name_bn: "পরীক্ষা ফি", name_en: "Test fee", fee_type: "fixed", fixed_amount: "50.00" };
    const wardOnly = await signedIn({ userType: "admin", permissions: [{ permission_type: "payments", ward_numbers: ["71"], can_create: true, can_update: true, can_delete: true }] });
    const readOnly = await signedIn({ userType: "admin", permissions: [{ permission_type: "payments" }] });
    const keeper = await signedIn({ userType: "admin", permissions: [{ permission_type: "payments", can_create: true, can_update: true, can_delete: true }] });
    for (const who of [wardOnly, readOnly]) {
      const res = await api("/api/v1/payments/services", { token: who.access, body });
      expect([res.status, res.body.code]).toEqual([403, "forbidden"]);
    }
    expect((await api(`/api/v1/payments/services?include_inactive=true&page_size=100`, { token: keeper.access })).body.results.some((s: { code: string }) => s.code === code)).toBe(false);
    expect((await api("/api/v1/payments/services", { token: keeper.access, body })).status).toBe(201);
    expect((await api(`/api/v1/payments/services/${code}`, { method: "PATCH", token: wardOnly.access, body: { name_en: "Changed" } })).status).toBe(403);
    expect((await api(`/api/v1/payments/services/${code}`, { method: "PATCH", token: keeper.access, body: { name_en: "Changed" } })).status).toBe(200);
    expect((await api(`/api/v1/payments/services/${code}`, { method: "DELETE", token: wardOnly.access })).status).toBe(403);
    expect((await api(`/api/v1/payments/services/${code}`, { method: "DELETE", token: keeper.access })).status).toBe(200);
    const log = await api(`/api/v1/activity-log?resource_id=${code}`, { token: (await signedIn({ userType: "super_admin" })).access });
    expect(log.body.results.map((r: { action: string }) => r.action).sort()).toEqual(["payable_service.create", "payable_service.delete", "payable_service.update"]);
  });
});

describe("staff changes to accounts need users.update in the account's ward, and are logged", () => {
  it("outside one's wards 404; read only 403; update → changed and logged; refunds are logged too", async () => {
    const citizen = await signedIn({ wardNumber: "71" });
    const reader = await signedIn({ userType: "admin", permissions: [{ permission_type: "users", ward_numbers: ["71"] }] });
    const elsewhere = await signedIn({ userType: "admin", permissions: [{ permission_type: "users", ward_numbers: ["72"], can_update: true }] });
    const editor = await signedIn({ userType: "admin", permissions: [{ permission_type: "users", ward_numbers: ["71"], can_update: true }] });
    const patch = (token: string) => api(`/api/v1/users/${citizen.user.id}`, { method: "PUT", token, body: { name: "Rahim Uddin (verified)" } });
    expect((await patch(elsewhere.access)).status).toBe(404);
    expect((await patch(reader.access)).status).toBe(403);
    const done = await patch(editor.access);
    expect([done.status, done.body.name]).toEqual([200, "Rahim Uddin (verified)"]);
    const chief = await signedIn({ userType: "super_admin" });
    const log = await api(`/api/v1/activity-log?resource_id=${citizen.user.id}`, { token: chief.access });
    expect(log.body.results.map((r: { action: string; user_id: string }) => [r.action, r.user_id])).toEqual([["user.update", editor.user.id]]);

    const payer = await signedIn({ wardNumber: "71" });
    const paid = await completedPayment(payer.access, { amount: "120.00" });
    const refunder = await signedIn({ userType: "admin", permissions: [{ permission_type: "payments", ward_numbers: ["71"], can_update: true }] });
    expect((await api("/api/v1/payments/refund", { token: refunder.access, body: { payment_id: paid.payment_id, reason: "Duplicate" } })).status).toBe(200);
    const refundLog = await api(`/api/v1/activity-log?resource_id=${paid.payment_id}`, { token: chief.access });
    expect(refundLog.body.results.map((r: { action: string; user_id: string; details: { reason: string } }) => [r.action, r.user_id, r.details.reason])).toEqual([
      ["payment.refund", refunder.user.id, "Duplicate"],
    ]);
  });
});
