/**
 * Authentication (Bearer access JWT) and role guards. The user row is loaded on every authenticated
 * request — one indexed lookup — so that a deactivated account or a token issued before a password
 * change stops working at once rather than when the token expires.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import type { ServiceContext } from "../context";
import type { UserRow } from "../db/types";
import { ApiError } from "../lib/errors";
import type { UserType } from "../lib/enums";
import { verifyAccessToken, type AccessClaims } from "../lib/tokens";
import { findUserById } from "../modules/users/users.repository";

export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)$/i);
  return match?.[1];
}

/** Verifies an access token and loads its (active, same token version) user; 401 otherwise. */
export async function authenticateAccessToken(services: ServiceContext, token: string): Promise<{ user: UserRow; claims: AccessClaims }> {
  const claims = await verifyAccessToken(services.config.JWT_SECRET, token);
  const user = await findUserById(services.db, claims.user_id);
  if (!user || claims.ver !== user.tokenVersion) throw new ApiError("unauthorized", "token_invalid");
  if (!user.isActive) throw new ApiError("unauthorized", "account_disabled");
  return { user, claims };
}

export const requireAuth = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("user")) return next(); // already authenticated by an outer matcher
  const token = bearerToken(c.req.header("authorization"));
  if (!token) throw new ApiError("unauthorized");
  const { user } = await authenticateAccessToken(c.get("services"), token);
  c.set("user", user);
  await next();
});

export function requireRole(...roles: UserType[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!roles.includes(c.get("user").userType)) throw new ApiError("forbidden");
    await next();
  });
}
