/** Reading the activity log (super_admin): filters, newest first, cursor pagination (stable under inserts). */
import { sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { cursorInstantSql, decodeCursor, encodeCursor } from "../../lib/cursor";
import type { ActivityFilters } from "./admin-users.schemas";

interface ActivityRow {
  id: string;
  user_id: string | null;
  user_name: string | null;
  action: string;
  resource_type: string;
  resource_id: string | null;
  ip_address: string | null;
  user_agent: string | null;
  details: Record<string, unknown> | string;
  created_at: string | Date;
  cursor_at: string;
}

export async function listActivity(services: ServiceContext, filters: ActivityFilters, userId?: string) {
  const parts: SQL[] = [sql`true`];
  const who = userId ?? filters.user_id;
  if (who) parts.push(sql`l.user_id = ${who}`);
  if (filters.action) parts.push(sql`l.action = ${filters.action}`);
  if (filters.resource_type) parts.push(sql`l.resource_type = ${filters.resource_type}`);
  if (filters.resource_id) parts.push(sql`l.resource_id = ${filters.resource_id}`);
  if (filters.from) parts.push(sql`l.created_at >= ${filters.from}::timestamptz`);
  if (filters.to) parts.push(sql`l.created_at < ${filters.to}::timestamptz`);
  if (filters.cursor) {
    const { at, id } = decodeCursor(filters.cursor);
    parts.push(sql`(l.created_at, l.id) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const { rows } = await services.db.execute<ActivityRow & Record<string, unknown>>(sql`
    select l.id, l.user_id, u.name as user_name, l.action, l.resource_type, l.resource_id, l.ip_address, l.user_agent, l.details, l.created_at,
           ${cursorInstantSql(sql`l.created_at`)} as cursor_at
    from activity_logs l left join users u on u.id = l.user_id
    where ${sql.join(parts, sql` and `)}
    order by l.created_at desc, l.id desc
    limit ${filters.limit + 1}`);
  const page = rows.slice(0, filters.limit);
  const last = page.at(-1);
  return {
    results: page.map((r) => ({
      id: r.id,
      user_id: r.user_id,
      user_name: r.user_name,
      action: r.action,
      resource_type: r.resource_type,
      resource_id: r.resource_id,
      ip_address: r.ip_address,
      user_agent: r.user_agent,
      details: typeof r.details === "string" ? JSON.parse(r.details) : r.details,
      created_at: new Date(r.created_at).toISOString(),
    })),
    next_cursor: rows.length > filters.limit && last ? encodeCursor(last.cursor_at, last.id) : null,
  };
}
