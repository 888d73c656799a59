/**
 * ChatRoom: one Durable Object per conversation (addressed by the room id).
 *
 * - Sockets use the WebSocket Hibernation API: the runtime holds them while the object sleeps, and
 *   who is on each socket (plus its flood-control state) lives in the socket's attachment, so it
 *   survives hibernation. `{"type":"ping"}` is answered by the runtime without waking the object.
 * - Durable before acknowledged: a message is appended to the object's SQLite log, and only then
 *   are the `ack` and the broadcast sent. The output gate holds those frames until the write is
 *   durable, so nobody hears of a message that a crash could still lose.
 * - Postgres gets a copy in batches from the alarm, idempotent by message id. If Postgres is down the
 *   room keeps working (the log is all it needs) and the copy retries with backoff until it catches up.
 * - The Worker authenticates and authorises before anything reaches this object (see
 *   src/modules/chat/room-object.ts); the sender of every message is that authenticated identity.
 *
 * REST routes use the RPC methods at the bottom; the socket path uses fetch + webSocket* handlers.
 */
import { DurableObject } from "cloudflare:workers";
import { createServiceContext } from "../src/context";
import { t, type Lang } from "../src/lib/i18n";
import type { UserType } from "../src/lib/enums";
import { MonotonicUuid7, uuid7Time } from "../src/lib/uuid7";
import {
  checkSendInput,
  clientFrameSchema,
  CLOSE,
  MAX_FRAME_LENGTH,
  toMessageFrame,
  type ChatMessageRecord,
  type SendInput,
  type SendProblem,
  type ServerFrame,
} from "../src/modules/chat/chat.protocol";
import { describeCopyError, syncRoomLog } from "../src/modules/chat/chat-sync.service";
import { socketIdentityFrom, type RoomCaller } from "../src/modules/chat/room-object";
import { ChatLog } from "./chat-room-log";
import { freshFloodState, secondsUntilToken, takeToken, type FloodState } from "./flood-control";

/** Wait this long after a write before copying, so that a busy room copies in batches. */
const SYNC_DELAY_MS = 250;
const SYNC_BATCH = 500;
/** Retry backoff while Postgres is unreachable: 1 s, 2 s, 4 s … up to 30 s. */
const SYNC_BACKOFF_MS = { first: 1000, max: 30_000 };
/** A copy that takes longer than this counts as failed (it is idempotent, so retrying is safe). */
const SYNC_TIMEOUT_MS = 20_000;
/** At most this many messages are replayed on connect; more → an `error` frame `replay_truncated`. */
export const REPLAY_LIMIT = 1000;

/** Who is on a socket; kept in its attachment (≤ 2 KB) so that it survives hibernation. */
interface SocketSession {
  userId: string;
  name: string;
  userType: UserType;
  /** Access token expiry, seconds since the epoch. */
  exp: number;
  lang: Lang;
  origin: string;
  flood: FloodState;
}

export type SendOutcome =
  | { ok: true; message: ChatMessageRecord; duplicate: boolean }
  | { ok: false; problem: SendProblem; retryAfterSeconds?: number };

export type ReadOutcome = { ok: true; messageId: string } | { ok: false };

export interface RoomStatus {
  messages: number;
  pendingMessages: number;
  rejectedMessages: number;
  pendingReads: number;
  sockets: number;
  syncFailures: number;
}

export class ChatRoom extends DurableObject<Env> {
  private readonly log: ChatLog;
  private readonly ids: MonotonicUuid7;
  /** When the alarm is set for (null: none). Loaded before the first event, then kept in step. */
  private alarmAt: number | null = null;
  private syncFailures = 0;
  private syncNotBefore = 0;
  /** Copies run one at a time (the alarm and an explicit `syncNow` may overlap). */
  private syncChain: Promise<void> = Promise.resolve();
  /** REST senders' flood buckets (in memory: REST has no socket to keep them on). */
  private readonly restFlood = new Map<string, FloodState>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.log = new ChatLog(ctx.storage.sql);
    this.ids = new MonotonicUuid7(this.log.latestId());
    // Answered by the runtime itself: a ping never wakes a hibernating room.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
    void ctx.blockConcurrencyWhile(async () => {
      this.alarmAt = await ctx.storage.getAlarm();
    });
  }

  // -------------------------------------------------------------------------------------------
  // Socket connect (the Worker has authenticated and authorised; see room-object.ts).

  override async fetch(request: Request): Promise<Response> {
    const identity = socketIdentityFrom(request.headers);
    if (!identity || request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected an authorised WebSocket upgrade from the API worker", { status: 400 });
    }
    this.bindRoom(identity.roomId);

    const { 0: client, 1: server } = new WebSocketPair();
    const session: SocketSession = {
      userId: identity.userId,
      name: identity.name,
      userType: identity.userType,
      exp: identity.tokenExp,
      lang: identity.lang,
      origin: identity.origin,
      flood: freshFloodState(Date.now()),
    };
    this.ctx.acceptWebSocket(server, [identity.userId]);
    server.serializeAttachment(session);

    // Replay before returning: nothing else runs in between, so no live message can slip between
    // the replay and this socket joining the broadcast.
    if (identity.since) {
      const missed = this.log.after(identity.since, REPLAY_LIMIT + 1);
      for (const m of missed.slice(0, REPLAY_LIMIT)) server.send(JSON.stringify(toMessageFrame(m)));
      if (missed.length > REPLAY_LIMIT) this.sendError(server, session, "replay_truncated", "chat_replay_truncated");
    }
    this.scheduleAlarm(identity.tokenExp * 1000);
    return new Response(null, { status: 101, webSocket: client });
  }

  // -------------------------------------------------------------------------------------------
  // Socket events.

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const session = ws.deserializeAttachment() as SocketSession | null;
    if (!session) return ws.close(1011, "no session");
    const now = Date.now();
    if (session.exp * 1000 <= now) return this.closeExpired(ws, session);

    const verdict = takeToken(session.flood, now);
    ws.serializeAttachment(session);
    if (verdict === "close") return ws.close(CLOSE.flooding.code, CLOSE.flooding.reason);
    if (verdict === "refuse") return this.sendError(ws, session, "rate_limited", "chat_rate_limited");

    if (typeof raw !== "string") return this.sendError(ws, session, "validation_error", "chat_frame_invalid");
    if (raw.length > MAX_FRAME_LENGTH) return this.sendError(ws, session, "payload_too_large", "chat_frame_too_large");
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return this.sendError(ws, session, "invalid_json", "invalid_json");
    }
    const parsed = clientFrameSchema.safeParse(json);
    if (!parsed.success) {
      const clientMsgId = (json as { client_msg_id?: unknown })?.client_msg_id;
      return this.sendError(ws, session, "validation_error", "chat_frame_invalid", typeof clientMsgId === "string" ? clientMsgId : undefined);
    }
    const frame = parsed.data;
    switch (frame.type) {
      case "message": {
        const input: SendInput = {
          message: frame.message,
          messageType: frame.message_type,
          fileUrl: frame.file_url ?? null,
          clientMsgId: frame.client_msg_id ?? null,
        };
        const outcome = this.accept({ ...session, roomId: this.log.roomId! }, input);
        if (!outcome.ok) return this.sendError(ws, session, outcome.problem.code, outcome.problem.key, input.clientMsgId);
        this.send(ws, { type: "ack", client_msg_id: input.clientMsgId, id: outcome.message.id, ...(outcome.duplicate ? { duplicate: true as const } : {}) });
        if (!outcome.duplicate) this.broadcast(toMessageFrame(outcome.message));
        return;
      }
      case "typing":
        return this.broadcast({ type: "typing", user_id: session.userId }, ws);
      case "read": {
        const outcome = this.recordRead(session.userId, frame.message_id, ws);
        if (!outcome.ok) this.sendError(ws, session, "not_found", "chat_unknown_message");
        return;
      }
      case "ping": // the auto-response takes the exact text; this answers any other spelling
        return this.send(ws, { type: "pong" });
    }
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    try {
      ws.close(code === 1005 ? 1000 : code, reason); // complete the closing handshake
    } catch {
      // already closed
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    try {
      ws.close(1011, "socket error");
    } catch {
      // already closed
    }
  }

  // -------------------------------------------------------------------------------------------
  // Alarm: close sockets whose token expired, copy to Postgres, and set the next alarm.

  override async alarm(): Promise<void> {
    this.alarmAt = null;
    const now = Date.now();
    for (const ws of this.ctx.getWebSockets()) {
      const session = ws.deserializeAttachment() as SocketSession | null;
      if (session && session.exp * 1000 <= now) this.closeExpired(ws, session);
    }
    if (now >= this.syncNotBefore) await this.sync();
    this.scheduleFollowUp();
  }

  private scheduleFollowUp(): void {
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    if (this.log.hasPendingSync()) next = Math.max(now + SYNC_DELAY_MS, this.syncNotBefore);
    for (const ws of this.ctx.getWebSockets()) {
      const exp = (ws.deserializeAttachment() as SocketSession | null)?.exp;
      if (exp && exp * 1000 > now) next = Math.min(next, exp * 1000);
    }
    if (Number.isFinite(next)) this.scheduleAlarm(next);
  }

  /** Sets the alarm for `at` unless one is already due sooner. */
  private scheduleAlarm(at: number): void {
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    this.alarmAt = at;
    this.ctx.storage.setAlarm(at).catch((err: unknown) => console.error(JSON.stringify({ level: "error", msg: "chat setAlarm failed", error: String(err) })));
  }

  private requestSync(): void {
    this.scheduleAlarm(Math.max(Date.now() + SYNC_DELAY_MS, this.syncNotBefore));
  }

  private sync(): Promise<void> {
    this.syncChain = this.syncChain.then(
      () => this.syncPass(),
      () => this.syncPass(),
    );
    return this.syncChain;
  }

  private async syncPass(): Promise<void> {
    const roomId = this.log.roomId;
    if (!roomId) return;
    // Repeat while full batches remain, so a backlog drains within one alarm.
    for (let round = 0; round < 20; round++) {
      const messages = this.log.pending(SYNC_BATCH);
      const reads = this.log.pendingReads();
      if (messages.length === 0 && reads.length === 0) return;
      const services = createServiceContext(this.env);
      try {
        const result = await withTimeout(syncRoomLog(services, roomId, { messages, reads }), SYNC_TIMEOUT_MS);
        this.log.markCopied(result.copied);
        for (const r of result.rejected) {
          this.log.markRejected(r.id, r.error);
          console.error(JSON.stringify({ level: "error", msg: "chat message refused by Postgres; kept in the room log", room_id: roomId, message_id: r.id, error: r.error }));
        }
        this.log.markReadsCopied(reads);
        this.syncFailures = 0;
        this.syncNotBefore = 0;
        if (messages.length < SYNC_BATCH) return;
      } catch (err) {
        this.syncFailures++;
        const backoff = Math.min(SYNC_BACKOFF_MS.max, SYNC_BACKOFF_MS.first * 2 ** (this.syncFailures - 1));
        this.syncNotBefore = Date.now() + backoff;
        console.warn(
          JSON.stringify({ level: "warn", msg: "chat copy to Postgres failed; will retry", room_id: roomId, attempt: this.syncFailures, retry_in_ms: backoff, error: describeCopyError(err) }),
        );
        return;
      } finally {
        await services.close();
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // The core: accept a message, record a read.

  private bindRoom(roomId: string): void {
    const bound = this.log.roomId;
    if (bound === null) this.log.bindRoom(roomId);
    else if (bound !== roomId) throw new Error(`room object for ${bound} was asked to serve ${roomId}`);
  }

  /** Validates, de-duplicates by client_msg_id, and appends to the log. Does not send anything. */
  private accept(sender: RoomCaller | (SocketSession & { roomId: string }), input: SendInput): SendOutcome {
    const problem = checkSendInput(input, { roomId: sender.roomId, origin: sender.origin });
    if (problem) return { ok: false, problem };
    if (input.clientMsgId) {
      const earlier = this.log.byClientMsgId(input.clientMsgId);
      if (earlier && earlier.senderId === sender.userId) return { ok: true, message: earlier, duplicate: true };
      if (earlier) return { ok: false, problem: { code: "conflict", field: "client_msg_id", key: "chat_client_msg_id_taken" } };
    }
    const id = this.ids.next();
    const message: ChatMessageRecord = {
      id,
      roomId: sender.roomId,
      senderId: sender.userId,
      senderName: sender.name,
      message: input.message,
      messageType: input.messageType,
      fileUrl: input.fileUrl,
      clientMsgId: input.clientMsgId,
      createdAt: uuid7Time(id).getTime(),
    };
    this.log.append(message);
    this.requestSync();
    return { ok: true, message, duplicate: false };
  }

  private recordRead(userId: string, messageId: string, from?: WebSocket): ReadOutcome {
    if (!this.log.has(messageId)) return { ok: false };
    const position = this.log.recordRead(userId, messageId, Date.now());
    this.requestSync();
    this.broadcast({ type: "read", user_id: userId, message_id: position }, from);
    return { ok: true, messageId: position };
  }

  // -------------------------------------------------------------------------------------------
  // Sending frames.

  private send(ws: WebSocket, frame: ServerFrame): void {
    try {
      ws.send(JSON.stringify(frame));
    } catch {
      // the socket is closing; its close event cleans up
    }
  }

  private broadcast(frame: ServerFrame, except?: WebSocket): void {
    const text = JSON.stringify(frame);
    for (const ws of this.ctx.getWebSockets()) {
      if (ws === except) continue;
      try {
        ws.send(text);
      } catch {
        // closing socket
      }
    }
  }

  private sendError(ws: WebSocket, session: SocketSession, code: string, key: Parameters<typeof t>[0], clientMsgId?: string | null): void {
    this.send(ws, { type: "error", code, message: t(key, session.lang), ...(clientMsgId !== undefined ? { client_msg_id: clientMsgId } : {}) });
  }

  private closeExpired(ws: WebSocket, session: SocketSession): void {
    this.sendError(ws, session, "token_expired", "token_expired");
    try {
      ws.close(CLOSE.tokenExpired.code, CLOSE.tokenExpired.reason);
    } catch {
      // already closed
    }
  }

  // -------------------------------------------------------------------------------------------
  // RPC for the Worker's REST routes (the Worker has authenticated and authorised the caller).

  /** REST send and attachments: same rules, same durability, same fan-out as a socket message. */
  async sendMessage(caller: RoomCaller, input: SendInput): Promise<SendOutcome> {
    this.bindRoom(caller.roomId);
    const bucket = this.restFlood.get(caller.userId) ?? freshFloodState(Date.now());
    this.restFlood.set(caller.userId, bucket);
    if (takeToken(bucket, Date.now()) !== "allow") {
      return { ok: false, problem: { code: "rate_limited", field: "message", key: "chat_rate_limited" }, retryAfterSeconds: secondsUntilToken(bucket) };
    }
    const outcome = this.accept(caller, input);
    if (outcome.ok && !outcome.duplicate) this.broadcast(toMessageFrame(outcome.message));
    return outcome;
  }

  async markRead(caller: RoomCaller, messageId: string): Promise<ReadOutcome> {
    this.bindRoom(caller.roomId);
    return this.recordRead(caller.userId, messageId);
  }

  /** Messages not yet copied to Postgres, newest first (REST history merges them in). */
  async uncopiedMessages(roomId: string, before: string | null, limit: number): Promise<ChatMessageRecord[]> {
    this.bindRoom(roomId);
    return this.log.pendingBefore(before, limit);
  }

  /** Copies everything pending now (development tools and tests; production relies on the alarm). */
  async syncNow(roomId: string): Promise<RoomStatus> {
    this.bindRoom(roomId);
    this.syncNotBefore = 0;
    await this.sync();
    return this.status(roomId);
  }

  async status(roomId: string): Promise<RoomStatus> {
    this.bindRoom(roomId);
    return { ...this.log.counts(), sockets: this.ctx.getWebSockets().length, syncFailures: this.syncFailures };
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => {
    if (timer !== undefined) clearTimeout(timer);
  });
}
