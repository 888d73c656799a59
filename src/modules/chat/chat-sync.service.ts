/**
 * The copy of a room's log into Postgres, called by the room's Durable Object from its alarm.
 * Idempotent by message id (`ON CONFLICT (id) DO NOTHING`): a batch that was committed but whose
 * answer was lost is simply inserted again, harmlessly. Read positions only ever move forward.
 */
import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { batchRows } from "../../db/batch";
import { describeDbError } from "../../db/errors";
import type { Queryable } from "../../db/client";
import { dispatchNotifications, fromRow, notifyUsersSql } from "../notifications/notify";
import type { ChatMessageRecord } from "./chat.protocol";

export interface CopyResult {
  /** Ids now in Postgres (inserted now or already there). */
  copied: string[];
  /** Rows Postgres refused for what they contain (e.g. the sender row is gone), with the reason. */
  rejected: { id: string; error: string }[];
}

/** A Postgres error about the data (class 22 data exception, 23 integrity violation), not the connection. */
function isDataError(err: unknown): boolean {
  for (let e = err as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 3; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "string" && /^2[23][0-9A-Z]{3}$/.test(e.code)) return true;
  }
  return false;
}

/** A copy failure for the logs: the driver's cause only (src/db/errors.ts). */
export const describeCopyError = describeDbError;

function insertStatement(roomId: string, rows: ChatMessageRecord[]) {
  const values = rows.map(
    (m) =>
      sql`(${m.id}::uuid, ${roomId}::uuid, ${m.senderId}::uuid, ${m.message}, ${m.messageType}, ${m.fileUrl}, ${m.clientMsgId}, ${new Date(m.createdAt).toISOString()}::timestamptz)`,
  );
  return sql`insert into chat_messages (id, room_id, sender_id, message, message_type, file_url, client_msg_id, created_at)
             values ${sql.join(values, sql`, `)}
             on conflict (id) do nothing`;
}

/**
 * One statement for the whole batch. If Postgres refuses the batch for its data, the rows go one by
 * one so that a single bad row cannot hold the room's copy back for ever; the bad ones are reported
 * (and kept in the DO's log), never silently dropped. Connection errors are thrown: the caller retries.
 */
async function copyMessages(db: Queryable, roomId: string, rows: ChatMessageRecord[]): Promise<CopyResult> {
  if (rows.length === 0) return { copied: [], rejected: [] };
  try {
    await db.execute(insertStatement(roomId, rows));
    return { copied: rows.map((r) => r.id), rejected: [] };
  } catch (err) {
    if (!isDataError(err)) throw err;
  }
  const result: CopyResult = { copied: [], rejected: [] };
  for (const row of rows) {
    try {
      await db.execute(insertStatement(roomId, [row]));
      result.copied.push(row.id);
    } catch (err) {
      if (!isDataError(err)) throw err;
      result.rejected.push({ id: row.id, error: describeCopyError(err) });
    }
  }
  return result;
}

export interface ReadPositionInput {
  userId: string;
  messageId: string;
  readAt: number;
}

/**
 * Stores members' read positions, moving each forward only. Upserts the membership: staff reading a
 * support room they never joined become members of it (membership is what carries the position).
 */
export async function saveReadPositions(db: Queryable, roomId: string, reads: ReadPositionInput[]): Promise<void> {
  if (reads.length === 0) return;
  try {
    await db.execute(upsertReads(roomId, reads));
  } catch (err) {
    if (!isDataError(err) || reads.length === 1) throw err;
    // One bad row (a user deleted meanwhile) must not block the others.
    for (const read of reads) await saveReadPositions(db, roomId, [read]).catch((e: unknown) => {
      if (!isDataError(e)) throw e;
      console.warn(JSON.stringify({ level: "warn", msg: "chat read position refused", room_id: roomId, user_id: read.userId, error: describeCopyError(e) }));
    });
  }
}

function upsertReads(roomId: string, reads: ReadPositionInput[]) {
  const values = reads.map((r) => sql`(${roomId}::uuid, ${r.userId}::uuid, ${r.messageId}::uuid, ${new Date(r.readAt).toISOString()}::timestamptz)`);
  return sql`
    insert into chat_room_members (room_id, user_id, last_read_message_id, last_read_at)
    values ${sql.join(values, sql`, `)}
    on conflict (room_id, user_id) do update
      set last_read_message_id = excluded.last_read_message_id, last_read_at = excluded.last_read_at
      where chat_room_members.last_read_message_id is null
         or chat_room_members.last_read_message_id < excluded.last_read_message_id`;
}

export interface SyncBatch {
  messages: ChatMessageRecord[];
  reads: ReadPositionInput[];
  /** Members with an open socket in the room now: they saw the messages live, no notification. */
  online?: string[];
}

/**
 * Copies one batch of a room's log into Postgres: messages, the room's activity time (room lists sort
 * by it), then read positions — as one batch, one round trip, whatever the batch size. Only if
 * Postgres refuses that for its data does the copy fall back to finding the bad rows one by one.
 */
export async function syncRoomLog(services: ServiceContext, roomId: string, batch: SyncBatch): Promise<CopyResult> {
  const statements = [
    ...(batch.messages.length ? [insertStatement(roomId, batch.messages), activityStatement(roomId, batch.messages)] : []),
    ...(batch.reads.length ? [upsertReads(roomId, batch.reads)] : []),
  ];
  if (statements.length === 0) return { copied: [], rejected: [] };
  const notify = batch.messages.length ? offlineMembersNotice(roomId, batch.messages, batch.online ?? []) : null;
  try {
    const results = await batchRows<unknown[]>(services.db, notify ? [...statements, notify] : statements);
    if (notify) await dispatchNotifications(services, (results.at(-1) as Array<{ id: string }>).map((r) => r.id));
    return { copied: batch.messages.map((m) => m.id), rejected: [] };
  } catch (err) {
    if (!isDataError(err)) throw err;
  }
  return syncOneByOne(services, roomId, batch);
}

/**
 * Members who were not in the room (no open socket) and did not write in this batch hear of it:
 * one notification per member per copied batch, with the newest message as its preview (so a burst
 * of messages is one push, not twenty). Its key is the batch's newest message, so a repeated copy
 * notifies nobody twice. Chat never goes by SMS (catalogue.ts).
 */
function offlineMembersNotice(roomId: string, messages: ChatMessageRecord[], online: string[]) {
  const newest = messages.reduce((a, b) => (b.createdAt >= a.createdAt ? b : a));
  const preview = newest.message?.trim() ? (newest.message.length > 120 ? `${newest.message.slice(0, 119)}…` : newest.message) : newest.messageType === "image" ? "📷" : "📎";
  const skip = [...new Set([...online, ...messages.map((m) => m.senderId)])];
  return notifyUsersSql(
    { type: "chat.message", key: `chat.message:${roomId}:${newest.id}`, payload: { room_id: roomId, sender: fromRow("sender"), preview } },
    sql`select m.user_id, s.name as sender from chat_room_members m join users s on s.id = ${newest.senderId}::uuid
        where m.room_id = ${roomId}::uuid and m.user_id <> all(${`{${skip.join(",")}}`}::uuid[])`,
  );
}

function activityStatement(roomId: string, messages: ChatMessageRecord[]) {
  const newest = Math.max(...messages.map((m) => m.createdAt));
  return sql`update chat_rooms set last_activity_at = greatest(last_activity_at, ${new Date(newest).toISOString()}::timestamptz) where id = ${roomId}::uuid`;
}

/** The slow path after a refused batch: each part alone, bad rows reported. */
async function syncOneByOne(services: ServiceContext, roomId: string, batch: SyncBatch): Promise<CopyResult> {
  const result = await copyMessages(services.db, roomId, batch.messages);
  if (result.copied.length > 0) {
    const copied = new Set(result.copied);
    await services.db.execute(activityStatement(roomId, batch.messages.filter((m) => copied.has(m.id))));
  }
  await saveReadPositions(services.db, roomId, batch.reads);
  return result;
}
