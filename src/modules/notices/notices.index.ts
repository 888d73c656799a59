import { optionalAuth, requireAuth, requireRole } from "../../middleware/auth";
import { createRouter } from "../../router";
import * as handlers from "./notices.handlers";
import * as routes from "./notices.routes";

// Reads are public: a token, when sent, must be valid (401 otherwise) and makes the reader known.
const staffOnly = requireRole("admin", "super_admin");
const router = createRouter();
router.on("GET", ["/notices", "/notices/*"], optionalAuth);
router.on("POST", "/notices", requireAuth, staffOnly);
router.on(["PUT", "PATCH", "DELETE"], "/notices/*", requireAuth, staffOnly);

export const noticesRouter = router
  .openapi(routes.list, handlers.list)
  .openapi(routes.create, handlers.create)
  .openapi(routes.get, handlers.get)
  .openapi(routes.put, handlers.update)
  .openapi(routes.patch, handlers.update)
  .openapi(routes.remove, handlers.remove);
