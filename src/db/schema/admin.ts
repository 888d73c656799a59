/** Staff permissions (ward-scoped, per module) and the append-only activity log: migration 0008. */
import { sql } from "drizzle-orm";
import { boolean, check, index, jsonb, pgTable, primaryKey, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { PERMISSION_TYPES } from "../../lib/enums";
import { users } from "./users";

export const adminPermissions = pgTable(
  "admin_permissions",
  {
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    permissionType: varchar("permission_type", { length: 20, enum: PERMISSION_TYPES }).notNull(),
    /** Empty: every ward. */
    wardNumbers: text("ward_numbers").array().notNull().default(sql`'{}'`),
    canCreate: boolean("can_create").notNull().default(false),
    canRead: boolean("can_read").notNull().default(true),
    canUpdate: boolean("can_update").notNull().default(false),
    canDelete: boolean("can_delete").notNull().default(false),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.permissionType] }),
    check("admin_permissions_type_check", sql`${t.permissionType} in (${sql.raw(PERMISSION_TYPES.map((v) => `'${v}'`).join(", "))})`),
  ],
);

export const activityLogs = pgTable(
  "activity_logs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** No foreign key: the log outlives the accounts it mentions. */
    userId: uuid("user_id"),
    action: varchar("action", { length: 50 }).notNull(),
    resourceType: varchar("resource_type", { length: 50 }).notNull(),
    resourceId: text("resource_id"),
    ipAddress: varchar("ip_address", { length: 45 }),
    userAgent: text("user_agent"),
    details: jsonb("details").notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("idx_activity_logs_created").on(t.createdAt.desc(), t.id.desc()),
    index("idx_activity_logs_user").on(t.userId, t.createdAt.desc()),
    index("idx_activity_logs_resource").on(t.resourceType, t.resourceId),
  ],
);
