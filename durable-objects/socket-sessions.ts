/**
 * Who is on each socket of a room. The identity lives in the socket's attachment (serialised with
 * the socket by the runtime), so it survives hibernation; reading it back costs a deserialisation,
 * so it is cached per socket for as long as the object stays awake.
 *
 * Flood-control state is kept in memory only: an object hibernates after ~10 s without events, by
 * which time a socket's bucket is full again anyway, so persisting it on every frame would cost a
 * serialisation per message for nothing. (A flooder that goes quiet long enough for the room to
 * hibernate starts again with a clean record — it did stop flooding.)
 */
import type { Lang } from "../src/lib/i18n";
import type { UserType } from "../src/lib/enums";
import { freshFloodState, takeToken, type FloodVerdict, type FloodState } from "./flood-control";

export interface SocketSession {
  userId: string;
  name: string;
  userType: UserType;
  /** Access token expiry, seconds since the epoch: the socket is closed with 4001 after it. */
  exp: number;
  lang: Lang;
  /** Public origin, for checking attachment URLs. */
  origin: string;
}

export class SocketSessions {
  private readonly sessions = new WeakMap<WebSocket, SocketSession>();
  private readonly flood = new WeakMap<WebSocket, FloodState>();

  attach(ws: WebSocket, session: SocketSession): void {
    ws.serializeAttachment(session);
    this.sessions.set(ws, session);
  }

  get(ws: WebSocket): SocketSession | null {
    let session = this.sessions.get(ws);
    if (!session) {
      session = (ws.deserializeAttachment() as SocketSession | null) ?? undefined;
      if (session) this.sessions.set(ws, session);
    }
    return session ?? null;
  }

  /** Spends a flood-control token for a frame from `ws`. */
  takeToken(ws: WebSocket, now: number): FloodVerdict {
    let state = this.flood.get(ws);
    if (!state) {
      state = freshFloodState(now);
      this.flood.set(ws, state);
    }
    return takeToken(state, now);
  }
}
