/** Thin Open311 handlers: format from the path → jurisdiction → parse → service → render. */
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { pageEnvelope } from "../../lib/pagination";
import { publicOrigin } from "../../lib/request";
import { categoryOf, serviceCodeOf, serviceDefinition, SERVICES } from "./open311.catalog";
import { Open311Error, render, splitFormat, type Format } from "./open311.format";
import { parseNewRequest, parseRequestsQuery } from "./open311.input";
import * as keys from "./open311-keys.service";
import * as open311 from "./open311.service";
import type { XmlValue } from "./open311.xml";

type C = Context<AppEnv>;

/** The date this endpoint's behaviour last changed (discovery's `changeset`). */
export const CHANGESET = "2026-11-22T00:00:00+06:00";
const SPECIFICATION = "http://wiki.open311.org/GeoReport_v2";

/** One jurisdiction is served: `jurisdiction_id` may be left out; any other value is not found. */
function checkJurisdiction(c: C, given: string | undefined): void {
  const served = c.get("services").config.OPEN311_JURISDICTION_ID;
  if (given !== undefined && given !== "" && given !== served) throw Open311Error.of(404, `jurisdiction_id ${given.slice(0, 100)} was not found (this endpoint serves ${served}).`);
}

const query = (c: C) => c.req.query() as Record<string, string | undefined>;

/** `name.json` / `name.xml` from a served route's one-segment parameter; anything else is 404. */
function fileParam(c: C): [string, Format] {
  const split = splitFormat((c.req.param() as { file?: string }).file ?? ""); // already decoded by the router
  if (!split) throw Open311Error.of(404, "Not found: ask for .json or .xml.");
  return split;
}

const settings = (c: C) => ({ origin: publicOrigin(c), agency: c.get("services").config.OPEN311_AGENCY });

export const discovery = (format: Format) => (c: C) => {
  const config = c.get("services").config;
  return render(c, format, "discovery", {
    changeset: CHANGESET,
    contact: `Clean Care Bangladesh, ${config.OPEN311_AGENCY}. Reporters' names, phones and emails are never published.`,
    key_service: "POST requests need an api_key, issued by a Clean Care super admin (POST /api/v1/open311/keys).",
    endpoints: [
      {
        specification: SPECIFICATION,
        url: `${publicOrigin(c)}/open311/v2`,
        changeset: CHANGESET,
        type: config.ENVIRONMENT === "production" ? "production" : "test",
        formats: ["text/xml", "application/json"],
      },
    ],
  });
};

export const services = (format: Format) => (c: C) => {
  checkJurisdiction(c, query(c).jurisdiction_id);
  return render(c, format, "services", SERVICES as unknown as XmlValue);
};

export const definition = (c: C) => {
  const [code, format] = fileParam(c);
  checkJurisdiction(c, query(c).jurisdiction_id);
  const category = categoryOf(code);
  if (!category) throw Open311Error.of(404, `service_code ${code.slice(0, 100)} was not found.`);
  return render(c, format, "service_definition", serviceDefinition(serviceCodeOf(category)) as unknown as XmlValue);
};

export const listRequests = (format: Format) => async (c: C) => {
  const q = query(c);
  checkJurisdiction(c, q.jurisdiction_id);
  const rows = await open311.listRequests(c.get("services"), parseRequestsQuery(q), settings(c));
  return render(c, format, "service_requests", rows as unknown as XmlValue);
};

export const getRequest = async (c: C) => {
  const [id, format] = fileParam(c);
  checkJurisdiction(c, query(c).jurisdiction_id);
  if (!/^CC\d{12,}$/.test(id)) throw Open311Error.of(404, `service_request_id ${id.slice(0, 100)} was not found.`);
  const row = await open311.getRequest(c.get("services"), id, settings(c));
  return render(c, format, "service_requests", [row] as unknown as XmlValue);
};

export const createRequest = (format: Format) => async (c: C) => {
  const type = c.req.header("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/i.test(type)) {
    throw Open311Error.of(415, "Send the request form-encoded (application/x-www-form-urlencoded), as GeoReport v2 says.");
  }
  const form = ((c.req as unknown as { valid(t: "form"): Record<string, never> }).valid("form") ?? {}) as Record<string, string | File | Array<string | File>>;
  const apiKey = typeof form.api_key === "string" && form.api_key ? form.api_key : query(c).api_key;
  if (!apiKey) throw Open311Error.of(403, "api_key was not provided -- can't proceed with create_request.");
  checkJurisdiction(c, typeof form.jurisdiction_id === "string" ? form.jurisdiction_id : query(c).jurisdiction_id);
  let input;
  try {
    input = parseNewRequest(form);
  } catch (err) {
    // The key answers first: a bad or exhausted key is 403/429 whatever else is wrong.
    if (err instanceof Open311Error) await open311.checkApiKey(c.get("services"), apiKey);
    throw err;
  }
  const trackingNumber = await open311.createRequest(c.get("services"), apiKey, input);
  return render(c, format, "service_requests", [{ service_request_id: trackingNumber, service_notice: null, account_id: null }], 201);
};

export const token = (c: C) => {
  const [tokenId] = fileParam(c);
  checkJurisdiction(c, query(c).jurisdiction_id);
  throw Open311Error.of(404, `token ${tokenId.slice(0, 100)} was not found: requests are answered at once with their service_request_id, so no tokens are issued.`);
};

export const media = async (c: C) => {
  const { token } = c.req.param() as { token: string };
  if (!/^[0-9a-f]{64}$/.test(token)) throw Open311Error.of(404, "media not found.");
  return open311.streamMedia(c.get("services"), token);
};

export const notFound = (c: C) => {
  throw Open311Error.of(404, `Not found: ${c.req.path.slice(0, 200)} is not a GeoReport v2 resource (see /open311/v2/discovery.json).`);
};

// ---- Administration (contract envelope, /api/v1)

export const issueKey = async (c: C) => {
  const body = (c.req as unknown as { valid(t: "json"): { name: string; rate_limit?: number } }).valid("json");
  return c.json(await keys.issueKey(c.get("services"), c.get("user"), body), 201);
};

export const listKeys = async (c: C) => {
  const page = (c.req as unknown as { valid(t: "query"): { page: number; page_size: number } }).valid("query");
  const { rows, count } = await keys.listKeys(c.get("services"), page);
  return c.json(pageEnvelope(c.req.url, page, count, rows), 200);
};

export const revokeKey = async (c: C) => {
  await keys.revokeKey(c.get("services"), c.get("user"), (c.req.param() as { id: string }).id);
  return c.body(null, 204);
};

export const revokeMedia = async (c: C) => {
  await keys.revokeMediaLink(c.get("services"), c.get("user"), (c.req.param() as { token: string }).token);
  return c.body(null, 204);
};
