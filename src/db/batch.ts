import type { SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Database } from "./client";

/**
 * Runs hand-written statements as one batch: one round trip, one transaction (all or nothing),
 * executed in order, so a later statement sees what an earlier one wrote. Returns each one's rows.
 */
export async function batchRows<T extends readonly unknown[]>(db: Database, statements: { [K in keyof T]: SQL }): Promise<{ [K in keyof T]: T[K][] }> {
  const items = statements.map((statement) => db.execute(statement)) as unknown as [BatchItem<"pg">, ...BatchItem<"pg">[]];
  const results = (await db.batch(items)) as unknown as Array<{ rows: unknown[] }>;
  return results.map((result) => result.rows) as { [K in keyof T]: T[K][] };
}
