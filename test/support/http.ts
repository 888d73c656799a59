/** Calls the worker exactly as a client would: through its fetch entry, with JSON and a token. */
import { SELF } from "cloudflare:test";

export const BASE = "http://api.test";

export interface CallOptions {
  method?: string;
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export async function api<T = any>(path: string, options: CallOptions = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: BodyInit | undefined;
  if (options.body instanceof FormData || typeof options.body === "string") body = options.body as BodyInit;
  else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await SELF.fetch(`${BASE}${path}`, { method: options.method ?? (body ? "POST" : "GET"), headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (binary or HTML); keep the text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

function dbTiming(res: ApiResponse): { statements: number; roundTrips: number } {
  const match = res.headers.get("server-timing")?.match(/desc="(\d+) statements, (\d+) round trips"/);
  if (!match) throw new Error("no Server-Timing header");
  return { statements: Number(match[1]), roundTrips: Number(match[2]) };
}

/** The number of SQL statements the request ran, from its Server-Timing header. */
export function statementCount(res: ApiResponse): number {
  return dbTiming(res).statements;
}

/** The number of database round trips the request cost, from its Server-Timing header. */
export function roundTrips(res: ApiResponse): number {
  return dbTiming(res).roundTrips;
}
