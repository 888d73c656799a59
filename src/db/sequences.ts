import { sql, type SQL } from "drizzle-orm";
import { dhakaDate, dhakaDayStamp } from "../lib/dhaka-time";
import type { Queryable } from "./client";

/**
 * A statement fragment that takes the next number of `scope` for the Dhaka day of `now` and returns
 * it formatted as `<prefix><YYYYMMDD><NNNN>` in a column named `number`. Use it as a CTE inside the
 * statement (or transaction) that stores the number: the row lock of the UPSERT serialises
 * concurrent writers and a rollback undoes the increment, so numbers are unique and gap-free.
 * Past 9,999 in a day the number simply grows a digit rather than failing.
 */
export function nextDailyNumberSql(scope: string, prefix: string, now: Date = new Date(), onlyIf?: SQL): SQL {
  // With `onlyIf`, no number is taken (and none returned) unless the condition holds.
  const source = onlyIf ? sql`select ${scope}, ${dhakaDate(now)}::date, 1 where ${onlyIf}` : sql`values (${scope}, ${dhakaDate(now)}, 1)`;
  return sql`
    insert into daily_sequences (scope, day, last_value) ${source}
    on conflict (scope, day) do update set last_value = daily_sequences.last_value + 1
    returning ${prefix + dhakaDayStamp(now)} || case when last_value < 10000 then lpad(last_value::text, 4, '0') else last_value::text end as number`;
}

/** The next daily number as its own statement (call inside the transaction that uses it). */
export async function nextDailyNumber(tx: Queryable, scope: string, prefix: string, now: Date = new Date()): Promise<string> {
  const { rows } = await tx.execute<{ number: string }>(nextDailyNumberSql(scope, prefix, now));
  return rows[0]!.number;
}
