/**
 * Durable before acknowledged: a room object that is thrown away mid-conversation (what an eviction,
 * a deploy or a crash does to it) loses nothing it acknowledged, and client resends with the same
 * client_msg_id make up the rest exactly once.
 */
import { describe, expect, it } from "vitest";
import { signedIn } from "../test/support/factories";
import { api } from "../test/support/http";
import { evictRoom, mustConnect, openSupportRoom, sendAndAck } from "../test/support/chat";

describe("a room object restarted mid-conversation", () => {
  it("keeps every acknowledged message; resends complete the rest exactly once; ids keep increasing", async () => {
    const citizen = await signedIn({ name: "Rahima" });
    const staff = await signedIn({ userType: "admin" });
    const roomId = await openSupportRoom(citizen.access);
    let a = await mustConnect(roomId, citizen.access);
    let b = await mustConnect(roomId, staff.access);

    for (let i = 0; i < 5; i++) await sendAndAck(a, `calm ${i}`, `calm-${i}`);
    const calm = await b.take("message", 5);
    const lastSeen = calm[4]!;

    // Ten more without waiting, and the object is thrown away while they are in flight.
    const burst = Array.from({ length: 10 }, (_, i) => ({ type: "message", message: `burst ${i}`, client_msg_id: `burst-${i}` }));
    for (const frame of burst) a.sendJson(frame);
    await a.next("ack"); // at least one of them acknowledged (acks wait for the copy to Postgres)
    await evictRoom(roomId);
    await Promise.all([a.closed, b.closed]);
    const ackedBefore = new Map(
      a.frames.filter((f) => f.type === "ack" && f.client_msg_id.startsWith("burst-")).map((f) => [f.client_msg_id as string, f.id as string]),
    );

    // Everyone reconnects with `since`: the replay holds at least everything that was acknowledged.
    a = await mustConnect(roomId, citizen.access, lastSeen.id);
    b = await mustConnect(roomId, staff.access, lastSeen.id);
    const replayed = await b.quiet("message", 500);
    const replayedIds = new Map(replayed.map((m) => [m.client_msg_id as string, m.id as string]));
    for (const [clientMsgId, id] of ackedBefore) expect(replayedIds.get(clientMsgId)).toBe(id);

    expect(ackedBefore.size).toBeGreaterThan(0);
    console.log(`burst: ${ackedBefore.size} acked before the restart, ${replayed.length} replayed after it`);
    // The client resends everything it has no ack for — and, to be sure, the acked ones too.
    for (const frame of burst) a.sendJson(frame);
    const acks = await a.take("ack", 10);
    for (const ack of acks) {
      const earlier = ackedBefore.get(ack.client_msg_id) ?? replayedIds.get(ack.client_msg_id);
      if (earlier) expect(ack).toMatchObject({ id: earlier, duplicate: true });
      else expect(ack.duplicate).toBeUndefined();
    }

    // A message after the restart sorts after everything before it.
    a.sendJson({ type: "message", message: "after", client_msg_id: "after" });
    const after = await a.next("ack");
    expect(acks.every((ack) => ack.id < after.id)).toBe(true);

    // 5 + 10 + 1, each exactly once, in history and (after the copy) in Postgres.
    const history = await api(`/api/v1/chat/rooms/${roomId}/messages?limit=100`, { token: staff.access });
    const keys = history.body.results.map((m: { client_msg_id: string }) => m.client_msg_id);
    expect(keys).toHaveLength(16);
    expect(new Set(keys).size).toBe(16);
    const ids = history.body.results.map((m: { id: string }) => m.id);
    expect([...ids].sort().reverse()).toEqual(ids);

    const sync = await api(`/api/v1/dev/chat/rooms/${roomId}/sync?include_ids=true`, { method: "POST" });
    expect(sync.body.room.pending_messages).toBe(0);
    expect(sync.body.postgres.messages).toBe(16);
    expect(new Set(sync.body.postgres.client_msg_ids).size).toBe(16);
    a.close();
    b.close();
  });
});
