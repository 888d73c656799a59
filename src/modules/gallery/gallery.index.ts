import { requireAuth, requireRole } from "../../middleware/auth";
import { createRouter } from "../../router";
import * as handlers from "./gallery.handlers";
import * as routes from "./gallery.routes";

// Reads and media are public (the same for everyone, so no token is looked at); changes are staff's.
const staffOnly = requireRole("admin", "super_admin");
const router = createRouter();
router.on("POST", "/gallery", requireAuth, staffOnly);
router.on(["PUT", "PATCH", "DELETE"], "/gallery/*", requireAuth, staffOnly);

export const galleryRouter = router
  .openapi(routes.list, handlers.list)
  .openapi(routes.upload, handlers.upload)
  .openapi(routes.media, handlers.media)
  .openapi(routes.get, handlers.get)
  .openapi(routes.put, handlers.update)
  .openapi(routes.patch, handlers.update)
  .openapi(routes.remove, handlers.remove);
