/**
 * Read side and permission SQL of the notice board. Who may see or change what is SQL folded into
 * the route's own statement (staff-scope.ts): a notice targets a list of wards (empty = every ward),
 * so a staff change needs the permission in EVERY targeted ward, and an all-ward notice an
 * unrestricted grant.
 */
import { sql, type SQL } from "drizzle-orm";
import type { PermissionAction } from "../../lib/enums";
import type { AuthUser } from "../../lib/tokens";
import { hasStaffPermission, inStaffWards, coversAllWards, wardArray } from "../admin/staff-scope";
import { escapeLike } from "../complaints/complaints.queries";
import { isStaff } from "../users/users.service";

export interface NoticeRecord {
  id: string;
  title: string;
  content: string;
  category: string;
  priority: string;
  is_urgent: boolean;
  target_wards: string[];
  published_at: string | Date;
  expires_at: string | Date | null;
  is_active: boolean;
  created_by: string | null;
  created_by_name: string | null;
  view_count: number;
  created_at: string | Date;
  updated_at: string | Date;
}

/** The columns of a notice record, from `n` (notices or a CTE over them) and `u` (its author). */
export const noticeColumns = (viewCount: SQL = sql`n.view_count`) => sql`
  n.id, n.title, n.content, n.category, n.priority, n.is_urgent, to_json(n.target_wards) as target_wards,
  n.published_at, n.expires_at, n.is_active, n.created_by, u.name as created_by_name, ${viewCount} as view_count,
  n.created_at, n.updated_at`;

/** Live: active, published (published_at ≤ now) and not expired. */
export const LIVE = sql`(n.is_active and n.published_at <= now() and (n.expires_at is null or n.expires_at > now()))`;

/** Whether `actor` holds notices.`action` for every ward in `targets` (empty: needs an unrestricted grant). */
export const coversWards = (actor: AuthUser, action: PermissionAction, targets: SQL): SQL => coversAllWards(actor, "notices", action, targets);

export { wardArray };

/** Staff who may read notices in some targeted ward (or any ward, for an all-ward notice) see it in every state. */
export function staffMayRead(actor: AuthUser): SQL {
  if (actor.userType === "super_admin") return sql`true`;
  return sql`(case when cardinality(n.target_wards) = 0 then ${hasStaffPermission(actor, "notices", "read")}
    else exists (select 1 from unnest(n.target_wards) as tw(ward) where coalesce(${inStaffWards(actor, "notices", "read", sql`tw.ward`)}, false)) end)`;
}

/** What a reader may see of one notice: live ones; staff also what they may read in any state. */
export function visibleNotice(viewer: AuthUser | undefined): SQL {
  return viewer && isStaff(viewer) ? sql`(${LIVE} or ${staffMayRead(viewer)})` : LIVE;
}

/**
 * WHERE clause of the list. The public view: live notices for every ward plus those targeting the
 * reader's ward — `?ward_number=`, else a signed-in citizen's own ward; anonymous readers without
 * one get the all-ward notices; staff without one get every ward. `?include=all` (staff only): also
 * the drafts, scheduled, expired and withdrawn notices the actor may read (notices.read in a targeted ward).
 */
export function listConditions(viewer: AuthUser | undefined, filters: { category?: string; priority?: string; ward_number?: string; search?: string; include?: "all" }): SQL {
  const staff = viewer !== undefined && isStaff(viewer);
  const parts: SQL[] = [];
  // include=all adds what staff may read in any state; it never hides what the public sees.
  parts.push(staff && filters.include === "all" ? visibleNotice(viewer) : LIVE);
  const ward = filters.ward_number
    ? sql`${filters.ward_number}::text`
    : viewer && !staff
      ? sql`(select ward_number from users where id = ${viewer.id})`
      : undefined;
  if (ward) parts.push(sql`(cardinality(n.target_wards) = 0 or ${ward} = any(n.target_wards))`);
  else if (!staff) parts.push(sql`cardinality(n.target_wards) = 0`);
  if (filters.category) parts.push(sql`n.category = ${filters.category}`);
  if (filters.priority) parts.push(sql`n.priority = ${filters.priority}`);
  if (filters.search) {
    const pattern = `%${escapeLike(filters.search)}%`;
    parts.push(sql`(n.title ilike ${pattern} or n.content ilike ${pattern})`);
  }
  return sql.join(parts, sql` and `);
}

export function noticesQuery(where: SQL, limit: number, offset: number): SQL {
  return sql`
    select ${noticeColumns()}
    from notices n left join users u on u.id = n.created_by
    where ${where}
    order by n.urgent desc, n.published_at desc, n.id desc
    limit ${limit} offset ${offset}`;
}

export const countNoticesQuery = (where: SQL) => sql`select count(*)::int as n from notices n where ${where}`;
