import { defineConfig } from "drizzle-kit";

// `npm run db:generate` diffs src/db/schema against the committed snapshots in migrations/.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema/index.ts",
  out: "./migrations",
  dbCredentials: { url: process.env.DATABASE_URL ?? "postgres://localhost/unused" },
});
