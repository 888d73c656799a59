/**
 * `GET /ws/chat/{room_id}`: everything is decided here, in the Worker, before the upgrade: the token
 * (query `?token=` or `Sec-WebSocket-Protocol`), the user, and the room. Only then is the request
 * handed to the room's Durable Object, with the identity the Worker established.
 */
import type { ServiceContext } from "../../context";
import { ApiError } from "../../lib/errors";
import type { Lang } from "../../lib/i18n";
import { UUID_PATTERN } from "../../lib/uuid7";
import { authenticateAccessToken } from "../../middleware/auth";
import { roomObject, socketRequest } from "./room-object";
import { addMembers, findAccessibleRoom } from "./rooms.service";

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/**
 * The token from `Sec-WebSocket-Protocol`. Browsers cannot set headers on a WebSocket, but they can
 * offer subprotocols: `new WebSocket(url, ["bearer", token])`. The server must then answer with one
 * of the offered values, so we answer `bearer` (or the token itself when it was offered alone).
 */
export function tokenFromProtocols(header: string | undefined): { token: string; answer: string } | null {
  if (!header) return null;
  const offered = header.split(",").map((p) => p.trim()).filter(Boolean);
  const bearer = offered.findIndex((p) => p.toLowerCase() === "bearer");
  const afterBearer = bearer >= 0 ? offered[bearer + 1] : undefined;
  if (afterBearer && JWT_SHAPE.test(afterBearer)) return { token: afterBearer, answer: offered[bearer]! };
  const bare = offered.find((p) => JWT_SHAPE.test(p));
  return bare ? { token: bare, answer: bare } : null;
}

export interface SocketConnect {
  roomId: string;
  upgrade: string | undefined;
  queryToken: string | undefined;
  protocolHeader: string | undefined;
  since: string | undefined;
  origin: string;
  lang: Lang;
}

export async function connectSocket(services: ServiceContext, req: SocketConnect): Promise<Response> {
  if (req.upgrade?.toLowerCase() !== "websocket") throw new ApiError("upgrade_required");
  const fromProtocol = tokenFromProtocols(req.protocolHeader);
  const token = req.queryToken || fromProtocol?.token;
  if (!token) throw new ApiError("unauthorized");
  const { user, account, claims } = await authenticateAccessToken(services, token);
  if (req.since !== undefined && !UUID_PATTERN.test(req.since)) {
    throw new ApiError("validation_error", "validation_error", { since: ["Must be a message id (UUID)."] });
  }
  // Not a member (or no such room): 403 before any socket exists, as the contract says.
  const room = UUID_PATTERN.test(req.roomId) ? await findAccessibleRoom(services, user, req.roomId) : null;
  if (!room) throw new ApiError("forbidden");
  if (!room.isMember) await addMembers(services, room.id, [user.id]); // staff joining a room

  const answer = await roomObject(services.env, room.id).fetch(
    socketRequest({
      roomId: room.id,
      userId: user.id,
      name: (await services.flushAuthentication().then(() => account)).name,
      userType: user.userType,
      origin: req.origin,
      lang: req.lang,
      tokenExp: claims.exp,
      since: req.since ?? null,
    }),
  );
  if (answer.status !== 101 || !answer.webSocket) {
    console.error(JSON.stringify({ level: "error", msg: "chat room refused an authorised upgrade", room_id: room.id, status: answer.status }));
    throw new ApiError("internal_error");
  }
  // A fresh response (the one from the object has immutable headers; middleware adds some).
  const headers = new Headers();
  if (fromProtocol) headers.set("sec-websocket-protocol", fromProtocol.answer);
  return new Response(null, { status: 101, webSocket: answer.webSocket, headers });
}
