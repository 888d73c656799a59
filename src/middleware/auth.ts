/**
 * Authentication (Bearer access JWT) and role guards.
 *
 * The token's signature and expiry are checked in the worker; the user behind it is checked in the
 * database on every request — so a deactivated account, a token issued before a password change or
 * a changed role stops working at once rather than when the token expires. That check costs no
 * round trip of its own: it is registered here and sent as the first statement of the request's
 * first round trip (src/db/client.ts). Handlers meanwhile know who is asking from the token's
 * claims (`c.get("user")`), which the check proves current in the same transaction; a handler that
 * needs the whole account row awaits `currentAccount(c)`.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import type { AppEnv, AuthUser } from "../app-env";
import type { ServiceContext } from "../context";
import type { UserRow } from "../db/types";
import { ApiError } from "../lib/errors";
import type { UserType } from "../lib/enums";
import { verifyAccessToken, type AccessClaims } from "../lib/tokens";
import { mapUserRow } from "../modules/auth/sessions.service";

const dialect = new PgDialect();

export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

function subjectOf(claims: AccessClaims): AuthUser {
  return { id: claims.user_id, phone: claims.phone, userType: claims.user_type, isVerified: claims.is_verified, tokenVersion: claims.ver };
}

/**
 * Verifies an access token and registers the user check with the request's database; the returned
 * promise gives the (active, same token version and role) account, or rejects with 401/403.
 */
export async function authenticateAccessToken(services: ServiceContext, token: string): Promise<{ user: AuthUser; account: Promise<UserRow>; claims: AccessClaims }> {
  const claims = await verifyAccessToken(services.config.JWT_SECRET, token);
  const check = dialect.sqlToQuery(sql`select authenticated_user(${claims.user_id}, ${claims.ver}, ${claims.user_type})`);
  const account = services.authenticate({ query: check.sql, params: check.params }).then((value) =>
    // The check's raw answer: jsonb as Postgres' text (the driver's parsers never saw it).
    mapUserRow((typeof value === "string" ? JSON.parse(value) : value) as Record<string, unknown>),
  );
  account.catch(() => undefined); // surfaced by the statement that carried it, or by flushAuthentication
  return { user: subjectOf(claims), account, claims };
}

export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("user")) return next(); // already authenticated by an outer matcher
  const token = bearerToken(c.req.header("authorization"));
  if (!token) throw new ApiError("unauthorized");
  const { user, account } = await authenticateAccessToken(c.get("services"), token);
  c.set("user", user);
  c.set("account", account);
  await next();
  // A route that ran no SQL has not had its user checked yet: it must not answer as if it had.
  // (One that failed answers with its error; whatever it wrote rode with the check, or nothing did.)
  if (!c.error) await c.get("services").flushAuthentication();
});

/**
 * For public routes that answer signed-in users differently: with an Authorization header the
 * token is checked exactly as by `requireAuth` (a bad one is 401, not "anonymous"); without one the
 * request goes on anonymous (`c.get("user")` undefined).
 */
export const optionalAuth = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("user") || c.req.header("authorization") === undefined) return next();
  return requireAuth(c, next);
});

/** The signed-in user's whole account row (costs a round trip only if no statement has carried the check). */
export async function currentAccount(c: Context<AppEnv>): Promise<UserRow> {
  await c.get("services").flushAuthentication();
  return c.get("account");
}

export function requireRole(...roles: UserType[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!roles.includes(c.get("user").userType)) throw new ApiError("forbidden");
    await next();
  });
}
