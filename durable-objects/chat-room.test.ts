/** The live room over WebSockets: who gets in, order and acks, replay, idempotent resends, fan-out. */
import { env, runInDurableObject, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { readConfig } from "../src/env";
import { signAccessToken } from "../src/lib/tokens";
import { signedIn, type SignedInUser } from "../test/support/factories";
import { api } from "../test/support/http";
import { connect, mustConnect, openSupportRoom, roomStub, sendAndAck, type TestSocket } from "../test/support/chat";
import type { Frame } from "../test/support/chat";
import type { ChatRoom } from "./chat-room";

const secret = () => readConfig(env).JWT_SECRET;

async function room() {
  const citizen = await signedIn({ name: "Rahima" });
  const staff = await signedIn({ userType: "admin", name: "Officer Karim" });
  const roomId = await openSupportRoom(citizen.access);
  return { citizen, staff, roomId };
}

function say(socket: TestSocket, message: string, clientMsgId?: string, extra: Record<string, unknown> = {}) {
  socket.sendJson({ type: "message", message, ...(clientMsgId ? { client_msg_id: clientMsgId } : {}), ...extra });
}

describe("joining a room", () => {
  it("refuses anonymous clients, bad tokens and non-members before the upgrade (no socket)", async () => {
    const { roomId } = await room();
    const stranger = await signedIn();

    const anonymous = await connect(roomId);
    expect(anonymous.status).toBe(401);
    expect(anonymous.socket).toBeUndefined();
    expect(anonymous.body.code).toBe("unauthorized");

    const forged = await connect(roomId, { token: "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoieCJ9.bad-signature" });
    expect(forged.status).toBe(401);

    const outsider = await connect(roomId, { token: stranger.access });
    expect(outsider.status).toBe(403);
    expect(outsider.socket).toBeUndefined();
    expect(outsider.body.code).toBe("forbidden");

    const noRoom = await connect(crypto.randomUUID(), { token: stranger.access });
    expect(noRoom.status).toBe(403);
  });

  it("refuses an expired token with token_expired, a bad `since` with 400, and a plain GET with 426", async () => {
    const { citizen, roomId } = await room();
    const expired = await signAccessToken(secret(), citizen.user, -10);
    const res = await connect(roomId, { token: expired });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe("token_expired");

    expect((await connect(roomId, { token: citizen.access, since: "not-an-id" })).status).toBe(400);

    const plain = await api(`/ws/chat/${roomId}?token=${citizen.access}`);
    expect(plain.status).toBe(426);
    expect(plain.body.code).toBe("upgrade_required");
  });

  it("lives outside /api/v1 and takes an optional trailing slash like every route", async () => {
    const { citizen, roomId } = await room();
    const slash = await SELF.fetch(`http://api.test/ws/chat/${roomId}/?token=${citizen.access}`, { headers: { upgrade: "websocket" } });
    expect(slash.status).toBe(101);
    slash.webSocket!.accept();
    slash.webSocket!.close();
    expect((await api(`/api/v1/ws/chat/${roomId}?token=${citizen.access}`, { headers: { upgrade: "websocket" } })).status).toBe(404);
  });

  it("accepts the token in Sec-WebSocket-Protocol and answers with the `bearer` subprotocol", async () => {
    const { citizen, roomId } = await room();
    const res = await connect(roomId, { protocols: ["bearer", citizen.access] });
    expect(res.status).toBe(101);
    expect(res.protocol).toBe("bearer");
    res.socket!.close();
  });

  it("lets staff join any support room (and makes them a member)", async () => {
    const { staff, roomId } = await room();
    const other = await signedIn({ userType: "super_admin" });
    for (const s of [staff, other]) {
      const res = await connect(roomId, { token: s.access });
      expect(res.status).toBe(101);
      res.socket!.close();
    }
    const read = await api(`/api/v1/chat/rooms/${roomId}`, { token: staff.access });
    expect(read.body.members.map((m: { id: string }) => m.id)).toEqual(expect.arrayContaining([staff.user.id, other.user.id]));
  });

  it("ignores x-chat-* identity headers sent by a client", async () => {
    const { citizen, staff, roomId } = await room();
    const res = await connect(roomId, { token: citizen.access, headers: { "x-chat-user-id": staff.user.id, "x-chat-user-name": "Officer" } });
    const listener = await mustConnect(roomId, staff.access);
    say(res.socket!, "who am I?");
    const frame = await listener.next("message");
    expect(frame.sender_id).toBe(citizen.user.id);
    expect(frame.sender_name).toBe("Rahima");
    res.socket!.close();
    listener.close();
  });
});

describe("talking", () => {
  it("three clients exchange messages in one order; each sender gets its ack once the message is stored", async () => {
    const { citizen, staff, roomId } = await room();
    const second = await signedIn({ userType: "super_admin", name: "Supervisor" });
    const sockets = [await mustConnect(roomId, citizen.access), await mustConnect(roomId, staff.access), await mustConnect(roomId, second.access)];
    const senders: SignedInUser[] = [citizen, staff, second];

    // Each round all three talk at once; each waits for its ack before its next message.
    const acks: Frame[][] = [[], [], []];
    for (let round = 0; round < 3; round++) {
      await Promise.all(sockets.map(async (s, i) => acks[i]!.push(await sendAndAck(s, `r${round} from ${i}`, `c-${round}-${i}`))));
    }
    const seen = await Promise.all(sockets.map((s) => s.take("message", 9)));

    // Everyone saw the same nine messages in the same order, with ids increasing.
    const order = seen[0]!.map((m) => m.id);
    for (const frames of seen) expect(frames.map((m) => m.id)).toEqual(order);
    expect([...order].sort()).toEqual(order);
    // Every ack names a message that was broadcast, sent by the one who got the ack.
    sockets.forEach((_, i) => {
      for (const ack of acks[i]!) {
        const message = seen[0]!.find((m) => m.id === ack.id)!;
        expect(message.client_msg_id).toBe(ack.client_msg_id);
        expect(message.sender_id).toBe(senders[i]!.user.id);
      }
    });
    // A sender's own messages arrive in the order it sent them.
    const fromCitizen = seen[1]!.filter((m) => m.sender_id === citizen.user.id).map((m) => m.message);
    expect(fromCitizen).toEqual(["r0 from 0", "r1 from 0", "r2 from 0"]);
    sockets.forEach((s) => s.close());
  });

  it("a forged sender_id / sender_name in the payload is ignored", async () => {
    const { citizen, staff, roomId } = await room();
    const a = await mustConnect(roomId, citizen.access);
    const b = await mustConnect(roomId, staff.access);
    say(a, "pay the fine to this number", "forged-1", { sender_id: staff.user.id, sender_name: "Officer Karim", id: crypto.randomUUID() });
    const seen = await b.next("message");
    expect(seen.sender_id).toBe(citizen.user.id);
    expect(seen.sender_name).toBe("Rahima");
    expect((await a.next("ack")).id).toBe(seen.id);
    a.close();
    b.close();
  });

  it("REST send reaches socket clients, the sender's own sockets included", async () => {
    const { citizen, staff, roomId } = await room();
    const staffSocket = await mustConnect(roomId, staff.access);
    const citizenSocket = await mustConnect(roomId, citizen.access);
    const res = await api(`/api/v1/chat/rooms/${roomId}/messages`, { token: citizen.access, body: { message: "sent from the form", client_msg_id: "rest-1" } });
    expect(res.status).toBe(201);
    for (const s of [staffSocket, citizenSocket]) {
      const frame = await s.next("message");
      expect(frame).toMatchObject({ id: res.body.id, message: "sent from the form", sender_id: citizen.user.id, client_msg_id: "rest-1" });
    }
    staffSocket.close();
    citizenSocket.close();
  });

  it("typing and read events fan out to the others; the read position persists", async () => {
    const { citizen, staff, roomId } = await room();
    const a = await mustConnect(roomId, citizen.access);
    const b = await mustConnect(roomId, staff.access);
    a.sendJson({ type: "typing" });
    expect(await b.next("typing")).toEqual({ type: "typing", user_id: citizen.user.id });
    expect(await a.quiet("typing")).toEqual([]); // not echoed to the typist

    say(a, "one", "t-1");
    say(a, "two", "t-2");
    const [, second] = await b.take("message", 2);
    b.sendJson({ type: "read", message_id: second!.id });
    expect(await a.next("read")).toEqual({ type: "read", user_id: staff.user.id, message_id: second!.id });

    // Unknown message: an error frame, nothing fanned out.
    b.sendJson({ type: "read", message_id: crypto.randomUUID() });
    expect((await b.next("error")).code).toBe("not_found");

    await api(`/api/v1/dev/chat/rooms/${roomId}/sync`, { method: "POST" });
    const listed = await api(`/api/v1/chat/rooms/${roomId}`, { token: staff.access });
    expect(listed.body.last_read_message_id).toBe(second!.id);
    expect(listed.body.unread_count).toBe(0);
    a.close();
    b.close();
  });

  it("answers ping without waking the object (runtime auto-response; no flood tokens spent)", async () => {
    const { citizen, roomId } = await room();
    const a = await mustConnect(roomId, citizen.access);
    for (let i = 0; i < 60; i++) a.ws.send('{"type":"ping"}');
    const pongs = await a.take("pong", 60);
    expect(pongs).toHaveLength(60);
    expect(await a.quiet("error")).toEqual([]); // 60 frames at once would have tripped flood control
    const answered = await runInDurableObject(roomStub(roomId), (_: ChatRoom, state) =>
      state.getWebSockets().some((ws) => state.getWebSocketAutoResponseTimestamp(ws) !== null),
    );
    expect(answered).toBe(true);
    a.close();
  });
});

describe("reconnecting", () => {
  it("`since` replays exactly the messages missed, in order", async () => {
    const { citizen, staff, roomId } = await room();
    const a = await mustConnect(roomId, citizen.access);
    let b = await mustConnect(roomId, staff.access);
    await sendAndAck(a, "before", "s-0");
    const lastSeen = await b.next("message");
    b.close();
    await b.closed;

    for (let i = 1; i <= 4; i++) await sendAndAck(a, `missed ${i}`, `s-${i}`);

    b = await mustConnect(roomId, staff.access, lastSeen.id);
    const replayed = await b.take("message", 4);
    expect(replayed.map((m) => m.message)).toEqual(["missed 1", "missed 2", "missed 3", "missed 4"]);
    expect(await b.quiet("message")).toEqual([]);

    // Live messages follow the replay on the same socket.
    say(a, "live", "s-5");
    expect((await b.next("message")).message).toBe("live");

    // Nothing missed → nothing replayed.
    const c = await mustConnect(roomId, citizen.access, replayed[3]!.id);
    const afterLive = await c.quiet("message");
    expect(afterLive.map((m) => m.message)).toEqual(["live"]);
    [a, b, c].forEach((s) => s.close());
  });

  it("a resend with the same client_msg_id is acked with the same id and not stored or broadcast twice", async () => {
    const { citizen, staff, roomId } = await room();
    let a = await mustConnect(roomId, citizen.access);
    const b = await mustConnect(roomId, staff.access);
    say(a, "did this arrive?", "resend-1");
    const first = await a.next("ack");
    a.close();
    a = await mustConnect(roomId, citizen.access);
    say(a, "did this arrive?", "resend-1");
    const again = await a.next("ack");
    expect(again).toMatchObject({ id: first.id, client_msg_id: "resend-1", duplicate: true });

    expect(await b.take("message", 1)).toHaveLength(1);
    expect(await b.quiet("message")).toEqual([]);

    // The same key from someone else is a conflict, not their message.
    say(b, "mine?", "resend-1");
    expect(await b.next("error")).toMatchObject({ code: "conflict", client_msg_id: "resend-1" });

    const sync = await api(`/api/v1/dev/chat/rooms/${roomId}/sync?include_ids=true`, { method: "POST" });
    expect(sync.body.postgres).toMatchObject({ messages: 1, client_msg_ids: ["resend-1"] });
    a.close();
    b.close();
  });
});

describe("limits", () => {
  it("text over 4,000 characters gets an error frame and goes nowhere; 4,000 Bengali characters pass", async () => {
    const { citizen, staff, roomId } = await room();
    const a = await mustConnect(roomId, citizen.access);
    const b = await mustConnect(roomId, staff.access);
    say(a, "x".repeat(4001), "long-1");
    expect(await a.next("error")).toMatchObject({ code: "payload_too_large", client_msg_id: "long-1" });
    say(a, "অ".repeat(4000), "long-2");
    expect((await a.next("ack")).client_msg_id).toBe("long-2");
    const got = await b.next("message");
    expect(got.client_msg_id).toBe("long-2");
    expect(await b.quiet("message")).toEqual([]);

    a.sendJson({ type: "message", message: "   " });
    expect((await a.next("error")).code).toBe("validation_error");
    a.ws.send("not json");
    expect((await a.next("error")).code).toBe("invalid_json");
    a.sendJson({ type: "message", message: "look", message_type: "image", file_url: "https://evil.example/x.jpg" });
    expect((await a.next("error")).code).toBe("validation_error");
    a.close();
    b.close();
  });

  it("flooding: beyond the burst a sender gets rate_limited errors; one that keeps on is closed with 1008", async () => {
    const { citizen, staff, roomId } = await room();
    const a = await mustConnect(roomId, citizen.access);
    const b = await mustConnect(roomId, staff.access);
    for (let i = 0; i < 80; i++) say(a, `spam ${i}`, `f-${i}`);
    const closed = await a.closed;
    expect(closed.code).toBe(1008);
    const limited = a.frames.filter((f) => f.type === "error" && f.code === "rate_limited");
    expect(limited.length).toBeGreaterThan(0);
    // The burst reached the room, and nothing beyond it. (Acks wait for the copy to Postgres, so
    // the socket may be closed before some of them could be sent: the resend by client_msg_id
    // gets them as duplicates.)
    // (In this harness frames sent back to back may reach the room out of order: docs/chat.md, "Order".)
    const delivered = await b.quiet("message", 500);
    expect(delivered.length).toBeGreaterThanOrEqual(20);
    expect(delivered.length).toBeLessThan(30);
    expect(new Set(delivered.map((m) => m.message)).size).toBe(delivered.length);
    const deliveredIds = delivered.map((m) => m.id);
    const acked = a.frames.filter((f) => f.type === "ack").map((f) => f.id as string);
    // Every ack is for a message that reached the room, in the room's order.
    expect(acked.map((id) => deliveredIds.indexOf(id))).toEqual(acked.map((id) => deliveredIds.indexOf(id)).filter((i) => i >= 0).sort((x, y) => x - y));

    // A calmer client is unaffected.
    const c = await mustConnect(roomId, citizen.access);
    say(c, "sorry", "calm-1");
    expect((await c.next("ack")).client_msg_id).toBe("calm-1");
    b.close();
    c.close();
  });

  it("an idle socket whose token expires is closed with 4001 by the room's alarm", async () => {
    const { citizen, roomId } = await room();
    const idle = await mustConnect(roomId, await signAccessToken(secret(), citizen.user, 2));
    const closed = await Promise.race([idle.closed, new Promise<null>((r) => setTimeout(() => r(null), 6000))]);
    expect(closed).toEqual({ code: 4001, reason: "token_expired" });
    expect(idle.frames.at(-1)).toMatchObject({ type: "error", code: "token_expired" });
  });

  it("a frame sent after the token expired is refused and the socket closed with 4001", async () => {
    const { citizen, staff, roomId } = await room();
    const socket = await mustConnect(roomId, await signAccessToken(secret(), citizen.user, 2));
    const listener = await mustConnect(roomId, staff.access);
    // Take the expiry alarm away, so that only the frame path can notice.
    await runInDurableObject(roomStub(roomId), (_: ChatRoom, state) => state.storage.deleteAlarm());
    await new Promise((r) => setTimeout(r, 2200));
    say(socket, "still there?");
    expect(await socket.closed).toEqual({ code: 4001, reason: "token_expired" });
    expect(socket.frames.filter((f) => f.type === "ack")).toEqual([]);
    expect(await listener.quiet("message")).toEqual([]);
    listener.close();
  });
});
