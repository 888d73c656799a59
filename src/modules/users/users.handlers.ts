import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { currentAccount } from "../../middleware/auth";
import { t } from "../../lib/i18n";
import { pageEnvelope } from "../../lib/pagination";
import { publicOrigin } from "../../lib/request";
import { streamObject } from "../../providers/storage";
import type * as routes from "./users.routes";
import { toUserDto } from "./users.schemas";
import * as usersService from "./users.service";

type RouteDefs = Omit<typeof routes, "ProfileUpdate" | "AdminUserUpdate">;
type Handler<R extends keyof RouteDefs> = RouteHandler<RouteDefs[R], AppEnv>;

export const getProfile: Handler<"getProfile"> = async (c) => c.json(toUserDto(await currentAccount(c), publicOrigin(c)), 200);

export const updateProfile: Handler<"putProfile"> = async (c) => {
  const user = await usersService.updateOwnProfile(c.get("services"), await currentAccount(c), c.req.valid("json"));
  return c.json(toUserDto(user, publicOrigin(c)), 200);
};

export const uploadAvatar: Handler<"uploadAvatar"> = async (c) => {
  const { avatar } = c.req.valid("form");
  const user = await usersService.setAvatar(c.get("services"), await currentAccount(c), avatar);
  return c.json(toUserDto(user, publicOrigin(c)), 200);
};

export const listUsers: Handler<"listUsers"> = async (c) => {
  const { page, page_size, ...filters } = c.req.valid("query");
  const { rows, count } = await usersService.listUsers(c.get("services"), c.get("user"), filters, { page, page_size });
  const origin = publicOrigin(c);
  return c.json(pageEnvelope(c.req.url, { page, page_size }, count, rows.map((u) => toUserDto(u, origin))), 200);
};

export const getUser: Handler<"getUser"> = async (c) => {
  const user = await usersService.getVisibleUser(c.get("services"), c.get("user"), (c.req.valid("param") as { id: string }).id);
  return c.json(toUserDto(user, publicOrigin(c)), 200);
};

export const updateUser: Handler<"updateUser"> = async (c) => {
  const user = await usersService.updateUser(c.get("services"), c.get("user"), (c.req.valid("param") as { id: string }).id, c.req.valid("json"));
  return c.json(toUserDto(user, publicOrigin(c)), 200);
};

export const deactivateUser: Handler<"deactivateUser"> = async (c) => {
  await usersService.deactivateUser(c.get("services"), c.get("user"), (c.req.valid("param") as { id: string }).id);
  return c.json({ message: t("user_deactivated", c.get("lang")) }, 200);
};

export const getMedia: Handler<"getMedia"> = async (c) =>
  streamObject(c.env.MEDIA, `avatars/${c.req.valid("param").file}`, "public, max-age=31536000, immutable") as any;
