import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { currentAccount } from "../../middleware/auth";
import { pageEnvelope } from "../../lib/pagination";
import { publicOrigin } from "../../lib/request";
import { toChatMessageDto } from "./chat.schemas";
import type * as routes from "./chat.routes";
import * as messagesService from "./messages.service";
import * as roomsService from "./rooms.service";
import { connectSocket } from "./socket.service";

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>;

const actor = (c: Context<AppEnv>): messagesService.Actor => ({ user: c.get("user"), account: () => currentAccount(c), origin: publicOrigin(c), lang: c.get("lang") });
const roomId = (c: Context<AppEnv>) => c.req.param("id")!;

export const createRoom: Handler<"createRoom"> = async (c) => {
  const services = c.get("services");
  const { roomId: id, created } = await roomsService.createRoom(services, c.get("user"), c.req.valid("json"));
  return c.json(await roomsService.getRoom(services, c.get("user"), id), created ? 201 : 200);
};

export const listRooms: Handler<"listRooms"> = async (c) => {
  const { page, page_size, type } = c.req.valid("query");
  const { rows, count } = await roomsService.listRooms(c.get("services"), c.get("user"), { type }, { page, page_size });
  return c.json(pageEnvelope(c.req.url, { page, page_size }, count, rows), 200);
};

export const getRoom: Handler<"getRoom"> = async (c) => c.json(await roomsService.getRoom(c.get("services"), c.get("user"), roomId(c)), 200);

export const history: Handler<"history"> = async (c) => {
  const query = c.req.valid("query");
  const page = await messagesService.history(c.get("services"), c.get("user"), roomId(c), query);
  let next: string | null = null;
  if (page.nextBefore) {
    const url = new URL(c.req.url);
    url.searchParams.set("before", page.nextBefore);
    url.searchParams.set("limit", String(query.limit));
    next = url.toString();
  }
  return c.json({ results: page.results.map(toChatMessageDto), next, next_before: page.nextBefore }, 200);
};

export const sendMessage: Handler<"sendMessage"> = async (c) => {
  const body = c.req.valid("json");
  const { message, duplicate } = await messagesService.sendMessage(c.get("services"), actor(c), roomId(c), {
    message: body.message,
    messageType: body.message_type,
    fileUrl: body.file_url ?? null,
    clientMsgId: body.client_msg_id ?? null,
  });
  return c.json(toChatMessageDto(message), duplicate ? 200 : 201);
};

export const markRead: Handler<"markRead"> = async (c) => {
  const id = roomId(c);
  const position = await messagesService.markRead(c.get("services"), actor(c), id, c.req.valid("json").message_id);
  return c.json({ room_id: id, user_id: c.get("user").id, last_read_message_id: position }, 200);
};

export const uploadAttachment: Handler<"uploadAttachment"> = async (c) => {
  const form = c.req.valid("form") as { file?: unknown; message?: string; client_msg_id?: string };
  const { message, duplicate } = await messagesService.uploadAttachment(c.get("services"), actor(c), roomId(c), {
    file: form.file,
    caption: form.message || undefined,
    clientMsgId: form.client_msg_id || null,
  });
  return c.json(toChatMessageDto(message), duplicate ? 200 : 201);
};

export const getAttachment: Handler<"getAttachment"> = async (c) => {
  const { id, file } = c.req.valid("param");
  return (await messagesService.streamAttachment(c.get("services"), c.get("user"), id, file)) as any;
};

export const socket: Handler<"socket"> = async (c) => {
  const { token, since } = c.req.valid("query");
  const response = await connectSocket(c.get("services"), {
    roomId: c.req.valid("param").room_id,
    upgrade: c.req.header("upgrade"),
    queryToken: token,
    protocolHeader: c.req.header("sec-websocket-protocol"),
    since,
    origin: publicOrigin(c),
    lang: c.get("lang"),
  });
  return response as any;
};
