import { createRoute, z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../app-env";
import { errorResponses, jsonBody, jsonContent } from "../../lib/openapi";
import { pageEnvelopeSchema, paginationQuery } from "../../lib/pagination";
import { requireAuth, requireRole } from "../../middleware/auth";
import {
  createPayableServiceBody,
  payableServiceSchema,
  removedPayableServiceSchema,
  SERVICE_CODE,
  updatePayableServiceBody,
} from "./payable-services.schemas";

const tags = ["Payments"];
const security = [{ bearerAuth: [] }];
const staffOnly = requireRole("admin", "super_admin");
const staff = [requireAuth, staffOnly];

/** The list is public; asking for inactive services too needs admin or super_admin (401 / 403). */
const staffForInactive = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.query("include_inactive") !== "true") return next();
  await requireAuth(c, async () => {
    await staffOnly(c, next);
  });
});

const codeParam = z.object({
  code: z
    .string()
    .regex(SERVICE_CODE)
    .openapi({ param: { name: "code", in: "path" }, example: "birth_certificate", description: "The service's code" }),
});

export const listPayableServices = createRoute({
  method: "get",
  path: "/payments/services",
  tags,
  security: [{}, ...security],
  middleware: staffForInactive,
  summary: "The city services that can be paid, with their fee rules (public)",
  description:
    "Active services in display order: code, Bengali and English names, and the fee rule (`fixed`: exactly `fixed_amount`; `range`: `min_amount` … `max_amount`; `free`: any positive amount). Send the code or either name as `service_type` to POST /payments/process; `donation` is paid through POST /donations (`payment_path`). Staff may add `include_inactive=true`.",
  request: {
    query: paginationQuery.extend({
      include_inactive: z.enum(["true", "false"]).optional().openapi({ description: "admin/super_admin only: list inactive services too" }),
    }),
  },
  responses: {
    200: jsonContent(pageEnvelopeSchema(payableServiceSchema).openapi("PayableServicePage"), "A page of services"),
    ...errorResponses(400, 401, 403),
  },
});

export const createPayableService = createRoute({
  method: "post",
  path: "/payments/services",
  tags,
  security,
  middleware: staff,
  summary: "Add a payable service (admin, super_admin)",
  description: "The amounts must fit `fee_type`: `fixed` needs `fixed_amount` only; `range` needs `min_amount` < `max_amount` only; `free` none. Codes and names are unique (400 on the field).",
  request: jsonBody(createPayableServiceBody),
  responses: { 201: jsonContent(payableServiceSchema, "Created"), ...errorResponses(400, 401, 403) },
});

export const updatePayableService = createRoute({
  method: "patch",
  path: "/payments/services/{code}",
  tags,
  security,
  middleware: staff,
  summary: "Change a payable service's names, fee rule, visibility or order (admin, super_admin)",
  description: "The code never changes. The fee rule is replaced as a whole: send `fee_type` with its amounts. Past payments keep the amount they were made for.",
  request: { params: codeParam, ...jsonBody(updatePayableServiceBody) },
  responses: { 200: jsonContent(payableServiceSchema, "The service after the change"), ...errorResponses(400, 401, 403, 404) },
});

export const removePayableService = createRoute({
  method: "delete",
  path: "/payments/services/{code}",
  tags,
  security,
  middleware: staff,
  summary: "Remove a payable service: deleted if no payment references it, otherwise deactivated (admin, super_admin)",
  description:
    "A service that payments reference is deactivated instead of deleted (`outcome: \"deactivated\"`): it disappears from the public list and cannot be paid, its payments keep their code and can still be filtered by it, and PATCH `is_active: true` brings it back. The `donation` entry cannot be removed (409).",
  request: { params: codeParam },
  responses: { 200: jsonContent(removedPayableServiceSchema, "What happened"), ...errorResponses(401, 403, 404, 409) },
});
