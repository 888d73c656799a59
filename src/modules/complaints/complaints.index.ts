import { requireAuth, requireRole } from "../../middleware/auth";
import { createRouter } from "../../router";
import * as handlers from "./complaints.handlers";
import * as routes from "./complaints.routes";

const staffOnly = requireRole("admin", "super_admin");
const router = createRouter();
// "/complaints/*" also matches "/complaints" itself.
router.use("/complaints/*", requireAuth);
router.on("GET", "/complaints/statistics", staffOnly);
router.on("POST", "/complaints/:id/assign", staffOnly);

// Static paths are registered before "/complaints/{id}" so they are not taken for an id.
export const complaintsRouter = router
  .openapi(routes.list, handlers.list)
  .openapi(routes.create, handlers.create)
  .openapi(routes.nearby, handlers.nearby)
  .openapi(routes.statistics, handlers.statistics)
  .openapi(routes.track, handlers.track)
  .openapi(routes.get, handlers.get)
  .openapi(routes.put, handlers.update)
  .openapi(routes.patch, handlers.update)
  .openapi(routes.remove, handlers.remove)
  .openapi(routes.addImages, handlers.addImages)
  .openapi(routes.getImage, handlers.getImage)
  .openapi(routes.deleteImage, handlers.deleteImage)
  .openapi(routes.updateStatus, handlers.updateStatus)
  .openapi(routes.updates, handlers.updates)
  .openapi(routes.assign, handlers.assign)
  .openapi(routes.rate, handlers.rate);
