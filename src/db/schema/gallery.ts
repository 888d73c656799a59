/** The gallery: media items whose bytes live in R2, and R2 objects not (or no longer) owned by an item (migration 0014). */
import { sql } from "drizzle-orm";
import { bigint, check, index, integer, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { users } from "./users";

export const galleryItems = pgTable(
  "gallery_items",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    title: varchar("title", { length: 200 }).notNull(),
    description: text("description").notNull().default(""),
    category: varchar("category", { length: 50 }).notNull().default("general"),
    mediaType: varchar("media_type", { length: 10 }).notNull(),
    objectKey: varchar("object_key", { length: 255 }).notNull().unique(),
    contentType: varchar("content_type", { length: 50 }).notNull(),
    fileSize: bigint("file_size", { mode: "number" }).notNull(),
    width: integer("width"),
    height: integer("height"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("idx_gallery_items_public").on(t.createdAt.desc(), t.id.desc()),
    check("gallery_items_media_type_check", sql`${t.mediaType} in ('image', 'video')`),
  ],
);

/** An upload in flight or a delete not yet confirmed by R2: the sweep removes what stays behind. */
export const galleryPendingObjects = pgTable(
  "gallery_pending_objects",
  {
    objectKey: varchar("object_key", { length: 255 }).primaryKey(),
    reason: varchar("reason", { length: 10 }).notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("gallery_pending_objects_reason_check", sql`${t.reason} in ('upload', 'delete')`)],
);
