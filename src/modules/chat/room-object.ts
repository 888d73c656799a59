/**
 * How the Worker reaches a room's Durable Object, and the identity it hands over.
 *
 * One object per room, addressed by the room id (`idFromName`). REST paths call its RPC methods;
 * the socket upgrade goes through its `fetch`, carrying who the Worker authenticated in the
 * `x-chat-*` headers below. The object believes those headers because nothing but this Worker can
 * reach it (a Durable Object has no public address, only this binding), and the Worker builds the
 * forwarded request from scratch: a client's own `x-chat-*` headers never get through.
 */
import type { ChatRoom } from "../../../durable-objects/chat-room";
import type { UserType } from "../../lib/enums";
import type { Lang } from "../../lib/i18n";

/** Who is acting in a room, as established by the Worker. */
export interface RoomCaller {
  roomId: string;
  userId: string;
  name: string;
  userType: UserType;
  /** Public origin for attachment URLs (PUBLIC_BASE_URL or the request's origin). */
  origin: string;
  lang: Lang;
}

export interface SocketIdentity extends RoomCaller {
  /** The access token's `exp` (seconds): the socket is closed with 4001 when it passes. */
  tokenExp: number;
  /** Replay messages after this id on connect. */
  since: string | null;
}

export function roomObject(env: Env, roomId: string): DurableObjectStub<ChatRoom> {
  return env.CHAT_ROOM.get(env.CHAT_ROOM.idFromName(roomId));
}

const H = {
  room: "x-chat-room-id",
  user: "x-chat-user-id",
  name: "x-chat-user-name",
  type: "x-chat-user-type",
  origin: "x-chat-origin",
  lang: "x-chat-lang",
  exp: "x-chat-token-exp",
  since: "x-chat-since",
} as const;

/** The request the Worker forwards to the room for an authorised upgrade. */
export function socketRequest(identity: SocketIdentity): Request {
  const headers = new Headers({
    upgrade: "websocket",
    [H.room]: identity.roomId,
    [H.user]: identity.userId,
    // Header values are bytes: names in Bengali travel percent-encoded.
    [H.name]: encodeURIComponent(identity.name),
    [H.type]: identity.userType,
    [H.origin]: identity.origin,
    [H.lang]: identity.lang,
    [H.exp]: String(identity.tokenExp),
  });
  if (identity.since) headers.set(H.since, identity.since);
  return new Request(`https://chat-room.internal/rooms/${identity.roomId}/socket`, { headers });
}

/** Reads the identity back inside the object; null if the request did not come from `socketRequest`. */
export function socketIdentityFrom(headers: Headers): SocketIdentity | null {
  const get = (name: string) => headers.get(name);
  const roomId = get(H.room);
  const userId = get(H.user);
  const name = get(H.name);
  const userType = get(H.type);
  const origin = get(H.origin);
  const lang = get(H.lang);
  const exp = get(H.exp);
  if (!roomId || !userId || name === null || !userType || !origin || !exp || !Number.isFinite(Number(exp))) return null;
  return {
    roomId,
    userId,
    name: decodeURIComponent(name),
    userType: userType as UserType,
    origin,
    lang: lang === "bn" ? "bn" : "en",
    tokenExp: Number(exp),
    since: get(H.since),
  };
}
