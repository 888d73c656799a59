import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../app-env";
import { ApiError } from "../lib/errors";

/** Development-only routes (contract §1) answer 404 unless the worker runs with ENVIRONMENT=development. */
export const developmentOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("services").config.ENVIRONMENT !== "development") throw new ApiError("not_found");
  await next();
});
