/**
 * The one notification service every module uses. A transactional outbox:
 *
 *   - `notifyUsersSql(event, recipients)` is a statement for the change's own batch (or a CTE-free
 *     statement after its change in the same batch): it writes the inbox rows, which are also the
 *     outbox entries (delivery_status 'pending'). The change and its notifications commit together,
 *     and a change that rolls back notifies nobody.
 *   - `notifyAudienceSql(event, audience)` records an audience event (a ward's citizens, a ward's
 *     staff) the same way; the consumer expands it in pages, never the request.
 *   - after commit, `dispatchNotifications(services, ids)` nudges the `notifications` queue. If that
 *     nudge is lost, the cron sweep (`sweepUndelivered`) finds the pending rows and queues them.
 *
 * A recipient gets each event once: inbox rows are unique per (user, event key), and each send is
 * recorded per notification × channel × address (delivery.service.ts).
 */
import { sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { render, type EventType, type NotificationEvent } from "./catalogue";

/** Queue message bodies of the `notifications` queue. */
export type NotificationJob = { kind: "deliver"; ids: string[] } | { kind: "audience"; id: string };

const IDS_PER_MESSAGE = 100;

/**
 * A payload value the database fills in per recipient row: the recipients query must return a
 * column of that name (e.g. a complaint's tracking number, read in the same statement as the
 * change). Texts and links carry `{{column}}` until then.
 */
export const fromRow = (column: string) => `{{${column}}}`;

/**
 * Inbox rows for the users `recipients` selects (a column `user_id`, plus any `fromRow` columns),
 * in each one's language. Returns the new rows' `id`s (already-notified recipients are skipped).
 */
export function notifyUsersSql<E extends EventType>(event: NotificationEvent<E>, recipients: SQL): SQL {
  const r = render(event);
  const fill = (text: string): SQL => {
    const columns = [...new Set([...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!))];
    return columns.reduce<SQL>((acc, column) => sql`replace(${acc}, ${`{{${column}}}`}, coalesce(rc.${sql.identifier(column)}::text, ''))`, sql`${text}::text`);
  };
  const pick = (field: "title" | "body" | "sms") => sql`case when p.language = 'en' then ${fill(r.en[field])} else ${fill(r.bn[field])} end`;
  return sql`
    with recipients as (select distinct on (user_id) * from (${recipients}) rcp where user_id is not null order by user_id),
    created as (
      insert into notifications (user_id, event_key, event_type, category, title, body, data, push, sms, sms_text)
      select rc.user_id, ${event.key}, ${event.type}, ${r.category}, ${pick("title")}, ${pick("body")}, (${fill(JSON.stringify(r.data))})::jsonb,
             ${r.push}, ${r.sms}, ${r.sms === "never" ? sql`null` : pick("sms")}
      from recipients rc left join notification_preferences p on p.user_id = rc.user_id
      on conflict (user_id, event_key) do nothing
      returning id
    )
    select id from created`;
}

/** Who an audience event goes to: active citizens or staff of some wards (empty = every ward). */
export interface Audience {
  role: "citizens" | "staff";
  wards: string[];
}

/** Records an audience event for the consumer to expand; returns its `id` (none if already recorded). */
export function notifyAudienceSql<E extends EventType>(event: NotificationEvent<E>, audience: Audience): SQL {
  return sql`
    insert into notification_audiences (event_key, audience, event)
    values (${event.key}, ${JSON.stringify(audience)}::jsonb, ${JSON.stringify(event)}::jsonb)
    on conflict (event_key) do nothing
    returning id`;
}

/** After commit: queue the delivery of these inbox rows. A failure is logged; the sweep recovers. */
export async function dispatchNotifications(services: ServiceContext, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const jobs: NotificationJob[] = [];
  for (let i = 0; i < ids.length; i += IDS_PER_MESSAGE) jobs.push({ kind: "deliver", ids: ids.slice(i, i + IDS_PER_MESSAGE) });
  await sendJobs(services, jobs);
}

export async function dispatchAudience(services: ServiceContext, audienceId: string | undefined): Promise<void> {
  if (audienceId) await sendJobs(services, [{ kind: "audience", id: audienceId }]);
}

export async function sendJobs(services: ServiceContext, jobs: NotificationJob[], delaySeconds?: number): Promise<void> {
  try {
    for (let i = 0; i < jobs.length; i += 100) {
      await services.env.NOTIFICATION_QUEUE.sendBatch(jobs.slice(i, i + 100).map((body) => ({ body, contentType: "json" as const, ...(delaySeconds ? { delaySeconds } : {}) })));
    }
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "notification jobs not queued (the sweep will pick them up)", jobs: jobs.length, error: err instanceof Error ? err.message : String(err) }));
  }
}

/** A fresh event key: one change, one event (the change's id would do where there is one). */
export const eventKey = (type: EventType, resourceId: string, change: string = crypto.randomUUID()) => `${type}:${resourceId}:${change}`;
