/**
 * Password hashing with PBKDF2-SHA256 through WebCrypto.
 *
 * Stored format (versioned so the cost can be raised later): `pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>`.
 * 100,000 iterations is the most Cloudflare's production runtime accepts: it rejects a PBKDF2
 * `deriveBits` above that with a NotSupportedError (cloudflare/workerd#1346). The open-source workerd
 * used by `wrangler dev` and the test pool does NOT enforce that ceiling (workerd#1471), so `derive`
 * enforces it itself: local runs then fail exactly as production would (see
 * test/platform/pbkdf2-limit.test.ts). A hash stored with fewer iterations is upgraded on the next
 * successful login (`needsRehash`).
 */
import { fromBase64, timingSafeEqual, toBase64 } from "./crypto";

/** Cloudflare Workers' production ceiling for PBKDF2 iterations. */
export const PBKDF2_MAX_ITERATIONS = 100_000;
export const PBKDF2_ITERATIONS = PBKDF2_MAX_ITERATIONS;
const SALT_BYTES = 16;
const HASH_BITS = 256;
const encoder = new TextEncoder();

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  if (iterations > PBKDF2_MAX_ITERATIONS) {
    // The same error, with the same message, as Cloudflare's runtime raises in production.
    throw new DOMException(
      `Pbkdf2 failed: iteration counts above ${PBKDF2_MAX_ITERATIONS} are not supported (requested ${iterations}).`,
      "NotSupportedError",
    );
  }
  const key = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, HASH_BITS);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, iterations = PBKDF2_ITERATIONS): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await derive(password, salt, iterations);
  return `pbkdf2_sha256$${iterations}$${toBase64(salt)}$${toBase64(hash)}`;
}

interface ParsedHash {
  iterations: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

/** A stored hash we can verify here, or null: wrong scheme, bad numbers, bad base64, or more work than the runtime allows. */
function parse(stored: string): ParsedHash | null {
  const [scheme, iter, salt, hash, extra] = stored.split("$");
  if (scheme !== "pbkdf2_sha256" || !iter || !/^[1-9]\d{0,9}$/.test(iter) || !salt || !hash || extra !== undefined) return null;
  const iterations = Number(iter);
  if (iterations > PBKDF2_MAX_ITERATIONS) return null;
  try {
    const parsed = { iterations, salt: fromBase64(salt), hash: fromBase64(hash) };
    return parsed.salt.length && parsed.hash.length ? parsed : null;
  } catch {
    return null; // not base64
  }
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (!parsed) return false;
  const candidate = await derive(password, parsed.salt, parsed.iterations);
  return timingSafeEqual(candidate, parsed.hash);
}

export function needsRehash(stored: string): boolean {
  const parsed = parse(stored);
  return !parsed || parsed.iterations < PBKDF2_ITERATIONS;
}

/**
 * A hash with a random password that never verifies anything: login compares against it when the
 * phone is unknown, so "no such user" costs the same time as "wrong password".
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(crypto.randomUUID());
  return decoy;
}
