/** Route definitions (contract §8, issue 11). Static paths come before `{id}` ones. */
import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonBody, jsonContent } from "../../lib/openapi";
import { pageEnvelopeSchema, paginationQuery } from "../../lib/pagination";
import { uuidParam } from "../../lib/schemas";
import {
  createPickupForm,
  createPickupJson,
  createScheduleJson,
  createStsJson,
  nextCollectionSchema,
  nextQuery,
  payJson,
  pickupListQuery,
  pickupPaymentSchema,
  pickupSchema,
  pickupUpdateSchema,
  readingJson,
  readingSchema,
  scheduleListQuery,
  scheduleSchema,
  statusJson,
  stsListQuery,
  stsSchema,
  updateScheduleJson,
  updateStsJson,
} from "./waste.schemas";

const tags = ["Waste"];
const security = [{ bearerAuth: [] }];
const cacheHeaders = {
  ETag: { schema: { type: "string" as const }, description: "Strong validator; send it back as If-None-Match for a 304" },
  "Cache-Control": { schema: { type: "string" as const }, description: "public, max-age=60, stale-while-revalidate=300" },
};

// ---- Schedules --------------------------------------------------------------------------------

export const listSchedules = createRoute({
  method: "get",
  path: "/waste/schedules",
  tags,
  summary: "Collection schedules (public, cacheable): active schedules by ward and waste type",
  description: "Days of week and a Dhaka time window (`HH:MM`, Asia/Dhaka) per ward × waste type. `ETag` + `If-None-Match` → 304.",
  request: { query: paginationQuery.merge(scheduleListQuery) },
  responses: {
    200: { ...jsonContent(pageEnvelopeSchema(scheduleSchema).openapi("WasteSchedulePage"), "A page of schedules"), headers: cacheHeaders },
    304: { description: "Not modified" },
    ...errorResponses(400),
  },
});

export const nextCollections = createRoute({
  method: "get",
  path: "/waste/schedules/next",
  tags,
  summary: "The next collections in a ward from now (public, cacheable), in time order",
  description: "Expands the ward's active schedules over the next `days` Dhaka days (today included); a window under way is included with `in_progress: true`.",
  request: { query: nextQuery },
  responses: {
    200: { ...jsonContent(z.object({ ward_number: z.string(), now: z.string(), results: z.array(nextCollectionSchema) }), "Upcoming collections"), headers: cacheHeaders },
    304: { description: "Not modified" },
    ...errorResponses(400),
  },
});

export const createSchedule = createRoute({
  method: "post",
  path: "/waste/schedules",
  tags,
  security,
  summary: "Add a ward's schedule for a waste type (admin+ with waste.create in that ward)",
  description: "One schedule per ward × waste type: a second is 409 (change the first instead).",
  request: jsonBody(createScheduleJson),
  responses: { 201: jsonContent(scheduleSchema, "Added"), ...errorResponses(400, 401, 403, 409) },
});

export const getSchedule = createRoute({
  method: "get",
  path: "/waste/schedules/{id}",
  tags,
  summary: "A schedule (public)",
  request: { params: uuidParam() },
  responses: { 200: jsonContent(scheduleSchema, "The schedule"), ...errorResponses(404) },
});

const updateScheduleRoute = (method: "put" | "patch") =>
  createRoute({
    method,
    path: "/waste/schedules/{id}",
    tags,
    security,
    summary: "Change a schedule (admin+ with waste.update in its ward, and in the new ward when it moves)",
    request: { params: uuidParam(), ...jsonBody(updateScheduleJson) },
    responses: { 200: jsonContent(scheduleSchema, "Changed"), ...errorResponses(400, 401, 403, 404, 409) },
  });
export const putSchedule = updateScheduleRoute("put");
export const patchSchedule = updateScheduleRoute("patch");

export const deleteSchedule = createRoute({
  method: "delete",
  path: "/waste/schedules/{id}",
  tags,
  security,
  summary: "Remove a schedule (admin+ with waste.delete in its ward)",
  request: { params: uuidParam() },
  responses: { 204: { description: "Removed" }, ...errorResponses(401, 403, 404) },
});

// ---- Pickup requests --------------------------------------------------------------------------

const pickupResponse = jsonContent(pickupSchema, "The pickup request");

export const createPickup = createRoute({
  method: "post",
  path: "/waste/pickup-requests",
  tags,
  security,
  summary: "Ask for a pickup (JSON, or multipart with up to 3 `photos`); reference `WP<YYYYMMDD><NNNN>`",
  description:
    "`ward_number` defaults to the requester's. Photos: JPEG/PNG/WebP recognised by content, ≤ 5 MB each, at most 3. Construction debris (bulky) and e-waste carry the `waste_pickup` fee of the payments catalogue: the answer's `fee` says what to pay and where (`pay_url`); such a request cannot be scheduled until paid.",
  request: {
    body: {
      // Not `required`: with two media types only the one sent is validated (the handler refuses neither).
      required: false,
      content: { "application/json": { schema: createPickupJson }, "multipart/form-data": { schema: createPickupForm } },
    },
  },
  responses: { 201: jsonContent(pickupSchema, "Requested"), ...errorResponses(400, 401, 413, 415) },
});

export const listPickups = createRoute({
  method: "get",
  path: "/waste/pickup-requests",
  tags,
  security,
  summary: "Pickup requests, newest first (citizens: own; staff: those of the wards they may read waste in)",
  request: { query: paginationQuery.merge(pickupListQuery) },
  responses: { 200: jsonContent(pageEnvelopeSchema(pickupSchema).openapi("WastePickupPage"), "A page of pickup requests"), ...errorResponses(400, 401) },
});

export const getPickup = createRoute({
  method: "get",
  path: "/waste/pickup-requests/{id}",
  tags,
  security,
  summary: "A pickup request (its requester, or staff who may read waste in its ward)",
  request: { params: uuidParam() },
  responses: { 200: pickupResponse, ...errorResponses(401, 404) },
});

export const pickupUpdates = createRoute({
  method: "get",
  path: "/waste/pickup-requests/{id}/updates",
  tags,
  security,
  summary: "The request's status history, oldest first",
  request: { params: uuidParam() },
  responses: { 200: jsonContent(z.array(pickupUpdateSchema), "History"), ...errorResponses(401, 404) },
});

export const changeStatus = createRoute({
  method: "post",
  path: "/waste/pickup-requests/{id}/status",
  tags,
  security,
  summary: "Move a request: requested → scheduled (with `scheduled_for`) → collected; requested|scheduled → cancelled",
  description:
    "Staff with waste.update in the request's ward make any allowed move; the requester may only cancel. Anything else, or a move someone made first, is 409; scheduling an unpaid fee-bearing request is 409 too. Each change is a history row (and an activity-log row for staff); the requester gets an SMS when staff change it.",
  request: { params: uuidParam(), ...jsonBody(statusJson) },
  responses: { 200: pickupResponse, ...errorResponses(400, 401, 403, 404, 409) },
});

export const payPickup = createRoute({
  method: "post",
  path: "/waste/pickup-requests/{id}/pay",
  tags,
  security,
  summary: "Pay the pickup's fee (its requester): starts a `waste_pickup` payment linked to the request; open `payment_url`",
  description:
    "Only while the request is `requested`, carries a fee and is not paid yet (409 otherwise). The payment is settled by the payment engine as any city fee (gateway callback → queue → execute/query); once completed the request shows `fee.paid: true` and may be scheduled.",
  request: { params: uuidParam(), ...jsonBody(payJson) },
  responses: { 201: jsonContent(pickupPaymentSchema, "Started"), ...errorResponses(400, 401, 404, 409, 422, 503) },
});

const photoParams = z.object({
  id: z.string().uuid().openapi({ param: { name: "id", in: "path" } }),
  photo_id: z.string().uuid().openapi({ param: { name: "photo_id", in: "path" } }),
});

export const getPhoto = createRoute({
  method: "get",
  path: "/waste/pickup-requests/{id}/photos/{photo_id}",
  tags,
  security,
  summary: "A photo's bytes (whoever may see the request)",
  request: { params: photoParams },
  responses: { 200: { description: "The image", content: { "image/*": { schema: z.any().openapi({ type: "string", format: "binary" }) } } }, ...errorResponses(401, 404) },
});

// ---- Transfer stations ------------------------------------------------------------------------

export const listSts = createRoute({
  method: "get",
  path: "/waste/sts",
  tags,
  security,
  summary: "Secondary transfer stations with capacity, current load, load percentage and `over_capacity` (signed in); fullest first",
  request: { query: paginationQuery.merge(stsListQuery) },
  responses: { 200: jsonContent(pageEnvelopeSchema(stsSchema).openapi("TransferStationPage"), "A page of stations"), ...errorResponses(400, 401) },
});

export const createSts = createRoute({
  method: "post",
  path: "/waste/sts",
  tags,
  security,
  summary: "Add a station (admin+ with waste.create in its ward); it starts empty",
  request: jsonBody(createStsJson),
  responses: { 201: jsonContent(stsSchema, "Added"), ...errorResponses(400, 401, 403, 409) },
});

export const getSts = createRoute({
  method: "get",
  path: "/waste/sts/{id}",
  tags,
  security,
  summary: "A station (signed in)",
  request: { params: uuidParam() },
  responses: { 200: jsonContent(stsSchema, "The station"), ...errorResponses(401, 404) },
});

export const patchSts = createRoute({
  method: "patch",
  path: "/waste/sts/{id}",
  tags,
  security,
  summary: "Change a station's name, place, capacity or status (admin+ with waste.update in its ward); the load changes only by readings",
  request: { params: uuidParam(), ...jsonBody(updateStsJson) },
  responses: { 200: jsonContent(stsSchema, "Changed"), ...errorResponses(400, 401, 403, 404, 409) },
});

export const recordReading = createRoute({
  method: "post",
  path: "/waste/sts/{id}/readings",
  tags,
  security,
  summary: "Record a load reading (admin+ with waste.update in its ward): kept in the history, becomes the current load",
  description: "A reading above capacity is accepted and flagged (`over_capacity`); a negative one is 400.",
  request: { params: uuidParam(), ...jsonBody(readingJson) },
  responses: { 201: jsonContent(z.object({ station: stsSchema, reading: readingSchema }), "Recorded"), ...errorResponses(400, 401, 403, 404) },
});

export const listReadings = createRoute({
  method: "get",
  path: "/waste/sts/{id}/readings",
  tags,
  security,
  summary: "A station's load readings, newest first (admin+ who may read waste in its ward)",
  request: { params: uuidParam(), query: paginationQuery },
  responses: { 200: jsonContent(pageEnvelopeSchema(readingSchema).openapi("TransferStationReadingPage"), "A page of readings"), ...errorResponses(401, 403, 404) },
});
