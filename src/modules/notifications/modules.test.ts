/** Every module's events through the one service: chat members who were away, waste pickups, staff alerts. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { mustConnect, openSupportRoom } from "../../../test/support/chat";
import { freshWard, raiseEmergency } from "../../../test/support/emergency";
import { signedIn, waitForSms, withServices } from "../../../test/support/factories";
import { api } from "../../../test/support/http";
import { inbox, registerDevice, waitForPushes } from "../../../test/support/push";
import { inHours, moveStatus, requestPickup } from "../../../test/support/waste";

const rowsFor = (userId: string, eventType: string) =>
  withServices(async ({ db }) => (await db.execute<{ title: string; body: string; category: string }>(sql`select title, body, category from notifications where user_id = ${userId} and event_type = ${eventType}`)).rows);

describe("chat", () => {
  it("a member with no open socket is notified (push, never SMS); one who is in the room is not", async () => {
    const citizen = await signedIn({ name: "Rahima" });
    const staff = await signedIn({ userType: "admin", name: "Desk Officer" });
    const roomId = await openSupportRoom(citizen.access);
    const token = await registerDevice(citizen.access);
    const sent = await api(`/api/v1/chat/rooms/${roomId}/messages`, { token: staff.access, body: { message: "আপনার অভিযোগটি দেখছি" } });
    expect(sent.status).toBe(201);
    const [push] = await waitForPushes(token);
    expect(push!.notification).toEqual({ title: "Desk Officer এর বার্তা", body: "আপনার অভিযোগটি দেখছি" });
    expect(push!.data).toMatchObject({ category: "chat", resource_type: "chat_room", resource_id: roomId });
    const row = (await inbox(citizen.access)).body.results[0];
    expect(row.category).toBe("chat");
    expect((await api(`/api/v1/dev/sms?phone=${encodeURIComponent(citizen.user.phone)}`)).body.results).toEqual([]);

    // In the room now: the next message comes over the socket, not as a notification.
    const socket = await mustConnect(roomId, citizen.access);
    await api(`/api/v1/chat/rooms/${roomId}/messages`, { token: staff.access, body: { message: "second" } });
    await socket.next("message");
    await api(`/api/v1/dev/chat/rooms/${roomId}/sync`, { method: "POST" });
    expect(await rowsFor(citizen.user.id, "chat.message")).toHaveLength(1);
    // The sender is never notified of their own message.
    expect(await rowsFor(staff.user.id, "chat.message")).toHaveLength(0);
    socket.close();
  });
});

describe("waste pickups", () => {
  it("staff scheduling a pickup tells the requester with the time in Bengali; their own cancellation does not", async () => {
    const citizen = await signedIn({ wardNumber: "150" });
    const admin = await signedIn({ userType: "super_admin" });
    const pickup = await requestPickup(citizen.access, { waste_type: "household", description: "Garden waste", location: "Road 4" });
    const when = inHours(30);
    expect((await moveStatus(admin.access, pickup.id, { status: "scheduled", scheduled_for: when })).status).toBe(200);
    const [scheduled] = await rowsFor(citizen.user.id, "waste.pickup_status");
    expect(scheduled!.category).toBe("waste");
    expect(scheduled!.body).toContain(pickup.reference_number);
    expect(scheduled!.body).toMatch(/[০-৯]{4}-[০-৯]{2}-[০-৯]{2} [০-৯]{2}:[০-৯]{2}/);
    const own = await requestPickup(citizen.access, { waste_type: "household", description: "More", location: "Road 4" });
    expect((await moveStatus(citizen.access, own.id, { status: "cancelled" })).status).toBe(200);
    expect(await rowsFor(citizen.user.id, "waste.pickup_status")).toHaveLength(1);
  });
});

describe("emergencies", () => {
  it("staff of the ward get the alert by push and SMS; the reporter's phone is in it", async () => {
    const ward = freshWard();
    const officer = await signedIn({ userType: "admin", permissions: [{ permission_type: "emergency", ward_numbers: [ward] }] });
    const token = await registerDevice(officer.access);
    const reporter = await signedIn({ wardNumber: ward });
    const e = await raiseEmergency(reporter.access);
    const [push] = await waitForPushes(token);
    expect(push!.notification.title).toBe(`জরুরি ${e.reference_number}`);
    expect(push!.notification.body).toContain(reporter.user.phone);
    expect(push!.android.priority).toBe("high");
    expect(await waitForSms(officer.user.phone)).toContain(e.reference_number);
  });
});
