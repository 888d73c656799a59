/** Recognising Postgres errors that services turn into friendly answers. */
interface PgError {
  code?: string;
  constraint?: string;
  cause?: PgError;
}

/** A unique-constraint violation on `constraint` (drizzle wraps the driver's error in `cause`). */
export function isUniqueViolation(err: unknown, constraint: string): boolean {
  const e = err as PgError | undefined;
  const pg = e?.code ? e : e?.cause;
  return pg?.code === "23505" && pg.constraint === constraint;
}

/** A foreign-key violation (e.g. deleting a row something still references). */
export function isForeignKeyViolation(err: unknown): boolean {
  const e = err as PgError | undefined;
  const pg = e?.code ? e : e?.cause;
  return pg?.code === "23503";
}

/**
 * A short, content-free description of a database failure for the logs. drizzle's own message
 * quotes the statement and its parameters (user data included), so only the driver's cause is kept.
 */
export function describeDbError(err: unknown): string {
  const cause = (err as { cause?: unknown })?.cause ?? err;
  if (typeof Event !== "undefined" && cause instanceof Event) return "cannot reach the database (connection failed)";
  const code = (cause as { code?: unknown })?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  const brief = /^Failed query:/.test(message) ? "query failed" : message.slice(0, 200);
  return typeof code === "string" ? `${code}: ${brief}` : brief;
}
