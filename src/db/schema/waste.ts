/** Waste: collection schedules, pickup requests (photos, history, fee payments), transfer stations and their readings (migration 0015). */
import { sql } from "drizzle-orm";
import { boolean, check, date, index, integer, numeric, pgTable, smallint, text, time, timestamp, unique, uuid, varchar } from "drizzle-orm/pg-core";
import { enumCatalog } from "../../lib/enums";
import { payments } from "./payments";
import { users } from "./users";

export const WASTE_TYPES = enumCatalog.waste_type.map((v) => v.value);
export const PICKUP_STATUSES = enumCatalog.pickup_status.map((v) => v.value);
export const STS_STATUSES = enumCatalog.sts_status.map((v) => v.value);
const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));

export const wasteSchedules = pgTable(
  "waste_schedules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    wardNumber: varchar("ward_number", { length: 10 }).notNull(),
    wasteType: varchar("waste_type", { length: 20 }).notNull(),
    /** 0 = Sunday … 6 = Saturday. */
    daysOfWeek: smallint("days_of_week").array().notNull(),
    startTime: time("start_time").notNull(),
    endTime: time("end_time").notNull(),
    collector: varchar("collector", { length: 150 }),
    vehicle: varchar("vehicle", { length: 100 }),
    notes: text("notes"),
    isActive: boolean("is_active").notNull().default(true),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    unique("waste_schedules_ward_type_unique").on(t.wardNumber, t.wasteType),
    check("waste_schedules_type_check", sql`${t.wasteType} in (${inList(WASTE_TYPES)})`),
    check("waste_schedules_window_check", sql`${t.endTime} > ${t.startTime}`),
  ],
);

export const wastePickupRequests = pgTable(
  "waste_pickup_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    referenceNumber: varchar("reference_number", { length: 20 }).notNull().unique(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    wasteType: varchar("waste_type", { length: 20 }).notNull(),
    description: text("description").notNull(),
    location: varchar("location", { length: 255 }).notNull(),
    latitude: numeric("latitude", { precision: 10, scale: 8 }),
    longitude: numeric("longitude", { precision: 11, scale: 8 }),
    wardNumber: varchar("ward_number", { length: 10 }),
    preferredDate: date("preferred_date").notNull(),
    status: varchar("status", { length: 20 }).notNull().default("requested"),
    scheduledFor: timestamp("scheduled_for", { withTimezone: true }),
    /** The fee owed (null: free), fixed when the request was made. */
    feeAmount: numeric("fee_amount", { precision: 12, scale: 2 }),
    collectedAt: timestamp("collected_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("idx_waste_pickup_user_created").on(t.userId, t.createdAt.desc()),
    index("idx_waste_pickup_ward_created").on(t.wardNumber, t.createdAt.desc()),
    check("waste_pickup_type_check", sql`${t.wasteType} in (${inList(WASTE_TYPES)})`),
    check("waste_pickup_status_check", sql`${t.status} in (${inList(PICKUP_STATUSES)})`),
  ],
);

export const wastePickupPhotos = pgTable(
  "waste_pickup_photos",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pickupRequestId: uuid("pickup_request_id")
      .notNull()
      .references(() => wastePickupRequests.id, { onDelete: "cascade" }),
    objectKey: varchar("object_key", { length: 255 }).notNull().unique(),
    imageName: varchar("image_name", { length: 255 }).notNull(),
    fileSize: integer("file_size").notNull(),
    contentType: varchar("content_type", { length: 50 }).notNull(),
    position: smallint("position").notNull(),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("idx_waste_pickup_photos_request").on(t.pickupRequestId, t.position)],
);

export const wastePickupUpdates = pgTable(
  "waste_pickup_updates",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pickupRequestId: uuid("pickup_request_id")
      .notNull()
      .references(() => wastePickupRequests.id, { onDelete: "cascade" }),
    updatedBy: uuid("updated_by")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    oldStatus: varchar("old_status", { length: 20 }),
    newStatus: varchar("new_status", { length: 20 }).notNull(),
    scheduledFor: timestamp("scheduled_for", { withTimezone: true }),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("idx_waste_pickup_updates_request").on(t.pickupRequestId, t.createdAt)],
);

/** Payments made for a pickup's fee (the payment engine itself knows nothing of pickups). */
export const wastePickupPayments = pgTable(
  "waste_pickup_payments",
  {
    paymentId: uuid("payment_id")
      .primaryKey()
      .references(() => payments.id, { onDelete: "cascade" }),
    pickupRequestId: uuid("pickup_request_id")
      .notNull()
      .references(() => wastePickupRequests.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("idx_waste_pickup_payments_request").on(t.pickupRequestId)],
);

export const wasteSts = pgTable(
  "waste_sts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: varchar("name", { length: 150 }).notNull().unique(),
    wardNumber: varchar("ward_number", { length: 10 }).notNull(),
    latitude: numeric("latitude", { precision: 10, scale: 8 }).notNull(),
    longitude: numeric("longitude", { precision: 11, scale: 8 }).notNull(),
    capacityTonnes: numeric("capacity_tonnes", { precision: 10, scale: 2 }).notNull(),
    /** The last reading's load: changed only together with a waste_sts_readings row. */
    currentLoadTonnes: numeric("current_load_tonnes", { precision: 10, scale: 2 }).notNull().default("0"),
    status: varchar("status", { length: 20 }).notNull().default("operational"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("idx_waste_sts_ward").on(t.wardNumber),
    check("waste_sts_capacity_check", sql`${t.capacityTonnes} > 0`),
    check("waste_sts_load_check", sql`${t.currentLoadTonnes} >= 0`),
    check("waste_sts_status_check", sql`${t.status} in (${inList(STS_STATUSES)})`),
  ],
);

export const wasteStsReadings = pgTable(
  "waste_sts_readings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    stsId: uuid("sts_id")
      .notNull()
      .references(() => wasteSts.id, { onDelete: "cascade" }),
    loadTonnes: numeric("load_tonnes", { precision: 10, scale: 2 }).notNull(),
    previousLoadTonnes: numeric("previous_load_tonnes", { precision: 10, scale: 2 }).notNull(),
    capacityTonnes: numeric("capacity_tonnes", { precision: 10, scale: 2 }).notNull(),
    overCapacity: boolean("over_capacity").generatedAlwaysAs(sql`load_tonnes > capacity_tonnes`),
    note: text("note"),
    recordedBy: uuid("recorded_by").references(() => users.id, { onDelete: "set null" }),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("idx_waste_sts_readings_sts").on(t.stsId, t.recordedAt.desc(), t.id.desc()), check("waste_sts_readings_load_check", sql`${t.loadTonnes} >= 0`)],
);
