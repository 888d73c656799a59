/**
 * The per-request service container. Route handlers, queue consumers and Durable Objects all build
 * one of these and pass it to services, so every caller reaches the database and bindings the same
 * way (src/db/client.ts): `db` for statements and batches over HTTP (one round trip each),
 * `interactive` for the few flows that need a transaction held open across worker code. Nothing is
 * opened until used: a request that never touches SQL costs the database nothing.
 */
import { openDatabase, type Database, type Prelude, type QueryStats, type RequestDatabase, type Transaction } from "./db/client";
import { readConfig, type AppConfig } from "./env";

/** Where a request came from (the activity log records it); absent for queue consumers and DOs. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

export interface ServiceContext {
  readonly env: Env;
  readonly config: AppConfig;
  readonly origin?: RequestOrigin;
  /** Statements over HTTP: each call one round trip; `db.batch([...])` one atomic round trip. */
  readonly db: Database;
  /** An interactive transaction on a WebSocket connection. Only where a batch cannot do (see README). */
  interactive<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  /** The request's user check rides on its first round trip (see RequestDatabase.authenticate). */
  authenticate(prelude: Prelude): Promise<unknown>;
  /** Runs the user check now if no statement has carried it yet. */
  flushAuthentication(): Promise<unknown>;
  readonly stats: QueryStats;
  /**
   * Work that need not delay the answer (bookkeeping writes): run after the response is sent, or
   * awaited by `close` where there is no response (queue consumers, tests). Failures are logged.
   */
  afterResponse(task: () => Promise<unknown>): void;
  /** Whether `close` has anything to do (deferred work, an open connection). */
  readonly hasWorkAfterResponse: boolean;
  /** Runs the deferred work, then ends what was opened. Call through waitUntil once the response is out. */
  close(): Promise<void>;
}

export function createServiceContext(env: Env, origin?: RequestOrigin): ServiceContext {
  const config = readConfig(env);
  let opened: RequestDatabase | undefined;
  const stats: QueryStats = { statements: 0, roundTrips: 0, ms: 0 };
  const deferred: Array<() => Promise<unknown>> = [];
  const database = () => (opened ??= openDatabase({ databaseUrl: config.DATABASE_URL, relay: config.DB_RELAY_URL }, stats));
  return {
    env,
    config,
    origin,
    get db() {
      return database().db;
    },
    interactive: (fn) => database().interactive(fn),
    authenticate: (prelude) => database().authenticate(prelude),
    flushAuthentication: () => (opened ? opened.flushAuthentication() : Promise.resolve(undefined)),
    stats,
    get hasWorkAfterResponse() {
      return deferred.length > 0 || (opened?.holdsConnections ?? false);
    },
    afterResponse: (task) => {
      deferred.push(task);
    },
    close: async () => {
      // A task may defer more work (e.g. a log flush after a write): run until none is left.
      for (let task = deferred.shift(); task; task = deferred.shift()) {
        await task().catch((err: unknown) =>
          console.error(JSON.stringify({ level: "error", msg: "deferred work failed", error: err instanceof Error ? err.message : String(err) })),
        );
      }
      await opened?.close();
    },
  };
}

/** Runs `fn` with a fresh service context and always closes it (queue consumers, DOs, tests). */
export async function withServiceContext<T>(env: Env, fn: (services: ServiceContext) => Promise<T>): Promise<T> {
  const services = createServiceContext(env);
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}
