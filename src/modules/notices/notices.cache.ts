/**
 * HTTP caching of the public reads: a strong ETag over the exact JSON sent, `304` on a matching
 * If-None-Match. Anonymous answers are the same for everyone, so shared caches may keep them
 * briefly (`public, max-age=60, stale-while-revalidate=300`); a signed-in answer depends on who
 * asks (their ward, staff views), so it is `private, no-cache` (revalidate with the ETag).
 */
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { toHex } from "../../lib/crypto";

export const PUBLIC_CACHE = "public, max-age=60, stale-while-revalidate=300";
export const PRIVATE_CACHE = "private, no-cache";

function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  // Weak comparison (RFC 9110 §13.1.2): W/"x" matches "x".
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

export async function cachedJson(c: Context<AppEnv>, body: unknown, shared: boolean): Promise<Response> {
  const text = JSON.stringify(body);
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  const etag = `"${toHex(digest).slice(0, 32)}"`;
  const headers = { ETag: etag, "Cache-Control": shared ? PUBLIC_CACHE : PRIVATE_CACHE, Vary: "Authorization" };
  if (matches(c.req.header("if-none-match"), etag)) return c.body(null, 304, headers);
  return c.body(text, 200, { ...headers, "Content-Type": "application/json" });
}
