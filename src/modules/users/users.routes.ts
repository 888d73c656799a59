import { createRoute, z } from "@hono/zod-openapi";
import { USER_TYPES } from "../../lib/enums";
import { errorResponses, jsonBody, jsonContent } from "../../lib/openapi";
import { pageEnvelopeSchema, paginationQuery } from "../../lib/pagination";
import { messageSchema, uuidParam } from "../../lib/schemas";
import { profileFields, userSchema } from "./users.schemas";

const tags = ["Users"];
const security = [{ bearerAuth: [] }];

const profileUpdate = z
  .object({
    name: profileFields.name.optional(),
    email: profileFields.email.optional(),
    nid: profileFields.nid.optional(),
    address: profileFields.address.optional(),
    ward_number: profileFields.ward_number.optional(),
  })
  .strict()
  .openapi("ProfileUpdate");

/** What staff may change on another account: the profile, and (super_admin only) role and status. */
const adminUserUpdate = profileUpdate
  .extend({ user_type: z.enum(USER_TYPES).optional(), is_active: z.boolean().optional() })
  .strict()
  .openapi("UserUpdate");

export type ProfileUpdate = z.infer<typeof profileUpdate>;
export type AdminUserUpdate = z.infer<typeof adminUserUpdate>;

export const getProfile = createRoute({
  method: "get",
  path: "/users/profile",
  tags,
  security,
  summary: "Own profile",
  responses: { 200: jsonContent(userSchema, "Own profile"), ...errorResponses(401) },
});

const profileUpdateRoute = (method: "put" | "patch") =>
  createRoute({
    method,
    path: "/users/profile",
    tags,
    security,
    summary: method === "put" ? "Update own profile" : "Partially update own profile",
    request: jsonBody(profileUpdate),
    responses: { 200: jsonContent(userSchema, "Updated profile"), ...errorResponses(400, 401) },
  });
export const putProfile = profileUpdateRoute("put");
export const patchProfile = profileUpdateRoute("patch");

export const uploadAvatar = createRoute({
  method: "post",
  path: "/users/profile/avatar",
  tags,
  security,
  summary: "Upload a profile picture (JPEG/PNG/WebP by content, ≤ 5 MB)",
  request: {
    body: {
      required: true,
      content: { "multipart/form-data": { schema: z.object({ avatar: z.any().openapi({ type: "string", format: "binary" }) }) } },
    },
  },
  responses: { 200: jsonContent(userSchema, "Updated profile"), ...errorResponses(400, 401, 413, 415) },
});

export const listUsers = createRoute({
  method: "get",
  path: "/users",
  tags,
  security,
  summary: "List users (admin, super_admin)",
  request: {
    query: paginationQuery.extend({
      user_type: z.enum(USER_TYPES).optional(),
      ward_number: z.string().max(10).optional(),
      is_verified: z.enum(["true", "false"]).transform((v) => v === "true").optional(),
      search: z.string().trim().max(100).optional().openapi({ description: "Matches name, phone or email" }),
    }),
  },
  responses: { 200: jsonContent(pageEnvelopeSchema(userSchema).openapi("UserPage"), "A page of users"), ...errorResponses(400, 401, 403) },
});

export const getUser = createRoute({
  method: "get",
  path: "/users/{id}",
  tags,
  security,
  summary: "A user (self, or admin+)",
  request: { params: uuidParam() },
  responses: { 200: jsonContent(userSchema, "User"), ...errorResponses(401, 404) },
});

export const updateUser = createRoute({
  method: "put",
  path: "/users/{id}",
  tags,
  security,
  summary: "Update a user (self: profile; admin+: profile; super_admin: also user_type and is_active)",
  request: { params: uuidParam(), ...jsonBody(adminUserUpdate) },
  responses: { 200: jsonContent(userSchema, "Updated"), ...errorResponses(400, 401, 403, 404) },
});

export const deactivateUser = createRoute({
  method: "delete",
  path: "/users/{id}",
  tags,
  security,
  summary: "Deactivate a user and sign them out everywhere (super_admin)",
  request: { params: uuidParam() },
  responses: { 200: jsonContent(messageSchema, "Deactivated"), ...errorResponses(401, 403, 404, 409) },
});

export const getMedia = createRoute({
  method: "get",
  path: "/media/avatars/{file}",
  tags: ["Media"],
  summary: "A profile picture (public, immutable: the name is random and changes with every upload)",
  request: { params: z.object({ file: z.string().regex(/^[0-9a-f-]{36}\.(jpg|png|webp)$/) }) },
  responses: { 200: { description: "Image bytes", content: { "image/*": { schema: z.any().openapi({ type: "string", format: "binary" }) } } }, ...errorResponses(404) },
});
