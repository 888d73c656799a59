import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { t } from "../../lib/i18n";
import { pageEnvelope } from "../../lib/pagination";
import { publicOrigin } from "../../lib/request";
import { toUserDto } from "../users/users.schemas";
import { listActivity } from "./activity-log.service";
import type * as routes from "./admin-users.routes";
import * as staff from "./admin-users.service";

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>;

const toDto = (record: staff.StaffRecord, origin: string) => ({ ...toUserDto(record.user, origin), permissions: record.permissions });
const idOf = (c: { req: { valid(target: "param"): unknown } }) => (c.req.valid("param") as { id: string }).id;

export const listStaff: Handler<"listStaff"> = async (c) => {
  const { page, page_size, ...filters } = c.req.valid("query");
  const { rows, count } = await staff.listStaff(c.get("services"), filters, { page, page_size });
  const origin = publicOrigin(c);
  return c.json(pageEnvelope(c.req.url, { page, page_size }, count, rows.map((r) => toDto(r, origin))), 200);
};

export const createStaff: Handler<"createStaff"> = async (c) =>
  c.json(toDto(await staff.createStaff(c.get("services"), c.get("user"), c.req.valid("json")), publicOrigin(c)), 201);

export const getStaff: Handler<"getStaff"> = async (c) => c.json(toDto(await staff.getStaff(c.get("services"), idOf(c)), publicOrigin(c)), 200);

export const updateStaff: Handler<"updateStaff"> = async (c) =>
  c.json(toDto(await staff.updateStaff(c.get("services"), c.get("user"), idOf(c), c.req.valid("json")), publicOrigin(c)), 200);

export const deactivateStaff: Handler<"deactivateStaff"> = async (c) => {
  await staff.updateStaff(c.get("services"), c.get("user"), idOf(c), { is_active: false });
  return c.json({ message: t("user_deactivated", c.get("lang")) }, 200);
};

export const getPermissions: Handler<"getPermissions"> = async (c) => c.json((await staff.getStaff(c.get("services"), idOf(c))).permissions, 200);

export const putPermissions: Handler<"putPermissions"> = async (c) =>
  c.json(await staff.replacePermissions(c.get("services"), c.get("user"), idOf(c), c.req.valid("json")), 200);

export const staffActivity: Handler<"staffActivity"> = async (c) => {
  const id = idOf(c);
  await staff.getStaff(c.get("services"), id); // 404 for an account that is not staff
  return c.json(await listActivity(c.get("services"), { ...c.req.valid("query") }, id), 200);
};

export const activityLog: Handler<"activityLog"> = async (c) => c.json(await listActivity(c.get("services"), c.req.valid("query")), 200);
