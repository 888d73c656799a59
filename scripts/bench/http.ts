/**
 * The bench's HTTP client: node:http with keep-alive sockets (one per connection in flight), which
 * costs the client far less CPU per request than fetch — on a 2-core machine the client shares the
 * CPU with the server, so a heavy client would lower every figure. Loopback targets only.
 */
import { Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";

export const BASE_URL = (process.env.BASE_URL ?? "http://127.0.0.1:8787").replace(/\/+$/, "");

const LOOPBACK = ["127.0.0.1", "localhost", "[::1]", "::1"];
const base = new URL(BASE_URL);
if (base.protocol !== "http:" || !LOOPBACK.includes(base.hostname)) {
  console.error(`bench: BASE_URL must be http:// on a loopback address (got ${BASE_URL}); this tool only loads a local server.`);
  process.exit(2);
}

const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

export interface Reply {
  status: number;
  /** The parsed JSON body (parsed on first access: timed loops that never read it do not pay for it). */
  readonly body: any;
  headers: IncomingHttpHeaders;
  /** From `Server-Timing: db;dur=…;desc="<n> statements, <m> round trips"` (or the older `"<n> queries"`). */
  statements?: number;
  roundTrips?: number;
  dbMs?: number;
}

export interface RequestOptions {
  json?: unknown;
  form?: FormData;
  /** A raw body (the gallery's streamed uploads). */
  raw?: { bytes: Uint8Array; type: string };
  token?: string;
  headers?: Record<string, string>;
}

export function parseServerTiming(header: string | undefined): Pick<Reply, "statements" | "roundTrips" | "dbMs"> {
  const db = header?.match(/(?:^|,)\s*db;dur=([\d.]+)(?:;desc="([^"]*)")?/);
  if (!db) return {};
  const desc = db[2] ?? "";
  const statements = desc.match(/(\d+) statements?/) ?? desc.match(/(\d+) quer(?:y|ies)/);
  const trips = desc.match(/(\d+) round trips?/);
  return { dbMs: Number(db[1]), statements: statements ? Number(statements[1]) : undefined, roundTrips: trips ? Number(trips[1]) : undefined };
}

export async function http(method: string, path: string, options: RequestOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  let payload: Buffer | undefined;
  if (options.form) {
    const encoded = new Response(options.form); // multipart encoding (setup only)
    payload = Buffer.from(await encoded.arrayBuffer());
    headers["content-type"] = encoded.headers.get("content-type")!;
  } else if (options.raw) {
    payload = Buffer.from(options.raw.bytes);
    headers["content-type"] = options.raw.type;
  } else if (options.json !== undefined) {
    payload = Buffer.from(JSON.stringify(options.json));
    headers["content-type"] = "application/json";
  }
  if (payload) headers["content-length"] = String(payload.length);
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  return new Promise<Reply>((resolve, reject) => {
    const req = httpRequest({ host: base.hostname.replace(/^\[|\]$/g, ""), port: base.port || 80, path, method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", reject);
      res.on("end", () => {
        const raw = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        let parsed: { value: unknown } | undefined;
        const timing = res.headers["server-timing"];
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          ...parseServerTiming(Array.isArray(timing) ? timing.join(",") : timing),
          get body() {
            if (!parsed) {
              const text = raw.toString("utf8");
              try {
                parsed = { value: text ? JSON.parse(text) : undefined };
              } catch {
                parsed = { value: text };
              }
            }
            return parsed.value;
          },
        });
      });
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: no answer within 30 s`)));
    req.on("error", reject);
    req.end(payload);
  });
}

/** Throws unless the status is the expected one (an error for the table, or a failed setup). */
export function must(reply: Reply, status: number, what: string): Reply {
  if (reply.status !== status) throw new Error(`${what}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
  return reply;
}

/** Runs `fn` over `items` with at most `parallel` calls in flight. */
export async function inParallel<T, R>(parallel: number, items: T[], fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
