import { requireAuth, requireRole } from "../../middleware/auth";
import { createRouter } from "../../router";
import * as handlers from "./waste.handlers";
import * as routes from "./waste.routes";

const staffOnly = requireRole("admin", "super_admin");
const router = createRouter();
// Schedules are public to read (no token needed, none looked at: the answer is the same for all).
const publicRead = (method: string, path: string) => method === "GET" && /\/waste\/schedules(\/|$)/.test(path);
router.use("/waste/*", async (c, next) => (publicRead(c.req.method, c.req.path) ? next() : requireAuth(c, next)));
router.on(["POST", "PUT", "PATCH", "DELETE"], ["/waste/schedules", "/waste/schedules/*"], staffOnly);
router.on(["POST"], "/waste/sts", staffOnly);
router.on(["PATCH"], "/waste/sts/:id", staffOnly);
router.on(["GET", "POST"], "/waste/sts/:id/readings", staffOnly);

// Static paths are registered before "{id}" ones so they are not taken for an id.
export const wasteRouter = router
  .openapi(routes.listSchedules, handlers.listSchedules)
  .openapi(routes.nextCollections, handlers.nextCollections)
  .openapi(routes.createSchedule, handlers.createSchedule)
  .openapi(routes.getSchedule, handlers.getSchedule)
  .openapi(routes.putSchedule, handlers.updateSchedule)
  .openapi(routes.patchSchedule, handlers.updateSchedule)
  .openapi(routes.deleteSchedule, handlers.deleteSchedule)
  .openapi(routes.createPickup, handlers.createPickup)
  .openapi(routes.listPickups, handlers.listPickups)
  .openapi(routes.getPickup, handlers.getPickup)
  .openapi(routes.pickupUpdates, handlers.pickupUpdates)
  .openapi(routes.changeStatus, handlers.changeStatus)
  .openapi(routes.payPickup, handlers.payPickup)
  .openapi(routes.getPhoto, handlers.getPhoto)
  .openapi(routes.listSts, handlers.listSts)
  .openapi(routes.createSts, handlers.createSts)
  .openapi(routes.getSts, handlers.getSts)
  .openapi(routes.patchSts, handlers.patchSts)
  .openapi(routes.recordReading, handlers.recordReading)
  .openapi(routes.listReadings, handlers.listReadings);
