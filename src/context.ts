/**
 * The per-request service container. Route handlers, queue consumers and Durable Objects all build
 * one of these and pass it to services, so every caller reaches the database and bindings the same
 * way. The database connection is opened lazily: a request that never touches SQL opens nothing.
 */
import { openDatabase, type Database, type QueryStats, type RequestDatabase } from "./db/client";
import { readConfig, type AppConfig } from "./env";

export interface ServiceContext {
  readonly env: Env;
  readonly config: AppConfig;
  /** Opens the connection on first access. */
  readonly db: Database;
  readonly stats: QueryStats;
  /** Ends the connection, if one was opened. Call through waitUntil once the response is out. */
  close(): Promise<void>;
}

export function createServiceContext(env: Env): ServiceContext {
  const config = readConfig(env);
  let opened: RequestDatabase | undefined;
  const stats: QueryStats = { statements: 0, ms: 0 };
  return {
    env,
    config,
    get db() {
      if (!opened) {
        opened = openDatabase(config.DATABASE_URL, config.DB_RELAY_URL, stats);
      }
      return opened.db;
    },
    stats,
    close: async () => {
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
