/** Route definitions (contract §8, issue 10). Static paths come before `/emergency/{id}`. */
import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonBody, jsonContent } from "../../lib/openapi";
import { pageEnvelopeSchema, paginationQuery } from "../../lib/pagination";
import { uuidParam } from "../../lib/schemas";
import {
  contactSchema,
  createContactJson,
  createEmergencyJson,
  emergencySchema,
  emergencyUpdateSchema,
  listQuery,
  respondJson,
  updateContactJson,
} from "./emergency.schemas";

const tags = ["Emergency"];
const security = [{ bearerAuth: [] }];
const emergencyResponse = jsonContent(emergencySchema, "The emergency");

export const create = createRoute({
  method: "post",
  path: "/emergency",
  tags,
  security,
  summary: "Raise an emergency (priority উচ্চ; staff of its ward are alerted by SMS and on the desk)",
  description:
    "At most 3 open emergencies per citizen (409 beyond) and 5 per rolling hour (429 with Retry-After). `ward_number` defaults to the reporter's. Reference `EM<YYYYMMDD><NNNN>` (Dhaka day).",
  request: jsonBody(createEmergencyJson),
  responses: { 201: jsonContent(emergencySchema, "Raised"), ...errorResponses(400, 401, 409, 429) },
});

export const list = createRoute({
  method: "get",
  path: "/emergency",
  tags,
  security,
  summary: "Emergencies, newest first (citizens: own; staff: those of the wards they may read)",
  request: { query: paginationQuery.merge(listQuery) },
  responses: { 200: jsonContent(pageEnvelopeSchema(emergencySchema).openapi("EmergencyPage"), "A page of emergencies"), ...errorResponses(400, 401) },
});

export const listContacts = createRoute({
  method: "get",
  path: "/emergency/contacts",
  tags,
  summary: "Emergency hotlines (public): national 999, fire service, ambulance, police, the city's control room",
  request: { query: z.object({ include: z.enum(["all"]).optional().openapi({ description: "Staff: also inactive entries" }) }) },
  responses: { 200: jsonContent(z.object({ results: z.array(contactSchema) }), "Hotlines, in display order"), ...errorResponses(400) },
});

export const createContact = createRoute({
  method: "post",
  path: "/emergency/contacts",
  tags,
  security,
  summary: "Add a hotline (admin+ with city-wide emergency.create)",
  request: jsonBody(createContactJson),
  responses: { 201: jsonContent(contactSchema, "Added"), ...errorResponses(400, 401, 403) },
});

const updateContactRoute = (method: "put" | "patch") =>
  createRoute({
    method,
    path: "/emergency/contacts/{id}",
    tags,
    security,
    summary: "Change a hotline (admin+ with city-wide emergency.update)",
    request: { params: uuidParam(), ...jsonBody(updateContactJson) },
    responses: { 200: jsonContent(contactSchema, "Changed"), ...errorResponses(400, 401, 403, 404) },
  });
export const putContact = updateContactRoute("put");
export const patchContact = updateContactRoute("patch");

export const deleteContact = createRoute({
  method: "delete",
  path: "/emergency/contacts/{id}",
  tags,
  security,
  summary: "Remove a hotline (admin+ with city-wide emergency.delete)",
  request: { params: uuidParam() },
  responses: { 204: { description: "Removed" }, ...errorResponses(401, 403, 404) },
});

export const get = createRoute({
  method: "get",
  path: "/emergency/{id}",
  tags,
  security,
  summary: "An emergency (its reporter or staff who may read its ward)",
  request: { params: uuidParam() },
  responses: { 200: emergencyResponse, ...errorResponses(401, 404) },
});

export const updates = createRoute({
  method: "get",
  path: "/emergency/{id}/updates",
  tags,
  security,
  summary: "The emergency's response history, oldest first",
  request: { params: uuidParam() },
  responses: { 200: jsonContent(z.array(emergencyUpdateSchema), "History"), ...errorResponses(401, 404) },
});

export const respond = createRoute({
  method: "post",
  path: "/emergency/{id}/respond",
  tags,
  security,
  summary: "Respond (staff with emergency.update in its ward): a status step, an assignee and/or a note",
  description:
    "Status moves submitted → in_progress → resolved, one step at a time (409 otherwise, or when someone moved it first). The first response sets `responded_at`; every response is a history row; the reporter gets an SMS.",
  request: { params: uuidParam(), ...jsonBody(respondJson) },
  responses: { 200: emergencyResponse, ...errorResponses(400, 401, 403, 404, 409) },
});

export const desk = createRoute({
  method: "get",
  path: "/ws/emergency",
  tags,
  summary: "WebSocket: the live emergency desk (staff)",
  description: [
    "Authenticate with `?token=<access token>` or `Sec-WebSocket-Protocol: bearer, <access token>` (answered with `bearer`).",
    "Refused before the upgrade: 401 without a valid token, 403 for citizens and admins without emergency.read.",
    'First frame `{type:"emergency.snapshot", emergencies:[open…], server_time}`; then `{type:"emergency.created"|"emergency.updated", emergency}` for the wards you may read.',
    "`?since=<ISO instant>` (e.g. the last `updated_at` you saw) also replays every change after it. Close 4001: token expired.",
  ].join(" "),
  request: { query: z.object({ token: z.string().optional(), since: z.string().optional() }) },
  responses: { 101: { description: "Switching protocols" }, ...errorResponses(400, 401, 403) },
});
