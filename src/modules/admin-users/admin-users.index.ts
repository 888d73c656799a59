import { requireAuth, requireRole } from "../../middleware/auth";
import { createRouter } from "../../router";
import * as handlers from "./admin-users.handlers";
import * as routes from "./admin-users.routes";

const router = createRouter();
// Super admins only; "/admin-users/*" also matches "/admin-users" itself.
for (const path of ["/admin-users/*", "/activity-log"]) router.use(path, requireAuth, requireRole("super_admin"));

export const adminUsersRouter = router
  .openapi(routes.listStaff, handlers.listStaff)
  .openapi(routes.createStaff, handlers.createStaff)
  .openapi(routes.getStaff, handlers.getStaff)
  .openapi(routes.updateStaff, handlers.updateStaff)
  .openapi(routes.deactivateStaff, handlers.deactivateStaff)
  .openapi(routes.getPermissions, handlers.getPermissions)
  .openapi(routes.putPermissions, handlers.putPermissions)
  .openapi(routes.staffActivity, handlers.staffActivity)
  .openapi(routes.activityLog, handlers.activityLog);
