/**
 * The one data path. Every caller (routes, queue consumers, Durable Objects, cron) reaches Postgres
 * through a `RequestDatabase` made by `openDatabase`, never by choosing a transport itself.
 *
 * - `db`: drizzle over Neon's HTTP SQL path (`neon()`). Each statement is one HTTP request, and
 *   `db.batch([...])` sends several statements as one HTTP request that Neon runs as one
 *   transaction. No connection is opened or authenticated per request: the cost of a statement is
 *   one round trip. This is the default for everything.
 * - `interactive(fn)`: a WebSocket `Pool` and a real interactive transaction, opened only for the
 *   few flows that must read, decide in the worker and write under the same locks (README lists them).
 *
 * Round trips are counted where they happen: a global `fetchFunction` sees every HTTP request the
 * driver sends (the request's own state travels in `fetchOptions`, so concurrent requests in one
 * isolate never mix). The same hook lets an authenticated request's user check ride along with its
 * first statement (see `RequestDatabase.authenticate`), so authentication costs no round trip of its own.
 *
 * Locally, the relay (scripts/lib/relay.ts) serves both Neon protocols in front of a real
 * PostgreSQL: HTTP at `/sql`, WebSocket at `/v1`. Those endpoints are the only difference from production.
 */
import { Client, neon, neonConfig, Pool, types } from "@neondatabase/serverless";
import { drizzle as drizzleHttp, type NeonHttpDatabase } from "drizzle-orm/neon-http";
import { drizzle as drizzleWs, type NeonDatabase } from "drizzle-orm/neon-serverless";

/** Statements run over HTTP: one call is one round trip; `batch` is one atomic round trip. */
export type Database = NeonHttpDatabase;
/** The WebSocket (interactive) database, only inside `interactive(fn)`. */
type InteractiveDatabase = NeonDatabase;
/** A transaction handle, as drizzle passes it to `interactive(async (tx) => …)`. */
export type Transaction = Parameters<Parameters<InteractiveDatabase["transaction"]>[0]>[0];
/** Anything that can run a query: the request's database or an open interactive transaction. */
export type Queryable = Database | Transaction;

/** SQL statements, database round trips and the time spent in them, for `Server-Timing` and logs. */
export interface QueryStats {
  statements: number;
  roundTrips: number;
  ms: number;
}

/** A statement that must succeed before anything else of the request may run (the user check). */
export interface Prelude {
  query: string;
  params: unknown[];
}

export interface RequestDatabase {
  db: Database;
  /** Runs `fn` in an interactive transaction on a WebSocket connection (opened now, closed by `close`). */
  interactive<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /**
   * Registers the request's user check. It is sent as the first statement of the request's first
   * round trip (a single statement becomes a two-statement batch, a batch gains a statement), so
   * it adds no round trip; statements issued while it is in flight wait for it. A failing check
   * rolls its batch back whole, so nothing of an unauthenticated request is ever written.
   * The promise settles with the check's first column of its first row, or its error.
   */
  authenticate(prelude: Prelude): Promise<unknown>;
  /** Sends the user check alone if nothing else has carried it yet (a route with no SQL of its own). */
  flushAuthentication(): Promise<unknown>;
  /** Whether an interactive transaction opened a WebSocket connection that `close` must end. */
  readonly holdsConnections: boolean;
  close(): Promise<void>;
}

export interface DatabaseSettings {
  databaseUrl: string;
  /** host:port of the local relay; unset in production (Neon's own endpoints). */
  relay: string | undefined;
}

const REQUEST_STATE = "cleanCareRequestState";

// drizzle's HTTP driver switches the driver's global timestamp parsers to "keep the text" each time
// one is constructed (its column mappers accept either). Hand-written statements here have always
// received Date objects, on either transport; these are the parsers to put back.
const TIMESTAMP_PARSERS = [1184, 1114] // timestamptz, timestamp
  .map((oid) => [oid, types.getTypeParser(oid)] as const);
function restoreTimestampParsers(): void {
  for (const [oid, parser] of TIMESTAMP_PARSERS) types.setTypeParser(oid, parser);
}

// ---------------------------------------------------------------------------------------------
// Driver configuration: global to the isolate, set once.

let configuredRelay: string | null | undefined;

function configureDriver(relay: string | undefined): void {
  if (configuredRelay === (relay ?? null)) return;
  configuredRelay = relay ?? null;
  neonConfig.fetchFunction = countedFetch;
  if (relay) {
    neonConfig.fetchEndpoint = () => `http://${relay}/sql`;
    neonConfig.wsProxy = (host, port) => `${relay}/v1?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineTLS = false;
    neonConfig.pipelineConnect = false;
    neonConfig.forceDisablePgSSL = true;
  }
}

// ---------------------------------------------------------------------------------------------
// The per-request state the fetch hook works with.

interface PendingPrelude extends Prelude {
  /**
   * pending: not carried yet (or its carrier failed for another statement's reason, so it must ride
   * again); inflight: riding a round trip (`attempt` settles when that ends); done: the user is
   * checked; failed: the check refused the request (or could not be made).
   */
  status: "pending" | "inflight" | "done" | "failed";
  attempt: Promise<void> | undefined;
  settled: Promise<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

/** SQLSTATEs raised by the user check itself (migrations/0004_authenticated_user.sql). */
const CHECK_REFUSED = new Set(["CC401", "CC403"]);

class RequestState {
  prelude: PendingPrelude | undefined;
  constructor(readonly stats: QueryStats) {}

  async send(url: string, init: RequestInit): Promise<Response> {
    const prelude = this.prelude;
    while (prelude?.status === "inflight") await prelude.attempt;
    if (prelude?.status === "failed") await prelude.settled; // throws the refusal
    if (prelude?.status !== "pending") return this.timed(url, init, countQueries(init.body));
    return this.sendWithPrelude(url, init, prelude);
  }

  private async sendWithPrelude(url: string, init: RequestInit, prelude: PendingPrelude): Promise<Response> {
    prelude.status = "inflight";
    let finish!: () => void;
    prelude.attempt = new Promise<void>((resolve) => (finish = resolve));
    try {
      return await this.carry(url, init, prelude);
    } finally {
      finish();
    }
  }

  private async carry(url: string, init: RequestInit, prelude: PendingPrelude): Promise<Response> {
    const original = JSON.parse(String(init.body)) as { query?: string; queries?: unknown[] };
    const single = !original.queries;
    const queries = [{ query: prelude.query, params: prelude.params }, ...(single ? [original] : original.queries!)];
    let res: Response;
    try {
      res = await this.timed(url, { ...init, body: JSON.stringify({ queries }) }, queries.length);
    } catch (err) {
      prelude.status = "failed"; // the database is unreachable: nothing more can be checked
      prelude.reject(err);
      throw err;
    }
    if (!res.ok) {
      // The whole batch rolled back; the driver turns this answer into its error for the caller.
      // Statements run in order, so an error that is not the check's own means the check passed
      // but its answer is lost with the batch: it rides again with the next statement, if any.
      const text = await res.text();
      const error = preludeError(res.status, text);
      if (res.status === 400 && !CHECK_REFUSED.has(String((error as { code?: unknown }).code))) {
        prelude.status = "pending";
      } else {
        prelude.status = "failed";
        prelude.reject(error);
      }
      return new Response(text, { status: res.status, headers: res.headers });
    }
    const { results } = (await res.json()) as { results: Array<{ rows: unknown[][] }> };
    prelude.status = "done";
    prelude.resolve(results[0]?.rows[0]?.[0]);
    const rest = results.slice(1);
    return Response.json(single ? rest[0] : { results: rest });
  }

  private async timed(url: string, init: RequestInit, statements: number): Promise<Response> {
    const started = Date.now();
    this.stats.roundTrips++;
    this.stats.statements += statements;
    try {
      return await fetch(url, init);
    } finally {
      this.stats.ms += Date.now() - started;
    }
  }
}

function countQueries(body: RequestInit["body"]): number {
  if (typeof body !== "string") return 1;
  // Cheap: a batch body starts with {"queries":[ — count its items only then.
  return body.startsWith('{"queries"') ? ((JSON.parse(body) as { queries: unknown[] }).queries.length) : 1;
}

/** The shape the driver gives its own errors (fields copied from the 400 body), for waiters. */
function preludeError(status: number, text: string): Error {
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: a server error
  }
  const err = new Error(typeof body.message === "string" ? body.message : `Server error (HTTP status ${status})`);
  Object.assign(err, body);
  return err;
}

/** The driver's fetch for every HTTP query: pulls this request's state out of the options. */
async function countedFetch(url: string, init: RequestInit & { [REQUEST_STATE]?: RequestState }): Promise<Response> {
  const { [REQUEST_STATE]: state, ...rest } = init;
  if (!state) return fetch(url, rest);
  return state.send(url, rest);
}

// ---------------------------------------------------------------------------------------------

export function openDatabase(settings: DatabaseSettings, stats: QueryStats): RequestDatabase {
  configureDriver(settings.relay);
  const state = new RequestState(stats);
  const http = neon(settings.databaseUrl, { fetchOptions: { [REQUEST_STATE]: state } });
  const db = drizzleHttp({ client: http });
  restoreTimestampParsers();
  const pools: Pool[] = [];
  let closed = false;

  const makePrelude = (prelude: Prelude): PendingPrelude => {
    let resolve!: (value: unknown) => void;
    let reject!: (err: unknown) => void;
    const settled = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    settled.catch(() => undefined); // observed by whoever awaits it; never an unhandled rejection
    return { ...prelude, status: "pending", attempt: undefined, settled, resolve, reject };
  };

  return {
    db,
    interactive: async (fn) => {
      if (state.prelude && state.prelude.status !== "done") {
        // A transaction on its own connection cannot carry the check: settle it first.
        await flushPrelude(state, settings.databaseUrl);
        await state.prelude.settled;
      }
      const pool = new Pool({ connectionString: settings.databaseUrl, max: 1, connectionTimeoutMillis: 5000 });
      // Ending the pool makes its idle client report "Network connection lost": expected, not logged.
      pool.on("error", (err: Error) => {
        if (!closed) console.warn(JSON.stringify({ level: "warn", msg: "db pool error", error: err.message }));
      });
      pools.push(countStatements(pool, stats));
      const ws = drizzleWs({ client: pool });
      restoreTimestampParsers();
      return ws.transaction(fn);
    },
    authenticate: (prelude) => {
      state.prelude = makePrelude(prelude);
      return state.prelude.settled;
    },
    flushAuthentication: async () => {
      if (!state.prelude) return undefined;
      await flushPrelude(state, settings.databaseUrl);
      return state.prelude.settled;
    },
    get holdsConnections() {
      return pools.length > 0 && !closed;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await Promise.all(pools.map((pool) => pool.end().catch(() => undefined)));
    },
  };
}

/** Sends the pending check as a batch of its own, through the driver (so the endpoint is the same). */
async function flushPrelude(state: RequestState, databaseUrl: string): Promise<void> {
  const prelude = state.prelude;
  if (!prelude || prelude.status !== "pending") return;
  // An empty batch through the driver: the hook adds the check and strips nothing else.
  const probe = neon(databaseUrl, { fetchOptions: { [REQUEST_STATE]: state } });
  await probe.transaction([]).catch(() => undefined);
}

/**
 * Every connection the pool opens is of a subclass whose `query` counts and times the statement,
 * so each statement of an interactive transaction (BEGIN and COMMIT included) is counted once and
 * each is a round trip on the WebSocket.
 */
function countStatements(pool: Pool, stats: QueryStats): Pool {
  const Base = (pool as unknown as { Client: typeof Client }).Client;
  class CountingClient extends Base {
    override query(...args: any[]): any {
      stats.statements++;
      stats.roundTrips++;
      const started = Date.now();
      const done = () => {
        stats.ms += Date.now() - started;
      };
      const last = args[args.length - 1];
      if (typeof last === "function") {
        args[args.length - 1] = (...cbArgs: unknown[]) => {
          done();
          return last(...cbArgs);
        };
        return (super.query as any)(...args);
      }
      const result = (super.query as any)(...args);
      return result && typeof result.finally === "function" ? result.finally(done) : result;
    }
  }
  (pool as unknown as { Client: typeof Client }).Client = CountingClient;
  return pool;
}
