/** Thin handlers: validated input → service → contract shape. */
import type { RouteHandler } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import type { AppEnv } from "../../app-env";
import type * as routes from "./notifications.routes";
import * as inbox from "./notifications.service";

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>;

export const list: Handler<"list"> = async (c) => c.json(await inbox.listInbox(c.get("services"), c.get("user").id, c.req.valid("query")), 200);
export const unreadCount: Handler<"unreadCount"> = async (c) => c.json(await inbox.unreadCount(c.get("services"), c.get("user").id), 200);
export const readAll: Handler<"readAll"> = async (c) => c.json(await inbox.markAllRead(c.get("services"), c.get("user").id), 200);
export const read: Handler<"read"> = async (c) => c.json(await inbox.markRead(c.get("services"), c.get("user").id, (c.req.valid("param") as { id: string }).id), 200);

export const registerDevice: Handler<"registerDevice"> = async (c) => {
  const { device, created } = await inbox.registerDevice(c.get("services"), c.get("user").id, c.req.valid("json"));
  return c.json(device, created ? 201 : 200);
};

export const removeDevice: Handler<"removeDevice"> = async (c) => {
  await inbox.removeDevice(c.get("services"), c.get("user").id, c.req.valid("param").token);
  return c.body(null, 204);
};

export const getPreferences: Handler<"getPreferences"> = async (c) => c.json(await inbox.getPreferences(c.get("services"), c.get("user").id), 200);
export const putPreferences: Handler<"putPreferences"> = async (c) => c.json(await inbox.updatePreferences(c.get("services"), c.get("user").id, c.req.valid("json")), 200);

export const devPush: Handler<"devPush"> = async (c) => {
  const { rows } = await c.get("services").db.execute<{ notification_id: string; token: string; status: string; provider_id: string | null; error: string | null; title: string; body: string; created_at: string | Date }>(sql`
    select d.notification_id, d.address as token, d.status, d.provider_id, d.error, n.title, n.body, d.created_at
    from notification_deliveries d join notifications n on n.id = d.notification_id
    where n.user_id = ${c.req.valid("query").user_id} and d.channel = 'push'
    order by d.created_at desc limit 200`);
  return c.json({ results: rows.map((r) => ({ ...r, created_at: new Date(r.created_at).toISOString() })) }, 200);
};
