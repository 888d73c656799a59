/** The activity log: written with the change it records (and only then), append-only, readable by super admins. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { fileComplaint } from "../../../test/support/complaints";
import { signedIn, withServices } from "../../../test/support/factories";
import { api } from "../../../test/support/http";

const asOfficer = { "cf-connecting-ip": "203.0.113.7", "user-agent": "CleanCare-Dashboard/1.0" };

describe("activity log", () => {
  it("each staff change writes one entry with who, what and from where; a refused change writes none", async () => {
    const boss = await signedIn({ userType: "super_admin" });
    const admin = await signedIn({ userType: "admin" });
    const citizen = await signedIn();
    const complaint = await fileComplaint(citizen.access);

    const moved = await api(`/api/v1/complaints/${complaint.id}/update_status`, { token: admin.access, headers: asOfficer, body: { status: "in_progress", comment: "crew sent" } });
    expect(moved.status).toBe(200);
    const refused = await api(`/api/v1/complaints/${complaint.id}/update_status`, { token: admin.access, headers: asOfficer, body: { status: "submitted" } });
    expect(refused.status).toBe(409);
    expect((await api(`/api/v1/complaints/${complaint.id}/assign`, { token: admin.access, headers: asOfficer, body: { assigned_to: admin.user.id } })).status).toBe(200);

    const log = await api(`/api/v1/activity-log?resource_type=complaint&resource_id=${complaint.id}`, { token: boss.access });
    expect(log.status).toBe(200);
    expect(log.body.results.map((e: { action: string }) => e.action)).toEqual(["complaint.assign", "complaint.status_change"]);
    expect(log.body.results[1]).toMatchObject({
      user_id: admin.user.id,
      resource_type: "complaint",
      resource_id: complaint.id,
      ip_address: "203.0.113.7",
      user_agent: "CleanCare-Dashboard/1.0",
      details: { old_status: complaint.status, new_status: "প্রক্রিয়াধীন", comment: "crew sent" },
    });
    // The citizen's own actions are not staff activity.
    expect((await api(`/api/v1/activity-log?user_id=${citizen.user.id}`, { token: boss.access })).body.results).toEqual([]);
  });

  it("admin-user changes are logged; the per-user log and cursor pages walk every entry once", async () => {
    const boss = await signedIn({ userType: "super_admin" });
    const admin = await signedIn({ userType: "admin" });
    for (const name of ["One", "Two", "Three"]) {
      expect((await api(`/api/v1/admin-users/${admin.user.id}`, { method: "PATCH", token: boss.access, body: { name } })).status).toBe(200);
    }
    expect((await api(`/api/v1/admin-users/${admin.user.id}/permissions`, { method: "PUT", token: boss.access, body: [] })).status).toBe(200);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await api(`/api/v1/admin-users/${boss.user.id}/activity-log?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token: boss.access });
      expect(page.status).toBe(200);
      expect(page.body.results.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.results.map((e: { id: string; action: string }) => e.action));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(["admin_user.permissions", "admin_user.update", "admin_user.update", "admin_user.update"]);
    expect((await api("/api/v1/activity-log?cursor=not-a-cursor", { token: boss.access })).status).toBe(400);
  });

  it("is append-only: the database refuses to edit or delete an entry", async () => {
    const boss = await signedIn({ userType: "super_admin" });
    const admin = await signedIn({ userType: "admin" });
    await api(`/api/v1/admin-users/${admin.user.id}`, { method: "PATCH", token: boss.access, body: { name: "Logged" } });
    const attempt = (statement: ReturnType<typeof sql>) => withServices(({ db }) => db.execute(statement)).then(() => "changed", (err: unknown) => String((err as Error).cause ?? err));
    expect(await attempt(sql`update activity_logs set action = 'forged' where user_id = ${boss.user.id}`)).toMatch(/append-only/);
    expect(await attempt(sql`delete from activity_logs where user_id = ${boss.user.id}`)).toMatch(/append-only/);
    const log = await api(`/api/v1/admin-users/${boss.user.id}/activity-log`, { token: boss.access });
    expect(log.body.results.map((e: { action: string }) => e.action)).toEqual(["admin_user.update"]);
  });

  it("staff sign-ins are logged (with where from); citizens' are not", async () => {
    const boss = await signedIn({ userType: "super_admin" });
    const admin = await signedIn({ userType: "admin", password: "Officer@2026" });
    const citizen = await signedIn({ password: "Citizen@2026" });
    expect((await api("/api/v1/auth/login", { headers: asOfficer, body: { phone: admin.user.phone, password: "Officer@2026" } })).status).toBe(200);
    expect((await api("/api/v1/auth/login", { body: { phone: citizen.user.phone, password: "Citizen@2026" } })).status).toBe(200);
    const staffLog = await api(`/api/v1/activity-log?user_id=${admin.user.id}&action=auth.login`, { token: boss.access });
    expect(staffLog.body.results).toHaveLength(1);
    expect(staffLog.body.results[0]).toMatchObject({ resource_id: admin.user.id, ip_address: "203.0.113.7" });
    expect((await api(`/api/v1/activity-log?user_id=${citizen.user.id}`, { token: boss.access })).body.results).toEqual([]);
  });
});
