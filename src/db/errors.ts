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
