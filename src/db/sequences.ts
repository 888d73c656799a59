import { sql } from "drizzle-orm";
import { dhakaDate, dhakaDayStamp } from "../lib/dhaka-time";
import type { Queryable } from "./client";

/**
 * The next number of `scope` for the Dhaka day of `now`, formatted `<prefix><YYYYMMDD><NNNN>`.
 * Call inside the transaction that stores the number (see daily_sequences). Past 9,999 in a day the
 * sequence simply grows to five digits rather than failing.
 */
export async function nextDailyNumber(tx: Queryable, scope: string, prefix: string, now: Date = new Date()): Promise<string> {
  const { rows } = await tx.execute<{ last_value: number }>(sql`
    insert into daily_sequences (scope, day, last_value) values (${scope}, ${dhakaDate(now)}, 1)
    on conflict (scope, day) do update set last_value = daily_sequences.last_value + 1
    returning last_value`);
  return `${prefix}${dhakaDayStamp(now)}${String(rows[0]!.last_value).padStart(4, "0")}`;
}
