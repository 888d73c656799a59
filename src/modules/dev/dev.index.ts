/** Development-only routes: they let a developer or a black-box test play the outside world. */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../app-env";
import { ApiError } from "../../lib/errors";
import { createRouter } from "../../router";
import * as routes from "./dev.routes";
import { listSentSms } from "./dev.service";

const developmentOnly = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("services").config.ENVIRONMENT !== "development") throw new ApiError("not_found");
  await next();
});

const router = createRouter();
router.use("/dev/*", developmentOnly);
router.openapi(routes.smsOutbox, async (c) => {
  const { phone } = c.req.valid("query");
  return c.json({ results: await listSentSms(c.get("services"), phone) }, 200);
});

export const devRouter = router;
