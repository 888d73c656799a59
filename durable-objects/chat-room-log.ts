/**
 * The room's own log in its Durable Object SQLite storage: every message (the source of acks,
 * replays and idempotent resends) and each member's read position, each row marked with whether it
 * has been copied to Postgres yet.
 *
 * All calls are synchronous SQLite statements. A Durable Object commits them automatically, and its
 * output gate holds every outgoing message (WebSocket frames, RPC results) until the commit is
 * durable; so anything sent after `append` returns is only seen once the message is on disk.
 *
 * The log keeps every message for now (SQLite-backed objects hold up to 10 GB; a citizen–staff
 * conversation is a few MB). Pruning copied messages would need replay to fall back to Postgres:
 * see docs/chat.md.
 */
import type { ChatMessageRecord, MessageType } from "../src/modules/chat/chat.protocol";

/** Copy state of a message row. */
const Sync = {
  Pending: 0,
  Copied: 1,
  /** Postgres refused the row itself (not the connection); kept here and reported, never retried. */
  Rejected: 2,
} as const;

type Row = {
  id: string;
  sender_id: string;
  sender_name: string;
  message: string;
  message_type: string;
  file_url: string | null;
  client_msg_id: string | null;
  created_at: number;
};

export interface ReadPosition {
  userId: string;
  messageId: string;
  readAt: number;
}

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS messages (
     id TEXT PRIMARY KEY,
     sender_id TEXT NOT NULL,
     sender_name TEXT NOT NULL,
     message TEXT NOT NULL,
     message_type TEXT NOT NULL,
     file_url TEXT,
     client_msg_id TEXT UNIQUE,
     created_at INTEGER NOT NULL,
     sync_state INTEGER NOT NULL DEFAULT 0,
     sync_error TEXT
   ) WITHOUT ROWID`,
  `CREATE INDEX IF NOT EXISTS messages_pending ON messages (id) WHERE sync_state = 0`,
  `CREATE TABLE IF NOT EXISTS reads (
     user_id TEXT PRIMARY KEY,
     message_id TEXT NOT NULL,
     read_at INTEGER NOT NULL,
     synced INTEGER NOT NULL DEFAULT 0
   )`,
];

const COLUMNS = "id, sender_id, sender_name, message, message_type, file_url, client_msg_id, created_at";

export class ChatLog {
  private roomIdCache: string | null = null;

  constructor(private readonly sql: SqlStorage) {
    for (const statement of SCHEMA) sql.exec(statement);
  }

  /** The room this object serves, recorded on first contact; null before that. */
  get roomId(): string | null {
    if (this.roomIdCache) return this.roomIdCache;
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'room_id'").toArray()[0];
    this.roomIdCache = row?.value ?? null;
    return this.roomIdCache;
  }

  bindRoom(roomId: string): void {
    this.sql.exec("INSERT INTO meta (key, value) VALUES ('room_id', ?) ON CONFLICT (key) DO NOTHING", roomId);
    this.roomIdCache = null;
  }

  private toRecord = (row: Row): ChatMessageRecord => ({
    id: row.id,
    roomId: this.roomId!,
    senderId: row.sender_id,
    senderName: row.sender_name,
    message: row.message,
    messageType: row.message_type as MessageType,
    fileUrl: row.file_url,
    clientMsgId: row.client_msg_id,
    createdAt: row.created_at,
  });

  append(m: ChatMessageRecord): void {
    this.sql.exec(
      `INSERT INTO messages (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      m.id,
      m.senderId,
      m.senderName,
      m.message,
      m.messageType,
      m.fileUrl,
      m.clientMsgId,
      m.createdAt,
    );
  }

  latestId(): string | null {
    return this.sql.exec<{ id: string }>("SELECT id FROM messages ORDER BY id DESC LIMIT 1").toArray()[0]?.id ?? null;
  }

  has(id: string): boolean {
    return this.sql.exec("SELECT 1 FROM messages WHERE id = ?", id).toArray().length > 0;
  }

  byClientMsgId(clientMsgId: string): ChatMessageRecord | null {
    const row = this.sql.exec<Row>(`SELECT ${COLUMNS} FROM messages WHERE client_msg_id = ?`, clientMsgId).toArray()[0];
    return row ? this.toRecord(row) : null;
  }

  /** Messages after `id`, oldest first (a reconnect's replay). */
  after(id: string, limit: number): ChatMessageRecord[] {
    return this.sql.exec<Row>(`SELECT ${COLUMNS} FROM messages WHERE id > ? ORDER BY id LIMIT ?`, id, limit).toArray().map(this.toRecord);
  }

  /** Messages not yet in Postgres, oldest first (the next copy batch). */
  pending(limit: number): ChatMessageRecord[] {
    return this.sql
      .exec<Row>(`SELECT ${COLUMNS} FROM messages WHERE sync_state = ${Sync.Pending} ORDER BY id LIMIT ?`, limit)
      .toArray()
      .map(this.toRecord);
  }

  /** Messages not yet in Postgres, newest first, older than `before` when given (REST history). */
  pendingBefore(before: string | null, limit: number): ChatMessageRecord[] {
    const rows = before
      ? this.sql.exec<Row>(`SELECT ${COLUMNS} FROM messages WHERE sync_state = ${Sync.Pending} AND id < ? ORDER BY id DESC LIMIT ?`, before, limit)
      : this.sql.exec<Row>(`SELECT ${COLUMNS} FROM messages WHERE sync_state = ${Sync.Pending} ORDER BY id DESC LIMIT ?`, limit);
    return rows.toArray().map(this.toRecord);
  }

  markCopied(ids: string[]): void {
    for (const id of ids) this.sql.exec(`UPDATE messages SET sync_state = ${Sync.Copied} WHERE id = ?`, id);
  }

  markRejected(id: string, error: string): void {
    this.sql.exec(`UPDATE messages SET sync_state = ${Sync.Rejected}, sync_error = ? WHERE id = ?`, error.slice(0, 500), id);
  }

  /** Moves a member's read position forward (never back); returns the position now stored. */
  recordRead(userId: string, messageId: string, at: number): string {
    this.sql.exec(
      `INSERT INTO reads (user_id, message_id, read_at, synced) VALUES (?, ?, ?, 0)
       ON CONFLICT (user_id) DO UPDATE SET message_id = excluded.message_id, read_at = excluded.read_at, synced = 0
       WHERE excluded.message_id > reads.message_id`,
      userId,
      messageId,
      at,
    );
    return this.sql.exec<{ message_id: string }>("SELECT message_id FROM reads WHERE user_id = ?", userId).one().message_id;
  }

  pendingReads(): ReadPosition[] {
    return this.sql
      .exec<{ user_id: string; message_id: string; read_at: number }>("SELECT user_id, message_id, read_at FROM reads WHERE synced = 0")
      .toArray()
      .map((r) => ({ userId: r.user_id, messageId: r.message_id, readAt: r.read_at }));
  }

  /** Marks read positions copied, unless they moved on while the copy ran (then they go next time). */
  markReadsCopied(reads: ReadPosition[]): void {
    for (const r of reads) this.sql.exec("UPDATE reads SET synced = 1 WHERE user_id = ? AND message_id = ?", r.userId, r.messageId);
  }

  counts(): { messages: number; pendingMessages: number; rejectedMessages: number; pendingReads: number } {
    const row = this.sql
      .exec<{ total: number; pending: number; rejected: number }>(
        `SELECT count(*) AS total,
                coalesce(sum(sync_state = ${Sync.Pending}), 0) AS pending,
                coalesce(sum(sync_state = ${Sync.Rejected}), 0) AS rejected
           FROM messages`,
      )
      .one();
    const reads = this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM reads WHERE synced = 0").one().n;
    return { messages: row.total, pendingMessages: row.pending, rejectedMessages: row.rejected, pendingReads: reads };
  }

  hasPendingSync(): boolean {
    return (
      this.sql.exec(`SELECT 1 FROM messages WHERE sync_state = ${Sync.Pending} LIMIT 1`).toArray().length > 0 ||
      this.sql.exec("SELECT 1 FROM reads WHERE synced = 0 LIMIT 1").toArray().length > 0
    );
  }
}
