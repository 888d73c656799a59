/** Route definitions (contract §10, issue 14). Static paths come before `/notifications/{id}`. */
import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonBody, jsonContent } from "../../lib/openapi";
import { uuidParam } from "../../lib/schemas";
import { deviceJson, deviceSchema, inboxPageSchema, inboxQuery, notificationSchema, preferencesJson, preferencesSchema } from "./notifications.schemas";

const tags = ["Notifications"];
const security = [{ bearerAuth: [] }];

export const list = createRoute({
  method: "get",
  path: "/notifications",
  tags,
  security,
  summary: "The inbox, newest first (cursor pagination; `unread_only`)",
  request: { query: inboxQuery },
  responses: { 200: jsonContent(inboxPageSchema, "A page of notifications"), ...errorResponses(400, 401) },
});

export const unreadCount = createRoute({
  method: "get",
  path: "/notifications/unread-count",
  tags,
  security,
  summary: "How many are unread",
  responses: { 200: jsonContent(z.object({ unread: z.number().int() }), "Unread count"), ...errorResponses(401) },
});

export const readAll = createRoute({
  method: "post",
  path: "/notifications/read-all",
  tags,
  security,
  summary: "Mark every notification read",
  responses: { 200: jsonContent(z.object({ updated: z.number().int() }), "How many were unread"), ...errorResponses(401) },
});

export const registerDevice = createRoute({
  method: "post",
  path: "/notifications/devices",
  tags,
  security,
  summary: "Register this device's FCM token (upsert; a token moves to whoever signs in on the device)",
  request: jsonBody(deviceJson),
  responses: { 201: jsonContent(deviceSchema, "Registered"), 200: jsonContent(deviceSchema, "Already registered; updated"), ...errorResponses(400, 401) },
});

export const removeDevice = createRoute({
  method: "delete",
  path: "/notifications/devices/{token}",
  tags,
  security,
  summary: "Stop pushes to this device (sign-out)",
  request: { params: z.object({ token: z.string().min(1).max(4096).openapi({ param: { name: "token", in: "path" } }) }) },
  responses: { 204: { description: "Removed" }, ...errorResponses(401, 404) },
});

export const getPreferences = createRoute({
  method: "get",
  path: "/notifications/preferences",
  tags,
  security,
  summary: "Per-category switches, language and quiet hours",
  responses: { 200: jsonContent(preferencesSchema, "Preferences"), ...errorResponses(401) },
});

export const putPreferences = createRoute({
  method: "put",
  path: "/notifications/preferences",
  tags,
  security,
  summary: "Change preferences (only the fields given)",
  request: jsonBody(preferencesJson),
  responses: { 200: jsonContent(preferencesSchema, "Preferences"), ...errorResponses(400, 401) },
});

export const read = createRoute({
  method: "post",
  path: "/notifications/{id}/read",
  tags,
  security,
  summary: "Mark one read (idempotent)",
  request: { params: uuidParam() },
  responses: { 200: jsonContent(notificationSchema, "The notification"), ...errorResponses(401, 404) },
});

export const devPush = createRoute({
  method: "get",
  path: "/dev/push",
  tags: ["Development"],
  summary: "Development only: pushes handed to the FCM stand-in for a user (404 outside development)",
  request: { query: z.object({ user_id: z.string().uuid() }) },
  responses: {
    200: jsonContent(
      z.object({ results: z.array(z.object({ notification_id: z.string(), token: z.string(), status: z.string(), provider_id: z.string().nullable(), error: z.string().nullable(), title: z.string(), body: z.string(), created_at: z.string() })) }),
      "Newest first",
    ),
    ...errorResponses(400, 404),
  },
});
