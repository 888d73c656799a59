/** Route definitions (contract §8, issue 11). Reads are public; changes are for admin and super_admin; anyone signed in may take part. */
import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonBody, jsonContent } from "../../lib/openapi";
import { pageEnvelopeSchema, paginationQuery } from "../../lib/pagination";
import { uuidParam } from "../../lib/schemas";
import { createEventJson, eventSchema, feedQuery, listQuery, participationSchema, updateEventJson } from "./calendar.schemas";

const tags = ["Calendar"];
const optionalAuth: Array<Record<string, string[]>> = [{}, { bearerAuth: [] }];
const security = [{ bearerAuth: [] }];
const eventResponse = jsonContent(eventSchema, "The event (starts_at/ends_at: its first occurrence)");
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
  path: "/calendar/events",
  tags,
  security: optionalAuth,
  summary:
    "Occurrences overlapping [from, to) (Dhaka days; repeats expanded, one result per occurrence), earliest first; filters category and ward_number (that ward plus all-ward events). Public; cacheable (ETag, 304)",
  request: { query: paginationQuery.merge(listQuery), headers: ifNoneMatch },
  responses: {
    200: { ...jsonContent(pageEnvelopeSchema(eventSchema).openapi("CalendarEventPage"), "A page of occurrences"), headers: cacheHeaders },
    304: { description: "Not modified (If-None-Match matched)", headers: cacheHeaders },
    ...errorResponses(400, 401),
  },
});

export const feed = createRoute({
  method: "get",
  path: "/calendar/events.ics",
  tags,
  summary:
    "The iCalendar (RFC 5545) feed to subscribe to: one VEVENT per event or series (RRULE), from 90 days ago on; filters category and ward_number. Public; cacheable (ETag, 304)",
  request: { query: feedQuery, headers: ifNoneMatch },
  responses: {
    200: { description: "text/calendar; charset=utf-8", content: { "text/calendar": { schema: z.string() } }, headers: cacheHeaders },
    304: { description: "Not modified", headers: cacheHeaders },
    ...errorResponses(400),
  },
});

export const create = createRoute({
  method: "post",
  path: "/calendar/events",
  tags,
  security,
  summary: "Create an event or a weekly/monthly series (admin+ with calendar.create for every targeted ward; an all-ward event needs an unrestricted grant)",
  request: jsonBody(createEventJson),
  responses: { 201: jsonContent(eventSchema, "Created"), ...errorResponses(400, 401, 403) },
});

export const get = createRoute({
  method: "get",
  path: "/calendar/events/{id}",
  tags,
  security: optionalAuth,
  summary: "One event or series (starts_at/ends_at: the first occurrence). Public; cacheable",
  request: { params: uuidParam(), headers: ifNoneMatch },
  responses: { 200: { ...eventResponse, headers: cacheHeaders }, 304: { description: "Not modified", headers: cacheHeaders }, ...errorResponses(401, 404) },
});

const updateRoute = (method: "put" | "patch") =>
  createRoute({
    method,
    path: "/calendar/events/{id}",
    tags,
    security,
    summary: "Edit an event (admin+ with calendar.update for every ward it targets, before and after); fields not sent keep their values; SEQUENCE grows",
    request: { params: uuidParam(), ...jsonBody(updateEventJson) },
    responses: { 200: eventResponse, ...errorResponses(400, 401, 403, 404) },
  });
export const put = updateRoute("put");
export const patch = updateRoute("patch");

export const remove = createRoute({
  method: "delete",
  path: "/calendar/events/{id}",
  tags,
  security,
  summary: "Delete an event or series with its participants (admin+ with calendar.delete for every targeted ward)",
  request: { params: uuidParam() },
  responses: { 204: { description: "Deleted" }, ...errorResponses(401, 403, 404) },
});

const participateRoute = (method: "post" | "delete") =>
  createRoute({
    method,
    path: "/calendar/events/{id}/participate",
    tags,
    security,
    summary:
      method === "post"
        ? "Take part (idempotent; any signed-in user). 409 when every seat is taken or the event is over"
        : "Stop taking part (idempotent). 409 when the event is over",
    request: { params: uuidParam() },
    responses: { 200: jsonContent(participationSchema, "The caller's participation"), ...errorResponses(401, 404, 409) },
  });
export const join = participateRoute("post");
export const leave = participateRoute("delete");
