/** Thin handlers: validated input → service → contract shape; the media route streams R2 with Range support. */
import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { ApiError } from "../../lib/errors";
import { cachedJson, etagMatches } from "../../lib/http-cache";
import { pageEnvelope } from "../../lib/pagination";
/** The API base path (src/app.ts API_PREFIX; not imported, app.ts imports this module). */
const API_PREFIX = "/api/v1";
import type * as routes from "./gallery.routes";
import * as gallery from "./gallery.service";

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>;
const idOf = (c: Context<AppEnv>) => (c.req as unknown as { valid(t: "param"): { id: string } }).valid("param").id;

export const MEDIA_CACHE = "public, max-age=31536000, immutable";

export function toItemDto(row: gallery.GalleryRecord, origin: string) {
  const url = `${origin}${API_PREFIX}/gallery/media/${row.object_key.slice("gallery/".length)}`;
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    category: row.category,
    media_type: row.media_type,
    url,
    thumbnail_url: row.media_type === "image" ? url : null,
    content_type: row.content_type,
    file_size: Number(row.file_size),
    width: row.width,
    height: row.height,
    created_by: row.created_by ? { id: row.created_by, name: row.created_by_name ?? "" } : null,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

const originOf = (c: Context<AppEnv>) => new URL(c.req.url).origin;

export const list: Handler<"list"> = async (c) => {
  const { page, page_size, ...filters } = c.req.valid("query");
  const { rows, count } = await gallery.listItems(c.get("services"), filters, { page, page_size });
  return (await cachedJson(c, pageEnvelope(c.req.url, { page, page_size }, count, rows.map((r) => toItemDto(r, originOf(c)))), true)) as never;
};

export const get: Handler<"get"> = async (c) => (await cachedJson(c, toItemDto(await gallery.getItem(c.get("services"), idOf(c)), originOf(c)), true)) as never;

export const upload: Handler<"upload"> = async (c) => {
  if (/^(multipart\/form-data|application\/json)/i.test(c.req.header("content-type") ?? "")) {
    throw new ApiError("unsupported_media_type"); // the body must be the file itself
  }
  const length = c.req.header("content-length");
  const declared = length && /^\d+$/.test(length) ? Number(length) : null;
  const row = await gallery.uploadItem(c.get("services"), c.get("user"), c.req.valid("query"), c.req.raw.body, declared);
  return c.json(toItemDto(row, originOf(c)), 201);
};

export const update: Handler<"put"> = async (c) => c.json(toItemDto(await gallery.updateItem(c.get("services"), c.get("user"), idOf(c), c.req.valid("json")), originOf(c)), 200);

export const remove: Handler<"remove"> = async (c) => {
  await gallery.deleteItem(c.get("services"), c.get("user"), idOf(c));
  return c.body(null, 204);
};

/**
 * One `bytes=` range of an object of `size` bytes: {offset, length}, "unsatisfiable", or null to
 * send the whole file (no header, a malformed one, or several ranges — RFC 9110 lets a server ignore them).
 */
export function parseRange(header: string | undefined, size: number): { offset: number; length: number } | "unsatisfiable" | null {
  const m = header?.trim().match(/^bytes=(\d*)-(\d*)$/i);
  if (!m || (m[1] === "" && m[2] === "")) return null;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "unsatisfiable";
    const offset = Math.max(0, size - suffix);
    return { offset, length: size - offset };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== "" && Number(m[2]) < start) return null;
  if (start >= size) return "unsatisfiable";
  return { offset: start, length: end - start + 1 };
}

export const media: Handler<"media"> = async (c) => {
  const { file } = c.req.valid("param");
  const bucket = c.get("services").env.MEDIA;
  const key = `gallery/${file}`;
  const head = await bucket.head(key);
  if (!head) throw new ApiError("not_found");
  const headers = new Headers();
  head.writeHttpMetadata(headers);
  headers.set("etag", head.httpEtag);
  headers.set("cache-control", MEDIA_CACHE);
  headers.set("accept-ranges", "bytes");
  headers.set("x-content-type-options", "nosniff");
  if (etagMatches(c.req.header("if-none-match"), head.httpEtag)) return new Response(null, { status: 304, headers }) as never;
  const range = parseRange(c.req.header("range"), head.size);
  if (range === "unsatisfiable") throw new ApiError("range_not_satisfiable", "range_not_satisfiable", undefined, { "Content-Range": `bytes */${head.size}` });
  const object = await bucket.get(key, range ? { range } : undefined);
  if (!object || !("body" in object)) throw new ApiError("not_found");
  if (!range) {
    headers.set("content-length", String(head.size));
    return new Response(object.body, { status: 200, headers }) as never;
  }
  headers.set("content-length", String(range.length));
  headers.set("content-range", `bytes ${range.offset}-${range.offset + range.length - 1}/${head.size}`);
  return new Response(object.body, { status: 206, headers }) as never;
};
