import { requireAuth, requireRole } from "../../middleware/auth";
import { createRouter } from "../../router";
import * as handlers from "./users.handlers";
import * as routes from "./users.routes";

const router = createRouter();
// "/users/*" also matches "/users" itself.
router.use("/users/*", requireAuth);
router.on("GET", "/users", requireRole("admin", "super_admin"));
router.on("DELETE", "/users/:id", requireRole("super_admin"));

export const usersRouter = router
  .openapi(routes.getProfile, handlers.getProfile)
  .openapi(routes.putProfile, handlers.updateProfile)
  .openapi(routes.patchProfile, handlers.updateProfile)
  .openapi(routes.uploadAvatar, handlers.uploadAvatar)
  .openapi(routes.listUsers, handlers.listUsers)
  .openapi(routes.getUser, handlers.getUser)
  .openapi(routes.updateUser, handlers.updateUser)
  .openapi(routes.deactivateUser, handlers.deactivateUser);

/** Public media (profile pictures); no auth, so it lives outside /users. */
export const mediaRouter = createRouter().openapi(routes.getMedia, handlers.getMedia);
