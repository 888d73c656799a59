/** Route definitions (contract §8, issue 11). Reads are public; upload, edit and delete are for admin and super_admin. */
import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, errorSchema, jsonBody, jsonContent } from "../../lib/openapi";
import { pageEnvelopeSchema, paginationQuery } from "../../lib/pagination";
import { uuidParam } from "../../lib/schemas";
import { galleryItemSchema, listQuery, mediaParam, updateItemJson, uploadQuery } from "./gallery.schemas";

const tags = ["Gallery"];
const security = [{ bearerAuth: [] }];
const itemResponse = jsonContent(galleryItemSchema, "The item");
const cacheHeaders = {
  ETag: { description: "Validator; send it back in If-None-Match for a 304", schema: { type: "string" as const } },
  "Cache-Control": { description: "`public, max-age=60, stale-while-revalidate=300`", schema: { type: "string" as const } },
};
const ifNoneMatch = z.object({
  "if-none-match": z.string().optional().openapi({ param: { name: "if-none-match", in: "header" }, description: "An ETag from an earlier answer" }),
});
const binary = z.any().openapi({ type: "string", format: "binary" });

export const list = createRoute({
  method: "get",
  path: "/gallery",
  tags,
  summary: "The gallery, newest first; filters category and media_type. Public; cacheable (ETag, 304)",
  request: { query: paginationQuery.merge(listQuery), headers: ifNoneMatch },
  responses: {
    200: { ...jsonContent(pageEnvelopeSchema(galleryItemSchema).openapi("GalleryItemPage"), "A page of items"), headers: cacheHeaders },
    304: { description: "Not modified", headers: cacheHeaders },
    ...errorResponses(400),
  },
});

export const upload = createRoute({
  method: "post",
  path: "/gallery",
  tags,
  security,
  summary:
    "Upload one image (JPEG/PNG/WebP ≤ 10 MB) or video (MP4/WebM ≤ 100 MB): the request body is the file's bytes (any Content-Type; the type is recognised from the bytes), metadata in the query. Streams into R2 (multipart upload in 5 MiB parts) without holding the file. Admin+ with an unrestricted gallery.create grant",
  request: {
    query: uploadQuery,
    body: { required: true, content: { "application/octet-stream": { schema: binary }, "image/*": { schema: binary }, "video/*": { schema: binary } } },
  },
  responses: { 201: jsonContent(galleryItemSchema, "Stored"), ...errorResponses(400, 401, 403, 413, 415) },
});

export const get = createRoute({
  method: "get",
  path: "/gallery/{id}",
  tags,
  summary: "One item. Public; cacheable",
  request: { params: uuidParam(), headers: ifNoneMatch },
  responses: { 200: { ...itemResponse, headers: cacheHeaders }, 304: { description: "Not modified", headers: cacheHeaders }, ...errorResponses(404) },
});

const updateRoute = (method: "put" | "patch") =>
  createRoute({
    method,
    path: "/gallery/{id}",
    tags,
    security,
    summary: "Edit title, description or category (admin+ with an unrestricted gallery.update grant)",
    request: { params: uuidParam(), ...jsonBody(updateItemJson) },
    responses: { 200: itemResponse, ...errorResponses(400, 401, 403, 404) },
  });
export const put = updateRoute("put");
export const patch = updateRoute("patch");

export const remove = createRoute({
  method: "delete",
  path: "/gallery/{id}",
  tags,
  security,
  summary: "Delete an item and its R2 object (admin+ with an unrestricted gallery.delete grant)",
  request: { params: uuidParam() },
  responses: { 204: { description: "Deleted" }, ...errorResponses(401, 403, 404) },
});

export const media = createRoute({
  method: "get",
  path: "/gallery/media/{file}",
  tags,
  summary:
    "The bytes of an item (public, immutable: `Cache-Control: public, max-age=31536000, immutable`, ETag/304). HTTP Range (`bytes=a-b`, `a-`, `-n`) answers 206 with Content-Range; outside the file 416",
  request: {
    params: mediaParam,
    headers: z.object({
      range: z.string().optional().openapi({ param: { name: "range", in: "header" }, example: "bytes=0-1048575" }),
      "if-none-match": z.string().optional().openapi({ param: { name: "if-none-match", in: "header" } }),
    }),
  },
  responses: {
    200: { description: "The whole file", content: { "image/*": { schema: binary }, "video/*": { schema: binary } } },
    206: { description: "The requested range", content: { "image/*": { schema: binary }, "video/*": { schema: binary } } },
    304: { description: "Not modified" },
    ...errorResponses(404),
    416: { description: "Range not satisfiable (`Content-Range: bytes */<size>`)", content: { "application/json": { schema: errorSchema } } },
  },
});
