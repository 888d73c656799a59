import { createRoute, z } from "@hono/zod-openapi";
import { CHAT_ROOM_TYPES } from "../../db/schema";
import { errorResponses, jsonBody, jsonContent } from "../../lib/openapi";
import { pageEnvelopeSchema, paginationQuery } from "../../lib/pagination";
import { uuidParam } from "../../lib/schemas";
import { chatMessageSchema, chatRoomSchema, createRoomBody, historyPageSchema, historyQuery, readBody, readReceiptSchema, sendMessageBody } from "./chat.schemas";

const tags = ["Chat"];
const security = [{ bearerAuth: [] }];
const binary = z.any().openapi({ type: "string", format: "binary" });

export const createRoom = createRoute({
  method: "post",
  path: "/chat/rooms",
  tags,
  security,
  summary: "Open a room: support, or attached to a complaint (idempotent per complaint)",
  description:
    "A citizen may open a complaint room for their own complaint only; staff for any. Opening a complaint's room again returns the same room (200).",
  request: jsonBody(createRoomBody),
  responses: {
    201: jsonContent(chatRoomSchema, "Room opened"),
    200: jsonContent(chatRoomSchema, "The complaint's existing room"),
    ...errorResponses(400, 401, 404),
  },
});

export const listRooms = createRoute({
  method: "get",
  path: "/chat/rooms",
  tags,
  security,
  summary: "Rooms you are in (staff: also every support room), with last message and unread count",
  request: { query: paginationQuery.extend({ type: z.enum(CHAT_ROOM_TYPES).optional() }) },
  responses: { 200: jsonContent(pageEnvelopeSchema(chatRoomSchema).openapi("ChatRoomPage"), "Most recently active first"), ...errorResponses(400, 401) },
});

export const getRoom = createRoute({
  method: "get",
  path: "/chat/rooms/{id}",
  tags,
  security,
  summary: "One room",
  request: { params: uuidParam() },
  responses: { 200: jsonContent(chatRoomSchema, "Room"), ...errorResponses(401, 404) },
});

export const history = createRoute({
  method: "get",
  path: "/chat/rooms/{id}/messages",
  tags,
  security,
  summary: "History, newest first (cursor: before=<message id>)",
  description: "Includes messages the room has acknowledged but not yet copied to the database.",
  request: { params: uuidParam(), query: historyQuery },
  responses: { 200: jsonContent(historyPageSchema, "A page of messages"), ...errorResponses(400, 401, 404) },
});

export const sendMessage = createRoute({
  method: "post",
  path: "/chat/rooms/{id}/messages",
  tags,
  security,
  summary: "Send a message (same rules and fan-out as the socket)",
  request: { params: uuidParam(), ...jsonBody(sendMessageBody) },
  responses: {
    201: jsonContent(chatMessageSchema, "Stored and delivered"),
    200: jsonContent(chatMessageSchema, "A resend: the message already stored under this client_msg_id"),
    ...errorResponses(400, 401, 404, 409, 413, 429),
  },
});

export const markRead = createRoute({
  method: "post",
  path: "/chat/rooms/{id}/read",
  tags,
  security,
  summary: "Read receipt: everything up to this message is read",
  description: "The read position only moves forward; the answer carries the position now stored.",
  request: { params: uuidParam(), ...jsonBody(readBody) },
  responses: { 200: jsonContent(readReceiptSchema, "Read position"), ...errorResponses(400, 401, 404) },
});

export const uploadAttachment = createRoute({
  method: "post",
  path: "/chat/rooms/{id}/attachments",
  tags,
  security,
  summary: "Send a file: an image (JPEG/PNG/WebP) or a document (PDF/DOCX/XLSX), ≤ 10 MB, recognised by content",
  request: {
    params: uuidParam(),
    body: {
      required: true,
      content: {
        "multipart/form-data": {
          schema: z.object({
            file: binary,
            message: z.string().max(4000).optional().openapi({ description: "Caption (default: the file name)" }),
            client_msg_id: z.string().max(64).optional(),
          }),
        },
      },
    },
  },
  responses: {
    201: jsonContent(chatMessageSchema, "The message carrying the file"),
    200: jsonContent(chatMessageSchema, "A resend: the message already stored under this client_msg_id"),
    ...errorResponses(400, 401, 404, 409, 413, 415, 429),
  },
});

export const getAttachment = createRoute({
  method: "get",
  path: "/chat/rooms/{id}/attachments/{file}",
  tags,
  security,
  summary: "An attachment's bytes (room members and staff only)",
  request: {
    params: z.object({
      id: z.string().uuid().openapi({ param: { name: "id", in: "path" } }),
      file: z.string().regex(/^[0-9a-f-]{36}\.(jpg|png|webp|pdf|docx|xlsx)$/).openapi({ param: { name: "file", in: "path" } }),
    }),
  },
  responses: { 200: { description: "File bytes", content: { "application/octet-stream": { schema: binary } } }, ...errorResponses(401, 404) },
});

export const socket = createRoute({
  method: "get",
  path: "/ws/chat/{room_id}",
  tags,
  summary: "WebSocket: live room (upgrade)",
  description: [
    "Authenticate with `?token=<access token>` or `Sec-WebSocket-Protocol: bearer, <access token>` (answered with `bearer`).",
    "Refused before the upgrade: 401 without a valid token, 403 for a room you may not join. `?since=<message id>` replays what you missed.",
    "Client frames: `message`, `typing`, `read`, `ping`. Server frames: `message`, `ack`, `typing`, `read`, `pong`, `error`.",
    "Close codes: 4001 token expired (refresh, reconnect with `since`), 1008 flooding. Full protocol: docs/chat.md.",
  ].join(" "),
  request: {
    params: uuidParam("room_id"),
    query: z.object({ token: z.string().optional(), since: z.string().optional() }),
  },
  responses: { 101: { description: "Switching protocols" }, ...errorResponses(400, 401, 403) },
});
