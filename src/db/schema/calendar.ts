/** The city's calendar: events (or repeating series) and who takes part (migration 0014). */
import { sql } from "drizzle-orm";
import { boolean, check, index, integer, numeric, pgTable, primaryKey, smallint, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { enumCatalog } from "../../lib/enums";
import { users } from "./users";

export const CALENDAR_CATEGORIES = enumCatalog.calendar_category.map((v) => v.value);
const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));

export const calendarEvents = pgTable(
  "calendar_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    title: varchar("title", { length: 200 }).notNull(),
    description: text("description").notNull().default(""),
    category: varchar("category", { length: 20 }).notNull().default("other"),
    startsAt: timestamp("starts_at", { withTimezone: true }).notNull(),
    endsAt: timestamp("ends_at", { withTimezone: true }).notNull(),
    allDay: boolean("all_day").notNull().default(false),
    location: varchar("location", { length: 255 }).notNull().default(""),
    latitude: numeric("latitude", { precision: 9, scale: 6 }),
    longitude: numeric("longitude", { precision: 9, scale: 6 }),
    /** Empty: every ward. */
    targetWards: text("target_wards").array().notNull().default(sql`'{}'`),
    /** Null: no limit. */
    capacity: integer("capacity"),
    participantCount: integer("participant_count").notNull().default(0),
    /** RRULE FREQ: weekly | monthly (null: a single event). */
    recurrenceFreq: varchar("recurrence_freq", { length: 10 }),
    recurrenceInterval: smallint("recurrence_interval").notNull().default(1),
    recurrenceUntil: timestamp("recurrence_until", { withTimezone: true }),
    recurrenceCount: integer("recurrence_count"),
    /** End of the last occurrence (null: a series without end). */
    seriesEndsAt: timestamp("series_ends_at", { withTimezone: true }),
    /** iCalendar SEQUENCE, bumped on every edit. */
    sequence: integer("sequence").notNull().default(0),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("idx_calendar_events_range").on(t.startsAt, t.seriesEndsAt),
    index("idx_calendar_events_target_wards").using("gin", t.targetWards),
    check("calendar_events_category_check", sql`${t.category} in (${inList(CALENDAR_CATEGORIES)})`),
    check("calendar_events_time_check", sql`${t.endsAt} > ${t.startsAt}`),
    check("calendar_events_capacity_check", sql`${t.capacity} is null or (${t.capacity} > 0 and ${t.participantCount} <= ${t.capacity})`),
    check("calendar_events_participants_check", sql`${t.participantCount} >= 0`),
  ],
);

export const calendarEventParticipants = pgTable(
  "calendar_event_participants",
  {
    eventId: uuid("event_id")
      .notNull()
      .references(() => calendarEvents.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.userId] }), index("idx_calendar_event_participants_user").on(t.userId)],
);
