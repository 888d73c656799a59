/**
 * Urgent notices by SMS: publishing one (is_urgent or priority urgent) reaches every active,
 * verified citizen of the targeted wards exactly once, through the notices queue (keyset pages) and
 * the SMS queue — never inline; a redelivered page message sends nothing new; a scheduled one is
 * released by the cron when due, once. Tests that would reach every citizen of the shared database
 * (all-ward notices) run the page function against stub queues instead (and read what it wrote to
 * the notifications outbox). Wards 901–908.
 */
import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult } from "cloudflare:test";
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { notices } from "../../db/schema";
import worker from "../../index";
import { createUser, randomPhone, signedIn, withServices } from "../../../test/support/factories";
import { api } from "../../../test/support/http";
import { inSeconds, postNotice, tag } from "../../../test/support/notices";
import { settledSms, smsTo } from "../../../test/support/payments";
import { sweepUndelivered } from "../notifications/delivery.service";
import { broadcastNoticePage, noticeSmsText, releaseDueNoticeBroadcasts, type NoticeBroadcastJob } from "./notice-broadcast.service";

const NOTICE_QUEUE = "clean-care-notices";
const admin = await signedIn({ userType: "super_admin" });

/** A queue that records what was sent to it (and can be told to fail). */
function stubQueue(failOn?: (call: number) => boolean) {
  const batches: unknown[][] = [];
  let calls = 0;
  const record = async (bodies: unknown[]) => {
    calls++;
    if (failOn?.(calls)) throw new Error("queue unavailable");
    batches.push(bodies);
  };
  const queue = {
    send: (body: unknown) => record([body]),
    sendBatch: (messages: Iterable<{ body: unknown }>) => record([...messages].map((m) => m.body)),
  } as unknown as Queue;
  return { queue, batches, bodies: () => batches.flat() };
}

async function consume(messages: unknown[]) {
  const batch = createMessageBatch(
    NOTICE_QUEUE,
    messages.map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue!(batch, env as Env, ctx);
  return getQueueResult(batch, ctx);
}

async function deliveries(noticeId: string) {
  return withServices(async ({ db }) => (await db.execute<{ n: number }>(sql`select count(*)::int as n from notice_deliveries where notice_id = ${noticeId}`)).rows[0]!.n);
}

/** A notice straight in the database whose broadcast is already claimed (so no cron or request starts it). */
async function claimedNotice(values: Partial<typeof notices.$inferInsert>) {
  return withServices(async ({ db }) => {
    const [row] = await db
      .insert(notices)
      .values({ title: `${tag()} direct`, content: "x", isUrgent: true, broadcastStartedAt: new Date(), ...values })
      .returning();
    return row!;
  });
}

/** Active verified citizens inserted in one statement (many at once is cheap). */
async function citizensIn(ward: string | null, count: number) {
  const phones = Array.from({ length: count }, () => randomPhone());
  await withServices(({ db }) =>
    db.execute(sql`
      insert into users (phone, name, password_hash, user_type, is_verified, is_active, ward_number)
      select phone, 'Bulk Citizen', 'x', 'citizen', true, true, ${ward}
      from unnest(${`{${phones.join(",")}}`}::text[]) as phone`),
  );
  return phones;
}

/** The citizens (phone, text) that notification ids were written for, as their SMS would read. */
async function notifiedBy(ids: string[]) {
  if (ids.length === 0) return [];
  return withServices(async ({ db }) =>
    (
      await db.execute<{ phone: string; text: string }>(sql`
        select u.phone, n.sms_text as text from notifications n join users u on u.id = n.user_id where n.id = any(${`{${ids.join(",")}}`}::uuid[])`)
    ).rows,
  );
}

async function walk(job: NoticeBroadcastJob, pageSize?: number, deliveryQueue = stubQueue()) {
  const pages = stubQueue();
  const jobs: NoticeBroadcastJob[] = [];
  let sent = 0;
  let next: NoticeBroadcastJob | null = job;
  await withServices(
    async (services) => {
      while (next) {
        jobs.push(next);
        const result = await broadcastNoticePage(services, next, pageSize);
        sent += result.sent;
        next = result.next;
      }
    },
    { NOTIFICATION_QUEUE: deliveryQueue.queue, NOTICE_QUEUE: pages.queue },
  );
  const deliver = (deliveryQueue.bodies() as Array<{ kind: string; ids: string[] }>).filter((b) => b.kind === "deliver");
  return { sent, jobs, enqueued: pages.bodies() as NoticeBroadcastJob[], sms: await notifiedBy(deliver.flatMap((b) => b.ids)), deliveryBatches: deliver };
}

// These wait for two queues (notices → SMS) and for SMS that must not come: slow by design.
describe("publishing an urgent notice", { timeout: 60_000 }, () => {
  it("each active, verified citizen of the targeted ward gets exactly one SMS; nobody else; a redelivered message sends nothing new", async () => {
    const [a, b, c] = await Promise.all([createUser({ wardNumber: "901" }), createUser({ wardNumber: "901" }), createUser({ wardNumber: "901" })]);
    const others = await Promise.all([
      createUser({ wardNumber: "902" }),
      createUser({ wardNumber: "901", active: false }),
      createUser({ wardNumber: "901", verified: false }),
      createUser({ wardNumber: "901", userType: "admin" }),
    ]);
    const title = `${tag()} বন্যা সতর্কতা`;
    const n = await postNotice(admin.access, { title, is_urgent: true, target_wards: ["901"] });

    const received = await Promise.all([a, b, c].map((u) => settledSms(u.phone, 1)));
    expect(received).toEqual([[noticeSmsText(title)], [noticeSmsText(title)], [noticeSmsText(title)]]);
    expect(noticeSmsText(title)).toBe(`Clean Care জরুরি নোটিশ: ${title}`);
    for (const u of others) expect(await smsTo(u.phone)).toEqual([]);
    expect(await deliveries(n.id)).toBe(3);

    const result = await consume([{ notice_id: n.id, after_user_id: null }, { notice_id: n.id, after_user_id: null }]);
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(2);
    const again = await Promise.all([a, b, c].map((u) => settledSms(u.phone, 2, 1_000)));
    expect(again.map((m) => m.length)).toEqual([1, 1, 1]);
  });

  it("priority urgent counts as urgent; a normal notice sends nothing; becoming urgent by an edit sends once", async () => {
    const [p, q] = await Promise.all([createUser({ wardNumber: "903" }), createUser({ wardNumber: "903" })]);
    const byPriority = await postNotice(admin.access, { title: `${tag()} priority`, priority: "urgent", target_wards: ["903"] });
    expect(await settledSms(p.phone, 1)).toEqual([noticeSmsText(byPriority.title)]);

    const normal = await postNotice(admin.access, { title: `${tag()} normal`, priority: "high", target_wards: ["903"] });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await smsTo(q.phone)).toHaveLength(1);
    expect(await deliveries(normal.id)).toBe(0);

    const edited = await api(`/api/v1/notices/${normal.id}`, { method: "PATCH", token: admin.access, body: { is_urgent: true } });
    expect(edited.status).toBe(200);
    expect(await settledSms(q.phone, 2)).toEqual([noticeSmsText(normal.title), noticeSmsText(byPriority.title)]);
    await api(`/api/v1/notices/${normal.id}`, { method: "PATCH", token: admin.access, body: { title: `${normal.title} (updated)`, priority: "urgent" } });
    expect(await settledSms(q.phone, 3, 1_500)).toHaveLength(2);
  });

  it("a draft or scheduled urgent notice sends nothing at publish; the cron releases it once when due", async () => {
    const citizen = await createUser({ wardNumber: "904" });
    const scheduled = await postNotice(admin.access, { title: `${tag()} scheduled`, is_urgent: true, target_wards: ["904"], published_at: inSeconds(3) });
    const draft = await postNotice(admin.access, { title: `${tag()} draft`, is_urgent: true, target_wards: ["904"], is_active: false });

    const early = stubQueue();
    const claimedEarly = await withServices((services) => releaseDueNoticeBroadcasts(services), { NOTICE_QUEUE: early.queue });
    expect(claimedEarly).not.toContain(scheduled.id);
    expect(claimedEarly).not.toContain(draft.id);
    expect(await smsTo(citizen.phone)).toEqual([]);

    await new Promise((r) => setTimeout(r, 3200));
    const cron = () => worker.scheduled!(createScheduledController({ scheduledTime: Date.now(), cron: "*/5 * * * *" }), env as Env);
    await Promise.all([cron(), cron()]);
    expect(await settledSms(citizen.phone, 1)).toEqual([noticeSmsText(scheduled.title)]);
    await cron();
    expect(await settledSms(citizen.phone, 2, 1_500)).toHaveLength(1);
    expect(await deliveries(scheduled.id)).toBe(1);
    expect(await deliveries(draft.id)).toBe(0);
  });
});

describe("the broadcast's pages", () => {
  it("walks the targeted citizens in keyset pages; each is sent once; replaying every page sends nothing", async () => {
    const phones = await citizensIn("905", 5);
    await citizensIn("906", 2);
    const n = await claimedNotice({ targetWards: ["905"] });
    const first = await walk({ notice_id: n.id, after_user_id: null }, 2);
    expect(first.sent).toBe(5);
    expect(first.sms.map((m) => m.phone).sort()).toEqual([...phones].sort());
    expect(first.sms.every((m) => m.text === noticeSmsText(n.title))).toBe(true);
    expect(first.jobs).toHaveLength(3);
    expect(first.enqueued).toEqual(first.jobs.slice(1)); // each page queued the next
    expect(first.enqueued.every((j) => j.notice_id === n.id && typeof j.after_user_id === "string")).toBe(true);

    for (const job of first.jobs) {
      const replay = await walk(job, 2);
      expect(replay.sent).toBe(0);
      expect(replay.sms).toEqual([]);
    }
    expect(await deliveries(n.id)).toBe(5);
  });

  it("queues deliveries in jobs of at most 100; a lost hand-over loses nobody: the outbox sweep queues them", async () => {
    const phones = await citizensIn("907", 230);
    const n = await claimedNotice({ targetWards: ["907"] });
    const failing = stubQueue(() => true);
    const lost = await walk({ notice_id: n.id, after_user_id: null }, undefined, failing);
    expect(lost.sent).toBe(230); // written to the outbox, though the queue refused every nudge
    expect(await deliveries(n.id)).toBe(230);

    const retry = await walk({ notice_id: n.id, after_user_id: null });
    expect(retry.sent).toBe(0); // a replayed page writes nothing new

    // The sweep finds the undelivered rows (a minute after they were written) and queues them.
    await withServices(({ db }) => db.execute(sql`update notifications set created_at = created_at - interval '2 minutes' where event_key = ${`notice.urgent:${n.id}`}`));
    const swept = stubQueue();
    await withServices((services) => sweepUndelivered(services), { NOTIFICATION_QUEUE: swept.queue });
    const ids = (swept.bodies() as Array<{ kind: string; ids?: string[] }>).flatMap((b) => (b.kind === "deliver" ? b.ids! : []));
    expect(swept.batches.flat().every((b) => (b as { ids?: string[] }).ids === undefined || (b as { ids: string[] }).ids.length <= 100)).toBe(true);
    const reached = (await notifiedBy(ids)).map((r) => r.phone);
    expect(phones.every((p) => reached.includes(p))).toBe(true);
  });

  it("an all-ward notice reaches citizens of every ward (and none), but not staff", async () => {
    const [noWard] = await citizensIn(null, 1);
    const [ward908] = await citizensIn("908", 1);
    const staff = await createUser({ userType: "admin", wardNumber: "908" });
    const n = await claimedNotice({ targetWards: [] });
    const run = await walk({ notice_id: n.id, after_user_id: null });
    const reached = new Set(run.sms.map((m) => m.phone));
    expect(reached.has(noWard!)).toBe(true);
    expect(reached.has(ward908!)).toBe(true);
    expect(reached.has(staff.phone)).toBe(false);
    expect(run.sent).toBe(reached.size);
  });

  it("a withdrawn or non-urgent notice sends nothing more; malformed messages are dropped", async () => {
    await citizensIn("905", 1);
    const withdrawn = await claimedNotice({ targetWards: ["905"], isActive: false });
    expect((await walk({ notice_id: withdrawn.id, after_user_id: null })).sent).toBe(0);
    const calm = await claimedNotice({ targetWards: ["905"], isUrgent: false, priority: "normal" });
    expect((await walk({ notice_id: calm.id, after_user_id: null })).sent).toBe(0);
    const unclaimed = await claimedNotice({ targetWards: ["905"], broadcastStartedAt: null, publishedAt: new Date(Date.now() + 86_400_000) });
    expect((await walk({ notice_id: unclaimed.id, after_user_id: null })).sent).toBe(0);
    await withServices(({ db }) => db.update(notices).set({ isActive: false }).where(eq(notices.id, unclaimed.id)));

    const result = await consume([{ notice_id: "nope" }, null, "text", { notice_id: crypto.randomUUID(), after_user_id: 5 }]);
    expect(result.explicitAcks).toHaveLength(4);
    expect(result.retryMessages).toEqual([]);
  });
});
