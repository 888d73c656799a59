import type { Context } from "hono";
import type { AppEnv } from "../app-env";

/** The origin clients reach us at, for absolute links (media URLs, pagination). */
export function publicOrigin(c: Context<AppEnv>): string {
  return c.get("services").config.PUBLIC_BASE_URL?.replace(/\/+$/, "") ?? new URL(c.req.url).origin;
}
