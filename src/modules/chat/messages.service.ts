/**
 * Messages over REST: history, send, read receipts, attachments. Anything that creates a message or
 * moves a read position goes through the room's Durable Object, so REST and sockets share one order,
 * one set of rules and one fan-out.
 */
import type { AuthUser } from "../../lib/tokens";
import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { chatMessages, users } from "../../db/schema";
import type { UserRow } from "../../db/types";
import { ApiError } from "../../lib/errors";
import { t, type Lang } from "../../lib/i18n";
import { isImageType, sniffDocument, sniffImage, type MediaType } from "../../lib/media-types";
import { putObject, readUpload, streamObject } from "../../providers/storage";
import type { ChatMessageRecord, MessageType, SendInput, SendProblem } from "./chat.protocol";
import { saveReadPositions } from "./chat-sync.service";
import { roomObject, type RoomCaller } from "./room-object";
import { accessibleRoomQuery, findAccessibleRoom, roomForAction } from "./rooms.service";

export const ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

export interface Actor {
  user: AuthUser;
  /** The whole account (for the sender's name); by the time it is asked for, the user check has run. */
  account: () => Promise<UserRow>;
  origin: string;
  lang: Lang;
}

async function caller(actor: Actor, roomId: string): Promise<RoomCaller> {
  return { roomId, userId: actor.user.id, name: (await actor.account()).name, userType: actor.user.userType, origin: actor.origin, lang: actor.lang };
}

function problemError(problem: SendProblem, lang: Lang, retryAfterSeconds?: number): ApiError {
  if (problem.code === "rate_limited") return new ApiError("rate_limited", "chat_rate_limited", undefined, { "Retry-After": String(Math.max(1, Math.ceil(retryAfterSeconds ?? 1))) });
  if (problem.code === "conflict") return new ApiError("conflict", problem.key);
  return new ApiError(problem.code, problem.key, { [problem.field]: [t(problem.key, lang)] });
}

// ---------------------------------------------------------------------------------------------
// History: Postgres, plus what the room has not copied there yet.

export interface HistoryPage {
  results: ChatMessageRecord[];
  /** Pass as `before` for the next (older) page; null at the beginning of the room. */
  nextBefore: string | null;
}

/**
 * Newest first. The room is asked first, Postgres second: a message copied in between is then in
 * both answers (and de-duplicated by id) rather than in neither.
 */
export async function history(services: ServiceContext, user: AuthUser, roomId: string, query: { before?: string; limit: number }): Promise<HistoryPage> {
  // What the room holds is read first (and discarded unless the access check below passes); the
  // access check and the page then cost one round trip together.
  const uncopied = await roomObject(services.env, roomId).uncopiedMessages(roomId, query.before ?? null, query.limit);
  const [access, rows] = await services.db.batch([
    accessibleRoomQuery(services, user, roomId),
    services.db
      .select({ m: chatMessages, senderName: users.name })
      .from(chatMessages)
      .innerJoin(users, eq(users.id, chatMessages.senderId))
      .where(and(eq(chatMessages.roomId, roomId), query.before ? lt(chatMessages.id, query.before) : undefined))
      .orderBy(desc(chatMessages.id))
      .limit(query.limit),
  ]);
  if (access.length === 0) throw new ApiError("not_found");

  const byId = new Map<string, ChatMessageRecord>();
  for (const { m, senderName } of rows) {
    byId.set(m.id, {
      id: m.id,
      roomId: m.roomId,
      senderId: m.senderId,
      senderName,
      message: m.message,
      messageType: m.messageType as MessageType,
      fileUrl: m.fileUrl,
      clientMsgId: m.clientMsgId,
      createdAt: m.createdAt.getTime(),
    });
  }
  for (const m of uncopied) byId.set(m.id, m);
  const results = [...byId.values()].sort((a, b) => (a.id < b.id ? 1 : -1)).slice(0, query.limit);
  return { results, nextBefore: results.length === query.limit ? results[results.length - 1]!.id : null };
}

// ---------------------------------------------------------------------------------------------
// Sending and reading.

export async function sendMessage(services: ServiceContext, actor: Actor, roomId: string, input: SendInput): Promise<{ message: ChatMessageRecord; duplicate: boolean }> {
  await roomForAction(services, actor.user, roomId);
  const outcome = await roomObject(services.env, roomId).sendMessage(await caller(actor, roomId), input);
  if (!outcome.ok) throw problemError(outcome.problem, actor.lang, outcome.retryAfterSeconds);
  return { message: outcome.message, duplicate: outcome.duplicate };
}

/**
 * A read receipt: the room checks the message is its own, fans the receipt out to the sockets and
 * logs it; the position is also saved here at once so that the reader's next room list agrees.
 */
export async function markRead(services: ServiceContext, actor: Actor, roomId: string, messageId: string): Promise<string> {
  await roomForAction(services, actor.user, roomId);
  const outcome = await roomObject(services.env, roomId).markRead(await caller(actor, roomId), messageId);
  if (!outcome.ok) throw new ApiError("validation_error", "chat_unknown_message", { message_id: [t("chat_unknown_message", actor.lang)] });
  await saveReadPositions(services.db, roomId, [{ userId: actor.user.id, messageId: outcome.messageId, readAt: Date.now() }]);
  return outcome.messageId;
}

// ---------------------------------------------------------------------------------------------
// Attachments: R2 under chat/<room>/<random>.<ext>, served back only to those who may see the room.

const sniffAttachment = (bytes: Uint8Array): MediaType | null => sniffImage(bytes) ?? sniffDocument(bytes);

export function attachmentUrl(origin: string, roomId: string, file: string): string {
  return `${origin}/api/v1/chat/rooms/${roomId}/attachments/${file}`;
}

export interface AttachmentUpload {
  file: unknown;
  caption?: string;
  clientMsgId?: string | null;
}

export async function uploadAttachment(services: ServiceContext, actor: Actor, roomId: string, upload: AttachmentUpload) {
  await roomForAction(services, actor.user, roomId);
  const file = await readUpload(upload.file, ATTACHMENT_MAX_BYTES, "file", sniffAttachment, "Attach an image or a document (PDF, DOCX, XLSX).");
  const stored = await putObject(services.env.MEDIA, `chat/${roomId}`, file);
  const messageType: MessageType = isImageType(file.type) ? "image" : "file";
  const input: SendInput = { message: upload.caption ?? file.name, messageType, fileUrl: attachmentUrl(actor.origin, roomId, stored.file), clientMsgId: upload.clientMsgId ?? null };
  let outcome;
  try {
    outcome = await roomObject(services.env, roomId).sendMessage(await caller(actor, roomId), input);
  } catch (err) {
    await services.env.MEDIA.delete(stored.key);
    throw err;
  }
  // Refused, or a resend of an upload that already has its message: the new object is not needed.
  if (!outcome.ok || outcome.duplicate) await services.env.MEDIA.delete(stored.key);
  if (!outcome.ok) throw problemError(outcome.problem, actor.lang, outcome.retryAfterSeconds);
  return { message: outcome.message, duplicate: outcome.duplicate };
}

export async function streamAttachment(services: ServiceContext, user: AuthUser, roomId: string, file: string): Promise<Response> {
  if (!(await findAccessibleRoom(services, user, roomId))) throw new ApiError("not_found");
  const image = /\.(jpg|png|webp)$/.test(file);
  // Private: only room members may fetch it, so no shared caches. Documents download, images show.
  return streamObject(services.env.MEDIA, `chat/${roomId}/${file}`, "private, max-age=3600", image ? "inline" : "attachment");
}

/** For the development copy check: what Postgres holds for a room. */
export async function copiedMessageStats(services: ServiceContext, roomId: string) {
  const [row] = await services.db
    .select({
      messages: sql<number>`count(*)::int`,
      distinctClientMsgIds: sql<number>`count(distinct ${chatMessages.clientMsgId})::int`,
    })
    .from(chatMessages)
    .where(eq(chatMessages.roomId, roomId));
  const ids = await services.db
    .select({ clientMsgId: chatMessages.clientMsgId })
    .from(chatMessages)
    .where(eq(chatMessages.roomId, roomId))
    .orderBy(chatMessages.id);
  return { messages: row?.messages ?? 0, distinctClientMsgIds: row?.distinctClientMsgIds ?? 0, clientMsgIds: ids.map((r) => r.clientMsgId) };
}
