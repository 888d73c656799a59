/**
 * Calls the worker as a client would — its exported `fetch` entry, with the real bindings — with
 * JSON and a token.
 *
 * Why not `SELF.fetch`: in @cloudflare/vitest-pool-workers 0.15.1 each `SELF.fetch` costs more
 * than the one before it within a test file (measured: 8 ms for the first 100 calls of a 404, 245 ms
 * for calls 500–600), while the same requests through the worker's own `fetch` stay at 0.1–0.3 ms;
 * `npm run serve` under load shows no such growth, so it is the harness, not the product. The
 * hostile-input sweep sends ~2,000 requests, which is what made it time out on 2 cores. Socket
 * upgrades (test/support/chat.ts) still go through SELF.
 */
import { createExecutionContext, env } from "cloudflare:test";
import worker from "../../src/index";

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
  const request = new Request(`${BASE}${path}`, { method: options.method ?? (body ? "POST" : "GET"), headers, body });
  const res = await worker.fetch!(request as Parameters<NonNullable<typeof worker.fetch>>[0], env as Env, createExecutionContext());
  // Decoded by hand: res.text() warns on binary bodies (photos, PDFs), which tests read on purpose.
  const text = new TextDecoder().decode(await res.arrayBuffer());
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
