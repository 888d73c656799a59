/**
 * Neon's SQL-over-HTTP protocol (what `neon()` and drizzle-orm/neon-http speak), served by the local
 * relay (relay.ts) in front of a plain PostgreSQL, so the unchanged driver works with only
 * `neonConfig.fetchEndpoint` pointed here.
 *
 * Modelled on Neon's proxy (proxy/src/serverless/sql_over_http.rs) and on what
 * @neondatabase/serverless 1.2.0 sends and reads:
 *
 *   POST /sql
 *     Neon-Connection-String: postgresql://user:pw@host:port/db?application_name=…   (required)
 *     Neon-Raw-Text-Output: true          (the driver always sends it; the only mode served here)
 *     Neon-Array-Mode: true|…             (rows as arrays; otherwise objects keyed by column name)
 *     Neon-Batch-Isolation-Level: Serializable|ReadCommitted|RepeatableRead|ReadUncommitted
 *     Neon-Batch-Read-Only: true, Neon-Batch-Deferrable: true        (batches only)
 *     body {query, params?, arrayMode?}  or  {queries: [{query, params?, arrayMode?}, …]}
 *
 *   200 {command, rowCount, rowAsArray, fields: [{name, dataTypeID, tableID, columnID,
 *        dataTypeSize, dataTypeModifier, format: "text"}], rows: [[text|null, …]]}
 *       or, for a batch (one transaction), {results: [<that>, …]}
 *   400 {message, code, detail, hint, position, internalPosition, internalQuery, severity, where,
 *        table, column, schema, dataType, constraint, file, line, routine}   a Postgres error or a
 *        bad request; the driver copies these fields onto the error it throws
 *   403 a connection string for a database other than the relay's target (not an open proxy)
 *   413 body over 10 MB · 507 response over 10 MB · 500 anything else, {message}
 *
 * Rows are Postgres' own text output (bytea `\x…`, arrays `{…}`, timestamptz as the server prints
 * it): the driver parses them by type OID, exactly as it does for Neon's answers.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import pg from "pg";

export const MAX_BODY_BYTES = 10 * 1024 * 1024;
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
const POOL_MAX = 10;

const ISOLATION_LEVELS: Record<string, string> = {
  Serializable: "SERIALIZABLE",
  ReadCommitted: "READ COMMITTED",
  RepeatableRead: "REPEATABLE READ",
  ReadUncommitted: "READ UNCOMMITTED",
};

// The fields Neon puts in a 400 body; pg's DatabaseError carries the same names.
const ERROR_FIELDS = [
  "code",
  "detail",
  "hint",
  "position",
  "internalPosition",
  "internalQuery",
  "severity",
  "where",
  "table",
  "column",
  "schema",
  "dataType",
  "constraint",
  "file",
  "line",
  "routine",
] as const;

// Every value stays Postgres' text: parsing is the driver's job, by OID, as with Neon.
const RAW_TEXT = { getTypeParser: () => (value: string) => value };

interface QueryData {
  query: string;
  params: (string | null)[];
  arrayMode?: boolean;
}

/** An answer other than 200, carried as an exception up to the one place that writes responses. */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export interface SqlOverHttp {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Cuts every request still being answered (a network outage); returns how many. */
  dropInFlight(): number;
  close(): Promise<void>;
}

export function createSqlOverHttp(target: { host: string; port: number }, options: { latencyMs: number }): SqlOverHttp {
  const pools = new Map<string, pg.Pool>();
  const inFlight = new Set<ServerResponse>();
  // Postgres' transaction status from each connection's last ReadyForQuery ('I' idle, 'T' in a
  // transaction, 'E' failed one). pg does not expose it, but a statement like a bare `BEGIN` sent
  // over HTTP must not leave a pooled connection inside a transaction for the next request: Neon
  // discards such connections, and so do we.
  const txStatus = new WeakMap<pg.PoolClient, string>();

  function poolFor(connectionString: string): pg.Pool {
    let pool = pools.get(connectionString);
    if (pool) return pool;
    const url = parseConnectionString(connectionString, target);
    pool = new pg.Pool({
      // Always the relay's target, never whatever the header names: the check above already
      // refused other databases, and this keeps it so even if the check were wrong.
      host: target.host,
      port: target.port,
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      database: decodeURIComponent(url.pathname.slice(1)),
      application_name: url.searchParams.get("application_name") ?? undefined,
      max: POOL_MAX,
      idleTimeoutMillis: 30_000,
      types: RAW_TEXT,
    });
    // An idle connection that Postgres drops (restart, pg_terminate_backend) emits 'error' on the
    // pool; unhandled, that would take the relay — and `npm run dev` or the test run — down with it.
    pool.on("error", () => undefined);
    pool.on("connect", (client) => {
      const connection = (client as unknown as { connection: NodeJS.EventEmitter }).connection;
      connection.on("readyForQuery", (msg: { status: string }) => txStatus.set(client, msg.status));
    });
    pools.set(connectionString, pool);
    return pool;
  }

  async function answer(req: IncomingMessage, isAborted: () => boolean): Promise<{ body: unknown; headers: Record<string, string> }> {
    // The body first, even when the headers will be refused: answering while the client is still
    // sending would reset the connection under it, and it would see "connection lost", not why.
    const body = await readBody(req);
    const connectionString = header(req, "neon-connection-string");
    if (!connectionString) throw new HttpError(400, "missing Neon-Connection-String header");
    if (header(req, "neon-raw-text-output") !== "true") {
      throw new HttpError(400, "this relay serves only Neon-Raw-Text-Output: true (what @neondatabase/serverless sends)");
    }
    const defaultArrayMode = header(req, "neon-array-mode") === "true";
    // Parsed for every request, as Neon does, so a bad value is a 400 even on a single query.
    const isolationHeader = header(req, "neon-batch-isolation-level");
    const isolation = isolationHeader === undefined ? undefined : ISOLATION_LEVELS[isolationHeader];
    if (isolationHeader !== undefined && !isolation) throw new HttpError(400, "invalid isolation level");
    const readOnly = header(req, "neon-batch-read-only") === "true";
    const deferrable = header(req, "neon-batch-deferrable") === "true";

    const pool = poolFor(connectionString);
    const payload = parsePayload(body);

    const client = await pool.connect().catch((err: unknown) => {
      throw postgresError(err);
    });
    let broken: Error | undefined;
    try {
      if (!("queries" in payload)) {
        const result = await run(client, payload, defaultArrayMode);
        return { body: result, headers: {} };
      }
      const headers: Record<string, string> = {};
      if (readOnly) headers["neon-batch-read-only"] = "true";
      if (deferrable) headers["neon-batch-deferrable"] = "true";
      if (isolationHeader) headers["neon-batch-isolation-level"] = isolationHeader;
      const begin = ["BEGIN", isolation && `ISOLATION LEVEL ${isolation}`, readOnly && "READ ONLY", deferrable && "DEFERRABLE"];
      await client.query(begin.filter(Boolean).join(" "));
      try {
        const results = [];
        for (const query of payload.queries) {
          // The caller has gone (network cut, timeout): like Neon, roll back rather than commit
          // a transaction whose outcome nobody will hear about.
          if (isAborted()) throw new HttpError(500, "client went away; batch rolled back");
          results.push(await run(client, query, defaultArrayMode));
        }
        if (isAborted()) throw new HttpError(500, "client went away; batch rolled back");
        await client.query("COMMIT");
        return { body: { results }, headers };
      } catch (err) {
        await client.query("ROLLBACK").catch((rollbackErr: Error) => {
          broken = rollbackErr;
        });
        throw err;
      }
    } catch (err) {
      // A Postgres error leaves the connection usable; anything else (socket gone, protocol
      // trouble) may not, so that connection is destroyed rather than pooled.
      if (!(err instanceof pg.DatabaseError) && !(err instanceof HttpError)) broken ??= err instanceof Error ? err : new Error(String(err));
      throw err instanceof HttpError ? err : postgresError(err);
    } finally {
      if (!broken && txStatus.get(client) !== "I") broken = new Error("connection left inside a transaction");
      client.release(broken);
    }
  }

  return {
    handle(req, res) {
      inFlight.add(res);
      let aborted = false;
      res.on("close", () => {
        inFlight.delete(res);
        if (!res.writableFinished) aborted = true;
      });
      const send = async (status: number, body: unknown, headers: Record<string, string> = {}) => {
        let text = JSON.stringify(body);
        if (status === 200 && Buffer.byteLength(text) > MAX_RESPONSE_BYTES) {
          status = 507;
          text = JSON.stringify({ message: `response is too large (max is ${MAX_RESPONSE_BYTES} bytes)` });
        }
        // The latency knob: one HTTP round trip to the database costs one delay, on top of the
        // query's own time, as on the WebSocket path.
        if (options.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
        if (res.destroyed || res.writableEnded) return;
        res
          .writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text), "access-control-allow-origin": "*", ...headers })
          .end(text);
      };
      answer(req, () => aborted)
        .then(({ body, headers }) => send(200, body, headers))
        .catch((err: unknown) => {
          const e = err instanceof HttpError ? err : new HttpError(500, err instanceof Error ? err.message : String(err));
          return send(e.status, { message: e.message, ...e.fields }, e.status === 413 ? { connection: "close" } : {});
        })
        .catch(() => res.destroy());
    },
    dropInFlight() {
      const n = inFlight.size;
      for (const res of inFlight) res.destroy();
      inFlight.clear();
      return n;
    },
    close: async () => {
      for (const res of inFlight) res.destroy();
      await Promise.all([...pools.values()].map((pool) => pool.end().catch(() => undefined)));
      pools.clear();
    },
  };
}

/** One statement, always through the extended protocol, as Neon runs it: several statements in
 * one query string are refused by Postgres (42601) here just as they are on Neon. */
async function run(client: pg.PoolClient, data: QueryData, defaultArrayMode: boolean) {
  const arrayMode = data.arrayMode ?? defaultArrayMode;
  const result = await client.query<unknown[]>({ text: data.query, values: data.params, rowMode: "array", queryMode: "extended" } as pg.QueryArrayConfig);
  const names = result.fields.map((f) => f.name);
  return {
    command: result.command ?? "",
    rowCount: result.rowCount ?? null,
    rowAsArray: arrayMode,
    fields: result.fields.map((f) => ({
      name: f.name,
      dataTypeID: f.dataTypeID,
      tableID: f.tableID,
      columnID: f.columnID,
      dataTypeSize: f.dataTypeSize,
      dataTypeModifier: f.dataTypeModifier,
      format: "text",
    })),
    rows: arrayMode ? result.rows : result.rows.map((row) => Object.fromEntries(row.map((v, i) => [names[i], v]))),
  };
}

function parseConnectionString(value: string, target: { host: string; port: number }): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new HttpError(400, "Neon-Connection-String is not a valid URL");
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") throw new HttpError(400, "Neon-Connection-String must be a postgres:// URL");
  if (!url.username || url.pathname.length < 2) throw new HttpError(400, "Neon-Connection-String needs a user and a database");
  const port = Number(url.port || 5432);
  if (port !== target.port || !sameHost(url.hostname, target.host)) {
    throw new HttpError(403, `only ${target.host}:${target.port} is reachable through this relay`);
  }
  return url;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);
const sameHost = (a: string, b: string) => a === b || (LOOPBACK.has(a) && LOOPBACK.has(b));

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // An oversized body is still read to its end (and discarded) before the 413 is sent: a client
    // still sending — workerd's fetch — would otherwise see only "connection lost". Past ten times
    // the cap the connection is cut after all.
    let tooLarge = Number(req.headers["content-length"] ?? 0) > MAX_BODY_BYTES;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      if (size > 10 * MAX_BODY_BYTES) req.destroy();
      if (tooLarge) chunks.length = 0;
      else chunks.push(chunk);
    });
    req.on("end", () => {
      if (tooLarge) reject(new HttpError(413, `request body is too large (max is ${MAX_BODY_BYTES} bytes)`));
      else resolve(Buffer.concat(chunks).toString("utf8"));
    });
    req.on("error", reject);
    req.on("close", () => reject(new Error("request closed before its body was read")));
  });
}

function parsePayload(text: string): QueryData | { queries: QueryData[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, `malformed JSON body: ${(err as Error).message}`);
  }
  const obj = json as Record<string, unknown> | null;
  // Neon tries the single form first, then the batch form.
  if (obj && typeof obj === "object" && "query" in obj) return queryData(obj);
  if (obj && typeof obj === "object" && Array.isArray(obj.queries)) return { queries: obj.queries.map((q) => queryData(q)) };
  throw new HttpError(400, "body must be {query, params} or {queries: [{query, params}, …]}");
}

function queryData(value: unknown): QueryData {
  const v = value as Record<string, unknown> | null;
  if (!v || typeof v !== "object" || typeof v.query !== "string") throw new HttpError(400, "each query needs a string `query`");
  if (v.params !== undefined && !Array.isArray(v.params)) throw new HttpError(400, "`params` must be an array");
  if (v.arrayMode !== undefined && typeof v.arrayMode !== "boolean") throw new HttpError(400, "`arrayMode` must be a boolean");
  return { query: v.query, params: ((v.params as unknown[] | undefined) ?? []).map(paramText), arrayMode: v.arrayMode as boolean | undefined };
}

/**
 * JSON parameter → the text Postgres is given, as Neon converts it. The driver already sends only
 * strings and nulls (it serializes with pg's prepareValue, bytea as `\x…` hex); numbers, booleans,
 * objects and arrays are handled for other clients of the protocol.
 */
function paramText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return arrayLiteral(value);
  return JSON.stringify(value);
}

// Inside an array literal, strings are quoted and escaped (Neon uses JSON's escaping for this).
function arrayLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (Array.isArray(value)) return `{${value.map(arrayLiteral).join(",")}}`;
  if (typeof value === "object") return JSON.stringify(JSON.stringify(value));
  return JSON.stringify(value);
}

/** A failure while talking to Postgres: its own errors are 400 with all their fields; losing the
 * connection or failing to open one is the server's problem (500), as on Neon. */
function postgresError(err: unknown): HttpError {
  if (err instanceof pg.DatabaseError) {
    const fields: Record<string, unknown> = {};
    for (const key of ERROR_FIELDS) fields[key] = err[key] ?? null;
    return new HttpError(400, err.message, fields);
  }
  return new HttpError(500, err instanceof Error ? err.message : String(err));
}
