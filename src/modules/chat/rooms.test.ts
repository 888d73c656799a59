/** Chat rooms over REST (contract §6): opening, membership, listing with last message and unread count. */
import { describe, expect, it } from "vitest";
import { mustConnect, openSupportRoom, sendAndAck } from "../../../test/support/chat";
import { fileComplaint } from "../../../test/support/complaints";
import { signedIn } from "../../../test/support/factories";
import { api, statementCount } from "../../../test/support/http";

const send = (token: string, roomId: string, message: string) => api(`/api/v1/chat/rooms/${roomId}/messages`, { token, body: { message } });

describe("opening rooms", () => {
  it("a citizen opens a support room and is its member", async () => {
    const citizen = await signedIn({ name: "Rahima" });
    const res = await api("/api/v1/chat/rooms", { token: citizen.access, body: { type: "support", title: "Water bill question" } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      type: "support",
      complaint_id: null,
      title: "Water bill question",
      created_by: citizen.user.id,
      members: [{ id: citizen.user.id, name: "Rahima", user_type: "citizen" }],
      last_message: null,
      unread_count: 0,
      last_read_message_id: null,
    });
  });

  it("a complaint room is one per complaint: opening it again (or concurrently) returns the same room", async () => {
    const citizen = await signedIn();
    const staff = await signedIn({ userType: "admin" });
    const complaint = await fileComplaint(citizen.access);
    const body = { type: "complaint", complaint_id: complaint.id };

    const parallel = await Promise.all([1, 2, 3].map(() => api("/api/v1/chat/rooms", { token: citizen.access, body })));
    const ids = new Set(parallel.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(parallel.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect(parallel[0]!.body).toMatchObject({ type: "complaint", complaint_id: complaint.id, title: complaint.title });

    // Staff opening it get the same room and join it.
    const byStaff = await api("/api/v1/chat/rooms", { token: staff.access, body });
    expect(byStaff.status).toBe(200);
    expect(byStaff.body.id).toBe(parallel[0]!.body.id);
    expect(byStaff.body.members.map((m: { id: string }) => m.id).sort()).toEqual([citizen.user.id, staff.user.id].sort());
  });

  it("staff may open a complaint's room; its owner is in it from the start", async () => {
    const citizen = await signedIn();
    const staff = await signedIn({ userType: "super_admin" });
    const complaint = await fileComplaint(citizen.access);
    const res = await api("/api/v1/chat/rooms", { token: staff.access, body: { type: "complaint", complaint_id: complaint.id } });
    expect(res.status).toBe(201);
    const mine = await api("/api/v1/chat/rooms", { token: citizen.access });
    expect(mine.body.results.map((r: { id: string }) => r.id)).toContain(res.body.id);
  });

  it("a citizen cannot open a room on someone else's complaint, or a missing one (404, nothing created)", async () => {
    const owner = await signedIn();
    const other = await signedIn();
    const complaint = await fileComplaint(owner.access);
    for (const complaintId of [complaint.id, crypto.randomUUID()]) {
      const res = await api("/api/v1/chat/rooms", { token: other.access, body: { type: "complaint", complaint_id: complaintId } });
      expect(res.status).toBe(404);
    }
    expect((await api("/api/v1/chat/rooms", { token: other.access })).body.count).toBe(0);
  });

  it("validates the body and requires sign-in", async () => {
    const citizen = await signedIn();
    for (const body of [{}, { type: "group" }, { type: "complaint" }, { type: "support", complaint_id: crypto.randomUUID() }, { type: "support", extra: 1 }]) {
      const res = await api("/api/v1/chat/rooms", { token: citizen.access, body });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("validation_error");
    }
    expect((await api("/api/v1/chat/rooms", { body: { type: "support" } })).status).toBe(401);
    expect((await api("/api/v1/chat/rooms")).status).toBe(401);
  });
});

describe("who sees a room", () => {
  it("members and staff; anyone else gets 404 on every route", async () => {
    const citizen = await signedIn();
    const stranger = await signedIn();
    const staff = await signedIn({ userType: "admin" });
    const roomId = await openSupportRoom(citizen.access);
    const sent = await send(citizen.access, roomId, "hello");

    expect((await api(`/api/v1/chat/rooms/${roomId}`, { token: staff.access })).status).toBe(200);
    const routes: [string, unknown][] = [
      [`/api/v1/chat/rooms/${roomId}`, undefined],
      [`/api/v1/chat/rooms/${roomId}/messages`, undefined],
      [`/api/v1/chat/rooms/${roomId}/messages`, { message: "let me in" }],
      [`/api/v1/chat/rooms/${roomId}/read`, { message_id: sent.body.id }],
    ];
    for (const [path, body] of routes) {
      const res = await api(path, { token: stranger.access, body });
      expect(res.status, path).toBe(404);
    }
    expect((await api("/api/v1/chat/rooms", { token: stranger.access })).body.results).toEqual([]);
  });

  it("staff list every support room; citizens only their own", async () => {
    const a = await signedIn();
    const b = await signedIn();
    const staff = await signedIn({ userType: "admin" });
    const roomA = await openSupportRoom(a.access);
    const roomB = await openSupportRoom(b.access);
    const staffList = await api("/api/v1/chat/rooms?type=support&page_size=100", { token: staff.access });
    const staffIds = staffList.body.results.map((r: { id: string }) => r.id);
    expect(staffIds).toEqual(expect.arrayContaining([roomA, roomB]));
    const aList = await api("/api/v1/chat/rooms", { token: a.access });
    expect(aList.body.results.map((r: { id: string }) => r.id)).toEqual([roomA]);
  });
});

describe("room list", () => {
  it("shows the last message and unread count per room, in a fixed number of statements", async () => {
    const citizen = await signedIn({ name: "Rahima" });
    const staff = await signedIn({ userType: "admin", name: "Officer Karim" });
    const first = await openSupportRoom(citizen.access, "first");
    await send(staff.access, first, "we are on it");
    const one = await api("/api/v1/chat/rooms", { token: citizen.access });
    expect(one.body.count).toBe(1);
    const statementsForOne = statementCount(one);

    // Five more rooms, each with messages both ways and members joining.
    const rooms = [first];
    for (let i = 0; i < 5; i++) {
      const roomId = await openSupportRoom(citizen.access, `room ${i}`);
      rooms.push(roomId);
      await send(citizen.access, roomId, `question ${i}`);
      for (let j = 0; j <= i; j++) await send(staff.access, roomId, `answer ${i}.${j}`);
    }
    const six = await api("/api/v1/chat/rooms", { token: citizen.access });
    expect(six.status).toBe(200);
    expect(six.body.count).toBe(6);
    expect(statementCount(six)).toBe(statementsForOne);
    expect(statementsForOne).toBe(3); // sign-in, the page, the total

    // Most recently active first; last message and unread count (others' messages only).
    const newest = six.body.results[0];
    expect(newest.id).toBe(rooms[5]);
    expect(newest.last_message).toMatchObject({ message: "answer 4.4", sender_id: staff.user.id, sender_name: "Officer Karim", message_type: "text" });
    expect(newest.unread_count).toBe(5);
    const byId = new Map(six.body.results.map((r: { id: string; unread_count: number }) => [r.id, r.unread_count]));
    expect(rooms.map((id) => byId.get(id))).toEqual([1, 1, 2, 3, 4, 5]);
    // Staff see the citizen's question as unread in each room they are in.
    const staffView = await api(`/api/v1/chat/rooms/${rooms[3]}`, { token: staff.access });
    expect(staffView.body.unread_count).toBe(1);
  });

  it("reflects every acknowledged message at once: the sender's last message, the others' unread count", async () => {
    const citizen = await signedIn({ name: "Rahima" });
    const staff = await signedIn({ userType: "admin", name: "Officer Karim" });
    const older = await openSupportRoom(citizen.access, "older");
    const roomId = await openSupportRoom(citizen.access, "live");
    await send(citizen.access, older, "an older question");
    const citizenSocket = await mustConnect(roomId, citizen.access);
    const staffSocket = await mustConnect(roomId, staff.access);
    const inbox = async (token: string) => (await api("/api/v1/chat/rooms", { token })).body.results as { id: string; last_message: { message: string } | null; unread_count: number }[];

    // Socket: straight from the ack to the inbox, no waiting.
    for (let i = 1; i <= 3; i++) {
      await sendAndAck(citizenSocket, `socket ${i}`, `s-${i}`);
      const [top] = await inbox(citizen.access);
      expect(top).toMatchObject({ id: roomId, last_message: { message: `socket ${i}` }, unread_count: 0 });
      expect((await inbox(staff.access)).find((r) => r.id === roomId)).toMatchObject({ last_message: { message: `socket ${i}` }, unread_count: i });
    }

    // REST: the 201 means the inbox has it.
    const reply = await send(staff.access, roomId, "on our way");
    expect(reply.status).toBe(201);
    expect((await inbox(citizen.access))[0]).toMatchObject({ id: roomId, last_message: { message: "on our way" }, unread_count: 1 });

    // A read receipt over the socket: by the time the others hear of it, the reader's count is 0.
    citizenSocket.sendJson({ type: "read", message_id: reply.body.id });
    await staffSocket.next("read");
    expect((await inbox(citizen.access))[0]).toMatchObject({ id: roomId, unread_count: 0 });
    citizenSocket.close();
    staffSocket.close();
  });

  it("read receipts move the unread count and only move forward", async () => {
    const citizen = await signedIn();
    const staff = await signedIn({ userType: "admin" });
    const roomId = await openSupportRoom(citizen.access);
    const sent = [];
    for (let i = 0; i < 4; i++) sent.push((await send(staff.access, roomId, `update ${i}`)).body);
    expect((await api(`/api/v1/chat/rooms/${roomId}`, { token: citizen.access })).body.unread_count).toBe(4);

    const read = await api(`/api/v1/chat/rooms/${roomId}/read`, { token: citizen.access, body: { message_id: sent[1].id } });
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ room_id: roomId, user_id: citizen.user.id, last_read_message_id: sent[1].id });
    const after = await api(`/api/v1/chat/rooms/${roomId}`, { token: citizen.access });
    expect(after.body).toMatchObject({ unread_count: 2, last_read_message_id: sent[1].id });

    // An older receipt does not move the position back.
    const older = await api(`/api/v1/chat/rooms/${roomId}/read`, { token: citizen.access, body: { message_id: sent[0].id } });
    expect(older.body.last_read_message_id).toBe(sent[1].id);
    expect((await api(`/api/v1/chat/rooms/${roomId}`, { token: citizen.access })).body.unread_count).toBe(2);

    // A message that is not in this room is refused.
    const bogus = await api(`/api/v1/chat/rooms/${roomId}/read`, { token: citizen.access, body: { message_id: crypto.randomUUID() } });
    expect(bogus.status).toBe(400);
    expect(bogus.body.details.message_id).toHaveLength(1);
  });
});
