/** Open311 calls for tests: raw bodies (privacy checks read them as sent), form-encoded POSTs, keys. */
import { createExecutionContext, env } from "cloudflare:test";
import worker from "../../src/index";
import { api, BASE, type ApiResponse } from "./http";
import { readXml, type Plain } from "./xml";

export interface RawResponse extends ApiResponse<unknown> {
  text: string;
  /** The parsed JSON body (json answers) — undefined for XML. */
  json: any;
  /** The root element and its value (xml answers) — undefined for JSON. */
  xml?: { root: string; value: Plain };
}

export async function call(path: string, init: RequestInit = {}): Promise<RawResponse> {
  const request = new Request(`${BASE}${path}`, init);
  const res = await worker.fetch!(request as Parameters<NonNullable<typeof worker.fetch>>[0], env as Env, createExecutionContext());
  const text = new TextDecoder().decode(await res.arrayBuffer());
  const type = res.headers.get("content-type") ?? "";
  const json = type.startsWith("application/json") ? JSON.parse(text) : undefined;
  const xml = type.startsWith("text/xml") ? readXml(text) : undefined;
  return { status: res.status, headers: res.headers, body: json ?? text, text, json, xml };
}

export type Fields = Record<string, string | string[]>;

export function formBody(fields: Fields): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) params.append(key, v);
  return params.toString();
}

export function post(format: "json" | "xml", fields: Fields, path = `/open311/v2/requests.${format}`): Promise<RawResponse> {
  return call(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: formBody(fields) });
}

/** Issues a key through the admin API (throws unless 201) and returns it. */
export async function issueKey(superAdminToken: string, body: Record<string, unknown> = {}): Promise<{ id: string; key: string }> {
  const res = await api("/api/v1/open311/keys", { token: superAdminToken, body: { name: `test key ${crypto.randomUUID().slice(0, 8)}`, ...body } });
  if (res.status !== 201) throw new Error(`issue key failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A valid POST's fields for `phone` (override any). */
export function requestFields(key: string, phone: string, overrides: Fields = {}): Fields {
  return {
    api_key: key,
    jurisdiction_id: "dhaka.gov.bd",
    service_code: "roads",
    lat: "23.7561",
    long: "90.3872",
    address_string: "Dhanmondi 27, Dhaka",
    description: "A large pothole is destroying the road",
    first_name: "Karim",
    last_name: "Ahmed",
    phone,
    ...overrides,
  };
}

/** Files a request through Open311 and returns its service_request_id (throws unless 201). */
export async function fileRequest(key: string, phone: string, overrides: Fields = {}): Promise<string> {
  const res = await post("json", requestFields(key, phone, overrides));
  if (res.status !== 201) throw new Error(`POST requests failed: ${res.status} ${res.text}`);
  return res.json[0].service_request_id;
}
