/**
 * Urgent notices reach citizens by SMS — never from the request that publishes them.
 *
 *  1. Claim: the statement that publishes an urgent notice (create/update), or the cron for a
 *     scheduled one whose time has come (`releaseDueNoticeBroadcasts`), sets
 *     `notices.broadcast_started_at` where it is still null — so a notice is claimed at most once,
 *     however many requests or cron runs race. The claimer enqueues `{notice_id, after_user_id: null}`
 *     on the `notices` queue (if that fails the claim is released again, and the next cron run retries).
 *  2. Pages: the queue consumer takes one keyset page of the targeted active citizens (by id), inserts
 *     their `notice_deliveries (notice_id, user_id)` rows with ON CONFLICT DO NOTHING RETURNING — only
 *     the rows this run inserted get an SMS (through the SMS queue, in sendBatch chunks of ≤ 100) —
 *     then enqueues the next page. A redelivered or retried page message therefore sends nothing twice.
 *     If handing SMS to the queue fails, the rows of the SMS not handed over are deleted again and the
 *     message is retried, so those citizens are not skipped.
 */
import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import type { SmsJob } from "../sms/sms.service";

export const BROADCAST_PAGE_SIZE = 500;
const SMS_CHUNK = 100;
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
  phone: string;
  fresh: boolean;
  title: string;
}

/**
 * One page of a broadcast: the next `pageSize` targeted citizens after `after_user_id`; those not yet
 * delivered get their SMS. Returns how many were sent and the job for the next page (null when done).
 */
export async function broadcastNoticePage(
  services: ServiceContext,
  job: NoticeBroadcastJob,
  pageSize = BROADCAST_PAGE_SIZE,
): Promise<{ sent: number; next: NoticeBroadcastJob | null }> {
  const { rows } = await services.db.execute<PageRow & Record<string, unknown>>(sql`
    with notice as (
      select id, title, target_wards from notices
      where id = ${job.notice_id} and urgent and is_active and broadcast_started_at is not null
        and (expires_at is null or expires_at > now())
    ),
    page as (
      select u.id, u.phone from users u, notice
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
    select p.id, p.phone, c.user_id is not null as fresh, (select title from notice) as title
    from page p left join claimed c on c.user_id = p.id
    order by p.id`);
  const fresh = rows.filter((r) => r.fresh);
  let sent = 0;
  for (let i = 0; i < fresh.length; i += SMS_CHUNK) {
    const chunk = fresh.slice(i, i + SMS_CHUNK);
    try {
      await services.env.SMS_QUEUE.sendBatch(chunk.map((r) => ({ body: { phone: r.phone, text: noticeSmsText(r.title) } satisfies SmsJob, contentType: "json" as const })));
      sent += chunk.length;
    } catch (err) {
      // These and the rest were claimed but not handed over: unclaim them so the retry sends them.
      const unsent = fresh.slice(i).map((r) => r.id);
      await services.db.execute(sql`delete from notice_deliveries where notice_id = ${job.notice_id} and user_id = any(${`{${unsent.join(",")}}`}::uuid[])`);
      throw err;
    }
  }
  const last = rows[rows.length - 1];
  const next = rows.length === pageSize && last ? { notice_id: job.notice_id, after_user_id: last.id } : null;
  if (next) await services.env.NOTICE_QUEUE.send(next, { contentType: "json" });
  return { sent, next };
}
