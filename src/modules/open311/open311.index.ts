/**
 * Two routers: `open311Router`, mounted at the root (GeoReport v2 lives at /open311/v2, outside
 * /api/v1, and answers errors in the spec's shape), and `open311AdminRouter` under /api/v1 (keys and
 * link revocation, super_admin, with the REST API's conventions).
 */
import type { Handler } from "hono";
import type { AppEnv } from "../../app-env";
import { requireAuth, requireRole } from "../../middleware/auth";
import { createRouter } from "../../router";
import { handleOpen311Error } from "./open311.format";
import * as handlers from "./open311.handlers";
import * as routes from "./open311.routes";

const router = createRouter();
router.onError(handleOpen311Error);
for (const pair of [routes.discovery, routes.services, routes.definition, routes.listRequests, routes.createRequest, routes.getRequest, routes.token]) {
  router.openAPIRegistry.registerPath(pair.doc);
}

// The handlers return Responses the route schemas cannot type (XML, or JSON arrays built by `render`).
const h = (handler: unknown) => handler as Handler<AppEnv>;
router
  .openapi(routes.discovery.served("/open311/v2/discovery.json"), h(handlers.discovery("json")))
  .openapi(routes.discovery.served("/open311/v2/discovery.xml"), h(handlers.discovery("xml")))
  .openapi(routes.services.served("/open311/v2/services.json"), h(handlers.services("json")))
  .openapi(routes.services.served("/open311/v2/services.xml"), h(handlers.services("xml")))
  .openapi(routes.definition.served("/open311/v2/services/{file}"), h(handlers.definition))
  .openapi(routes.listRequests.served("/open311/v2/requests.json"), h(handlers.listRequests("json")))
  .openapi(routes.listRequests.served("/open311/v2/requests.xml"), h(handlers.listRequests("xml")))
  .openapi(routes.createRequest.served("/open311/v2/requests.json"), h(handlers.createRequest("json")))
  .openapi(routes.createRequest.served("/open311/v2/requests.xml"), h(handlers.createRequest("xml")))
  .openapi(routes.getRequest.served("/open311/v2/requests/{file}"), h(handlers.getRequest))
  .openapi(routes.token.served("/open311/v2/tokens/{file}"), h(handlers.token))
  .openapi(routes.media, h(handlers.media));
router.all("/open311", h(handlers.notFound));
router.all("/open311/*", h(handlers.notFound));
export const open311Router = router;

const admin = createRouter();
admin.use("/open311/*", requireAuth, requireRole("super_admin"));
export const open311AdminRouter = admin
  .openapi(routes.issueKey, h(handlers.issueKey))
  .openapi(routes.listKeys, h(handlers.listKeys))
  .openapi(routes.revokeKey, h(handlers.revokeKey))
  .openapi(routes.revokeMedia, h(handlers.revokeMedia));
