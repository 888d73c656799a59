/**
 * Urgent notices reach citizens by push, or SMS without the app — never from the request that publishes them.
 *
 *  1. Claim: the statement that publishes an urgent notice (create/update), or the cron for a
 *     scheduled one whose time has come (`releaseDueNoticeBroadcasts`), sets
 *     `notices.broadcast_started_at` where it is still null — so a notice is claimed at most once,
 *     however many requests or cron runs race. The claimer enqueues `{notice_id, after_user_id: null}`
 *     on the `notices` queue (if that fails the claim is released again, and the next cron run retries).
 *  2. Pages: the queue consumer takes one keyset page of the targeted active citizens (by id), inserts
 *     their `notice_deliveries (notice_id, user_id)` rows with ON CONFLICT DO NOTHING — only the rows
 *     this run inserted get an inbox notification, in the same batch (the notifications outbox:
 *     push first, SMS without a device) — then enqueues the next page. A redelivered or retried
 *     page message therefore notifies nobody twice, and a lost delivery nudge is recovered by the
 *     outbox sweep, so nobody is skipped either.
 */
import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { batchRows } from "../../db/batch";
import { dispatchNotifications, fromRow, notifyUsersSql } from "../notifications/notify";

export const BROADCAST_PAGE_SIZE = 500;
/** Pages one queue message walks before handing the rest to the next message. */
export const PAGES_PER_MESSAGE = 10;
const DUE_PER_RUN = 100;

export interface NoticeBroadcastJob {
  notice_id: string;
  after_user_id: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isNoticeBroadcastJob(body: unknown): body is NoticeBroadcastJob {
  const job = body as NoticeBroadcastJob;
  return (
    typeof job === "object" &&
    job !== null &&
    typeof job.notice_id === "string" &&
    UUID.test(job.notice_id) &&
    (job.after_user_id === null || (typeof job.after_user_id === "string" && UUID.test(job.after_user_id)))
  );
}

export const noticeSmsText = (title: string) => `Clean Care জরুরি নোটিশ: ${title}`;

const firstPage = (noticeId: string): NoticeBroadcastJob => ({ notice_id: noticeId, after_user_id: null });

/** Hands a claimed broadcast to the queue; if that fails, releases the claim for the cron to retry. */
export async function startBroadcast(services: ServiceContext, noticeId: string): Promise<void> {
  try {
    await services.env.NOTICE_QUEUE.send(firstPage(noticeId), { contentType: "json" });
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "notice broadcast not queued; released for the cron", notice_id: noticeId, error: String(err).slice(0, 200) }));
    await services.db.execute(sql`update notices set broadcast_started_at = null where id = ${noticeId}`).catch(() => undefined);
  }
}

/**
 * Cron: claims the urgent notices that are due (published_at ≤ now, active, unexpired) and not yet
 * broadcast, and queues their first pages. `update … returning` with SKIP LOCKED: two runs never
 * claim the same notice. Returns the ids claimed.
 */
export async function releaseDueNoticeBroadcasts(services: ServiceContext): Promise<string[]> {
  const { rows } = await services.db.execute<{ id: string }>(sql`
    update notices set broadcast_started_at = now()
    where id in (
      select id from notices
      where urgent and is_active and broadcast_started_at is null
        and published_at <= now() and (expires_at is null or expires_at > now())
      order by published_at
      limit ${DUE_PER_RUN}
      for update skip locked
    ) and broadcast_started_at is null
    returning id`);
  const ids = rows.map((r) => r.id);
  if (ids.length === 0) return ids;
  try {
    await services.env.NOTICE_QUEUE.sendBatch(ids.map((id) => ({ body: firstPage(id), contentType: "json" as const })));
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "due notice broadcasts not queued; released", count: ids.length, error: String(err).slice(0, 200) }));
    await services.db.execute(sql`update notices set broadcast_started_at = null where id = any(${`{${ids.join(",")}}`}::uuid[])`);
    throw err;
  }
  return ids;
}

interface PageRow {
  id: string;
  fresh: boolean;
}

/**
 * One page of a broadcast: the next `pageSize` targeted citizens after `after_user_id`. In one batch,
 * those not yet reached are recorded (notice_deliveries) and get their inbox notification — the
 * notifications outbox, delivered by push or, without a device, by SMS. Returns how many were
 * notified and the job for the next page (null when done).
 */
export async function broadcastNoticePage(
  services: ServiceContext,
  job: NoticeBroadcastJob,
  pageSize = BROADCAST_PAGE_SIZE,
  maxPages = 1,
): Promise<{ sent: number; next: NoticeBroadcastJob | null }> {
  // Several pages per queue message: each hop through the queue costs its batching delay.
  let sent = 0;
  let next: NoticeBroadcastJob | null = job;
  for (let page = 0; page < maxPages && next; page++) {
    const result = await onePage(services, next, pageSize);
    sent += result.sent;
    next = result.next;
  }
  if (next) await services.env.NOTICE_QUEUE.send(next, { contentType: "json" });
  return { sent, next };
}

async function onePage(services: ServiceContext, job: NoticeBroadcastJob, pageSize: number): Promise<{ sent: number; next: NoticeBroadcastJob | null }> {
  const [rows, notified] = await batchRows<[PageRow, { id: string }]>(services.db, [
    sql`
    with notice as (
      select id, title, target_wards from notices
      where id = ${job.notice_id} and urgent and is_active and broadcast_started_at is not null
        and (expires_at is null or expires_at > now())
    ),
    page as (
      select u.id from users u, notice
      where u.user_type = 'citizen' and u.is_active and u.is_verified
        and (cardinality(notice.target_wards) = 0 or u.ward_number = any(notice.target_wards))
        and (${job.after_user_id}::uuid is null or u.id > ${job.after_user_id}::uuid)
      order by u.id
      limit ${pageSize}
    ),
    claimed as (
      insert into notice_deliveries (notice_id, user_id) select ${job.notice_id}::uuid, id from page
      on conflict do nothing
      returning user_id
    )
    select p.id, c.user_id is not null as fresh
    from page p left join claimed c on c.user_id = p.id
    order by p.id`,
    // The rows this transaction claimed (queued_at = now()) get their notification, in the same batch.
    notifyUsersSql(
      { type: "notice.urgent", key: `notice.urgent:${job.notice_id}`, payload: { notice_id: job.notice_id, title: fromRow("title") } },
      sql`select d.user_id, n.title from notice_deliveries d join notices n on n.id = d.notice_id
          where d.notice_id = ${job.notice_id} and d.queued_at = now()`,
    ),
  ]);
  await dispatchNotifications(services, notified.map((r) => r.id));
  const last = rows[rows.length - 1];
  const next = rows.length === pageSize && last ? { notice_id: job.notice_id, after_user_id: last.id } : null;
  return { sent: notified.length, next };
}
