/** Staff accounts and permissions (contract §9): what a super admin can do, and who else cannot. */
import { describe, expect, it } from "vitest";
import { signedIn, waitForSms } from "../../../test/support/factories";
import { api, roundTrips } from "../../../test/support/http";

const phone = () => `+88017${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
const fullComplaints = { permission_type: "complaints", ward_numbers: ["71"], can_create: true, can_read: true, can_update: true, can_delete: false };

describe("staff accounts (happy)", () => {
  it("a super admin creates an admin with permissions; the admin signs in; list and detail show the permissions", async () => {
    const boss = await signedIn({ userType: "super_admin" });
    const number = phone();
    const created = await api("/api/v1/admin-users", {
      token: boss.access,
      body: { phone: number, name: "Ward 71 officer", user_type: "admin", password: "Officer@2026", ward_number: "71", permissions: [fullComplaints] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ phone: number, user_type: "admin", is_active: true, is_verified: true, ward_number: "71", permissions: [fullComplaints] });
    expect(roundTrips(created)).toBe(1);

    const login = await api("/api/v1/auth/login", { body: { phone: number, password: "Officer@2026" } });
    expect(login.status).toBe(200);
    expect(login.body.user.user_type).toBe("admin");

    const detail = await api(`/api/v1/admin-users/${created.body.id}`, { token: boss.access });
    expect(detail.body.permissions).toEqual([fullComplaints]);
    const list = await api("/api/v1/admin-users?user_type=admin&page_size=100", { token: boss.access });
    expect(list.status).toBe(200);
    expect(list.body.results.every((u: { user_type: string }) => u.user_type === "admin")).toBe(true);
    expect(list.body.results.find((u: { id: string }) => u.id === created.body.id)?.permissions).toEqual([fullComplaints]);
    expect(roundTrips(list)).toBe(1);
  });

  it("without a password the new staff member is invited by SMS and sets one with the reset code", async () => {
    const boss = await signedIn({ userType: "super_admin" });
    const number = phone();
    const created = await api("/api/v1/admin-users", { token: boss.access, body: { phone: number, name: "Collector", user_type: "service_provider" } });
    expect(created.status).toBe(201);
    expect(created.body.permissions).toEqual([]);
    expect(await waitForSms(number)).toContain("পাসওয়ার্ড ভুলে গেছি");
    expect((await api("/api/v1/auth/password-reset/request", { body: { phone: number } })).status).toBe(202);
    const code = (await waitForSms(number, 1)).match(/\d{6}/)![0];
    expect((await api("/api/v1/auth/password-reset/confirm", { body: { phone: number, otp_code: code, new_password: "Collector@2026" } })).status).toBe(200);
    expect((await api("/api/v1/auth/login", { body: { phone: number, password: "Collector@2026" } })).status).toBe(200);
  });

  it("PUT permissions replaces the whole set; GET returns it", async () => {
    const boss = await signedIn({ userType: "super_admin" });
    const admin = await signedIn({ userType: "admin" });
    const set = [
      { permission_type: "notices", ward_numbers: [], can_create: true, can_read: true, can_update: true, can_delete: true },
      { permission_type: "complaints", ward_numbers: ["15", "16"], can_create: false, can_read: true, can_update: false, can_delete: false },
    ];
    const put = await api(`/api/v1/admin-users/${admin.user.id}/permissions`, { method: "PUT", token: boss.access, body: set });
    expect(put.status).toBe(200);
    const byType = (list: { permission_type: string }[]) => [...list].sort((a, b) => a.permission_type.localeCompare(b.permission_type));
    expect(byType(put.body)).toEqual(byType(set));
    const got = await api(`/api/v1/admin-users/${admin.user.id}/permissions`, { token: boss.access });
    expect(byType(got.body)).toEqual(byType(set)); // the "all" grant the factory gave is gone: replaced, not merged
    expect((await api(`/api/v1/admin-users/${admin.user.id}/permissions`, { method: "PUT", token: boss.access, body: [] })).body).toEqual([]);
  });

  it("deactivating ends the staff member's session at once; they are listed as inactive", async () => {
    const boss = await signedIn({ userType: "super_admin" });
    const admin = await signedIn({ userType: "admin" });
    expect((await api("/api/v1/users/profile", { token: admin.access })).status).toBe(200);
    const gone = await api(`/api/v1/admin-users/${admin.user.id}`, { method: "DELETE", token: boss.access });
    expect(gone.status).toBe(200);
    expect([401, 403]).toContain((await api("/api/v1/users/profile", { token: admin.access })).status);
    expect((await api("/api/v1/auth/refresh", { body: { refresh: admin.refresh } })).status).toBeGreaterThanOrEqual(400);
    const detail = await api(`/api/v1/admin-users/${admin.user.id}`, { token: boss.access });
    expect(detail.body.is_active).toBe(false);
  });
});

describe("staff accounts (errors)", () => {
  it("duplicate phone → 400 on phone; bad permission sets → 400; non-admin permissions → 409; unknown → 404", async () => {
    const boss = await signedIn({ userType: "super_admin" });
    const existing = await signedIn();
    const dup = await api("/api/v1/admin-users", { token: boss.access, body: { phone: existing.user.phone, name: "X", user_type: "admin", password: "Officer@2026" } });
    expect(dup.status).toBe(400);
    expect(dup.body.details.phone).toHaveLength(1);

    const admin = await signedIn({ userType: "admin" });
    const twice = [fullComplaints, fullComplaints];
    expect((await api(`/api/v1/admin-users/${admin.user.id}/permissions`, { method: "PUT", token: boss.access, body: twice })).status).toBe(400);
    const badWard = [{ ...fullComplaints, ward_numbers: ["seventy"] }];
    expect((await api(`/api/v1/admin-users/${admin.user.id}/permissions`, { method: "PUT", token: boss.access, body: badWard })).status).toBe(400);
    const badType = [{ ...fullComplaints, permission_type: "everything" }];
    expect((await api(`/api/v1/admin-users/${admin.user.id}/permissions`, { method: "PUT", token: boss.access, body: badType })).status).toBe(400);

    const provider = await signedIn({ userType: "service_provider" });
    const refused = await api(`/api/v1/admin-users/${provider.user.id}/permissions`, { method: "PUT", token: boss.access, body: [fullComplaints] });
    expect(refused.status).toBe(409);
    expect((await api(`/api/v1/admin-users/${crypto.randomUUID()}/permissions`, { method: "PUT", token: boss.access, body: [] })).status).toBe(404);
    const citizen = await signedIn();
    expect((await api(`/api/v1/admin-users/${citizen.user.id}`, { token: boss.access })).status).toBe(404); // not a staff account
  });

  it("a super admin cannot change their own role or status (409)", async () => {
    const boss = await signedIn({ userType: "super_admin" });
    expect((await api(`/api/v1/admin-users/${boss.user.id}`, { method: "PATCH", token: boss.access, body: { user_type: "admin" } })).status).toBe(409);
    expect((await api(`/api/v1/admin-users/${boss.user.id}`, { method: "DELETE", token: boss.access })).status).toBe(409);
    expect((await api(`/api/v1/admin-users/${boss.user.id}`, { method: "PATCH", token: boss.access, body: { name: "Renamed" } })).body.name).toBe("Renamed");
  });
});

describe("staff accounts (security)", () => {
  it("only a super admin may use any of these routes", async () => {
    const target = await signedIn({ userType: "admin" });
    const routes: [string, string, unknown?][] = [
      ["GET", "/api/v1/admin-users"],
      ["POST", "/api/v1/admin-users", { phone: phone(), name: "X", user_type: "admin", password: "Officer@2026" }],
      ["GET", `/api/v1/admin-users/${target.user.id}`],
      ["PATCH", `/api/v1/admin-users/${target.user.id}`, { name: "X" }],
      ["DELETE", `/api/v1/admin-users/${target.user.id}`],
      ["GET", `/api/v1/admin-users/${target.user.id}/permissions`],
      ["PUT", `/api/v1/admin-users/${target.user.id}/permissions`, []],
      ["GET", `/api/v1/admin-users/${target.user.id}/activity-log`],
      ["GET", "/api/v1/activity-log"],
    ];
    const callers = [await signedIn(), await signedIn({ userType: "admin" }), await signedIn({ userType: "service_provider" })];
    for (const [method, path, body] of routes) {
      expect((await api(path, { method, body })).status, `${method} ${path} anonymous`).toBe(401);
      for (const caller of callers) expect((await api(path, { method, body, token: caller.access })).status, `${method} ${path} ${caller.user.userType}`).toBe(403);
    }
    expect((await api(`/api/v1/admin-users/${target.user.id}`, { token: (await signedIn({ userType: "super_admin" })).access })).body.is_active).toBe(true);
  });
});
