/**
 * The `notifications` queue consumer's work: deliver inbox rows by push and/or SMS, and expand
 * audience events into inbox rows, page by page.
 *
 * Delivering one batch of ids:
 *  1. one batch claims the rows still pending (or abandoned mid-delivery) and reads each
 *     recipient's devices, preferences, phone and what was already sent for it;
 *  2. pushes go to each device not yet sent to (FCM); a device FCM calls gone is removed;
 *  3. SMS when the event requires it, or as the fallback when no push reached a device;
 *  4. one batch records every send (notification × channel × address — the idempotency key) and
 *     marks the rows delivered, or back to pending with a time when a transient failure or quiet
 *     hours deferred them (the queue message is retried then).
 */
import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { batchRows } from "../../db/batch";
import { pushProviderFor } from "../../providers/push";
import { PushSendError } from "../../providers/push/push-provider";
import type { Audience, NotificationJob } from "./notify";
import { notifyUsersSql, sendJobs } from "./notify";
import { quietSecondsLeft } from "./quiet-hours";
import type { NotificationEvent } from "./catalogue";

const CLAIM_TIMEOUT = sql`interval '5 minutes'`;
export const AUDIENCE_PAGE = 500;
/**
 * Rows delivered at once per consumer invocation. A Worker keeps at most 6 connections open at a
 * time (further fetches wait for one), so more would only queue.
 */
const SEND_CONCURRENCY = 6;

async function inPool<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}

interface Claimed {
  id: string;
  user_id: string;
  event_type: string;
  category: string;
  title: string;
  body: string;
  data: Record<string, string>;
  push: boolean;
  sms: "always" | "fallback" | "never";
  sms_text: string | null;
  phone: string;
  tokens: string[];
  sent: string[];
  category_allowed: boolean;
  quiet_start: string | null;
  quiet_end: string | null;
}

interface Send {
  notification_id: string;
  channel: "push" | "sms";
  address: string;
  status: "sent" | "failed";
  provider_id: string | null;
  error: string | null;
}

export interface DeliveryOutcome {
  delivered: number;
  /** Seconds until the earliest deferred row is due, if any was deferred. */
  retryInSeconds?: number;
}

export async function deliverNotifications(services: ServiceContext, ids: string[], now = new Date()): Promise<DeliveryOutcome> {
  const [claimed] = await batchRows<[Claimed]>(services.db, [
    sql`
      with claimed as (
        update notifications n set delivery_status = 'delivering', delivery_claimed_at = now()
        where n.id = any(${`{${ids.join(",")}}`}::uuid[])
          and ((n.delivery_status = 'pending' and (n.deliver_after is null or n.deliver_after <= now()))
               or (n.delivery_status = 'delivering' and n.delivery_claimed_at < now() - ${CLAIM_TIMEOUT}))
        returning n.*
      )
      select c.id, c.user_id, c.event_type, c.category, c.title, c.body, c.data, c.push, c.sms, c.sms_text, u.phone,
             coalesce((select array_agg(d.token order by d.created_at) from notification_devices d where d.user_id = c.user_id), '{}') as tokens,
             coalesce((select array_agg(s.channel || ':' || s.address) from notification_deliveries s where s.notification_id = c.id and s.status = 'sent'), '{}') as sent,
             coalesce(case c.category when 'complaints' then p.complaints when 'payments' then p.payments when 'notices' then p.notices
                                      when 'chat' then p.chat when 'emergencies' then p.emergencies else true end, true) as category_allowed,
             p.quiet_start::text as quiet_start, p.quiet_end::text as quiet_end
      from claimed c join users u on u.id = c.user_id
      left join notification_preferences p on p.user_id = c.user_id`,
  ]);
  if (claimed.length === 0) return { delivered: 0 };

  const provider = pushProviderFor(services);
  const sends: Send[] = [];
  const goneTokens = new Set<string>();
  const deferred = new Map<string, number>(); // id → seconds
  const done: string[] = [];
  const smsJobs: Array<{ phone: string; text: string }> = [];

  const deliverOne = async (n: Claimed): Promise<void> => {
    const already = new Set(n.sent);
    const emergency = n.category === "emergencies";
    const quiet = emergency ? 0 : quietSecondsLeft(n.quiet_start, n.quiet_end, now);
    const wantsPush = n.push && n.category_allowed && provider !== null && n.tokens.length > 0;
    if (wantsPush && quiet > 0) {
      deferred.set(n.id, quiet);
      return;
    }
    let pushed = n.tokens.some((t) => already.has(`push:${t}`));
    let retryIn: number | undefined;
    if (wantsPush) {
      for (const token of n.tokens) {
        if (already.has(`push:${token}`) || goneTokens.has(token)) continue;
        try {
          const providerId = await provider!.send({ token, title: n.title, body: n.body, data: stringData(n), urgent: emergency });
          sends.push({ notification_id: n.id, channel: "push", address: token, status: "sent", provider_id: providerId, error: null });
          pushed = true;
        } catch (err) {
          if (err instanceof PushSendError && err.failure === "invalid_token") {
            goneTokens.add(token);
            sends.push({ notification_id: n.id, channel: "push", address: token, status: "failed", provider_id: null, error: err.message });
          } else {
            retryIn = Math.min(retryIn ?? Infinity, err instanceof PushSendError && err.retryAfterSeconds ? err.retryAfterSeconds : 30);
            console.warn(JSON.stringify({ level: "warn", msg: "push will be retried", notification_id: n.id, error: err instanceof Error ? err.message : String(err) }));
          }
        }
      }
    }
    if (retryIn !== undefined) {
      deferred.set(n.id, retryIn);
      return;
    }
    // SMS: required, or the fallback when nothing reached a device (and the category is allowed).
    const smsWanted = n.sms === "always" || (n.sms === "fallback" && !pushed && n.category_allowed);
    if (smsWanted && n.sms_text && !already.has(`sms:${n.phone}`)) {
      smsJobs.push({ phone: n.phone, text: n.sms_text });
      sends.push({ notification_id: n.id, channel: "sms", address: n.phone, status: "sent", provider_id: null, error: null });
    }
    done.push(n.id);
  };
  // Rows are independent: up to SEND_CONCURRENCY of them in flight at once (each one's devices in turn).
  await inPool(claimed, SEND_CONCURRENCY, deliverOne);

  // SMS leave through the SMS queue (its consumer retries and dead-letters); queued before the
  // sends are recorded, so a crash in between can repeat an SMS but never lose one.
  for (let i = 0; i < smsJobs.length; i += 100) {
    await services.env.SMS_QUEUE.sendBatch(smsJobs.slice(i, i + 100).map((body) => ({ body, contentType: "json" as const })));
  }

  const deferredRows = [...deferred].map(([id, seconds]) => ({ id, seconds: Math.ceil(seconds) }));
  await batchRows(services.db, [
    sql`insert into notification_deliveries (notification_id, channel, address, status, provider_id, error)
        select notification_id, channel, address, status, provider_id, error
        from jsonb_to_recordset(${JSON.stringify(sends)}::jsonb) as s(notification_id uuid, channel text, address text, status text, provider_id text, error text)
        on conflict (notification_id, channel, address) do update set status = excluded.status, provider_id = excluded.provider_id, error = excluded.error
        where notification_deliveries.status <> 'sent'`,
    sql`delete from notification_devices where token = any(${`{${[...goneTokens].map((t) => `"${t.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",")}}`}::text[])`,
    sql`update notifications set delivery_status = 'delivered', deliver_after = null where id = any(${`{${done.join(",")}}`}::uuid[])`,
    sql`update notifications n set delivery_status = 'pending', deliver_after = now() + (d.seconds || ' seconds')::interval
        from jsonb_to_recordset(${JSON.stringify(deferredRows)}::jsonb) as d(id uuid, seconds int) where n.id = d.id`,
  ]);
  const retryInSeconds = deferredRows.length ? Math.min(...deferredRows.map((d) => d.seconds)) : undefined;
  return { delivered: done.length, retryInSeconds };
}

/** FCM data values are strings. */
function stringData(n: Claimed): Record<string, string> {
  const out: Record<string, string> = { notification_id: n.id, event_type: n.event_type, category: n.category };
  for (const [k, v] of Object.entries(n.data ?? {})) out[k] = String(v);
  return out;
}

/**
 * One page of an audience event: inbox rows for the next AUDIENCE_PAGE recipients (by id, after
 * the page before), their delivery queued, then the next page queued. The page's cursor moves in
 * the same batch that writes its rows, so a redelivered message continues where the last one
 * stopped, and the rows' uniqueness makes a repeated page write nothing.
 */
export async function expandAudience(services: ServiceContext, audienceId: string, pageSize = AUDIENCE_PAGE): Promise<{ created: number; more: boolean }> {
  const { rows } = await services.db.execute<{ audience: Audience; event: NotificationEvent; after_user_id: string | null; status: string }>(
    sql`select audience, event, after_user_id, status from notification_audiences where id = ${audienceId}`,
  );
  const a = rows[0];
  if (!a || a.status === "done") return { created: 0, more: false };
  const types = a.audience.role === "staff" ? sql`('admin', 'super_admin')` : sql`('citizen')`;
  const wards = a.audience.wards.length ? sql`and u.ward_number = any(${`{${a.audience.wards.join(",")}}`}::text[])` : sql``;
  const page = sql`select u.id as user_id from users u
    where u.is_active and u.user_type in ${types} ${a.audience.role === "citizens" ? sql`and u.is_verified` : sql``} ${wards}
      ${a.after_user_id ? sql`and u.id > ${a.after_user_id}::uuid` : sql``}
    order by u.id limit ${pageSize}`;
  const [created, [cursor]] = await batchRows<[{ id: string }, { last: string | null; n: number }]>(services.db, [
    notifyUsersSql(a.event, page),
    sql`with pg as (${page}), moved as (
          update notification_audiences set after_user_id = coalesce((select max(user_id::text)::uuid from pg), after_user_id),
                 status = case when (select count(*) from pg) < ${pageSize} then 'done' else 'pending' end, updated_at = now()
          where id = ${audienceId} returning after_user_id)
        select (select after_user_id::text from moved) as last, (select count(*)::int from pg) as n`,
  ]);
  const more = (cursor?.n ?? 0) >= pageSize;
  const jobs: NotificationJob[] = [];
  const ids = created.map((r) => r.id);
  for (let i = 0; i < ids.length; i += 100) jobs.push({ kind: "deliver", ids: ids.slice(i, i + 100) });
  if (more) jobs.push({ kind: "audience", id: audienceId });
  await sendJobs(services, jobs);
  return { created: ids.length, more };
}

/**
 * The outbox relay's safety net (cron): rows still pending a minute after they were due — their
 * queue nudge was lost — and unfinished audiences are queued again.
 */
export async function sweepUndelivered(services: ServiceContext): Promise<{ notifications: number; audiences: number }> {
  const [stale, audiences] = await batchRows<[{ id: string }, { id: string }]>(services.db, [
    sql`select id from notifications
        where (delivery_status = 'pending' and coalesce(deliver_after, created_at) < now() - interval '1 minute')
           or (delivery_status = 'delivering' and delivery_claimed_at < now() - ${CLAIM_TIMEOUT})
        order by created_at limit 5000`,
    sql`select id from notification_audiences where status = 'pending' and updated_at < now() - interval '1 minute' limit 100`,
  ]);
  const jobs: NotificationJob[] = audiences.map((a) => ({ kind: "audience", id: a.id }));
  for (let i = 0; i < stale.length; i += 100) jobs.push({ kind: "deliver", ids: stale.slice(i, i + 100).map((r) => r.id) });
  await sendJobs(services, jobs);
  return { notifications: stale.length, audiences: audiences.length };
}
