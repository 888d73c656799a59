import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";

const DB_CHECK_TIMEOUT_MS = 3000;

export async function checkHealth(services: ServiceContext) {
  let database = "healthy";
  try {
    await Promise.race([
      services.db.execute(sql`select 1`),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${DB_CHECK_TIMEOUT_MS} ms`)), DB_CHECK_TIMEOUT_MS)),
    ]);
  } catch (err) {
    database = `unhealthy: ${err instanceof Error ? err.message : String(err)}`.slice(0, 200);
  }
  const healthy = database === "healthy";
  return {
    healthy,
    body: {
      status: healthy ? ("healthy" as const) : ("unhealthy" as const),
      timestamp: new Date().toISOString(),
      services: { database },
    },
  };
}
