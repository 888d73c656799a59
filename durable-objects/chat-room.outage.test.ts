/**
 * Postgres unreachable while people talk. This file runs in the `outage` vitest project, whose
 * worker reaches Postgres through a relay the test can cut off (test/node/outage-relay.ts): the
 * outage is real — connections are reset at the network level — but only this worker sees it.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { chatMessages } from "../src/db/schema";
import { signedIn, withServices } from "../test/support/factories";
import { api } from "../test/support/http";
import { BASE } from "../test/support/http";
import { eventually, evictRoom, mustConnect, openSupportRoom, roomStub, sendAndAck } from "../test/support/chat";
import type { ChatRoom } from "./chat-room";
import { asc, eq } from "drizzle-orm";

const relay = (action: "pause" | "resume" | "stats") =>
  fetch(`${env.OUTAGE_CONTROL_URL}/${action}`, { method: action === "stats" ? "GET" : "POST" }).then(
    (r) => r.json() as Promise<{ paused: boolean; refused: number; dropped: number }>,
  );

const postgresRows = (roomId: string) =>
  withServices(({ db }) => db.select().from(chatMessages).where(eq(chatMessages.roomId, roomId)).orderBy(asc(chatMessages.id)));

describe("Postgres unreachable", () => {
  it("messages keep flowing and are acknowledged; after it returns every one is in Postgres exactly once", { timeout: 90_000 }, async () => {
    const citizen = await signedIn({ name: "Rahima" });
    const staff = await signedIn({ userType: "admin" });
    const roomId = await openSupportRoom(citizen.access);
    const a = await mustConnect(roomId, citizen.access);
    const b = await mustConnect(roomId, staff.access);

    await relay("pause");
    try {
      // The REST side needs Postgres (sign-in, membership) and says so honestly…
      const rest = await api(`/api/v1/chat/rooms/${roomId}/messages`, { token: staff.access });
      expect(rest.status).toBe(503);
      expect(rest.body.code).toBe("service_unavailable");

      // …while the open room carries on: 15 messages each way, all acknowledged, all delivered.
      const refusedBefore = (await relay("stats")).refused;
      const talk = async (socket: typeof a, who: string, key: string) => {
        const acks = [];
        for (let i = 0; i < 15; i++) acks.push(await sendAndAck(socket, `${who} ${i}`, `${key}-${i}`));
        return acks;
      };
      const [acksA, acksB] = await Promise.all([talk(a, "citizen", "a"), talk(b, "staff", "b")]);
      const seenByA = await a.take("message", 30);
      const seenByB = await b.take("message", 30);
      expect(seenByB.map((m) => m.id)).toEqual(seenByA.map((m) => m.id));
      expect(new Set([...acksA, ...acksB].map((ack) => ack.id))).toEqual(new Set(seenByA.map((m) => m.id)));

      // The room did try to copy (the first ack waited for it), and was refused by the network.
      const status = await eventually(async () => {
        const s = await roomStub(roomId).status(roomId);
        return s.syncFailures > 0 ? s : undefined;
      }, 10_000, "a failed copy attempt");
      expect(status.pendingMessages).toBe(30);
      expect((await relay("stats")).refused).toBeGreaterThan(refusedBefore);
    } finally {
      await relay("resume");
    }

    // The copy catches up by itself (the alarm's backoff retry), in send order, exactly once.
    const rows = await eventually(async () => {
      const found = await postgresRows(roomId);
      return found.length >= 30 ? found : undefined;
    }, 60_000, "all 30 messages in Postgres");
    expect(rows).toHaveLength(30);
    expect(new Set(rows.map((r) => r.id)).size).toBe(30);
    expect(new Set(rows.map((r) => r.clientMsgId)).size).toBe(30);
    const seen = a.frames.filter((f) => f.type === "message").map((f) => f.id);
    expect(rows.map((r) => r.id)).toEqual(seen);
    expect(rows.filter((r) => r.senderId === citizen.user.id).map((r) => r.message)).toEqual(Array.from({ length: 15 }, (_, i) => `citizen ${i}`));
    expect((await roomStub(roomId).status(roomId)).pendingMessages).toBe(0);

    // A copy whose answer was lost (committed in Postgres, not marked in the room) runs again:
    // still exactly once.
    await runInDurableObject(roomStub(roomId), (_: ChatRoom, state) => {
      state.storage.sql.exec("UPDATE messages SET sync_state = 0");
    });
    const again = await roomStub(roomId).syncNow(roomId);
    expect(again.pendingMessages).toBe(0);
    expect(await postgresRows(roomId)).toHaveLength(30);

    a.close();
    b.close();
  });
});

/**
 * Acks wait for the copy to Postgres only while Postgres answers. What a room acknowledged during an
 * outage lives in its own log until the copy catches up; these tests stage exactly that state.
 */
describe("messages acknowledged while Postgres was unreachable", () => {
  const sendOverRest = (token: string, roomId: string, message: string) =>
    api(`/api/v1/chat/rooms/${roomId}/messages`, { token, body: { message } });
  const holdTheCopy = (roomId: string) => runInDurableObject(roomStub(roomId), (_: ChatRoom, state) => state.storage.deleteAlarm());

  it("history pages newest first with `before`, across copied and not-yet-copied messages", { timeout: 60_000 }, async () => {
    const citizen = await signedIn();
    const staff = await signedIn({ userType: "admin" });
    const roomId = await openSupportRoom(citizen.access);
    const sent: string[] = [];
    for (let i = 0; i < 7; i++) sent.push((await sendOverRest(i % 2 ? staff.access : citizen.access, roomId, `m${i}`)).body.id);
    const socket = await mustConnect(roomId, citizen.access);
    await relay("pause");
    try {
      for (let i = 7; i < 10; i++) sent.push((await sendAndAck(socket, `m${i}`, `m${i}`)).id);
      await holdTheCopy(roomId);
    } finally {
      await relay("resume");
    }
    expect((await roomStub(roomId).status(roomId)).pendingMessages).toBe(3);

    const page1 = await api(`/api/v1/chat/rooms/${roomId}/messages?limit=4`, { token: staff.access });
    expect(page1.status).toBe(200);
    expect(page1.body.results.map((m: { message: string }) => m.message)).toEqual(["m9", "m8", "m7", "m6"]);
    expect(page1.body.next_before).toBe(sent[6]);
    expect(page1.body.next).toBe(`${BASE}/api/v1/chat/rooms/${roomId}/messages?limit=4&before=${sent[6]}`);
    const page2 = await api(new URL(page1.body.next).pathname + new URL(page1.body.next).search, { token: staff.access });
    expect(page2.body.results.map((m: { message: string }) => m.message)).toEqual(["m5", "m4", "m3", "m2"]);
    const page3 = await api(`/api/v1/chat/rooms/${roomId}/messages?limit=4&before=${page2.body.next_before}`, { token: staff.access });
    expect(page3.body.results.map((m: { message: string }) => m.message)).toEqual(["m1", "m0"]);
    expect(page3.body.next).toBeNull();

    expect((await api(`/api/v1/chat/rooms/${roomId}/messages?limit=101`, { token: staff.access })).status).toBe(400);
    expect((await api(`/api/v1/chat/rooms/${roomId}/messages?before=nope`, { token: staff.access })).status).toBe(400);
    socket.close();
  });

  it("they survive a restart of the room's object, and the copy resumes by itself", { timeout: 60_000 }, async () => {
    const citizen = await signedIn();
    const roomId = await openSupportRoom(citizen.access);
    const socket = await mustConnect(roomId, citizen.access);
    await relay("pause");
    try {
      for (let i = 0; i < 3; i++) await sendAndAck(socket, `m${i}`, `m${i}`);
      await holdTheCopy(roomId);
      await evictRoom(roomId);
    } finally {
      await relay("resume");
    }
    expect(await postgresRows(roomId)).toHaveLength(0);

    // The next request wakes the room: history has everything, and the copy is under way again.
    const history = await api(`/api/v1/chat/rooms/${roomId}/messages`, { token: citizen.access });
    expect(history.body.results.map((m: { message: string }) => m.message)).toEqual(["m2", "m1", "m0"]);
    const rows = await eventually(async () => {
      const found = await postgresRows(roomId);
      return found.length === 3 ? found : undefined;
    }, 10_000, "the copy after the restart");
    expect(rows.map((r) => r.message)).toEqual(["m0", "m1", "m2"]);
  });
});
