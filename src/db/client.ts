/**
 * A database handle per request. Workers forbid sharing I/O objects across requests, so the pool
 * is created on first use inside a request and ended through `waitUntil` when the response is sent.
 *
 * The same Neon driver talks to Neon in production and, locally, to a real PostgreSQL through a
 * WebSocket→TCP relay (scripts/lib/relay.ts). The relay settings are the only difference.
 */
import { Client, neonConfig, Pool } from "@neondatabase/serverless";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import * as schema from "./schema";

export type Database = NeonDatabase<typeof schema>;

/** Counts SQL statements and time spent in them, for the dev `Server-Timing` header. */
export interface QueryStats {
  statements: number;
  ms: number;
}

let relayConfigured: string | undefined;

function configureRelay(relay: string | undefined): void {
  if (!relay || relayConfigured === relay) return;
  neonConfig.wsProxy = (host, port) => `${relay}/v1?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = false;
  neonConfig.forceDisablePgSSL = true;
  relayConfigured = relay;
}

export interface RequestDatabase {
  db: Database;
  close(): Promise<void>;
}

export function openDatabase(databaseUrl: string, relay: string | undefined, stats: QueryStats): RequestDatabase {
  configureRelay(relay);
  const pool = new Pool({ connectionString: databaseUrl, max: 4, connectionTimeoutMillis: 5000 });
  let closed = false;
  // An idle client whose socket drops emits 'error'; unhandled it would crash the request (the query
  // that needed it still rejects and is handled where it ran). Ending the pool makes every idle
  // client report "Network connection lost" — expected, so not logged.
  pool.on("error", (err: Error) => {
    if (!closed) console.warn(JSON.stringify({ level: "warn", msg: "db pool error", error: err.message }));
  });
  const timedPool = countStatements(pool, stats);
  const db = drizzle({ client: timedPool, schema });
  return {
    db,
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end().catch(() => undefined);
    },
  };
}

/**
 * Every connection the pool opens is of a subclass whose `query` counts and times the statement, so
 * each statement that crosses the wire is counted once, whatever issued it (drizzle, raw SQL, a
 * transaction's BEGIN/COMMIT). The Neon pool creates clients from its `Client` field lazily.
 */
function countStatements(pool: Pool, stats: QueryStats): Pool {
  const Base = (pool as unknown as { Client: typeof Client }).Client;
  class CountingClient extends Base {
    override query(...args: any[]): any {
      stats.statements++;
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

/** A transaction handle, as drizzle passes it to `db.transaction(async (tx) => …)`. */
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Anything that can run a query: the request's database or an open transaction. */
export type Queryable = Database | Transaction;
