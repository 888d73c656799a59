/**
 * ChatRoom: one Durable Object per conversation (addressed by the room id).
 *
 * - Sockets use the WebSocket Hibernation API: the runtime holds them while the object sleeps, and
 *   who is on each socket lives in the socket's attachment, so it survives hibernation
 *   (socket-sessions.ts). `{"type":"ping"}` is answered by the runtime without waking the object.
 * - Durable before acknowledged: a message is appended to the object's SQLite log, and only then
 *   is it broadcast. The output gate holds those frames until the write is durable, so nobody hears
 *   of a message that a crash could still lose.
 * - Copied before acknowledged: the sender's `ack` (or REST answer) waits for the message's copy to
 *   Postgres — where room lists and unread counts are read — so the inbox shows it at once. Copies
 *   are batched, idempotent by message id (room-sync.ts). If Postgres is down the room keeps working
 *   — its log is all it needs — acks stop waiting for the copy, and the copy catches up.
 * - The Worker authenticates and authorises before anything reaches this object (see
 *   src/modules/chat/room-object.ts); the sender of every message is that authenticated identity.
 *
 * REST routes use the RPC methods at the bottom; the socket path uses fetch + webSocket* handlers.
 */
import { DurableObject } from "cloudflare:workers";
import { t, type MessageKey } from "../src/lib/i18n";
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
import { socketIdentityFrom, type RoomCaller } from "../src/modules/chat/room-object";
import { ChatLog } from "./chat-room-log";
import { freshFloodState, secondsUntilToken, takeToken, type FloodState } from "./flood-control";
import { RoomSync } from "./room-sync";
import { SocketSessions, type SocketSession } from "./socket-sessions";

/** At most this many messages are replayed on connect; more → an `error` frame `replay_truncated`. */
export const REPLAY_LIMIT = 1000;

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

type Sender = Pick<RoomCaller, "roomId" | "userId" | "name" | "origin">;

export class ChatRoom extends DurableObject<Env> {
  private readonly log: ChatLog;
  private readonly ids: MonotonicUuid7;
  private readonly sync: RoomSync;
  private readonly sessions = new SocketSessions();
  /** REST senders' flood buckets (in memory: REST has no socket to keep them on). */
  private readonly restFlood = new Map<string, FloodState>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.log = new ChatLog(ctx.storage.sql);
    this.ids = new MonotonicUuid7(this.log.latestId());
    this.sync = new RoomSync(ctx.storage, env, this.log, () => [...new Set(ctx.getWebSockets().flatMap((ws) => ctx.getTags(ws)))]);
    // Answered by the runtime itself: a ping never wakes a hibernating room.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
    void ctx.blockConcurrencyWhile(() => this.sync.loadAlarm());
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
    };
    this.ctx.acceptWebSocket(server, [identity.userId]);
    this.sessions.attach(server, session);

    // Replay before returning: nothing else runs in between, so no live message can slip between
    // the replay and this socket joining the broadcast.
    if (identity.since) {
      const missed = this.log.after(identity.since, REPLAY_LIMIT + 1);
      for (const m of missed.slice(0, REPLAY_LIMIT)) server.send(JSON.stringify(toMessageFrame(m)));
      if (missed.length > REPLAY_LIMIT) this.sendError(server, session, "replay_truncated", "chat_replay_truncated");
    }
    this.sync.schedule(identity.tokenExp * 1000);
    return new Response(null, { status: 101, webSocket: client });
  }

  // -------------------------------------------------------------------------------------------
  // Socket events.

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const session = this.sessions.get(ws);
    if (!session) return ws.close(1011, "no session");
    const now = Date.now();
    if (session.exp * 1000 <= now) return this.closeExpired(ws, session);

    const verdict = this.sessions.takeToken(ws, now);
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
        if (!outcome.duplicate) this.broadcast(toMessageFrame(outcome.message));
        // The ack follows the copy to Postgres, but this handler does not wait for it: an event
        // handler that awaits lets the runtime start the socket's next frames meanwhile, and not
        // necessarily in the order they arrived — frames must be taken strictly in order.
        const ack: ServerFrame = { type: "ack", client_msg_id: input.clientMsgId, id: outcome.message.id, ...(outcome.duplicate ? { duplicate: true as const } : {}) };
        void this.sync.settle().then(() => this.send(ws, ack));
        return;
      }
      case "typing":
        return this.broadcast({ type: "typing", user_id: session.userId }, ws);
      case "read": {
        // Not awaited, for the same reason as the ack above.
        void this.recordRead(session.userId, frame.message_id, ws).then((outcome) => {
          if (!outcome.ok) this.sendError(ws, session, "not_found", "chat_unknown_message");
        });
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
    const now = Date.now();
    let nextExpiry = Number.POSITIVE_INFINITY;
    for (const ws of this.ctx.getWebSockets()) {
      const session = this.sessions.get(ws);
      if (!session) continue;
      if (session.exp * 1000 <= now) this.closeExpired(ws, session);
      else nextExpiry = Math.min(nextExpiry, session.exp * 1000);
    }
    await this.sync.onAlarm();
    const next = Math.min(this.sync.nextDue() ?? Number.POSITIVE_INFINITY, nextExpiry);
    if (Number.isFinite(next)) this.sync.schedule(next);
  }

  // -------------------------------------------------------------------------------------------
  // The core: accept a message, record a read.

  private bindRoom(roomId: string): void {
    const bound = this.log.roomId;
    if (bound === null) this.log.bindRoom(roomId);
    else if (bound !== roomId) throw new Error(`room object for ${bound} was asked to serve ${roomId}`);
  }

  /** Validates, de-duplicates by client_msg_id, and appends to the log. Does not send anything. */
  private accept(sender: Sender, input: SendInput): SendOutcome {
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
    this.sync.requested();
    return { ok: true, message, duplicate: false };
  }

  /** Stores a read position, copies it (the reader's unread count drops at once), then tells the others. */
  private async recordRead(userId: string, messageId: string, from?: WebSocket): Promise<ReadOutcome> {
    if (!this.log.has(messageId)) return { ok: false };
    const position = this.log.recordRead(userId, messageId, Date.now());
    this.sync.requested();
    await this.sync.settle();
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

  /** To every socket of the room (except `except`), serialised once. */
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

  private sendError(ws: WebSocket, session: SocketSession, code: string, key: MessageKey, clientMsgId?: string | null): void {
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
    if (!outcome.ok) return outcome;
    if (!outcome.duplicate) this.broadcast(toMessageFrame(outcome.message));
    await this.sync.settle();
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
    await this.sync.now();
    return this.status(roomId);
  }

  async status(roomId: string): Promise<RoomStatus> {
    this.bindRoom(roomId);
    return { ...this.log.counts(), sockets: this.ctx.getWebSockets().length, syncFailures: this.sync.failures };
  }
}
