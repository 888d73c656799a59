/** Rows from hand-written statements (`db.execute`) in the shape drizzle's own queries return. */
import { getTableColumns, type InferSelectModel, type Table } from "drizzle-orm";

/**
 * Maps a raw row — snake_case column names, optionally with a prefix (`svc_code`) when a statement
 * returns columns of several tables side by side — to the table's drizzle row (camelCase, Dates).
 */
export function fromSqlRow<T extends Table>(table: T, row: Record<string, unknown>, prefix = ""): InferSelectModel<T> {
  const out: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    const value = row[prefix + column.name];
    out[key] = column.dataType === "date" && value != null ? new Date(value as string) : (value ?? null);
  }
  return out as InferSelectModel<T>;
}
