import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonBody, jsonContent } from "../../lib/openapi";
import { pageEnvelopeSchema, paginationQuery } from "../../lib/pagination";
import { messageSchema, uuidParam } from "../../lib/schemas";
import { activityEntrySchema, activityQuery, createStaffSchema, permissionSetSchema, staffUserSchema, updateStaffSchema } from "./admin-users.schemas";

const tags = ["Administration"];
const security = [{ bearerAuth: [] }];
const activityPage = z.object({ results: z.array(activityEntrySchema), next_cursor: z.string().nullable() }).openapi("ActivityPage");

export const listStaff = createRoute({
  method: "get",
  path: "/admin-users",
  tags,
  security,
  summary: "Staff accounts with their permissions (super_admin)",
  request: {
    query: paginationQuery.extend({
      user_type: z.enum(["admin", "service_provider", "super_admin"]).optional(),
      is_active: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
    }),
  },
  responses: { 200: jsonContent(pageEnvelopeSchema(staffUserSchema), "A page of staff accounts"), ...errorResponses(400, 401, 403) },
});

export const createStaff = createRoute({
  method: "post",
  path: "/admin-users",
  tags,
  security,
  summary: "Create an admin or service provider (with a password, or invited by SMS) (super_admin)",
  request: jsonBody(createStaffSchema),
  responses: { 201: jsonContent(staffUserSchema, "The new staff account"), ...errorResponses(400, 401, 403) },
});

export const getStaff = createRoute({
  method: "get",
  path: "/admin-users/{id}",
  tags,
  security,
  summary: "A staff account (super_admin)",
  request: { params: uuidParam() },
  responses: { 200: jsonContent(staffUserSchema, "The staff account"), ...errorResponses(401, 403, 404) },
});

export const updateStaff = createRoute({
  method: "patch",
  path: "/admin-users/{id}",
  tags,
  security,
  summary: "Change name, role, status or ward (super_admin; never the last active super admin)",
  request: { params: uuidParam(), ...jsonBody(updateStaffSchema) },
  responses: { 200: jsonContent(staffUserSchema, "The staff account"), ...errorResponses(400, 401, 403, 404, 409) },
});

export const deactivateStaff = createRoute({
  method: "delete",
  path: "/admin-users/{id}",
  tags,
  security,
  summary: "Deactivate (never delete) a staff account; its sessions end at once (super_admin)",
  request: { params: uuidParam() },
  responses: { 200: jsonContent(messageSchema, "Deactivated"), ...errorResponses(401, 403, 404, 409) },
});

export const getPermissions = createRoute({
  method: "get",
  path: "/admin-users/{id}/permissions",
  tags,
  security,
  summary: "An admin's permissions (super_admin)",
  request: { params: uuidParam() },
  responses: { 200: jsonContent(permissionSetSchema, "The permission set"), ...errorResponses(401, 403, 404) },
});

export const putPermissions = createRoute({
  method: "put",
  path: "/admin-users/{id}/permissions",
  tags,
  security,
  summary: "Replace an admin's permission set atomically (super_admin)",
  request: { params: uuidParam(), ...jsonBody(permissionSetSchema) },
  responses: { 200: jsonContent(permissionSetSchema, "The permission set now stored"), ...errorResponses(400, 401, 403, 404, 409) },
});

export const staffActivity = createRoute({
  method: "get",
  path: "/admin-users/{id}/activity-log",
  tags,
  security,
  summary: "What one staff member did, newest first (super_admin)",
  request: { params: uuidParam(), query: activityQuery.omit({ user_id: true }) },
  responses: { 200: jsonContent(activityPage, "A page of entries"), ...errorResponses(400, 401, 403, 404) },
});

export const activityLog = createRoute({
  method: "get",
  path: "/activity-log",
  tags,
  security,
  summary: "Every staff mutation, newest first; append-only (super_admin)",
  request: { query: activityQuery },
  responses: { 200: jsonContent(activityPage, "A page of entries"), ...errorResponses(400, 401, 403) },
});
