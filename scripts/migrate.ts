/**
 * `npm run db:migrate`: applies the committed migrations (migrations/) to $DATABASE_URL.
 * Against Neon use the direct (non-pooled) connection string. `npm run dev` migrates by itself.
 */
import { applyMigrations, MIGRATIONS_DIR } from "./lib/migrate";

const url = process.env.DATABASE_URL;
if (!url) {
  console.error("db:migrate: DATABASE_URL is not set. Example: DATABASE_URL=postgres://user:pass@host:5432/clean_care npm run db:migrate");
  process.exit(2);
}

try {
  await applyMigrations(url);
  console.log(`db:migrate: ${new URL(url).host}${new URL(url).pathname} is up to date with ${MIGRATIONS_DIR}`);
} catch (err) {
  console.error(`db:migrate failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
