/** Thin handlers: validated input → service → contract shape. */
import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { pageEnvelope } from "../../lib/pagination";
import { isStaff } from "../users/users.service";
import * as contacts from "./emergency-contacts.service";
import { connectDesk } from "./emergency-desk.service";
import { respondToEmergency } from "./emergency-response.service";
import type * as routes from "./emergency.routes";
import * as emergencies from "./emergency.service";

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>;
const idOf = (c: Context<AppEnv>) => (c.req as unknown as { valid(t: "param"): { id: string } }).valid("param").id;

export const create: Handler<"create"> = async (c) => c.json(await emergencies.raiseEmergency(c.get("services"), c.get("user"), c.req.valid("json")), 201);

export const list: Handler<"list"> = async (c) => {
  const { page, page_size, ...filters } = c.req.valid("query");
  const { rows, count } = await emergencies.listEmergencies(c.get("services"), c.get("user"), filters, { page, page_size });
  return c.json(pageEnvelope(c.req.url, { page, page_size }, count, rows), 200);
};

export const get: Handler<"get"> = async (c) => c.json(await emergencies.getEmergency(c.get("services"), c.get("user"), idOf(c)), 200);

export const updates: Handler<"updates"> = async (c) => c.json(await emergencies.listEmergencyUpdates(c.get("services"), c.get("user"), idOf(c)), 200);

export const respond: Handler<"respond"> = async (c) => c.json(await respondToEmergency(c.get("services"), c.get("user"), idOf(c), c.req.valid("json")), 200);

export const listContacts: Handler<"listContacts"> = async (c) => {
  // Only staff (signed in, by the optional-auth matcher) may ask for inactive entries.
  const staff = c.get("user") ? isStaff(c.get("user")) : false;
  const includeInactive = staff && c.req.valid("query").include === "all";
  const results = await contacts.listContacts(c.get("services"), includeInactive);
  c.header("Cache-Control", includeInactive ? "private, no-store" : "public, max-age=300, stale-while-revalidate=3600");
  return c.json({ results }, 200);
};

export const createContact: Handler<"createContact"> = async (c) => c.json(await contacts.createContact(c.get("services"), c.get("user"), c.req.valid("json")), 201);

export const updateContact: Handler<"putContact"> = async (c) => c.json(await contacts.updateContact(c.get("services"), c.get("user"), idOf(c), c.req.valid("json")), 200);

export const deleteContact: Handler<"deleteContact"> = async (c) => {
  await contacts.deleteContact(c.get("services"), c.get("user"), idOf(c));
  return c.body(null, 204);
};

export const desk: Handler<"desk"> = async (c) => {
  const { token, since } = c.req.valid("query");
  const response = await connectDesk(c.get("services"), {
    upgrade: c.req.header("upgrade"),
    queryToken: token,
    protocolHeader: c.req.header("sec-websocket-protocol"),
    since,
  });
  return response as never;
};
