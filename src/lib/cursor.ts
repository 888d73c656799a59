/**
 * Keyset cursors for newest-first lists: `<created_at with microseconds>_<id>`, base64url — opaque
 * to clients, exact for ties within a millisecond, stable while new rows arrive. Select the
 * instant with `cursorInstantSql(column)` so it keeps Postgres' microseconds.
 */
import { sql, type SQL } from "drizzle-orm";
import { validationError } from "./errors";

export const encodeCursor = (at: string, id: string) => btoa(`${at}_${id}`).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

export function decodeCursor(cursor: string): { at: string; id: string } {
  try {
    const [at, id] = atob(cursor.replace(/-/g, "+").replace(/_/g, "/")).split("_");
    if (at && id && /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/.test(at) && /^[0-9a-f-]{36}$/i.test(id)) return { at, id };
  } catch {
    // falls through
  }
  throw validationError({ cursor: ["Not a cursor from this list."] });
}

export const cursorInstantSql = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
