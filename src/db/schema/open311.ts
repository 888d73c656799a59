/** Open311 GeoReport v2 (migration 0013): API keys of civic tools, public links to request photos. */
import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { complaintImages } from "./complaints";
import { users } from "./users";

export const open311ApiKeys = pgTable(
  "open311_api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: varchar("name", { length: 100 }).notNull(),
    /** The key's first characters, shown in lists; the key itself is shown once and never stored. */
    keyPrefix: varchar("key_prefix", { length: 16 }).notNull(),
    /** SHA-256 of the whole key, hex. */
    keyHash: varchar("key_hash", { length: 64 }).notNull().unique("open311_api_keys_hash_unique"),
    /** Requests per minute (fixed window counted in this row). */
    rateLimit: integer("rate_limit").notNull().default(60),
    windowStartedAt: timestamp("window_started_at", { withTimezone: true }),
    windowCount: integer("window_count").notNull().default(0),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [
    index("idx_open311_api_keys_created").on(t.createdAt.desc()),
    check("open311_api_keys_rate_limit_check", sql`${t.rateLimit} between 1 and 10000`),
  ],
);

/** One public, unguessable link per photo Open311 has shown; deleting the row revokes it. */
export const open311MediaLinks = pgTable("open311_media_links", {
  imageId: uuid("image_id")
    .primaryKey()
    .references(() => complaintImages.id, { onDelete: "cascade" }),
  token: varchar("token", { length: 64 }).notNull().unique("open311_media_links_token_unique"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
