/** The notice board: notices, one view per reader, one urgent-SMS delivery per citizen (migration 0012). */
import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, primaryKey, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { enumCatalog } from "../../lib/enums";
import { users } from "./users";

export const NOTICE_CATEGORIES = enumCatalog.notice_category.map((v) => v.value);
export const NOTICE_PRIORITIES = enumCatalog.notice_priority.map((v) => v.value);
const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));

export const notices = pgTable(
  "notices",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    title: varchar("title", { length: 200 }).notNull(),
    content: text("content").notNull(),
    category: varchar("category", { length: 20 }).notNull().default("general"),
    priority: varchar("priority", { length: 10 }).notNull().default("normal"),
    isUrgent: boolean("is_urgent").notNull().default(false),
    /** is_urgent or priority 'urgent': ranks first and is broadcast by SMS. */
    urgent: boolean("urgent").generatedAlwaysAs(sql`is_urgent OR priority = 'urgent'`),
    /** Empty: every ward. */
    targetWards: text("target_wards").array().notNull().default(sql`'{}'`),
    publishedAt: timestamp("published_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    isActive: boolean("is_active").notNull().default(true),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    viewCount: integer("view_count").notNull().default(0),
    /** Set once, by the statement that claims the urgent SMS broadcast. */
    broadcastStartedAt: timestamp("broadcast_started_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("idx_notices_public").on(t.urgent.desc(), t.publishedAt.desc(), t.id.desc()).where(sql`is_active`),
    index("idx_notices_target_wards").using("gin", t.targetWards).where(sql`is_active`),
    index("idx_notices_broadcast_due").on(t.publishedAt).where(sql`urgent AND is_active AND broadcast_started_at IS NULL`),
    check("notices_category_check", sql`${t.category} in (${inList(NOTICE_CATEGORIES)})`),
    check("notices_priority_check", sql`${t.priority} in (${inList(NOTICE_PRIORITIES)})`),
    check("notices_expiry_check", sql`${t.expiresAt} is null or ${t.expiresAt} > ${t.publishedAt}`),
  ],
);

export const noticeViews = pgTable(
  "notice_views",
  {
    noticeId: uuid("notice_id").notNull().references(() => notices.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    viewedAt: timestamp("viewed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.noticeId, t.userId] })],
);

export const noticeDeliveries = pgTable(
  "notice_deliveries",
  {
    noticeId: uuid("notice_id").notNull().references(() => notices.id, { onDelete: "cascade" }),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    queuedAt: timestamp("queued_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.noticeId, t.userId] })],
);
