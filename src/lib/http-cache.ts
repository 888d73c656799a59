/**
 * HTTP caching of public reads (calendar, gallery): a strong ETag over the exact bytes sent, `304`
 * on a matching If-None-Match (weak comparison, RFC 9110 §13.1.2). Anonymous answers are the same
 * for everyone, so shared caches may keep them briefly; a signed-in answer depends on who asks
 * (`is_participating`), so it is `private, no-cache` (revalidate with the ETag). Same policy as the
 * notice board (src/modules/notices/notices.cache.ts).
 */
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { toHex } from "./crypto";

export const PUBLIC_CACHE = "public, max-age=60, stale-while-revalidate=300";
export const PRIVATE_CACHE = "private, no-cache";

export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const strong = etag.replace(/^W\//, "");
  return header.split(",").some((tag) => tag.trim().replace(/^W\//, "") === strong);
}

export async function cachedBody(c: Context<AppEnv>, text: string, contentType: string, shared: boolean): Promise<Response> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  const etag = `"${toHex(digest).slice(0, 32)}"`;
  const headers = { ETag: etag, "Cache-Control": shared ? PUBLIC_CACHE : PRIVATE_CACHE, Vary: "Authorization" };
  if (etagMatches(c.req.header("if-none-match"), etag)) return c.body(null, 304, headers);
  return c.body(text, 200, { ...headers, "Content-Type": contentType });
}

export const cachedJson = (c: Context<AppEnv>, body: unknown, shared: boolean) => cachedBody(c, JSON.stringify(body), "application/json", shared);
