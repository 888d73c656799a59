/**
 * Staff accounts (super_admin only): create (with a password, or invited by SMS), list, read,
 * update, deactivate, and replace an admin's permissions. Every change and its activity-log row
 * are one statement or one batch — one round trip, one transaction.
 */
import { sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { batchRows } from "../../db/batch";
import { fromSqlRow } from "../../db/rows";
import { users } from "../../db/schema";
import type { UserRow } from "../../db/types";
import { ApiError, validationError } from "../../lib/errors";
import { pageLimits, type PageRequest } from "../../lib/pagination";
import { hashPassword } from "../../lib/password";
import type { AuthUser } from "../../lib/tokens";
import { logActivityFrom } from "../admin/activity-log";
import { enqueueSms } from "../sms/sms.service";
import type { CreateStaffInput, PermissionInput, UpdateStaffInput } from "./admin-users.schemas";

export interface StaffRecord {
  user: UserRow;
  permissions: PermissionInput[];
}

/** Serialises the changes that could leave the city without an active super admin. */
const SUPER_ADMIN_LOCK = 8_111_973;
const STAFF_TYPES_SQL = sql`('admin', 'service_provider', 'super_admin')`;

export const invitationSmsText = () =>
  "Clean Care: আপনাকে সিটি কর্পোরেশনের স্টাফ হিসেবে যুক্ত করা হয়েছে। অ্যাপে \"পাসওয়ার্ড ভুলে গেছি\" দিয়ে কোড নিয়ে পাসওয়ার্ড সেট করুন।";

const permissionsColumn = (alias: SQL) => sql`coalesce((
    select json_agg(json_build_object('permission_type', p.permission_type, 'ward_numbers', p.ward_numbers, 'can_create', p.can_create,
                                      'can_read', p.can_read, 'can_update', p.can_update, 'can_delete', p.can_delete) order by p.permission_type)
    from admin_permissions p where p.user_id = ${alias}.id), '[]'::json) as permissions`;

/** The permission set as a jsonb parameter, expanded into rows by the statement that stores it. */
const permissionRows = (permissions: PermissionInput[]) => sql`jsonb_to_recordset(${JSON.stringify(permissions)}::jsonb)
  as p(permission_type text, ward_numbers jsonb, can_create boolean, can_read boolean, can_update boolean, can_delete boolean)`;

const insertPermissions = (userIdColumn: SQL, from: SQL, permissions: PermissionInput[]) => sql`
  insert into admin_permissions (user_id, permission_type, ward_numbers, can_create, can_read, can_update, can_delete)
  select ${userIdColumn}, p.permission_type, array(select jsonb_array_elements_text(p.ward_numbers)), p.can_create, p.can_read, p.can_update, p.can_delete
  from ${from} cross join ${permissionRows(permissions)}`;

function toStaff(row: Record<string, unknown>): StaffRecord {
  const permissions = typeof row.permissions === "string" ? JSON.parse(row.permissions) : row.permissions;
  return { user: fromSqlRow(users, row), permissions: (permissions ?? []) as PermissionInput[] };
}

export async function createStaff(services: ServiceContext, actor: AuthUser, input: CreateStaffInput): Promise<StaffRecord> {
  const invited = input.password === undefined;
  // An invited account gets a password nobody knows; the reset code is how its owner sets one.
  const passwordHash = await hashPassword(input.password ?? crypto.randomUUID() + crypto.randomUUID());
  const permissions = input.user_type === "admin" ? input.permissions : [];
  const { rows } = await services.db.execute(sql`
    with created as (
      insert into users (phone, name, password_hash, user_type, ward_number, is_verified, is_active)
      values (${input.phone}, ${input.name}, ${passwordHash}, ${input.user_type}, ${input.ward_number ?? null}, true, true)
      on conflict (phone) do nothing
      returning *
    ),
    granted as (${insertPermissions(sql`created.id`, sql`created`, permissions)}),
    logged as (${logActivityFrom(services, actor.id, sql`created`, {
      action: "admin_user.create",
      resourceType: "user",
      resourceId: sql`created.id`,
      details: sql`jsonb_build_object('user_type', created.user_type, 'invited', ${invited}::boolean, 'permissions', ${JSON.stringify(permissions)}::jsonb)`,
    })})
    select created.*, ${JSON.stringify(permissions)}::json as permissions from created`);
  if (!rows[0]) throw validationError({ phone: ["A user with this phone number already exists."] });
  if (invited) await enqueueSms(services.env, { phone: input.phone, text: invitationSmsText() });
  return toStaff(rows[0]);
}

export interface StaffFilters {
  user_type?: "admin" | "service_provider" | "super_admin";
  is_active?: boolean;
}

export async function listStaff(services: ServiceContext, filters: StaffFilters, page: PageRequest) {
  const where = sql.join(
    [
      sql`u.user_type in ${STAFF_TYPES_SQL}`,
      ...(filters.user_type ? [sql`u.user_type = ${filters.user_type}`] : []),
      ...(filters.is_active !== undefined ? [sql`u.is_active = ${filters.is_active}`] : []),
    ],
    sql` and `,
  );
  const { limit, offset } = pageLimits(page);
  const [rows, [total]] = await batchRows<[Record<string, unknown>, { n: number }]>(services.db, [
    sql`select u.*, ${permissionsColumn(sql`u`)} from users u where ${where} order by u.created_at desc, u.id desc limit ${limit} offset ${offset}`,
    sql`select count(*)::int as n from users u where ${where}`,
  ]);
  return { rows: rows.map(toStaff), count: total?.n ?? 0 };
}

export async function getStaff(services: ServiceContext, id: string): Promise<StaffRecord> {
  const { rows } = await services.db.execute(sql`select u.*, ${permissionsColumn(sql`u`)} from users u where u.id = ${id} and u.user_type in ${STAFF_TYPES_SQL}`);
  if (!rows[0]) throw new ApiError("not_found");
  return toStaff(rows[0]);
}

/**
 * Changes a staff account. A super admin cannot change their own role or status (no locking
 * yourself out: 409), and the last active super admin cannot be demoted or deactivated (409) —
 * checked under an advisory lock taken by the batch's first statement, so two super admins
 * demoting each other at once cannot both succeed. Deactivation ends sessions at once: every
 * request re-checks the account (authenticated_user()).
 */
export async function updateStaff(services: ServiceContext, actor: AuthUser, id: string, input: UpdateStaffInput): Promise<StaffRecord> {
  if (actor.id === id && (input.user_type !== undefined || input.is_active !== undefined)) throw new ApiError("conflict");
  const removesSuperAdmin = input.is_active === false || (input.user_type !== undefined && input.user_type !== "super_admin");
  const [, [outcome]] = await batchRows<[unknown, Record<string, unknown> & { blocked: boolean; changed_id: string | null }]>(services.db, [
    sql`select pg_advisory_xact_lock(${SUPER_ADMIN_LOCK})`,
    sql`
      with target as (select * from users where id = ${id} and user_type in ${STAFF_TYPES_SQL} for update),
      guard as (
        select (t.user_type = 'super_admin' and t.is_active and ${removesSuperAdmin}::boolean
                and not exists (select 1 from users o where o.user_type = 'super_admin' and o.is_active and o.id <> t.id)) as blocked
        from target t
      ),
      changed as (
        update users u set
          name = coalesce(${input.name ?? null}, u.name),
          user_type = coalesce(${input.user_type ?? null}, u.user_type),
          is_active = coalesce(${input.is_active ?? null}::boolean, u.is_active),
          ward_number = ${input.ward_number !== undefined ? sql`${input.ward_number}` : sql`u.ward_number`},
          updated_at = now()
        from target t, guard g
        where u.id = t.id and not g.blocked
        returning u.*, t.user_type as old_user_type, t.is_active as was_active
      ),
      logged as (${logActivityFrom(services, actor.id, sql`changed`, {
        action: input.is_active === false ? "admin_user.deactivate" : "admin_user.update",
        resourceType: "user",
        resourceId: sql`changed.id`,
        details: sql`jsonb_build_object('changes', ${JSON.stringify(input)}::jsonb, 'old_user_type', changed.old_user_type, 'was_active', changed.was_active)`,
      })})
      select g.blocked, ch.id as changed_id, ch.*, ${permissionsColumn(sql`ch`)}
      from guard g left join changed ch on true`,
  ]);
  if (!outcome) throw new ApiError("not_found");
  if (outcome.blocked) throw new ApiError("conflict", "last_super_admin");
  return toStaff(outcome);
}

/**
 * Replaces an admin's permission set atomically (delete + insert + log in one batch). 404 for no
 * such staff account; 409 for a non-admin (super admins need none; service providers are not staff).
 */
export async function replacePermissions(services: ServiceContext, actor: AuthUser, id: string, permissions: PermissionInput[]): Promise<PermissionInput[]> {
  const admin = sql`(select id from users where id = ${id} and user_type = 'admin') as target`;
  const [, , , [found], stored] = await batchRows<[unknown, unknown, unknown, { user_type: string }, { permissions: unknown }]>(services.db, [
    sql`delete from admin_permissions where user_id in (select id from users where id = ${id} and user_type = 'admin')`,
    insertPermissions(sql`target.id`, admin, permissions),
    sql`${logActivityFrom(services, actor.id, admin, {
      action: "admin_user.permissions",
      resourceType: "user",
      resourceId: sql`target.id`,
      details: sql`jsonb_build_object('permissions', ${JSON.stringify(permissions)}::jsonb)`,
    })}`,
    sql`select user_type from users where id = ${id} and user_type in ${STAFF_TYPES_SQL}`,
    sql`select ${permissionsColumn(sql`u`)} from users u where u.id = ${id}`,
  ]);
  if (!found) throw new ApiError("not_found");
  if (found.user_type !== "admin") throw new ApiError("conflict", "permissions_admin_only");
  const list = stored[0]?.permissions;
  return ((typeof list === "string" ? JSON.parse(list) : list) ?? []) as PermissionInput[];
}
