/**
 * The chat wire protocol (contract §6) and the rules every message obeys, whichever way it arrives
 * (socket frame, REST send, attachment upload). Shared by the Worker and the room's Durable Object,
 * so it has no I/O and imports nothing heavier than zod.
 */
import { z } from "zod";
import type { MessageKey } from "../../lib/i18n";
import { UUID_PATTERN } from "../../lib/uuid7";

export const MESSAGE_TYPES = ["text", "image", "file"] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Text longer than this (in characters = Unicode code points) is refused with an `error` frame. */
export const MAX_TEXT_CHARS = 4000;
/** A frame longer than this (UTF-16 units, before JSON parsing) is refused unread. */
export const MAX_FRAME_LENGTH = 16 * 1024;
export const CLIENT_MSG_ID_PATTERN = /^[\w.:-]{1,64}$/;

/** Flood control, per socket: a token bucket, and a close once the refusals pile up. */
export const FLOOD = {
  /** Frames per second a socket may send, sustained. */
  ratePerSecond: 10,
  /** Frames a socket may send at once after being quiet. */
  burst: 20,
  /** Refusals decay at this rate; a socket whose refusal level passes `closeAt` is closed (1008). */
  strikeDecayPerSecond: 1,
  closeAt: 30,
} as const;

/** WebSocket close codes this server uses. 4000–4999 are application codes (RFC 6455 §7.4.2). */
export const CLOSE = {
  /** The access token expired: refresh it and reconnect with `?since=<last message id>`. */
  tokenExpired: { code: 4001, reason: "token_expired" },
  /** Kept flooding after `rate_limited` errors (1008 = policy violation). */
  flooding: { code: 1008, reason: "flooding" },
} as const;

// ---------------------------------------------------------------------------------------------
// Client → server frames. Unknown fields (a forged `sender_id`, say) are dropped by zod.

const messageFrame = z.object({
  type: z.literal("message"),
  message: z.string().default(""),
  message_type: z.enum(MESSAGE_TYPES).default("text"),
  file_url: z.string().max(500).nullish(),
  client_msg_id: z.string().regex(CLIENT_MSG_ID_PATTERN).nullish(),
});

export const clientFrameSchema = z.discriminatedUnion("type", [
  messageFrame,
  z.object({ type: z.literal("typing") }),
  z.object({ type: z.literal("read"), message_id: z.string().regex(UUID_PATTERN) }),
  z.object({ type: z.literal("ping") }),
]);

export type ClientFrame = z.infer<typeof clientFrameSchema>;

// ---------------------------------------------------------------------------------------------
// Messages as stored by the room (its SQLite log) and as sent out.

export interface ChatMessageRecord {
  id: string;
  roomId: string;
  senderId: string;
  senderName: string;
  message: string;
  messageType: MessageType;
  fileUrl: string | null;
  clientMsgId: string | null;
  /** Milliseconds since the epoch (the id's own timestamp). */
  createdAt: number;
}

/** What a sender asks for; the room adds id, sender and time. */
export interface SendInput {
  message: string;
  messageType: MessageType;
  fileUrl: string | null;
  clientMsgId: string | null;
}

export interface MessageFrame {
  type: "message";
  id: string;
  room_id: string;
  message: string;
  message_type: MessageType;
  file_url: string | null;
  sender_id: string;
  sender_name: string;
  timestamp: string;
  client_msg_id: string | null;
}

export type ServerFrame =
  | MessageFrame
  | { type: "ack"; client_msg_id: string | null; id: string; duplicate?: true }
  | { type: "typing"; user_id: string }
  | { type: "read"; user_id: string; message_id: string }
  | { type: "pong" }
  | { type: "error"; code: string; message: string; client_msg_id?: string | null };

export function toMessageFrame(m: ChatMessageRecord): MessageFrame {
  return {
    type: "message",
    id: m.id,
    room_id: m.roomId,
    message: m.message,
    message_type: m.messageType,
    file_url: m.fileUrl,
    sender_id: m.senderId,
    sender_name: m.senderName,
    timestamp: new Date(m.createdAt).toISOString(),
    client_msg_id: m.clientMsgId,
  };
}

// ---------------------------------------------------------------------------------------------
// Rules for a message to be accepted.

export function characterCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Why a message was refused: a contract error code, the offending field and a message key (en/bn). */
export interface SendProblem {
  code: "validation_error" | "payload_too_large" | "conflict" | "rate_limited";
  field: string;
  key: MessageKey;
}

/** The attachment URLs of one room, as handed out by the attachments route. */
export function attachmentUrlPattern(origin: string, roomId: string): RegExp {
  const escaped = `${origin}/api/v1/chat/rooms/${roomId}/attachments/`.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  return new RegExp(`^${escaped}[0-9a-f-]{36}\\.(jpg|png|webp|pdf|docx|xlsx)$`);
}

const IMAGE_FILE = /\.(jpg|png|webp)$/;

/**
 * Checks a message against the limits and, for images and files, that `file_url` points at an
 * attachment uploaded to this very room (so a message cannot smuggle in an arbitrary link dressed
 * up as a file). Returns the first problem, or null.
 */
export function checkSendInput(input: SendInput, room: { roomId: string; origin: string }): SendProblem | null {
  const problem = (code: SendProblem["code"], field: string, key: MessageKey): SendProblem => ({ code, field, key });
  if (characterCount(input.message) > MAX_TEXT_CHARS) return problem("payload_too_large", "message", "chat_text_too_long");
  if (input.clientMsgId !== null && !CLIENT_MSG_ID_PATTERN.test(input.clientMsgId)) {
    return problem("validation_error", "client_msg_id", "chat_client_msg_id_invalid");
  }
  if (input.messageType === "text") {
    if (input.message.trim() === "") return problem("validation_error", "message", "chat_text_empty");
    if (input.fileUrl) return problem("validation_error", "file_url", "chat_text_has_file");
    return null;
  }
  if (!input.fileUrl || !attachmentUrlPattern(room.origin, room.roomId).test(input.fileUrl)) {
    return problem("validation_error", "file_url", "chat_file_url_invalid");
  }
  if (input.messageType === "image" && !IMAGE_FILE.test(input.fileUrl)) return problem("validation_error", "message_type", "chat_not_an_image");
  return null;
}
