/**
 * What a report reads: the complaints of its period, ward filter and the requester's readable wards,
 * either page by page (keyset, so memory stays flat whatever the period holds) or folded into one
 * summary document by a single statement (totals, by status/priority/ward/category, a daily series).
 */
import { sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import type { AuthUser } from "../../lib/tokens";
import { inStaffWards } from "../admin/staff-scope";
import { STATUS } from "../complaints/status-machine";
import type { ComplaintRow, ReportSummary } from "./report-types";

export interface ReportScope {
  viewer: AuthUser;
  /** Inclusive UTC start of the first Dhaka day. */
  from: Date;
  /** Exclusive UTC end (the start of the day after the last). */
  to: Date;
  ward: string | null;
}

export type { ComplaintRow, GroupFigures, ReportSummary } from "./report-types";


export const PAGE_ROWS = 2000;

function scopeWhere(scope: ReportScope): SQL {
  return sql`c.created_at >= ${scope.from.toISOString()}::timestamptz and c.created_at < ${scope.to.toISOString()}::timestamptz
    and ${inStaffWards(scope.viewer, "complaints", "read", sql`c.ward_number`)}
    ${scope.ward ? sql`and c.ward_number = ${scope.ward}` : sql``}`;
}

/** The scope's complaints oldest first, PAGE_ROWS at a time (one statement per page). */
export async function* complaintPages(services: ServiceContext, scope: ReportScope, pageRows = PAGE_ROWS): AsyncGenerator<ComplaintRow[]> {
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const page: { rows: ComplaintRow[] } = await services.db.execute<ComplaintRow & Record<string, unknown>>(sql`
      select c.id, c.tracking_number, c.created_at, to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at,
             c.category, c.priority, c.status, c.ward_number, c.title, c.resolved_at, c.rating
      from complaints c
      where ${scopeWhere(scope)}
        ${after ? sql`and (c.created_at, c.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
      order by c.created_at, c.id
      limit ${pageRows}`);
    if (page.rows.length > 0) yield page.rows;
    if (page.rows.length < pageRows) return;
    const last = page.rows[page.rows.length - 1]!;
    after = { at: last.cursor_at, id: last.id };
  }
}

const groupFigures = sql`count(*)::int as total,
  count(*) filter (where status = ${STATUS.resolved})::int as resolved,
  count(*) filter (where status in (${STATUS.submitted}, ${STATUS.inProgress}))::int as open,
  count(*) filter (where status = ${STATUS.cancelled})::int as cancelled,
  round(count(*) filter (where status = ${STATUS.resolved})::numeric / nullif(count(*), 0), 4)::float8 as resolution_rate,
  round(avg(rating), 2)::float8 as average_rating,
  round((percentile_cont(0.5) within group (order by extract(epoch from (resolved_at - created_at)) / 3600.0)
         filter (where status = ${STATUS.resolved} and resolved_at is not null))::numeric, 2)::float8 as median_resolution_hours`;

/** Everything a summary needs, in one statement (one round trip), whatever the number of rows. */
export async function reportSummary(services: ServiceContext, scope: ReportScope, latest = 0): Promise<ReportSummary> {
  const { rows } = await services.db.execute<{ summary: ReportSummary | string }>(sql`
    with scoped as (
      select c.id, c.tracking_number, c.title, c.status, c.category, c.priority, c.ward_number, c.rating, c.created_at, c.resolved_at
      from complaints c where ${scopeWhere(scope)}
    ),
    overall as (select ${groupFigures}, count(rating)::int as rated from scoped)
    select (to_jsonb(overall) || jsonb_build_object(
      'by_status', coalesce((select jsonb_agg(jsonb_build_object('status', status, 'total', n) order by n desc, status) from (select status, count(*)::int as n from scoped group by 1) g), '[]'::jsonb),
      'by_priority', coalesce((select jsonb_agg(jsonb_build_object('priority', priority, 'total', n) order by n desc, priority) from (select priority, count(*)::int as n from scoped group by 1) g), '[]'::jsonb),
      'by_ward', coalesce((select jsonb_agg(to_jsonb(g) order by nullif(regexp_replace(g.ward_number, '\\D', '', 'g'), '')::int nulls last, g.ward_number) from (select ward_number, ${groupFigures} from scoped group by ward_number) g), '[]'::jsonb),
      'by_category', coalesce((select jsonb_agg(to_jsonb(g) order by g.total desc, g.category) from (select category, ${groupFigures} from scoped group by category) g), '[]'::jsonb),
      'by_day', coalesce((select jsonb_agg(jsonb_build_object('day', day, 'total', n, 'resolved', r) order by day) from (
                   select ((created_at at time zone 'UTC') + interval '6 hours')::date::text as day, count(*)::int as n,
                          count(*) filter (where status = ${STATUS.resolved})::int as r
                   from scoped group by 1) d), '[]'::jsonb),
      'latest', coalesce((select jsonb_agg(to_jsonb(l) order by l.created_at desc, l.id desc) from (
                   select id, tracking_number, created_at, category, priority, status, ward_number, title, resolved_at, rating
                   from scoped order by created_at desc, id desc limit ${latest}) l), '[]'::jsonb)
    ))::text as summary
    from overall`);
  const value = rows[0]!.summary;
  return typeof value === "string" ? JSON.parse(value) : value;
}
