/**
 * Live chat (contract §6). One room = one conversation = one Durable Object (durable-objects/
 * chat-room.ts). The DO is the only writer of `chat_messages`: it stores each message in its own
 * SQLite first and copies it here in batches, idempotently by message id. Postgres is the queryable
 * copy (room lists, unread counts, history, staff tools); the DO's log is what acknowledges.
 *
 * Message ids are UUIDv7 minted by the room's DO, strictly increasing within a room, so `id`
 * order is send order and `before` / `since` cursors are plain id comparisons (Postgres compares
 * uuids bytewise, which for UUIDv7 is time-then-counter order).
 */
import { sql } from "drizzle-orm";
import { check, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { enumCatalog } from "../../lib/enums";
import { complaints } from "./complaints";
import { users } from "./users";

const values = (name: keyof typeof enumCatalog) => sql.raw(enumCatalog[name].map((v) => `'${v.value}'`).join(", "));

export const CHAT_ROOM_TYPES = ["support", "complaint"] as const;
export type ChatRoomType = (typeof CHAT_ROOM_TYPES)[number];

export const chatRooms = pgTable(
  "chat_rooms",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    type: varchar("type", { length: 20, enum: CHAT_ROOM_TYPES }).notNull(),
    /** Set for `complaint` rooms only; unique, so opening a complaint's room twice yields one room. */
    complaintId: uuid("complaint_id")
      .unique()
      .references(() => complaints.id, { onDelete: "cascade" }),
    title: varchar("title", { length: 200 }),
    /** Who opened it; kept as history only (membership is in chat_room_members). */
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Creation, then the newest copied message's time: room lists sort by it without scanning messages. */
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("idx_chat_rooms_type_activity").on(t.type, t.lastActivityAt.desc()),
    check("chat_rooms_type_check", sql`${t.type} in ('support', 'complaint')`),
    check("chat_rooms_complaint_check", sql`(${t.type} = 'complaint') = (${t.complaintId} is not null)`),
  ],
);

export const chatRoomMembers = pgTable(
  "chat_room_members",
  {
    roomId: uuid("room_id")
      .notNull()
      .references(() => chatRooms.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /**
     * The newest message this member has read (a cursor: messages with a greater id are unread).
     * No foreign key: a receipt may name a message the DO has not copied here yet.
     */
    lastReadMessageId: uuid("last_read_message_id"),
    lastReadAt: timestamp("last_read_at", { withTimezone: true }),
    joinedAt: timestamp("joined_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.roomId, t.userId] }), index("idx_chat_room_members_user").on(t.userId)],
);

export const chatMessages = pgTable(
  "chat_messages",
  {
    /** UUIDv7 from the room's DO (not defaulted here: the DO's id is the idempotency key of the copy). */
    id: uuid("id").primaryKey(),
    roomId: uuid("room_id")
      .notNull()
      .references(() => chatRooms.id, { onDelete: "cascade" }),
    senderId: uuid("sender_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    message: text("message").notNull(),
    messageType: varchar("message_type", { length: 20 }).notNull().default("text"),
    fileUrl: varchar("file_url", { length: 500 }),
    /** The client's idempotency key for resends; unique within the room. */
    clientMsgId: varchar("client_msg_id", { length: 64 }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [
    index("idx_chat_messages_room_id").on(t.roomId, t.id.desc()),
    index("idx_chat_messages_sender").on(t.senderId),
    uniqueIndex("uq_chat_messages_room_client_msg").on(t.roomId, t.clientMsgId).where(sql`${t.clientMsgId} is not null`),
    check("chat_messages_type_check", sql`${t.messageType} in (${values("chat_message_type")})`),
  ],
);
