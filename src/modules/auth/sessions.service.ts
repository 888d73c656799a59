/**
 * Sessions = refresh-token families. Every login starts a family; each refresh rotates to a new
 * token in the same family and retires the old one. Presenting a retired token means it leaked (or
 * was replayed), so the whole family is revoked and everyone holding it must sign in again.
 */
import { sql, type SQL } from "drizzle-orm";
import { fromSqlRow } from "../../db/rows";
import type { ServiceContext } from "../../context";
import type { Queryable } from "../../db/client";
import type { UserRow } from "../../db/types";
import { users } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { signAccessToken, signRefreshToken, verifyRefreshToken } from "../../lib/tokens";


export interface TokenPair {
  access: string;
  refresh: string;
}

export function accessTokenFor(services: ServiceContext, user: UserRow): Promise<string> {
  return signAccessToken(services.config.JWT_SECRET, user, services.config.ACCESS_TOKEN_TTL_SECONDS);
}

function refreshTokenFor(services: ServiceContext, jti: string, userId: string, familyId: string): Promise<string> {
  return signRefreshToken(services.config.JWT_SECRET, { jti, userId, familyId }, services.config.REFRESH_TOKEN_TTL_SECONDS);
}

/** A session's ids, made in the worker so that the statement storing it can be part of a larger one. */
export interface NewSession {
  jti: string;
  familyId: string;
}

export function newSession(): NewSession {
  return { jti: crypto.randomUUID(), familyId: crypto.randomUUID() };
}

/**
 * The INSERT that stores a new family's first refresh token for the user id(s) `userIdSql` yields
 * (a subquery: none, and nothing is stored), returning its id. For use inside a larger statement.
 */
export function insertSessionSql(services: ServiceContext, session: NewSession, userIdSql: SQL): SQL {
  return sql`
    insert into refresh_tokens (id, user_id, family_id, expires_at)
    select ${session.jti}::uuid, user_id, ${session.familyId}::uuid, now() + make_interval(secs => ${services.config.REFRESH_TOKEN_TTL_SECONDS})
    from (${userIdSql}) as session_owner (user_id)
    returning id`;
}

/** Signs the pair for a stored session. */
export async function signSession(services: ServiceContext, session: NewSession, user: UserRow): Promise<TokenPair> {
  const [access, refresh] = await Promise.all([accessTokenFor(services, user), refreshTokenFor(services, session.jti, user.id, session.familyId)]);
  return { access, refresh };
}

/** Starts a new family for `user` (one INSERT) and returns the signed pair. */
export async function startSession(services: ServiceContext, tx: Queryable, user: UserRow): Promise<TokenPair> {
  const session = newSession();
  await tx.execute(insertSessionSql(services, session, sql`select ${user.id}::uuid`));
  return signSession(services, session, user);
}

/**
 * Rotates a refresh token in one statement: retire the presented token if it is live and its user
 * active, insert its successor in the same family, and return the (current) user for the access token.
 */
export async function rotateSession(services: ServiceContext, presented: string): Promise<TokenPair> {
  const claims = await verifyRefreshToken(services.config.JWT_SECRET, presented);
  const next = crypto.randomUUID();
  const ttl = services.config.REFRESH_TOKEN_TTL_SECONDS;
  const { rows } = await services.db.execute<Record<string, unknown>>(sql`
    with retired as (
      update refresh_tokens rt set rotated_at = now()
      from users u
      where rt.id = ${claims.jti} and rt.user_id = u.id and u.is_active
        and rt.rotated_at is null and rt.revoked_at is null and rt.expires_at > now()
      returning rt.user_id, rt.family_id
    ), successor as (
      insert into refresh_tokens (id, user_id, family_id, expires_at)
      select ${next}, user_id, family_id, now() + make_interval(secs => ${ttl}) from retired
      returning user_id, family_id
    )
    select u.*, s.family_id as session_family_id from users u join successor s on s.user_id = u.id`);
  const row = rows[0];
  if (!row) {
    // Not live: if it was already rotated this is a replay, so the family dies with it.
    await revokeFamilyIfRotated(services, claims.jti);
    throw new ApiError("unauthorized", "token_invalid");
  }
  const user = mapUserRow(row);
  const [access, refresh] = await Promise.all([
    accessTokenFor(services, user),
    refreshTokenFor(services, next, user.id, String(row.session_family_id)),
  ]);
  return { access, refresh };
}

async function revokeFamilyIfRotated(services: ServiceContext, jti: string): Promise<void> {
  await services.db.execute(sql`
    update refresh_tokens set revoked_at = now()
    where revoked_at is null
      and family_id = (select family_id from refresh_tokens where id = ${jti} and rotated_at is not null)`);
}

/** Logout: the presented token's whole family stops working. */
export async function endSession(services: ServiceContext, presented: string): Promise<void> {
  const claims = await verifyRefreshToken(services.config.JWT_SECRET, presented);
  await services.db.execute(sql`
    update refresh_tokens set revoked_at = now()
    where family_id = (select family_id from refresh_tokens where id = ${claims.jti}) and revoked_at is null`);
}

/** Password change/reset, deactivation: every refresh token of the user stops working. */
export async function revokeAllSessions(tx: Queryable, userId: string): Promise<void> {
  await tx.execute(sql`update refresh_tokens set revoked_at = now() where user_id = ${userId} and revoked_at is null`);
}

/** Maps a raw `users` row (snake_case columns from a hand-written statement) to the drizzle shape. */
export function mapUserRow(row: Record<string, unknown>): UserRow {
  return fromSqlRow(users, row);
}
