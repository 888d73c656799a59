/** HS256 JWTs (contract §3): access tokens are stateless; refresh tokens are tracked by `jti`. */
import { errors, jwtVerify, SignJWT } from "jose";
import { ApiError } from "./errors";
import type { UserType } from "./enums";

const encoder = new TextEncoder();

export interface AccessClaims {
  token_type: "access";
  user_id: string;
  phone: string;
  user_type: UserType;
  is_verified: boolean;
  /** The user's token version when issued; a password change bumps it and voids older tokens. */
  ver: number;
  jti: string;
  iat: number;
  exp: number;
}

export interface RefreshClaims {
  token_type: "refresh";
  user_id: string;
  family_id: string;
  jti: string;
  iat: number;
  exp: number;
}

export interface TokenSubject {
  id: string;
  phone: string;
  userType: UserType;
  isVerified: boolean;
  tokenVersion: number;
}

export async function signAccessToken(secret: string, user: TokenSubject, ttlSeconds: number): Promise<string> {
  return new SignJWT({
    token_type: "access",
    user_id: user.id,
    phone: user.phone,
    user_type: user.userType,
    is_verified: user.isVerified,
    ver: user.tokenVersion,
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setJti(crypto.randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(encoder.encode(secret));
}

export async function signRefreshToken(
  secret: string,
  token: { jti: string; userId: string; familyId: string },
  ttlSeconds: number,
): Promise<string> {
  return new SignJWT({ token_type: "refresh", user_id: token.userId, family_id: token.familyId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setJti(token.jti)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(encoder.encode(secret));
}

async function verify(secret: string, token: string): Promise<Record<string, unknown>> {
  try {
    const { payload } = await jwtVerify(token, encoder.encode(secret), { algorithms: ["HS256"] });
    return payload as Record<string, unknown>;
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new ApiError("token_expired");
    throw new ApiError("unauthorized", "token_invalid");
  }
}

export async function verifyAccessToken(secret: string, token: string): Promise<AccessClaims> {
  const claims = await verify(secret, token);
  if (claims.token_type !== "access" || typeof claims.user_id !== "string") throw new ApiError("unauthorized", "token_invalid");
  return claims as unknown as AccessClaims;
}

export async function verifyRefreshToken(secret: string, token: string): Promise<RefreshClaims> {
  const claims = await verify(secret, token);
  if (claims.token_type !== "refresh" || typeof claims.jti !== "string" || typeof claims.family_id !== "string") {
    throw new ApiError("unauthorized", "token_invalid");
  }
  return claims as unknown as RefreshClaims;
}

/** Who is asking, from a verified access token's claims (proven current by the request's user check). */
export type AuthUser = TokenSubject;
