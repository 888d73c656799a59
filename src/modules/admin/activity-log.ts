/**
 * Staff mutations write their activity-log row in the same statement or batch as the change (a CTE
 * over the change's RETURNING rows, or one more statement of the batch): no change commits without
 * its row, and a change that did not happen logs nothing. The table is append-only (a trigger
 * refuses UPDATE and DELETE; migration 0008).
 */
import { sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";

export interface ActivityEntry {
  action: string;
  resourceType: string;
  /** SQL for the resource id, usually a column of the CTE the rows come from. */
  resourceId: SQL;
  details?: SQL;
}

/**
 * `insert into activity_logs … select … from <from>`: one row per row of `from` (a CTE of the
 * change), with who did it and from where (the request's address and user agent).
 */
export function logActivityFrom(services: ServiceContext, actorId: string, from: SQL, entry: ActivityEntry): SQL {
  const origin = services.origin;
  return sql`insert into activity_logs (user_id, action, resource_type, resource_id, ip_address, user_agent, details)
    select ${actorId}::uuid, ${entry.action}, ${entry.resourceType}, (${entry.resourceId})::text, ${origin?.ip ?? null}, ${origin?.userAgent ?? null},
           coalesce(${entry.details ?? sql`null`}, '{}'::jsonb)
    from ${from}`;
}
