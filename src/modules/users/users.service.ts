/** Profiles, staff user management and profile pictures (contract §4). */
import type { AuthUser } from "../../lib/tokens";
import { and, count, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { isUniqueViolation } from "../../db/errors";
import { users } from "../../db/schema";
import type { UserRow } from "../../db/types";
import { STAFF_TYPES, type UserType } from "../../lib/enums";
import { logActivityFrom } from "../admin/activity-log";
import { inStaffWards } from "../admin/staff-scope";
import { ApiError, validationError } from "../../lib/errors";
import { t } from "../../lib/i18n";
import { pageLimits, type PageRequest } from "../../lib/pagination";
import { putImage, readImageUpload } from "../../providers/storage";
import { revokeAllSessions } from "../auth/sessions.service";
import type { AdminUserUpdate, ProfileUpdate } from "./users.routes";
import { findUserById } from "./users.repository";

export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;

export const isStaff = (user: Pick<UserRow, "userType">) => STAFF_TYPES.includes(user.userType);

function columnsFrom(update: AdminUserUpdate): Partial<typeof users.$inferInsert> {
  const set: Partial<typeof users.$inferInsert> = {};
  if (update.name !== undefined) set.name = update.name;
  if (update.email !== undefined) set.email = update.email;
  if (update.nid !== undefined) set.nid = update.nid;
  if (update.address !== undefined) set.address = update.address;
  if (update.ward_number !== undefined) set.wardNumber = update.ward_number;
  if (update.user_type !== undefined) set.userType = update.user_type;
  if (update.is_active !== undefined) set.isActive = update.is_active;
  return set;
}

/**
 * Changes an account. `staff` (someone changing another's account) needs `users.update` for the
 * account's ward — checked in the UPDATE itself (403 when it matched nothing the caller could see) —
 * and the change is logged in the same batch.
 */
async function applyUpdate(services: ServiceContext, userId: string, update: AdminUserUpdate, staff?: AuthUser): Promise<UserRow> {
  const set = columnsFrom(update);
  // Deactivating someone signs them out: their access tokens carry the old version.
  const signOut = update.is_active === false;
  try {
    const change = services.db
      .update(users)
      .set({ ...set, updatedAt: sql`now()`, ...(signOut ? { tokenVersion: sql`${users.tokenVersion} + 1` } : {}) })
      .where(and(eq(users.id, userId), staff ? inStaffWards(staff, "users", "update", sql`${users.wardNumber}`) : undefined))
      .returning();
    const [[row]] = staff
      ? await services.db.batch([
          change,
          services.db.execute(
            logActivityFrom(services, staff.id, sql`(select id from users where id = ${userId} and updated_at = now()) changed`, {
              action: update.is_active === false ? "user.deactivate" : "user.update",
              resourceType: "user",
              resourceId: sql`changed.id`,
              details: sql`${JSON.stringify({ fields: Object.keys(update) })}::jsonb`,
            }),
          ),
        ])
      : [await change];
    if (!row) throw new ApiError(staff ? "forbidden" : "not_found");
    if (signOut) await revokeAllSessions(services.db, userId);
    return row;
  } catch (err) {
    if (isUniqueViolation(err, "users_email_unique")) throw validationError({ email: [t("email_taken", "en")] }, "email_taken");
    throw err;
  }
}

export function updateOwnProfile(services: ServiceContext, user: UserRow, update: ProfileUpdate): Promise<UserRow> {
  if (Object.keys(update).length === 0) return Promise.resolve(user);
  return applyUpdate(services, user.id, update);
}

/** Self or staff may read; anyone else is told the user does not exist. */
/** Staff read the accounts of the wards they hold `users.read` for (a super admin: all). */
const staffMayRead = (viewer: AuthUser) => inStaffWards(viewer, "users", "read", sql`${users.wardNumber}`);

export async function getVisibleUser(services: ServiceContext, viewer: AuthUser, id: string): Promise<UserRow> {
  if (viewer.id !== id && !isStaff(viewer)) throw new ApiError("not_found");
  const [user] = await services.db
    .select()
    .from(users)
    .where(and(eq(users.id, id), viewer.id === id ? undefined : staffMayRead(viewer)))
    .limit(1);
  if (!user) throw new ApiError("not_found");
  return user;
}

export async function updateUser(services: ServiceContext, actor: AuthUser, id: string, update: AdminUserUpdate): Promise<UserRow> {
  if (actor.id !== id && !isStaff(actor)) throw new ApiError("not_found");
  const changesRoleOrStatus = update.user_type !== undefined || update.is_active !== undefined;
  if (changesRoleOrStatus && actor.userType !== "super_admin") throw new ApiError("forbidden");
  if (changesRoleOrStatus && actor.id === id) throw new ApiError("conflict"); // no locking yourself out
  if (Object.keys(update).length === 0) return getVisibleUser(services, actor, id);
  if (actor.id === id) return applyUpdate(services, id, update);
  await getVisibleUser(services, actor, id); // outside the wards one may read: 404
  return applyUpdate(services, id, update, actor);
}

export async function deactivateUser(services: ServiceContext, actor: AuthUser, id: string): Promise<void> {
  if (actor.id === id) throw new ApiError("conflict");
  await getVisibleUser(services, actor, id);
  await applyUpdate(services, id, { is_active: false }, actor);
}

export interface UserFilters {
  user_type?: UserType;
  ward_number?: string;
  is_verified?: boolean;
  search?: string;
}

export async function listUsers(services: ServiceContext, viewer: AuthUser, filters: UserFilters, page: PageRequest) {
  const conditions: SQL[] = [staffMayRead(viewer)];
  if (filters.user_type) conditions.push(eq(users.userType, filters.user_type));
  if (filters.ward_number) conditions.push(eq(users.wardNumber, filters.ward_number));
  if (filters.is_verified !== undefined) conditions.push(eq(users.isVerified, filters.is_verified));
  if (filters.search) {
    const pattern = `%${filters.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    conditions.push(or(ilike(users.name, pattern), ilike(users.phone, pattern), ilike(users.email, pattern))!);
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const { limit, offset } = pageLimits(page);
  const [rows, [total]] = await services.db.batch([
    services.db.select().from(users).where(where).orderBy(desc(users.createdAt), desc(users.id)).limit(limit).offset(offset),
    services.db.select({ n: count() }).from(users).where(where),
  ]);
  return { rows, count: total?.n ?? 0 };
}

/**
 * Stores a new profile picture and points the profile at it. The previous picture is deleted once
 * the profile no longer refers to it; if the profile update fails, the new object is removed.
 */
export async function setAvatar(services: ServiceContext, user: UserRow, file: unknown): Promise<UserRow> {
  const image = await readImageUpload(file, AVATAR_MAX_BYTES, "avatar");
  const stored = await putImage(services.env.MEDIA, "avatars", image);
  let updated: UserRow | undefined;
  try {
    [updated] = await services.db
      .update(users)
      .set({ profilePictureKey: stored.key, updatedAt: new Date() })
      .where(eq(users.id, user.id))
      .returning();
  } catch (err) {
    await services.env.MEDIA.delete(stored.key);
    throw err;
  }
  if (user.profilePictureKey) await services.env.MEDIA.delete(user.profilePictureKey);
  return updated!;
}
