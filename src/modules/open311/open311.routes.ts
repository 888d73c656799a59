/**
 * Open311 GeoReport v2 routes, in two sets built from the same schemas:
 *
 *  - `docs`: the spec's resources as the OpenAPI document shows them — `/open311/v2/services.{format}`,
 *    `/open311/v2/requests/{service_request_id}.{format}`, … with `format` json | xml;
 *  - `served`: the same operations as the router matches them (hidden from the document). Hono
 *    matches a parameter only as a whole path segment, so `services.json` and `services.xml` are
 *    routes of their own and `{service_code}.{format}` is one segment (`file`) split by the handler.
 */
import { createRoute, z, type RouteConfig } from "@hono/zod-openapi";
import { errorResponses, jsonBody, jsonContent } from "../../lib/openapi";
import { pageEnvelopeSchema, paginationQuery } from "../../lib/pagination";
import { uuidParam } from "../../lib/schemas";
import { ATTRIBUTES } from "./open311.catalog";

const tags = ["Open311 GeoReport v2"];
const format = z.enum(["json", "xml"]).openapi({ param: { name: "format", in: "path" }, description: "Response format: `json` or `xml` (UTF-8)." });
const jurisdiction = z.string().optional().openapi({ description: "Optional (one jurisdiction is served, see discovery); another value is answered 404." });

const specError = z.object({ code: z.number().int(), description: z.string() }).openapi("Open311Error");
const specErrors = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: `GeoReport v2 errors: \`[{code, description}]\` (XML: \`<errors><error><code/><description/></error></errors>\`)`,
        content: { "application/json": { schema: z.array(specError) }, "text/xml": { schema: z.string() } },
      },
    ]),
  );
const both = <T extends z.ZodTypeAny>(schema: T, description: string) => ({
  description,
  content: { "application/json": { schema }, "text/xml": { schema: z.string().openapi({ description: "The same data as XML, with the spec's element names." }) } },
});

const discoverySchema = z
  .object({
    changeset: z.string(),
    contact: z.string(),
    key_service: z.string(),
    endpoints: z.array(
      z.object({ specification: z.string(), url: z.string(), changeset: z.string(), type: z.enum(["production", "test"]), formats: z.array(z.string()) }),
    ),
  })
  .openapi("Open311Discovery");

const serviceSchema = z
  .object({
    service_code: z.string().openapi({ example: "roads" }),
    service_name: z.string().openapi({ example: "রাস্তাঘাট" }),
    description: z.string(),
    metadata: z.boolean(),
    type: z.literal("realtime"),
    keywords: z.string(),
    group: z.string(),
  })
  .openapi("Open311Service");

const attributeSchema = z.object({
  variable: z.boolean(),
  code: z.string(),
  datatype: z.enum(["string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"]),
  required: z.boolean(),
  datatype_description: z.string().nullable(),
  order: z.number().int(),
  description: z.string(),
  values: z.array(z.object({ key: z.string(), name: z.string() })).optional(),
});
const definitionSchema = z.object({ service_code: z.string(), attributes: z.array(attributeSchema) }).openapi("Open311ServiceDefinition");

const requestSchema = z
  .object({
    service_request_id: z.string().openapi({ example: "CC202611220001" }),
    status: z.enum(["open", "closed"]),
    status_notes: z.string().nullable(),
    service_name: z.string(),
    service_code: z.string(),
    description: z.string(),
    agency_responsible: z.string(),
    service_notice: z.string().nullable(),
    requested_datetime: z.string().openapi({ example: "2026-11-22T14:05:09+06:00" }),
    updated_datetime: z.string(),
    expected_datetime: z.string().nullable(),
    address: z.string(),
    address_id: z.string().nullable(),
    zipcode: z.string().nullable(),
    lat: z.number().nullable(),
    long: z.number().nullable(),
    media_url: z.string().nullable().openapi({ description: "Public, unguessable, revocable link to the first photo." }),
  })
  .openapi("Open311ServiceRequest");

const createdSchema = z.object({ service_request_id: z.string(), service_notice: z.string().nullable(), account_id: z.string().nullable() }).openapi("Open311CreatedRequest");
const tokenSchema = z.object({ service_request_id: z.string(), token: z.string() });

const listQuery = z.object({
  jurisdiction_id: jurisdiction,
  service_request_id: z.string().optional().openapi({ description: "Comma-separated tracking numbers; when given, the other filters are ignored." }),
  service_code: z.string().optional().openapi({ description: "Comma-separated service codes." }),
  start_date: z.string().optional().openapi({ description: "W3C datetime; the window defaults to the 90 days before end_date (or now)." }),
  end_date: z.string().optional().openapi({ description: "W3C datetime; the window may not span more than 90 days." }),
  status: z.string().optional().openapi({ description: "open, closed or open,closed." }),
});

const text = (description: string) => z.string().optional().openapi({ description });
const createForm = z
  .object({
    api_key: z.string().optional().openapi({ description: "Required. Issued by a super admin (POST /api/v1/open311/keys)." }),
    jurisdiction_id: jurisdiction,
    service_code: text("Required. One of services.{format}."),
    lat: text("WGS84 latitude; with long, or address_string."),
    long: text("WGS84 longitude."),
    address_string: text("Where, in words (≤ 255)."),
    address_id: text("Not supported: send lat/long or address_string."),
    description: text("What is wrong (≤ 4000)."),
    email: text("The reporter's email (kept only on a new account, never shown)."),
    first_name: text("The reporter's first name (a new account's name, never shown)."),
    last_name: text("The reporter's last name."),
    phone: text("Required: the reporter's Bangladeshi mobile number; the request belongs to that phone's citizen account."),
    device_id: text("Accepted, not stored."),
    account_id: text("Accepted, not stored."),
    media_url: text("Accepted (http/https URL), not fetched."),
    ...Object.fromEntries(ATTRIBUTES.map((a) => [`attribute[${a.code}]`, text(`${a.description} (${a.datatype})`)])),
  })
  .catchall(z.any());
const createBody = {
  required: false,
  content: { "application/x-www-form-urlencoded": { schema: createForm }, "multipart/form-data": { schema: createForm } },
};

const jurisdictionQuery = z.object({ jurisdiction_id: jurisdiction });
const file = (description: string) => z.object({ file: z.string().min(1).max(300).openapi({ param: { name: "file", in: "path" }, description }) });

function pair(config: Omit<RouteConfig, "path"> & { docPath: string; path?: string; servedParams?: z.ZodObject }) {
  const { docPath, servedParams, path, ...rest } = config;
  const doc = createRoute({ ...rest, path: docPath });
  const servedRequest = { ...rest.request, params: servedParams };
  const served = (p: string) => createRoute({ ...rest, request: servedRequest, path: p, hide: true });
  return { doc, served };
}

export const discovery = pair({
  method: "get",
  docPath: "/open311/v2/discovery.{format}",
  tags,
  summary: "Service discovery: the endpoint, its specification and formats",
  request: { params: z.object({ format }) },
  responses: { 200: both(discoverySchema, "Discovery"), ...specErrors(404) },
});

export const services = pair({
  method: "get",
  docPath: "/open311/v2/services.{format}",
  tags,
  summary: "Service list: the complaint categories (ASCII service_code, Bengali service_name, English description)",
  request: { params: z.object({ format }), query: jurisdictionQuery },
  responses: { 200: both(z.array(serviceSchema), "Services (XML: <services><service>…)"), ...specErrors(400, 404) },
});

export const definition = pair({
  method: "get",
  docPath: "/open311/v2/services/{service_code}.{format}",
  tags,
  summary: "Service definition: the attributes a request of this service may carry",
  request: { params: z.object({ service_code: z.string().openapi({ param: { name: "service_code", in: "path" }, example: "roads" }), format }), query: jurisdictionQuery },
  servedParams: file("`<service_code>.<json|xml>`"),
  responses: { 200: both(definitionSchema, "Service definition (XML: <service_definition>…)"), ...specErrors(400, 404) },
});

export const listRequests = pair({
  method: "get",
  docPath: "/open311/v2/requests.{format}",
  tags,
  summary: "Service requests, newest first: at most 1000, within at most 90 days (default: the last 90). Never shows the reporter.",
  request: { params: z.object({ format }), query: listQuery },
  responses: { 200: both(z.array(requestSchema), "Requests (XML: <service_requests><request>…)"), ...specErrors(400, 404) },
});

export const createRequest = pair({
  method: "post",
  docPath: "/open311/v2/requests.{format}",
  tags,
  summary: "File a service request (form-encoded, with an api_key; rate-limited per key). Answered synchronously with its service_request_id.",
  request: { params: z.object({ format }), query: jurisdictionQuery, body: createBody },
  responses: { 201: both(z.array(createdSchema), "Filed (XML: <service_requests><request>…)"), ...specErrors(400, 403, 404, 409, 415, 429) },
});

export const getRequest = pair({
  method: "get",
  docPath: "/open311/v2/requests/{service_request_id}.{format}",
  tags,
  summary: "One service request (a list of one, as the spec answers)",
  request: { params: z.object({ service_request_id: z.string().openapi({ param: { name: "service_request_id", in: "path" }, example: "CC202611220001" }), format }), query: jurisdictionQuery },
  servedParams: file("`<service_request_id>.<json|xml>`"),
  responses: { 200: both(z.array(requestSchema), "The request"), ...specErrors(404) },
});

export const token = pair({
  method: "get",
  docPath: "/open311/v2/tokens/{token}.{format}",
  tags,
  summary: "Token lookup. POSTs are answered synchronously (no tokens are issued), so every token is 404.",
  request: { params: z.object({ token: z.string().openapi({ param: { name: "token", in: "path" } }), format }), query: jurisdictionQuery },
  servedParams: file("`<token>.<json|xml>`"),
  responses: { 200: both(z.array(tokenSchema), "Never: no tokens are issued"), ...specErrors(404) },
});

export const media = createRoute({
  method: "get",
  path: "/open311/v2/media/{token}",
  tags,
  summary: "A request's first photo, by the public link in its media_url (revocable: 404 once revoked)",
  request: { params: z.object({ token: z.string().openapi({ param: { name: "token", in: "path" } }) }) },
  responses: { 200: { description: "Image bytes", content: { "image/*": { schema: z.any().openapi({ type: "string", format: "binary" }) } } }, ...specErrors(404) },
});

// ---- Administration (super_admin), under /api/v1 with the REST API's conventions.

const adminTags = ["Open311 administration"];
const security = [{ bearerAuth: [] }];

const keySchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    key_prefix: z.string().openapi({ example: "cc311_Xy3kP0" }),
    rate_limit: z.number().int().openapi({ description: "Requests per minute" }),
    created_at: z.string(),
    last_used_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
  })
  .openapi("Open311ApiKey");
const issuedKeySchema = keySchema.extend({ key: z.string().openapi({ description: "The key itself: shown only in this answer." }) }).openapi("Open311IssuedApiKey");
const issueJson = z
  .object({
    name: z.string().trim().min(1).max(100).openapi({ example: "FixMyStreet Dhaka" }),
    rate_limit: z.number().int().min(1).max(10000).optional().openapi({ description: "Requests per minute (default 60)" }),
  })
  .strict();

export const issueKey = createRoute({
  method: "post",
  path: "/open311/keys",
  tags: adminTags,
  security,
  summary: "Issue an Open311 API key (super_admin); the key is in this answer only",
  request: jsonBody(issueJson),
  responses: { 201: jsonContent(issuedKeySchema, "Issued"), ...errorResponses(400, 401, 403) },
});

export const listKeys = createRoute({
  method: "get",
  path: "/open311/keys",
  tags: adminTags,
  security,
  summary: "Open311 API keys, newest first (super_admin; never the keys themselves)",
  request: { query: paginationQuery },
  responses: { 200: jsonContent(pageEnvelopeSchema(keySchema).openapi("Open311ApiKeyPage"), "Keys"), ...errorResponses(400, 401, 403) },
});

export const revokeKey = createRoute({
  method: "delete",
  path: "/open311/keys/{id}",
  tags: adminTags,
  security,
  summary: "Revoke an Open311 API key at once (super_admin)",
  request: { params: uuidParam() },
  responses: { 204: { description: "Revoked" }, ...errorResponses(401, 403, 404) },
});

export const revokeMedia = createRoute({
  method: "delete",
  path: "/open311/media/{token}",
  tags: adminTags,
  security,
  summary: "Revoke a photo's public Open311 link (super_admin); the next Open311 read shows a new one",
  request: { params: z.object({ token: z.string().regex(/^[0-9a-f]{64}$/).openapi({ param: { name: "token", in: "path" } }) }) },
  responses: { 204: { description: "Revoked" }, ...errorResponses(401, 403, 404) },
});
