/**
 * Notices: the public board, one counted view per reader, and staff changes. Every route is one
 * statement (or one batch): permission checks, the activity-log row, the view count and the claim
 * of an urgent notice's SMS broadcast all ride in the statement that does the work.
 */
import { sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { batchRows } from "../../db/batch";
import { ApiError, validationError } from "../../lib/errors";
import { pageLimits, type PageRequest } from "../../lib/pagination";
import type { AuthUser } from "../../lib/tokens";
import { logActivityFrom } from "../admin/activity-log";
import { startBroadcast } from "./notice-broadcast.service";
import {
  countNoticesQuery,
  coversWards,
  LIVE,
  listConditions,
  noticeColumns,
  noticesQuery,
  visibleNotice,
  wardArray,
  type NoticeRecord,
} from "./notices.queries";
import type { CreateNoticeInput, NoticeFilters, UpdateNoticeInput } from "./notices.schemas";

export async function listNotices(services: ServiceContext, viewer: AuthUser | undefined, filters: NoticeFilters, page: PageRequest) {
  const where = listConditions(viewer, filters);
  const { limit, offset } = pageLimits(page);
  const [rows, [total]] = await batchRows<[NoticeRecord, { n: number }]>(services.db, [noticesQuery(where, limit, offset), countNoticesQuery(where)]);
  return { rows, count: total?.n ?? 0 };
}

/**
 * One notice. A signed-in reader of a live notice is counted once: the view row (primary key
 * notice+user, insert … on conflict do nothing), the counter bump and the read are one statement,
 * so concurrent reads by one user count one and the answer carries the new count.
 */
export async function getNotice(services: ServiceContext, viewer: AuthUser | undefined, id: string): Promise<NoticeRecord> {
  const statement = viewer
    ? sql`
      with target as (select n.id, ${LIVE} as live from notices n where n.id = ${id} and ${visibleNotice(viewer)}),
      viewed as (
        insert into notice_views (notice_id, user_id) select id, ${viewer.id} from target where live
        on conflict do nothing returning notice_id
      ),
      bumped as (update notices n set view_count = n.view_count + 1 from viewed where n.id = viewed.notice_id returning n.id, n.view_count)
      -- Not counted by this request: read the count with a lock, which in READ COMMITTED returns
      -- the newest committed version — a concurrent first read by the same user (whose insert this
      -- one waited for) has committed its bump by then, and a plain read would show the snapshot's.
      select ${noticeColumns(sql`coalesce(b.view_count, (select v.view_count from notices v where v.id = n.id for share))`)}
      from notices n join target t on t.id = n.id left join bumped b on b.id = n.id left join users u on u.id = n.created_by`
    : sql`select ${noticeColumns()} from notices n left join users u on u.id = n.created_by where n.id = ${id} and ${LIVE}`;
  const { rows } = await services.db.execute<NoticeRecord & Record<string, unknown>>(statement);
  if (!rows[0]) throw new ApiError("not_found");
  return rows[0];
}

/** The database's own check on expires_at > published_at (a PATCH of one of them), as a field error. */
async function withExpiryCheck<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    const e = err as { code?: string; constraint?: string; message?: string; cause?: { code?: string; constraint?: string; message?: string } };
    const pg = e.code === "23514" ? e : e.cause?.code === "23514" ? e.cause : undefined;
    if (pg && (pg.constraint === "notices_expiry_check" || pg.message?.includes("notices_expiry_check")))
      throw validationError({ expires_at: ["expires_at must be after published_at."] });
    throw err;
  }
}

/** When the notice as it will be (its new values, as SQL) should start its urgent SMS broadcast now. */
function broadcastsNow(v: { isUrgent: SQL; priority: SQL; isActive: SQL; publishedAt: SQL; expiresAt: SQL }): SQL {
  return sql`((${v.isUrgent} or ${v.priority} = 'urgent') and ${v.isActive} and ${v.publishedAt} <= now() and (${v.expiresAt} is null or ${v.expiresAt} > now()))`;
}

type Written = NoticeRecord & { broadcast: boolean };

export async function createNotice(services: ServiceContext, actor: AuthUser, input: CreateNoticeInput): Promise<NoticeRecord> {
  const targets = wardArray(input.target_wards ?? []);
  const values = {
    isUrgent: sql`${input.is_urgent ?? false}::boolean`,
    priority: sql`${input.priority ?? "normal"}::text`,
    isActive: sql`${input.is_active ?? true}::boolean`,
    publishedAt: sql`coalesce(${input.published_at ?? null}::timestamptz, now())`,
    expiresAt: sql`${input.expires_at ?? null}::timestamptz`,
  };
  const { rows } = await withExpiryCheck(
    services.db.execute<Written & Record<string, unknown>>(sql`
      with created as (
        insert into notices (title, content, category, priority, is_urgent, target_wards, published_at, expires_at, is_active, created_by, broadcast_started_at)
        select ${input.title}, ${input.content}, ${input.category ?? "general"}, ${values.priority}, ${values.isUrgent}, ${targets},
               ${values.publishedAt}, ${values.expiresAt}, ${values.isActive}, ${actor.id}::uuid,
               case when ${broadcastsNow(values)} then now() end
        where ${coversWards(actor, "create", targets)}
        returning *
      ),
      logged as (${logActivityFrom(services, actor.id, sql`created`, {
        action: "notice.create",
        resourceType: "notice",
        resourceId: sql`created.id`,
        details: sql`jsonb_build_object('title', created.title, 'target_wards', to_jsonb(created.target_wards), 'urgent', created.urgent)`,
      })})
      select ${noticeColumns()}, n.broadcast_started_at is not null as broadcast
      from created n left join users u on u.id = n.created_by`),
  );
  const row = rows[0];
  if (!row) throw new ApiError("forbidden"); // no notices.create for every targeted ward
  if (row.broadcast) await startBroadcast(services, row.id);
  return row;
}

const columnNames = {
  title: "title",
  content: "content",
  category: "category",
  priority: "priority",
  is_urgent: "is_urgent",
  target_wards: "target_wards",
  published_at: "published_at",
  expires_at: "expires_at",
  is_active: "is_active",
} as const satisfies Record<keyof UpdateNoticeInput, string>;

/**
 * Staff edit: needs notices.update for every ward the notice targets now AND every ward it will
 * target (a notice cannot be moved into or out of someone else's wards). 404 if there is no such
 * notice, 403 if it is not the actor's to change.
 */
export async function updateNotice(services: ServiceContext, actor: AuthUser, id: string, input: UpdateNoticeInput): Promise<NoticeRecord> {
  const given = (Object.keys(columnNames) as Array<keyof UpdateNoticeInput>).filter((key) => input[key] !== undefined);
  const valueOf = (key: keyof UpdateNoticeInput): SQL => {
    const value = input[key];
    if (value === undefined) return sql`n.${sql.identifier(columnNames[key])}`;
    if (key === "target_wards") return wardArray(value as string[]);
    if (key === "published_at" || key === "expires_at") return sql`${value}::timestamptz`;
    if (key === "is_urgent" || key === "is_active") return sql`${value}::boolean`;
    return sql`${value}::text`;
  };
  const assignments = given.map((key) => sql`${sql.identifier(columnNames[key])} = ${valueOf(key)}`);
  const broadcast = broadcastsNow({
    isUrgent: valueOf("is_urgent"),
    priority: valueOf("priority"),
    isActive: valueOf("is_active"),
    publishedAt: valueOf("published_at"),
    expiresAt: valueOf("expires_at"),
  });
  const { rows } = await withExpiryCheck(
    services.db.execute<(Written & { found: number }) & Record<string, unknown>>(sql`
      with current as (select id from notices where id = ${id}),
      changed as (
        update notices n set ${sql.join([...assignments, sql`updated_at = now()`], sql`, `)},
          broadcast_started_at = case when n.broadcast_started_at is null and ${broadcast} then now() else n.broadcast_started_at end
        where n.id = ${id}
          and ${coversWards(actor, "update", sql`n.target_wards`)}
          and ${coversWards(actor, "update", valueOf("target_wards"))}
        returning n.*
      ),
      logged as (${logActivityFrom(services, actor.id, sql`changed`, {
        action: "notice.update",
        resourceType: "notice",
        resourceId: sql`changed.id`,
        details: sql`${JSON.stringify({ fields: given })}::jsonb`,
      })})
      select x.found, ${noticeColumns()}, n.broadcast_started_at = now() as broadcast
      from (select count(*)::int as found from current) x
      left join changed n on true
      left join users u on u.id = n.created_by`),
  );
  const row = rows[0]!;
  if (!row.found) throw new ApiError("not_found");
  if (!row.id) throw new ApiError("forbidden");
  if (row.broadcast) await startBroadcast(services, row.id);
  return row;
}

/** Soft delete (is_active = false): notices.delete for every targeted ward; logged in the same statement. */
export async function deleteNotice(services: ServiceContext, actor: AuthUser, id: string): Promise<void> {
  const { rows } = await services.db.execute<{ found: number; removed: number }>(sql`
    with current as (select id from notices where id = ${id}),
    removed as (
      update notices n set is_active = false, updated_at = now()
      where n.id = ${id} and ${coversWards(actor, "delete", sql`n.target_wards`)}
      returning n.id, n.title
    ),
    logged as (${logActivityFrom(services, actor.id, sql`removed`, {
      action: "notice.delete",
      resourceType: "notice",
      resourceId: sql`removed.id`,
      details: sql`jsonb_build_object('title', removed.title)`,
    })})
    select (select count(*)::int from current) as found, (select count(*)::int from removed) as removed`);
  const row = rows[0]!;
  if (!row.found) throw new ApiError("not_found");
  if (!row.removed) throw new ApiError("forbidden");
}
