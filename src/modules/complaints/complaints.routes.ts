/** Route definitions (contract §5). Static paths come before `/complaints/{id}`. */
import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonBody, jsonContent } from "../../lib/openapi";
import { pageEnvelopeSchema, paginationQuery } from "../../lib/pagination";
import { uuidParam } from "../../lib/schemas";
import {
  assignJson,
  complaintSchema,
  complaintUpdateSchema,
  createComplaintForm,
  createComplaintJson,
  createdComplaintSchema,
  listQuery,
  nearbyComplaintSchema,
  nearbyQuery,
  rateJson,
  statisticsSchema,
  statusChangeJson,
  updateComplaintJson,
} from "./complaints.schemas";

const tags = ["Complaints"];
const security = [{ bearerAuth: [] }];
const complaintResponse = jsonContent(complaintSchema, "The complaint");
const binary = z.any().openapi({ type: "string", format: "binary" });
const imageFiles = z.object({ images: z.any().openapi({ type: "array", items: { type: "string", format: "binary" } }) });
const imageParams = z.object({
  id: z.string().uuid().openapi({ param: { name: "id", in: "path" } }),
  image_id: z.string().uuid().openapi({ param: { name: "image_id", in: "path" } }),
});

export const list = createRoute({
  method: "get",
  path: "/complaints",
  tags,
  security,
  summary: "List complaints (citizens: own; staff: all) with filters, search, ordering and pagination",
  request: { query: paginationQuery.merge(listQuery) },
  responses: { 200: jsonContent(pageEnvelopeSchema(complaintSchema).openapi("ComplaintPage"), "A page of complaints"), ...errorResponses(400, 401) },
});

export const create = createRoute({
  method: "post",
  path: "/complaints",
  tags,
  security,
  summary: "File a complaint (JSON, or multipart with up to 5 `images`); answers with possible duplicates nearby",
  request: {
    body: {
      // Not `required`: with two media types the library then validates only the one that was sent
      // (the handler refuses a request that sent neither).
      required: false,
      content: { "application/json": { schema: createComplaintJson }, "multipart/form-data": { schema: createComplaintForm } },
    },
  },
  responses: { 201: jsonContent(createdComplaintSchema, "Filed"), ...errorResponses(400, 401, 413, 415) },
});

export const nearby = createRoute({
  method: "get",
  path: "/complaints/nearby",
  tags,
  security,
  summary: "Open complaints of a category within a radius (default 200 m), nearest first",
  request: { query: nearbyQuery },
  responses: { 200: jsonContent(z.object({ results: z.array(nearbyComplaintSchema) }), "Nearby open complaints"), ...errorResponses(400, 401) },
});

export const statistics = createRoute({
  method: "get",
  path: "/complaints/statistics",
  tags,
  security,
  summary: "Totals by status, category, priority and ward (staff)",
  responses: { 200: jsonContent(statisticsSchema, "Totals"), ...errorResponses(401, 403) },
});

export const track = createRoute({
  method: "get",
  path: "/complaints/track/{tracking_number}",
  tags,
  security,
  summary: "Look a complaint up by tracking number (owner or staff)",
  request: { params: z.object({ tracking_number: z.string().regex(/^CC\d{12,}$/).openapi({ param: { name: "tracking_number", in: "path" }, example: "CC202611220001" }) }) },
  responses: { 200: complaintResponse, ...errorResponses(401, 404) },
});

export const get = createRoute({
  method: "get",
  path: "/complaints/{id}",
  tags,
  security,
  summary: "A complaint",
  request: { params: uuidParam() },
  responses: { 200: complaintResponse, ...errorResponses(401, 404) },
});

const updateRoute = (method: "put" | "patch") =>
  createRoute({
    method,
    path: "/complaints/{id}",
    tags,
    security,
    summary: "Edit a complaint (owner while submitted; staff any)",
    request: { params: uuidParam(), ...jsonBody(updateComplaintJson) },
    responses: { 200: complaintResponse, ...errorResponses(400, 401, 404, 409) },
  });
export const put = updateRoute("put");
export const patch = updateRoute("patch");

export const remove = createRoute({
  method: "delete",
  path: "/complaints/{id}",
  tags,
  security,
  summary: "Delete a complaint and its photos (owner while submitted; staff any)",
  request: { params: uuidParam() },
  responses: { 204: { description: "Deleted" }, ...errorResponses(401, 404, 409) },
});

export const addImages = createRoute({
  method: "post",
  path: "/complaints/{id}/images",
  tags,
  security,
  summary: "Add photos (multipart `images`, 1–5 files; at most 5 per complaint in all; ≤ 5 MB; JPEG/PNG/WebP by content)",
  request: { params: uuidParam(), body: { required: true, content: { "multipart/form-data": { schema: imageFiles } } } },
  responses: { 201: complaintResponse, ...errorResponses(400, 401, 404, 409, 413, 415) },
});

export const getImage = createRoute({
  method: "get",
  path: "/complaints/{id}/images/{image_id}",
  tags,
  security,
  summary: "A photo's bytes (owner or staff)",
  request: { params: imageParams },
  responses: { 200: { description: "Image", content: { "image/*": { schema: binary } } }, ...errorResponses(401, 404) },
});

export const deleteImage = createRoute({
  method: "delete",
  path: "/complaints/{id}/images/{image_id}",
  tags,
  security,
  summary: "Delete a photo (owner while submitted; staff any)",
  request: { params: imageParams },
  responses: { 204: { description: "Deleted" }, ...errorResponses(401, 404, 409) },
});

export const updateStatus = createRoute({
  method: "post",
  path: "/complaints/{id}/update_status",
  tags,
  security,
  summary: "Change status through the workflow (staff; the owner may cancel while submitted)",
  request: { params: uuidParam(), ...jsonBody(statusChangeJson) },
  responses: { 200: complaintResponse, ...errorResponses(400, 401, 403, 404, 409) },
});

export const updates = createRoute({
  method: "get",
  path: "/complaints/{id}/updates",
  tags,
  security,
  summary: "Status history, oldest first",
  request: { params: uuidParam() },
  responses: { 200: jsonContent(z.array(complaintUpdateSchema), "History"), ...errorResponses(401, 404) },
});

export const assign = createRoute({
  method: "post",
  path: "/complaints/{id}/assign",
  tags,
  security,
  summary: "Assign to a staff member (staff)",
  request: { params: uuidParam(), ...jsonBody(assignJson) },
  responses: { 200: complaintResponse, ...errorResponses(400, 401, 403, 404, 409) },
});

export const rate = createRoute({
  method: "post",
  path: "/complaints/{id}/rate",
  tags,
  security,
  summary: "Rate a resolved complaint, once (owner)",
  request: { params: uuidParam(), ...jsonBody(rateJson) },
  responses: { 200: complaintResponse, ...errorResponses(400, 401, 403, 404, 409) },
});

