import { sql } from "drizzle-orm";
import { check, index, integer, numeric, pgTable, smallint, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { enumCatalog } from "../../lib/enums";
import { users } from "./users";

const values = (name: keyof typeof enumCatalog) => sql.raw(enumCatalog[name].map((v) => `'${v.value}'`).join(", "));

export const complaints = pgTable(
  "complaints",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    trackingNumber: varchar("tracking_number", { length: 20 }).notNull().unique(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    title: varchar("title", { length: 200 }).notNull(),
    description: text("description").notNull(),
    category: varchar("category", { length: 50 }).notNull(),
    priority: varchar("priority", { length: 20 }).notNull().default("মধ্যম"),
    status: varchar("status", { length: 30 }).notNull().default("জমা দেওয়া হয়েছে"),
    location: varchar("location", { length: 255 }).notNull(),
    latitude: numeric("latitude", { precision: 10, scale: 8 }),
    longitude: numeric("longitude", { precision: 11, scale: 8 }),
    wardNumber: varchar("ward_number", { length: 10 }),
    assignedTo: uuid("assigned_to").references(() => users.id, { onDelete: "set null" }),
    rating: smallint("rating"),
    feedback: text("feedback"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
  },
  (t) => [
    index("idx_complaints_user_created").on(t.userId, t.createdAt.desc()),
    index("idx_complaints_status").on(t.status),
    index("idx_complaints_category_status").on(t.category, t.status),
    index("idx_complaints_ward").on(t.wardNumber),
    index("idx_complaints_assigned").on(t.assignedTo),
    index("idx_complaints_created_at").on(t.createdAt.desc()),
    index("idx_complaints_lat_lng").on(t.latitude, t.longitude),
    check("complaints_category_check", sql`${t.category} in (${values("complaint_category")})`),
    check("complaints_priority_check", sql`${t.priority} in (${values("complaint_priority")})`),
    check("complaints_status_check", sql`${t.status} in (${values("complaint_status")})`),
    check("complaints_rating_check", sql`${t.rating} between 1 and 5`),
    check("complaints_latitude_check", sql`${t.latitude} between -90 and 90`),
    check("complaints_longitude_check", sql`${t.longitude} between -180 and 180`),
  ],
);

export const complaintImages = pgTable(
  "complaint_images",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    complaintId: uuid("complaint_id")
      .notNull()
      .references(() => complaints.id, { onDelete: "cascade" }),
    /** R2 object key (random); never exposed, images are streamed through an authorised route. */
    objectKey: varchar("object_key", { length: 255 }).notNull().unique(),
    imageName: varchar("image_name", { length: 255 }).notNull(),
    fileSize: integer("file_size").notNull(),
    contentType: varchar("content_type", { length: 50 }).notNull(),
    /** Order in which the photos were attached (1–5). */
    position: smallint("position").notNull(),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("idx_complaint_images_complaint").on(t.complaintId, t.position)],
);

export const complaintUpdates = pgTable(
  "complaint_updates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    complaintId: uuid("complaint_id")
      .notNull()
      .references(() => complaints.id, { onDelete: "cascade" }),
    updatedBy: uuid("updated_by")
      .notNull()
      .references(() => users.id),
    oldStatus: varchar("old_status", { length: 30 }),
    newStatus: varchar("new_status", { length: 30 }).notNull(),
    comment: text("comment"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("idx_complaint_updates_complaint").on(t.complaintId, t.createdAt)],
);
