/** Emergencies, their response history and the city's hotlines (migration 0011). */
import { sql } from "drizzle-orm";
import { boolean, check, index, integer, numeric, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { enumCatalog } from "../../lib/enums";
import { users } from "./users";

const values = (name: keyof typeof enumCatalog) => sql.raw(enumCatalog[name].map((v) => `'${v.value}'`).join(", "));

export const emergencyRequests = pgTable(
  "emergency_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    referenceNumber: varchar("reference_number", { length: 20 }).notNull().unique(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    emergencyType: varchar("emergency_type", { length: 50 }).notNull(),
    description: text("description").notNull(),
    location: varchar("location", { length: 255 }).notNull(),
    latitude: numeric("latitude", { precision: 10, scale: 8 }),
    longitude: numeric("longitude", { precision: 11, scale: 8 }),
    wardNumber: varchar("ward_number", { length: 10 }),
    priority: varchar("priority", { length: 20 }).notNull().default("উচ্চ"),
    status: varchar("status", { length: 30 }).notNull().default("জমা দেওয়া হয়েছে"),
    assignedTo: uuid("assigned_to").references(() => users.id, { onDelete: "set null" }),
    respondedAt: timestamp("responded_at", { withTimezone: true }),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("idx_emergency_user_created").on(t.userId, t.createdAt.desc()),
    index("idx_emergency_created").on(t.createdAt.desc()),
    index("idx_emergency_ward_created").on(t.wardNumber, t.createdAt.desc()),
    index("idx_emergency_updated").on(t.updatedAt),
    check("emergency_requests_type_check", sql`${t.emergencyType} in (${values("emergency_type")})`),
    check("emergency_requests_status_check", sql`${t.status} in (${values("emergency_status")})`),
  ],
);

export const emergencyUpdates = pgTable(
  "emergency_updates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    emergencyId: uuid("emergency_id")
      .notNull()
      .references(() => emergencyRequests.id, { onDelete: "cascade" }),
    updatedBy: uuid("updated_by")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    oldStatus: varchar("old_status", { length: 30 }),
    newStatus: varchar("new_status", { length: 30 }).notNull(),
    assignedTo: uuid("assigned_to").references(() => users.id, { onDelete: "set null" }),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("idx_emergency_updates_emergency").on(t.emergencyId, t.createdAt)],
);

export const EMERGENCY_CONTACT_CATEGORIES = ["national", "fire", "ambulance", "police", "city", "health", "other"] as const;

export const emergencyContacts = pgTable("emergency_contacts", {
  id: uuid("id").primaryKey().defaultRandom(),
  nameBn: varchar("name_bn", { length: 150 }).notNull(),
  nameEn: varchar("name_en", { length: 150 }).notNull(),
  phone: varchar("phone", { length: 30 }).notNull(),
  category: varchar("category", { length: 30 }).notNull(),
  description: text("description"),
  sortOrder: integer("sort_order").notNull().default(100),
  isActive: boolean("is_active").notNull().default(true),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
