import { requireAuth } from "../../middleware/auth";
import { developmentOnly } from "../../middleware/development-only";
import { createRouter } from "../../router";
import * as handlers from "./notifications.handlers";
import * as routes from "./notifications.routes";

const router = createRouter();
router.use("/notifications/*", requireAuth); // also matches "/notifications"

export const notificationsRouter = router
  .openapi(routes.list, handlers.list)
  .openapi(routes.unreadCount, handlers.unreadCount)
  .openapi(routes.readAll, handlers.readAll)
  .openapi(routes.registerDevice, handlers.registerDevice)
  .openapi(routes.removeDevice, handlers.removeDevice)
  .openapi(routes.getPreferences, handlers.getPreferences)
  .openapi(routes.putPreferences, handlers.putPreferences)
  .openapi(routes.read, handlers.read);

const dev = createRouter();
dev.use("/dev/*", developmentOnly);
export const notificationsDevRouter = dev.openapi(routes.devPush, handlers.devPush);
