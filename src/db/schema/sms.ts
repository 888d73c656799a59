import { index, integer, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";

/** What the development `outbox` SMS provider "sent". Idempotent by the queue message id. */
export const smsOutbox = pgTable(
  "sms_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The queue message id: the provider-side idempotency key (SSL Wireless `csms_id`). */
    csmsId: varchar("csms_id", { length: 64 }).notNull().unique(),
    phone: varchar("phone", { length: 20 }).notNull(),
    message: text("message").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("idx_sms_outbox_phone_created").on(t.phone, t.createdAt.desc())],
);

/** SMS that exhausted their retries (recorded by the dead-letter queue consumer). */
export const smsDeadLetters = pgTable("sms_dead_letters", {
  id: uuid("id").primaryKey().defaultRandom(),
  csmsId: varchar("csms_id", { length: 64 }).notNull().unique(),
  phone: varchar("phone", { length: 20 }).notNull(),
  message: text("message").notNull(),
  attempts: integer("attempts").notNull(),
  reason: text("reason").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});
