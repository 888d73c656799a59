/** Thin handlers: validated input → service → response shape. */
import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { currentAccount } from "../../middleware/auth";
import { t } from "../../lib/i18n";
import { publicOrigin } from "../../lib/request";
import { toUserDto } from "../users/users.schemas";
import type * as routes from "./auth.routes";
import * as auth from "./auth.service";
import { endSession, rotateSession } from "./sessions.service";

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>;

export const register: Handler<"register"> = async (c) => {
  const user = await auth.register(c.get("services"), c.req.valid("json"));
  return c.json({ message: t("registered", c.get("lang")), user_id: user.id, phone: user.phone }, 201);
};

export const verifyOtp: Handler<"verifyOtp"> = async (c) => {
  const body = c.req.valid("json");
  const { user, tokens } = await auth.verifyOtpAndSignIn(c.get("services"), body.phone, body.purpose, (body.otp_code ?? body.code)!);
  return c.json(
    { message: t("verified", c.get("lang")), access_token: tokens.access, refresh_token: tokens.refresh, user: toUserDto(user, publicOrigin(c)) },
    200,
  );
};

export const resendOtp: Handler<"resendOtp"> = async (c) => {
  const { phone, purpose } = c.req.valid("json");
  await auth.resendOtp(c.get("services"), phone, purpose);
  return c.json({ message: t("otp_sent", c.get("lang")) }, 200);
};

export const login: Handler<"login"> = async (c) => {
  const { phone, password } = c.req.valid("json");
  const { user, tokens } = await auth.login(c.get("services"), phone, password);
  return c.json({ access_token: tokens.access, refresh_token: tokens.refresh, user: toUserDto(user, publicOrigin(c)) }, 200);
};

export const refresh: Handler<"refresh"> = async (c) => {
  const body = c.req.valid("json");
  const pair = await rotateSession(c.get("services"), (body.refresh ?? body.refresh_token)!);
  return c.json({ access: pair.access, refresh: pair.refresh }, 200);
};

export const logout: Handler<"logout"> = async (c) => {
  const body = c.req.valid("json");
  await endSession(c.get("services"), (body.refresh_token ?? body.refresh)!);
  return c.json({ message: t("logged_out", c.get("lang")) }, 200);
};

export const me: Handler<"me"> = async (c) => c.json(toUserDto(await currentAccount(c), publicOrigin(c)), 200);

export const changePassword: Handler<"changePassword"> = async (c) => {
  const { old_password, new_password } = c.req.valid("json");
  const pair = await auth.changePassword(c.get("services"), await currentAccount(c), old_password, new_password);
  return c.json({ message: t("password_changed", c.get("lang")), access_token: pair.access, refresh_token: pair.refresh }, 200);
};

export const passwordResetRequest: Handler<"passwordResetRequest"> = async (c) => {
  await auth.requestPasswordReset(c.get("services"), c.req.valid("json").phone);
  return c.json({ message: t("password_reset_requested", c.get("lang")) }, 202);
};

export const passwordResetConfirm: Handler<"passwordResetConfirm"> = async (c) => {
  const { phone, otp_code, new_password } = c.req.valid("json");
  await auth.confirmPasswordReset(c.get("services"), phone, otp_code, new_password);
  return c.json({ message: t("password_reset_done", c.get("lang")) }, 200);
};
