/**
 * Chat test helpers: rooms, and a socket client that connects through the
 * worker's fetch entry exactly like an app would (upgrade, token in the query or subprotocol).
 */
import { env, runInDurableObject, SELF } from "cloudflare:test";
import { api, BASE } from "./http";

export async function openSupportRoom(token: string, title = "Help"): Promise<string> {
  const res = await api("/api/v1/chat/rooms", { token, body: { type: "support", title } });
  if (res.status !== 201) throw new Error(`open room failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

export type Frame = Record<string, any> & { type: string };

export interface TestSocket {
  ws: WebSocket;
  frames: Frame[];
  /** The next frame (of `type`, if given) not yet taken; waits up to `timeoutMs`. */
  next(type?: string, timeoutMs?: number): Promise<Frame>;
  /** Takes `n` frames of `type`, in arrival order. */
  take(type: string, n: number, timeoutMs?: number): Promise<Frame[]>;
  /** Resolves when no frame of `type` arrives within `ms` (returns those that did). */
  quiet(type: string, ms?: number): Promise<Frame[]>;
  sendJson(frame: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
  close(): void;
}

export interface ConnectResult {
  status: number;
  body: any;
  socket?: TestSocket;
  protocol: string | null;
}

export interface SocketAuth {
  token?: string;
  protocols?: string[];
  since?: string;
  headers?: Record<string, string>;
}

/** Tries to open a room's socket; `status` is 101 on success, else the refusal's status and body. */
export function connect(roomId: string, auth: SocketAuth = {}): Promise<ConnectResult> {
  return connectSocketAt(`/ws/chat/${roomId}`, auth);
}

/** Opens a WebSocket at `path` through the worker (chat rooms, the emergency desk). */
export async function connectSocketAt(path: string, auth: SocketAuth = {}): Promise<ConnectResult> {
  const url = new URL(`${BASE}${path}`);
  if (auth.token) url.searchParams.set("token", auth.token);
  if (auth.since) url.searchParams.set("since", auth.since);
  const headers: Record<string, string> = { upgrade: "websocket", ...auth.headers };
  if (auth.protocols) headers["sec-websocket-protocol"] = auth.protocols.join(", ");
  const res = await SELF.fetch(url.toString(), { headers });
  const protocol = res.headers.get("sec-websocket-protocol");
  if (res.status !== 101 || !res.webSocket) {
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body, protocol };
  }
  return { status: 101, body: null, socket: wrap(res.webSocket), protocol };
}

export async function mustConnect(roomId: string, token: string, since?: string): Promise<TestSocket> {
  const result = await connect(roomId, { token, since });
  if (!result.socket) throw new Error(`socket refused: ${result.status} ${JSON.stringify(result.body)}`);
  return result.socket;
}

function wrap(ws: WebSocket): TestSocket {
  ws.accept();
  const frames: Frame[] = [];
  let taken = 0;
  const waiters = new Set<() => void>();
  const notify = () => waiters.forEach((w) => w());
  let resolveClosed!: (v: { code: number; reason: string }) => void;
  const closed = new Promise<{ code: number; reason: string }>((r) => (resolveClosed = r));
  ws.addEventListener("message", (event) => {
    frames.push(JSON.parse(event.data as string));
    notify();
  });
  ws.addEventListener("close", (event) => {
    resolveClosed({ code: event.code, reason: event.reason });
    notify();
  });
  const pending: Frame[] = [];
  // `pending` holds frames skipped by a typed `next` so that a later call still sees them.
  const pull = (type?: string): Frame | undefined => {
    const i = pending.findIndex((f) => !type || f.type === type);
    if (i >= 0) return pending.splice(i, 1)[0];
    while (taken < frames.length) {
      const f = frames[taken++]!;
      if (!type || f.type === type) return f;
      pending.push(f);
    }
    return undefined;
  };
  const next = (type?: string, timeoutMs = 5000) =>
    new Promise<Frame>((resolve, reject) => {
      const hit = pull(type);
      if (hit) return resolve(hit);
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${type ?? "frame"} within ${timeoutMs} ms; seen: ${JSON.stringify(frames.slice(-5))}`));
      }, timeoutMs);
      const check = () => {
        const f = pull(type);
        if (f) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(f);
        }
      };
      waiters.add(check);
    });
  return {
    ws,
    frames,
    next,
    async take(type, n, timeoutMs = 5000) {
      const out: Frame[] = [];
      for (let i = 0; i < n; i++) out.push(await next(type, timeoutMs));
      return out;
    },
    async quiet(type, ms = 300) {
      await new Promise((r) => setTimeout(r, ms));
      const out: Frame[] = [];
      for (let f = pull(type); f; f = pull(type)) out.push(f);
      return out;
    },
    sendJson: (frame) => ws.send(JSON.stringify(frame)),
    closed,
    close: () => {
      try {
        ws.close(1000, "bye");
      } catch {
        // already closed
      }
    },
  };
}

/**
 * Sends a message and waits for its ack, as a client that keeps its own messages in typing order
 * does (see docs/chat.md, "Order"): frames sent back to back without waiting are ordered by the
 * room as they reach it.
 */
export async function sendAndAck(socket: TestSocket, message: string, clientMsgId: string): Promise<Frame> {
  socket.sendJson({ type: "message", message, client_msg_id: clientMsgId });
  const ack = await socket.next("ack");
  if (ack.client_msg_id !== clientMsgId) throw new Error(`ack for ${ack.client_msg_id}, expected ${clientMsgId}`);
  return ack;
}

/** The room's Durable Object stub (for runInDurableObject / runDurableObjectAlarm). */
export function roomStub(roomId: string) {
  return env.CHAT_ROOM.get(env.CHAT_ROOM.idFromName(roomId));
}

/** Resets the room's object the hard way (its in-memory state and sockets are gone; storage stays), as an eviction, a deploy or a crash does. */
export async function evictRoom(roomId: string): Promise<void> {
  await runInDurableObject(roomStub(roomId), (_: unknown, state) => state.abort("evicted by the test")).catch(() => undefined);
}

/** Polls `check` until it returns a value other than undefined. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
