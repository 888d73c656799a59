/** REST shapes of chat (contract §6): rooms, messages, and the bodies the routes accept. */
import { z } from "@hono/zod-openapi";
import { CHAT_ROOM_TYPES } from "../../db/schema";
import { USER_TYPES } from "../../lib/enums";
import { UUID_PATTERN } from "../../lib/uuid7";
import { CLIENT_MSG_ID_PATTERN, MAX_TEXT_CHARS, MESSAGE_TYPES, type ChatMessageRecord } from "./chat.protocol";

const uuid = () => z.string().regex(UUID_PATTERN, "Must be a UUID.");

export const chatMessageSchema = z
  .object({
    id: z.string().openapi({ description: "UUIDv7: ids increase with send order within a room", example: "019a6a4e-3f1c-7a2b-9c4d-5e6f7a8b9c0d" }),
    room_id: z.string(),
    sender_id: z.string(),
    sender_name: z.string(),
    message: z.string(),
    message_type: z.enum(MESSAGE_TYPES),
    file_url: z.string().nullable(),
    client_msg_id: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("ChatMessage");

export type ChatMessageDto = z.infer<typeof chatMessageSchema>;

export function toChatMessageDto(m: ChatMessageRecord): ChatMessageDto {
  return {
    id: m.id,
    room_id: m.roomId,
    sender_id: m.senderId,
    sender_name: m.senderName,
    message: m.message,
    message_type: m.messageType,
    file_url: m.fileUrl,
    client_msg_id: m.clientMsgId,
    created_at: new Date(m.createdAt).toISOString(),
  };
}

export const chatRoomSchema = z
  .object({
    id: z.string(),
    type: z.enum(CHAT_ROOM_TYPES),
    complaint_id: z.string().nullable(),
    title: z.string().nullable(),
    created_by: z.string().nullable(),
    created_at: z.string(),
    last_activity_at: z.string(),
    members: z.array(z.object({ id: z.string(), name: z.string(), user_type: z.enum(USER_TYPES) })),
    last_message: chatMessageSchema.nullable().openapi({ description: "Newest message copied to the database (lags the live room by well under a second while the database is up)" }),
    unread_count: z.number().int().openapi({ description: "Messages from others after your read position" }),
    last_read_message_id: z.string().nullable(),
  })
  .openapi("ChatRoom");

export type ChatRoomDto = z.infer<typeof chatRoomSchema>;

export const createRoomBody = z
  .object({
    type: z.enum(CHAT_ROOM_TYPES),
    complaint_id: uuid().optional(),
    title: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.type === "complaint" && !body.complaint_id) ctx.addIssue({ code: "custom", path: ["complaint_id"], message: "Required for a complaint room." });
    if (body.type === "support" && body.complaint_id) ctx.addIssue({ code: "custom", path: ["complaint_id"], message: "Only complaint rooms have a complaint." });
  })
  .openapi("ChatRoomCreate");

export type CreateRoomBody = z.infer<typeof createRoomBody>;

export const sendMessageBody = z
  .object({
    message: z.string().max(4 * MAX_TEXT_CHARS).default("").openapi({ description: `Up to ${MAX_TEXT_CHARS} characters` }),
    message_type: z.enum(MESSAGE_TYPES).default("text"),
    file_url: z.string().max(500).nullish().openapi({ description: "For image/file: an attachment URL of this room" }),
    client_msg_id: z.string().regex(CLIENT_MSG_ID_PATTERN).nullish().openapi({ description: "Your idempotency key: a resend with the same id returns the same message" }),
  })
  .openapi("ChatMessageSend");

export const readBody = z.object({ message_id: uuid() }).openapi("ChatReadReceipt");

export const readReceiptSchema = z
  .object({ room_id: z.string(), user_id: z.string(), last_read_message_id: z.string() })
  .openapi("ChatReadPosition");

export const historyQuery = z.object({
  before: uuid().optional().openapi({ description: "Only messages older than this message id" }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const historyPageSchema = z
  .object({
    results: z.array(chatMessageSchema),
    next: z.string().nullable().openapi({ description: "URL of the next (older) page, or null" }),
    next_before: z.string().nullable(),
  })
  .openapi("ChatMessagePage");
