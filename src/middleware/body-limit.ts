/**
 * Request size limits, checked before a body is read: JSON bodies are small; multipart uploads may
 * carry up to five 5 MB photos (or one 10 MB chat attachment) plus form fields. Per-file limits are
 * enforced by the upload code; this only stops oversized bodies early with a 413.
 */
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { ApiError } from "../lib/errors";

export const JSON_BODY_LIMIT = 64 * 1024;
export const MULTIPART_BODY_LIMIT = 27 * 1024 * 1024;

const tooLarge = () => {
  throw new ApiError("payload_too_large");
};
const jsonLimit = bodyLimit({ maxSize: JSON_BODY_LIMIT, onError: tooLarge });
const multipartLimit = bodyLimit({ maxSize: MULTIPART_BODY_LIMIT, onError: tooLarge });

/**
 * Raw-body uploads that stream into R2 and enforce their own per-type limits while reading (the
 * gallery: images ≤ 10 MB, videos ≤ 100 MB; src/modules/gallery/gallery.upload.ts).
 */
const STREAMED_UPLOADS = new Set(["/api/v1/gallery"]);

export const bodySizeLimit = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "OPTIONS") return next();
  if (c.req.method === "POST" && STREAMED_UPLOADS.has(c.req.path)) return next();
  const type = c.req.header("content-type") ?? "";
  return /^multipart\/form-data/i.test(type) ? multipartLimit(c, next) : jsonLimit(c, next);
});
