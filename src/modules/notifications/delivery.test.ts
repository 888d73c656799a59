/**
 * Delivery: what reaches FCM (its stand-in) and the SMS outbox, exactly once; invalid devices
 * pruned; transient failures retried; one access token for many sends; the outbox's atomicity;
 * audience events expanded in pages.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { batchRows } from "../../db/batch";
import { createUser, signedIn, withServices } from "../../../test/support/factories";
import { api } from "../../../test/support/http";
import { deviceToken, fcmFault, fcmStats, pushesTo, registerDevice } from "../../../test/support/push";
import { deliverNotifications, expandAudience } from "./delivery.service";
import { eventKey, notifyAudienceSql, notifyUsersSql } from "./notify";

const smsTo = async (phone: string) => (await api(`/api/v1/dev/sms?phone=${encodeURIComponent(phone)}`)).body.results as Array<{ message: string }>;

/** Writes one complaint-style notification for `userId` straight into the outbox; returns its id. */
async function outboxRow(userId: string, trackingNumber = "CC202612030999") {
  const [rows] = await withServices((services) =>
    batchRows<[{ id: string }]>(services.db, [
      notifyUsersSql(
        { type: "complaint.status_changed", key: eventKey("complaint.status_changed", crypto.randomUUID()), payload: { complaint_id: crypto.randomUUID(), tracking_number: trackingNumber, status: "প্রক্রিয়াধীন" } },
        sql`select ${userId}::uuid as user_id`,
      ),
    ]),
  );
  return rows[0]!.id;
}

const deliver = (ids: string[]) => withServices((services) => deliverNotifications(services, ids));
const statusOf = async (id: string) =>
  (await withServices(({ db }) => db.execute<{ s: string }>(sql`select delivery_status as s from notifications where id = ${id}`))).rows[0]!.s;

describe("delivery", () => {
  it("sends one push per device; delivering the same rows again sends nothing", async () => {
    const user = await signedIn();
    const phone = await registerDevice(user.access);
    const tablet = await registerDevice(user.access, deviceToken("tablet"), "ios");
    const id = await outboxRow(user.user.id);
    expect((await deliver([id])).delivered).toBe(1);
    expect((await deliver([id])).delivered).toBe(0);
    await withServices(({ db }) => db.execute(sql`update notifications set delivery_status = 'pending' where id = ${id}`)); // as if redelivered mid-way
    await deliver([id]);
    expect(await pushesTo(phone)).toHaveLength(1);
    expect(await pushesTo(tablet)).toHaveLength(1);
    expect(await smsTo(user.user.phone)).toEqual([]);
  });

  it("a device FCM calls UNREGISTERED or INVALID_ARGUMENT is removed; with no device left, SMS instead", async () => {
    const user = await signedIn();
    const gone = await registerDevice(user.access, deviceToken("unregistered"));
    const bogus = await registerDevice(user.access, deviceToken("invalid"));
    const id = await outboxRow(user.user.id, "CC202612031234");
    await deliver([id]);
    const devices = await withServices(({ db }) => db.execute(sql`select token from notification_devices where token in (${gone}, ${bogus})`));
    expect(devices.rows).toEqual([]);
    await expect.poll(async () => (await smsTo(user.user.phone)).map((m) => m.message)).toEqual([`Clean Care: আপনার অভিযোগ CC202612031234 এর অবস্থা এখন "প্রক্রিয়াধীন"।`]);
  });

  it("UNAVAILABLE / QUOTA_EXCEEDED: nothing recorded as sent, retried after Retry-After, then sent once", async () => {
    const user = await signedIn();
    const token = await registerDevice(user.access);
    const id = await outboxRow(user.user.id);
    await fcmFault("unavailable", 1, 7);
    expect(await deliver([id])).toEqual({ delivered: 0, retryInSeconds: 7 });
    expect(await statusOf(id)).toBe("pending");
    expect((await deliver([id])).delivered).toBe(0); // not due yet
    await withServices(({ db }) => db.execute(sql`update notifications set deliver_after = now() where id = ${id}`));
    await fcmFault("quota", 1, 3);
    expect((await deliver([id])).retryInSeconds).toBe(3);
    await withServices(({ db }) => db.execute(sql`update notifications set deliver_after = now() where id = ${id}`));
    expect((await deliver([id])).delivered).toBe(1);
    expect(await pushesTo(token)).toHaveLength(1);
    expect(await smsTo(user.user.phone)).toEqual([]);
  });

  it("one access token serves 100 sends; a revoked token is replaced once (401 → new token → sent)", async () => {
    const user = await signedIn();
    const tokens = [];
    for (let i = 0; i < 4; i++) tokens.push(await registerDevice(user.access, deviceToken(`bulk${i}`)));
    const ids = [];
    for (let i = 0; i < 25; i++) ids.push(await outboxRow(user.user.id));
    await deliver([ids[0]!]); // the object has a token from here on
    const before = await fcmStats();
    await deliver(ids.slice(1));
    const after = await fcmStats();
    expect(after.sends - before.sends).toBe(96);
    expect(after.token_requests - before.token_requests).toBe(0);

    await fcmFault("revoke_tokens");
    const extra = await outboxRow(user.user.id);
    await deliver([extra]);
    const revoked = await fcmStats();
    expect(revoked.token_requests - after.token_requests).toBe(1);
    expect(revoked.accepted - after.accepted).toBe(4);
    for (const t of tokens) expect(await pushesTo(t)).toHaveLength(26);
  });
});

describe("the outbox is the change's own transaction", () => {
  it("a batch that fails after writing a notification leaves none", async () => {
    const user = await createUser();
    await expect(
      withServices((services) =>
        batchRows(services.db, [
          notifyUsersSql({ type: "chat.message", key: eventKey("chat.message", crypto.randomUUID()), payload: { room_id: crypto.randomUUID(), sender: "x", preview: "hi" } }, sql`select ${user.id}::uuid as user_id`),
          sql`select 1 / 0`,
        ]),
      ),
    ).rejects.toThrow();
    const rows = await withServices(({ db }) => db.execute(sql`select id from notifications where user_id = ${user.id}`));
    expect(rows.rows).toEqual([]);
  });

  it("the same event for the same user is written once", async () => {
    const user = await createUser();
    const event = { type: "chat.message" as const, key: eventKey("chat.message", crypto.randomUUID()), payload: { room_id: crypto.randomUUID(), sender: "Rahim", preview: "hello" } };
    const [first] = await withServices((s) => batchRows<[{ id: string }]>(s.db, [notifyUsersSql(event, sql`select ${user.id}::uuid as user_id union all select ${user.id}::uuid`)]));
    const [second] = await withServices((s) => batchRows<[{ id: string }]>(s.db, [notifyUsersSql(event, sql`select ${user.id}::uuid as user_id`)]));
    expect([first.length, second.length]).toEqual([1, 0]);
  });
});

describe("audiences", () => {
  it("a ward's staff, expanded in pages: each gets it once, even when a page is replayed", async () => {
    const ward = "850"; // unused by other files
    const staff = await Promise.all(Array.from({ length: 5 }, () => createUser({ userType: "admin", wardNumber: ward })));
    const citizen = await createUser({ wardNumber: ward });
    const event = { type: "chat.message" as const, key: eventKey("chat.message", crypto.randomUUID()), payload: { room_id: crypto.randomUUID(), sender: "Desk", preview: "Staff meeting at 5" } };
    const [[audience]] = await withServices((s) => batchRows<[{ id: string }]>(s.db, [notifyAudienceSql(event, { role: "staff", wards: [ward] })]));
    const pages = [];
    for (let more = true; more; ) {
      const page = await withServices((s) => expandAudience(s, audience!.id, 2), { NOTIFICATION_QUEUE: { send: async () => {}, sendBatch: async () => {} } as unknown as Queue });
      pages.push(page.created);
      more = page.more;
    }
    expect(pages.reduce((a, b) => a + b, 0)).toBe(5);
    expect((await withServices((s) => expandAudience(s, audience!.id, 2))).created).toBe(0);
    const got = await withServices(({ db }) => db.execute<{ user_id: string }>(sql`select user_id from notifications where event_key = ${event.key}`));
    expect(got.rows.map((r) => r.user_id).sort()).toEqual(staff.map((s) => s.id).sort());
    expect(got.rows.some((r) => r.user_id === citizen.id)).toBe(false);
  });
});
