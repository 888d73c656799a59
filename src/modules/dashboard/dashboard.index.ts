import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../app-env";
import { requireAuth, requireRole } from "../../middleware/auth";
import { createRouter } from "../../router";
import * as routes from "./dashboard.routes";
import * as reportHandlers from "./reports.handlers";
import * as reportRoutes from "./reports.routes";
import { figures, type FIGURES } from "./dashboard.service";

const router = createRouter();
router.use("/dashboard/*", requireAuth, requireRole("admin", "super_admin"));

/** Every dashboard handler is the same: validated range in, one statement's JSON out. */
const handler =
  (name: keyof typeof FIGURES): RouteHandler<typeof routes.kpi, AppEnv> =>
  async (c) =>
    c.json((await figures(c.get("services"), c.get("user"), name, c.req.valid("query"))) as Record<string, unknown>, 200);

export const dashboardRouter = router
  .openapi(routes.kpi, handler("kpi"))
  .openapi(routes.complaintsStats, handler("complaintsStats"))
  .openapi(routes.wardPerformance, handler("wardPerformance"))
  .openapi(routes.satisfaction, handler("satisfaction"))
  .openapi(routes.serviceTime, handler("serviceTime"))
  .openapi(routes.financial, handler("financial"))
  .openapi(routes.userStats, handler("userStats"))
  .openapi(routes.recentComplaints, handler("recentComplaints"))
  .openapi(routes.stsOverview, handler("stsOverview"))
  .openapi(reportRoutes.generateReport, reportHandlers.generateReport)
  .openapi(reportRoutes.getReport, reportHandlers.getReport)
  .openapi(reportRoutes.downloadReport, reportHandlers.downloadReport);
