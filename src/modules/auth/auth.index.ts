import { requireAuth } from "../../middleware/auth";
import { createRouter } from "../../router";
import * as handlers from "./auth.handlers";
import * as routes from "./auth.routes";

const router = createRouter();
router.use("/auth/me", requireAuth);
router.use("/auth/change-password", requireAuth);

export const authRouter = router
  .openapi(routes.register, handlers.register)
  .openapi(routes.verifyOtp, handlers.verifyOtp)
  .openapi(routes.resendOtp, handlers.resendOtp)
  .openapi(routes.login, handlers.login)
  .openapi(routes.refresh, handlers.refresh)
  .openapi(routes.logout, handlers.logout)
  .openapi(routes.me, handlers.me)
  .openapi(routes.changePassword, handlers.changePassword)
  .openapi(routes.passwordResetRequest, handlers.passwordResetRequest)
  .openapi(routes.passwordResetConfirm, handlers.passwordResetConfirm);
