/** Route definitions (contract §8, issue 10). Reads are public; changes are for admin and super_admin. */
import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonBody, jsonContent } from "../../lib/openapi";
import { pageEnvelopeSchema, paginationQuery } from "../../lib/pagination";
import { uuidParam } from "../../lib/schemas";
import { createNoticeJson, listQuery, noticeSchema, updateNoticeJson } from "./notices.schemas";

const tags = ["Notices"];
const optionalAuth: Array<Record<string, string[]>> = [{}, { bearerAuth: [] }];
const security = [{ bearerAuth: [] }];
const noticeResponse = jsonContent(noticeSchema, "The notice");
const cacheHeaders = {
  ETag: { description: "Validator of this answer; send it back in If-None-Match for a 304", schema: { type: "string" as const } },
  "Cache-Control": {
    description: "Anonymous: `public, max-age=60, stale-while-revalidate=300`; signed in: `private, no-cache`",
    schema: { type: "string" as const },
  },
};
const ifNoneMatch = z.object({
  "if-none-match": z.string().optional().openapi({ param: { name: "if-none-match", in: "header" }, description: "An ETag from an earlier answer" }),
});

export const list = createRoute({
  method: "get",
  path: "/notices",
  tags,
  security: optionalAuth,
  summary:
    "The notice board: live notices (active, published, unexpired) for every ward plus the reader's ward, urgent first, then newest. Public; cacheable (ETag, 304)",
  request: { query: paginationQuery.merge(listQuery), headers: ifNoneMatch },
  responses: {
    200: { ...jsonContent(pageEnvelopeSchema(noticeSchema).openapi("NoticePage"), "A page of notices"), headers: cacheHeaders },
    304: { description: "Not modified (If-None-Match matched)", headers: cacheHeaders },
    ...errorResponses(400, 401),
  },
});

export const create = createRoute({
  method: "post",
  path: "/notices",
  tags,
  security,
  summary:
    "Publish a notice (admin+ with notices.create for every targeted ward; an all-ward notice needs an unrestricted grant). A future published_at schedules it; an urgent one is sent by SMS to the targeted citizens once it is published",
  request: jsonBody(createNoticeJson),
  responses: { 201: jsonContent(noticeSchema, "Created"), ...errorResponses(400, 401, 403) },
});

export const get = createRoute({
  method: "get",
  path: "/notices/{id}",
  tags,
  security: optionalAuth,
  summary: "A live notice (staff with notices.read: in any state). A signed-in reader's view is counted once per user",
  request: { params: uuidParam(), headers: ifNoneMatch },
  responses: { 200: { ...noticeResponse, headers: cacheHeaders }, 304: { description: "Not modified", headers: cacheHeaders }, ...errorResponses(401, 404) },
});

const updateRoute = (method: "put" | "patch") =>
  createRoute({
    method,
    path: "/notices/{id}",
    tags,
    security,
    summary: "Edit a notice (admin+ with notices.update for every ward it targets, before and after the edit); fields not sent keep their values",
    request: { params: uuidParam(), ...jsonBody(updateNoticeJson) },
    responses: { 200: noticeResponse, ...errorResponses(400, 401, 403, 404) },
  });
export const put = updateRoute("put");
export const patch = updateRoute("patch");

export const remove = createRoute({
  method: "delete",
  path: "/notices/{id}",
  tags,
  security,
  summary: "Withdraw a notice (soft: is_active=false; admin+ with notices.delete for every targeted ward)",
  request: { params: uuidParam() },
  responses: { 204: { description: "Withdrawn" }, ...errorResponses(401, 403, 404) },
});
