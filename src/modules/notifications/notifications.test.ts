/** The inbox, devices and preferences, through real events (complaints, emergencies, payments). */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { fileComplaint } from "../../../test/support/complaints";
import { raiseEmergency, respond } from "../../../test/support/emergency";
import { signedIn, waitForSms, withServices } from "../../../test/support/factories";
import { api, roundTrips } from "../../../test/support/http";
import { deviceToken, inbox, pushesTo, registerDevice, waitDelivered, waitForPushes } from "../../../test/support/push";

const smsCount = async (phone: string) => (await api(`/api/v1/dev/sms?phone=${encodeURIComponent(phone)}`)).body.results.length as number;
const startWork = (admin: string, id: string) => api(`/api/v1/complaints/${id}/update_status`, { token: admin, body: { status: "in_progress" } });

describe("a complaint's status change", () => {
  it("lands in the owner's inbox and goes by push to their device, not by SMS", async () => {
    const citizen = await signedIn();
    const admin = await signedIn({ userType: "super_admin" });
    const token = await registerDevice(citizen.access);
    const complaint = await fileComplaint(citizen.access);
    expect((await startWork(admin.access, complaint.id)).status).toBe(200);

    const [push] = await waitForPushes(token);
    expect(push!.notification.title).toBe("অভিযোগের অবস্থা বদলেছে");
    expect(push!.notification.body).toContain(complaint.tracking_number);
    expect(push!.data).toMatchObject({ resource_type: "complaint", resource_id: complaint.id, deep_link: `cleancare://complaints/${complaint.id}`, category: "complaints" });
    const page = await inbox(citizen.access);
    expect(roundTrips(page)).toBe(1);
    expect(page.body.results).toHaveLength(1);
    expect(page.body.results[0]).toMatchObject({ category: "complaints", title: push!.notification.title, body: push!.notification.body, read_at: null, data: { resource_id: complaint.id } });
    await waitDelivered(citizen.user.id, "complaint.status_changed");
    expect(await smsCount(citizen.user.phone)).toBe(0);
  });

  it("without a device it falls back to SMS, and the inbox still has it", async () => {
    const citizen = await signedIn();
    const admin = await signedIn({ userType: "super_admin" });
    const complaint = await fileComplaint(citizen.access);
    await startWork(admin.access, complaint.id);
    expect(await waitForSms(citizen.user.phone)).toBe(`Clean Care: আপনার অভিযোগ ${complaint.tracking_number} এর অবস্থা এখন "প্রক্রিয়াধীন"।`);
    expect((await inbox(citizen.access)).body.results).toHaveLength(1);
  });

  it("speaks English to a user who chose English", async () => {
    const citizen = await signedIn();
    const admin = await signedIn({ userType: "super_admin" });
    expect((await api("/api/v1/notifications/preferences", { method: "PUT", token: citizen.access, body: { language: "en" } })).status).toBe(200);
    const token = await registerDevice(citizen.access);
    const complaint = await fileComplaint(citizen.access);
    await startWork(admin.access, complaint.id);
    const [push] = await waitForPushes(token);
    expect(push!.notification).toEqual({ title: "Complaint updated", body: `Your complaint ${complaint.tracking_number} is now "প্রক্রিয়াধীন".` });
  });

  it("a refused change (409) notifies nobody", async () => {
    const citizen = await signedIn();
    const admin = await signedIn({ userType: "super_admin" });
    const complaint = await fileComplaint(citizen.access);
    const skip = await api(`/api/v1/complaints/${complaint.id}/update_status`, { token: admin.access, body: { status: "resolved" } });
    expect(skip.status).toBe(409);
    expect((await inbox(citizen.access)).body.results).toEqual([]);
  });
});

describe("preferences", () => {
  it("default to everything on, Bengali, no quiet hours; PUT changes only what it names", async () => {
    const citizen = await signedIn();
    const defaults = await api("/api/v1/notifications/preferences", { token: citizen.access });
    expect(defaults.body).toEqual({ complaints: true, payments: true, notices: true, chat: true, emergencies: true, language: "bn", quiet_hours: null });
    const changed = await api("/api/v1/notifications/preferences", { method: "PUT", token: citizen.access, body: { chat: false, quiet_hours: { start: "22:30", end: "06:00" } } });
    expect(changed.body).toEqual({ ...defaults.body, chat: false, quiet_hours: { start: "22:30", end: "06:00" } });
    const again = await api("/api/v1/notifications/preferences", { method: "PUT", token: citizen.access, body: { language: "en" } });
    expect(again.body).toEqual({ ...changed.body, language: "en" });
    for (const bad of [{ language: "fr" }, { quiet_hours: { start: "25:00", end: "06:00" } }, { quiet_hours: { start: "06:00", end: "06:00" } }, { sms: true }]) {
      expect((await api("/api/v1/notifications/preferences", { method: "PUT", token: citizen.access, body: bad })).status).toBe(400);
    }
  });

  it("a category switched off gets the inbox row but no push and no SMS", async () => {
    const citizen = await signedIn();
    const admin = await signedIn({ userType: "super_admin" });
    await api("/api/v1/notifications/preferences", { method: "PUT", token: citizen.access, body: { complaints: false } });
    const token = await registerDevice(citizen.access);
    const complaint = await fileComplaint(citizen.access);
    await startWork(admin.access, complaint.id);
    await waitDelivered(citizen.user.id, "complaint.status_changed");
    expect(await pushesTo(token)).toEqual([]);
    expect(await smsCount(citizen.user.phone)).toBe(0);
    expect((await inbox(citizen.access)).body.results).toHaveLength(1);
  });

  it("quiet hours hold a push back until they end; an emergency still goes at once, by push and SMS", async () => {
    const citizen = await signedIn();
    const admin = await signedIn({ userType: "super_admin" });
    // A quiet window around the current Dhaka time.
    const dhakaMinutes = (Math.floor(Date.now() / 60_000) + 360) % 1440;
    const hhmm = (m: number) => `${String(Math.floor(((m + 1440) % 1440) / 60)).padStart(2, "0")}:${String((m + 1440) % 60).padStart(2, "0")}`;
    await api("/api/v1/notifications/preferences", { method: "PUT", token: citizen.access, body: { quiet_hours: { start: hhmm(dhakaMinutes - 30), end: hhmm(dhakaMinutes + 60) } } });
    const token = await registerDevice(citizen.access);
    const complaint = await fileComplaint(citizen.access);
    await startWork(admin.access, complaint.id);
    const emergency = await raiseEmergency(citizen.access);
    await respond(admin.access, emergency.id, { status: "in_progress" });

    const pushes = await waitForPushes(token, 1);
    expect(pushes.map((p) => p.data.event_type)).toEqual(["emergency.updated"]);
    expect(pushes[0]!.android.priority).toBe("high");
    expect(await waitForSms(citizen.user.phone)).toContain(emergency.reference_number);
    const { rows } = await withServices(({ db }) =>
      db.execute<{ status: string; after: string }>(sql`select delivery_status as status, deliver_after::text as after from notifications where user_id = ${citizen.user.id} and event_type = 'complaint.status_changed'`),
    );
    expect(rows[0]!.status).toBe("pending");
    const wait = (Date.parse(rows[0]!.after) - Date.now()) / 60_000;
    expect(wait).toBeGreaterThan(55);
    expect(wait).toBeLessThanOrEqual(61);
  });
});

describe("the inbox", () => {
  it("pages newest first by cursor, filters unread, counts and marks read — one round trip each", async () => {
    const citizen = await signedIn();
    const admin = await signedIn({ userType: "super_admin" });
    const complaints = [];
    for (let i = 0; i < 3; i++) complaints.push(await fileComplaint(citizen.access));
    for (const c of complaints) await startWork(admin.access, c.id);

    const first = await inbox(citizen.access, "?limit=2");
    expect(first.body.results).toHaveLength(2);
    expect(first.body.results[0].data.resource_id).toBe(complaints[2]!.id);
    const second = await inbox(citizen.access, `?limit=2&cursor=${first.body.next_cursor}`);
    expect(second.body.results.map((n: any) => n.data.resource_id)).toEqual([complaints[0]!.id]);
    expect(second.body.next_cursor).toBeNull();

    const count = await api("/api/v1/notifications/unread-count", { token: citizen.access });
    expect([count.body, roundTrips(count)]).toEqual([{ unread: 3 }, 1]);
    const one = await api(`/api/v1/notifications/${first.body.results[0].id}/read`, { method: "POST", token: citizen.access });
    expect(one.body.read_at).not.toBeNull();
    expect((await api(`/api/v1/notifications/${first.body.results[0].id}/read`, { method: "POST", token: citizen.access })).body.read_at).toBe(one.body.read_at);
    expect((await inbox(citizen.access, "?unread_only=true")).body.results).toHaveLength(2);
    const all = await api("/api/v1/notifications/read-all", { method: "POST", token: citizen.access });
    expect(all.body).toEqual({ updated: 2 });
    expect((await api("/api/v1/notifications/unread-count", { token: citizen.access })).body).toEqual({ unread: 0 });
  });

  it("is private: another user's notification is 404; bad cursors and limits are 400; no token is 401", async () => {
    const citizen = await signedIn();
    const other = await signedIn();
    const admin = await signedIn({ userType: "super_admin" });
    const c = await fileComplaint(citizen.access);
    await startWork(admin.access, c.id);
    const mine = (await inbox(citizen.access)).body.results[0];
    expect((await api(`/api/v1/notifications/${mine.id}/read`, { method: "POST", token: other.access })).status).toBe(404);
    expect((await inbox(other.access)).body.results).toEqual([]);
    expect((await inbox(citizen.access, "?cursor=garbage")).status).toBe(400);
    expect((await inbox(citizen.access, "?limit=1000")).status).toBe(400);
    expect((await api("/api/v1/notifications")).status).toBe(401);
  });
});

describe("devices", () => {
  it("register (201, then 200 on repeat), move to whoever signs in next on the device, and delete", async () => {
    const first = await signedIn();
    const second = await signedIn();
    const token = deviceToken();
    expect((await api("/api/v1/notifications/devices", { token: first.access, body: { token, platform: "ios" } })).status).toBe(201);
    expect((await api("/api/v1/notifications/devices", { token: first.access, body: { token, platform: "ios", app_version: "2.5.0" } })).status).toBe(200);
    expect((await api("/api/v1/notifications/devices", { token: second.access, body: { token, platform: "ios" } })).status).toBe(201);
    const owner = await withServices(({ db }) => db.execute<{ user_id: string }>(sql`select user_id from notification_devices where token = ${token}`));
    expect(owner.rows).toEqual([{ user_id: second.user.id }]);
    expect((await api(`/api/v1/notifications/devices/${token}`, { method: "DELETE", token: first.access })).status).toBe(404);
    expect((await api(`/api/v1/notifications/devices/${token}`, { method: "DELETE", token: second.access })).status).toBe(204);
    for (const body of [{ token: "short", platform: "android" }, { token: deviceToken(), platform: "symbian" }, { token: `${deviceToken()} spaces`, platform: "web" }, { token: deviceToken() }]) {
      expect((await api("/api/v1/notifications/devices", { token: first.access, body })).status).toBe(400);
    }
  });
});
