import { date, integer, pgTable, primaryKey, varchar } from "drizzle-orm/pg-core";

/**
 * Per-day counters for human-readable numbers (complaint tracking `CC…`, donation receipts `DN…`).
 * Incremented by an UPSERT inside the transaction that uses the number: the row lock serialises
 * concurrent writers and a rollback undoes the increment, so numbers are unique and gap-free.
 */
export const dailySequences = pgTable(
  "daily_sequences",
  {
    scope: varchar("scope", { length: 20 }).notNull(),
    day: date("day").notNull(),
    lastValue: integer("last_value").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.day] })],
);
