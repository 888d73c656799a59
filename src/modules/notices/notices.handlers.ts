/** Thin handlers: validated input → service → contract shape (reads with ETag/Cache-Control). */
import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import type { AuthUser } from "../../lib/tokens";
import { pageEnvelope } from "../../lib/pagination";
import { cachedJson } from "./notices.cache";
import { toNoticeDto } from "./notices.mapper";
import type * as routes from "./notices.routes";
import * as notices from "./notices.service";

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>;
const idOf = (c: Context<AppEnv>) => (c.req as unknown as { valid(t: "param"): { id: string } }).valid("param").id;
/** Set only when the request carried a valid token (reads are public). */
const reader = (c: Context<AppEnv>) => c.get("user") as AuthUser | undefined;

export const list: Handler<"list"> = async (c) => {
  const { page, page_size, ...filters } = c.req.valid("query");
  const viewer = reader(c);
  const { rows, count } = await notices.listNotices(c.get("services"), viewer, filters, { page, page_size });
  return (await cachedJson(c, pageEnvelope(c.req.url, { page, page_size }, count, rows.map(toNoticeDto)), !viewer)) as never;
};

export const get: Handler<"get"> = async (c) => {
  const viewer = reader(c);
  const row = await notices.getNotice(c.get("services"), viewer, idOf(c));
  return (await cachedJson(c, toNoticeDto(row), !viewer)) as never;
};

export const create: Handler<"create"> = async (c) => c.json(toNoticeDto(await notices.createNotice(c.get("services"), c.get("user"), c.req.valid("json"))), 201);

export const update: Handler<"put"> = async (c) =>
  c.json(toNoticeDto(await notices.updateNotice(c.get("services"), c.get("user"), idOf(c), c.req.valid("json"))), 200);

export const remove: Handler<"remove"> = async (c) => {
  await notices.deleteNotice(c.get("services"), c.get("user"), idOf(c));
  return c.body(null, 204);
};
