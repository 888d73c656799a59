/**
 * The one permission guard for staff routes. Permissions live in Postgres (admin_permissions), so
 * the guard is SQL that the route's own statement carries — no round trip of its own, and checked
 * in the same snapshot as the change it allows:
 *
 *   - `inStaffWards(actor, "complaints", "read", sql`c.ward_number`)` in a WHERE clause scopes reads,
 *     lists and totals to the wards the actor may read (rows elsewhere are simply not there: 404);
 *   - the same with "update"/"delete" as a column of a mutation's answer tells "not allowed" (403)
 *     apart from "not found" (404).
 *
 * `staff_wards()` (migration 0008) returns NULL for "every ward" (super_admin, or a permission
 * without a ward list) and '{}' for none; wrapped in scalar subqueries it is evaluated once per
 * statement (an InitPlan), not once per row. A super_admin is unrestricted and costs nothing.
 */
import { sql, type SQL } from "drizzle-orm";
import type { PermissionAction, PermissionType, UserType } from "../../lib/enums";

export interface StaffActor {
  id: string;
  userType: UserType;
}

export function inStaffWards(actor: StaffActor, permission: PermissionType, action: PermissionAction, ward: SQL): SQL {
  if (actor.userType === "super_admin") return sql`true`;
  const wards = sql`(select staff_wards(${actor.id}::uuid, ${permission}, ${action}))`;
  return sql`(${wards} is null or ${ward} = any(cast(${wards} as text[])))`;
}

/** Whether the actor may `action` on `permission` in at least one ward (for routes that create). */
export function hasStaffPermission(actor: StaffActor, permission: PermissionType, action: PermissionAction): SQL {
  if (actor.userType === "super_admin") return sql`true`;
  const wards = sql`(select staff_wards(${actor.id}::uuid, ${permission}, ${action}))`;
  return sql`(${wards} is null or cardinality(${wards}) > 0)`;
}

/** A Postgres text[] from validated ward numbers (digits only, so the literal is safe). */
export function wardArray(wards: readonly string[]): SQL {
  if (!wards.every((w) => /^\d{1,3}$/.test(w))) throw new Error("ward numbers must be validated digits");
  return sql`${`{${wards.join(",")}}`}::text[]`;
}

/**
 * Whether `actor` holds `permission`.`action` for every ward in `targets` (a text[]; empty = every
 * ward, which needs an unrestricted grant) — for things aimed at several wards (notices, events).
 */
export function coversAllWards(actor: StaffActor, permission: PermissionType, action: PermissionAction, targets: SQL): SQL {
  if (actor.userType === "super_admin") return sql`true`;
  const unrestricted = sql`coalesce(${inStaffWards(actor, permission, action, sql`null::text`)}, false)`;
  const everyWard = sql`not exists (select 1 from unnest(${targets}) as tw(ward) where not coalesce(${inStaffWards(actor, permission, action, sql`tw.ward`)}, false))`;
  return sql`(case when cardinality(${targets}) = 0 then ${unrestricted} else ${everyWard} end)`;
}
