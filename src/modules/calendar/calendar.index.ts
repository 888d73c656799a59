import { optionalAuth, requireAuth, requireRole } from "../../middleware/auth";
import { createRouter } from "../../router";
import * as handlers from "./calendar.handlers";
import * as routes from "./calendar.routes";

// Reads are public (a token, when sent, must be valid and fills is_participating); staff change
// events; anyone signed in takes part.
const staffOnly = requireRole("admin", "super_admin");
const router = createRouter();
router.on("GET", ["/calendar/events", "/calendar/events/*"], optionalAuth);
router.on(["POST", "DELETE"], "/calendar/events/:id/participate", requireAuth);
router.on("POST", "/calendar/events", requireAuth, staffOnly);
router.on(["PUT", "PATCH"], "/calendar/events/:id", requireAuth, staffOnly);
router.on("DELETE", "/calendar/events/:id", requireAuth, staffOnly);

export const calendarRouter = router
  .openapi(routes.list, handlers.list)
  .openapi(routes.feed, handlers.feed)
  .openapi(routes.create, handlers.create)
  .openapi(routes.get, handlers.get)
  .openapi(routes.put, handlers.update)
  .openapi(routes.patch, handlers.update)
  .openapi(routes.remove, handlers.remove)
  .openapi(routes.join, handlers.join)
  .openapi(routes.leave, handlers.leave);
