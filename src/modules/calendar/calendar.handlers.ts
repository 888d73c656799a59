/** Thin handlers: validated input → service → contract shape (reads with ETag/Cache-Control). */
import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { cachedBody, cachedJson } from "../../lib/http-cache";
import { pageEnvelope } from "../../lib/pagination";
import type { AuthUser } from "../../lib/tokens";
import { renderCalendar } from "./calendar.ical";
import { toEventDto } from "./calendar.mapper";
import type * as routes from "./calendar.routes";
import * as calendar from "./calendar.service";

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>;
const idOf = (c: Context<AppEnv>) => (c.req as unknown as { valid(t: "param"): { id: string } }).valid("param").id;
const reader = (c: Context<AppEnv>) => c.get("user") as AuthUser | undefined;

export const list: Handler<"list"> = async (c) => {
  const { page, page_size, ...filters } = c.req.valid("query");
  const viewer = reader(c);
  const { rows, count } = await calendar.listEvents(c.get("services"), viewer, filters, { page, page_size });
  return (await cachedJson(c, pageEnvelope(c.req.url, { page, page_size }, count, rows.map(toEventDto)), !viewer)) as never;
};

export const feed: Handler<"feed"> = async (c) => {
  const rows = await calendar.feedEvents(c.get("services"), c.req.valid("query"));
  return (await cachedBody(c, renderCalendar(rows), "text/calendar; charset=utf-8", true)) as never;
};

export const get: Handler<"get"> = async (c) => {
  const viewer = reader(c);
  return (await cachedJson(c, toEventDto(await calendar.getEvent(c.get("services"), viewer, idOf(c))), !viewer)) as never;
};

export const create: Handler<"create"> = async (c) => c.json(toEventDto(await calendar.createEvent(c.get("services"), c.get("user"), c.req.valid("json"))), 201);

export const update: Handler<"put"> = async (c) =>
  c.json(toEventDto(await calendar.updateEvent(c.get("services"), c.get("user"), idOf(c), c.req.valid("json"))), 200);

export const remove: Handler<"remove"> = async (c) => {
  await calendar.deleteEvent(c.get("services"), c.get("user"), idOf(c));
  return c.body(null, 204);
};

export const join: Handler<"join"> = async (c) => c.json(await calendar.setParticipation(c.get("services"), c.get("user"), idOf(c), true), 200);
export const leave: Handler<"leave"> = async (c) => c.json(await calendar.setParticipation(c.get("services"), c.get("user"), idOf(c), false), 200);
