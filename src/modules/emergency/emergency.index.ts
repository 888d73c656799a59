import { optionalAuth, requireAuth, requireRole } from "../../middleware/auth";
import { createRouter } from "../../router";
import * as handlers from "./emergency.handlers";
import * as routes from "./emergency.routes";

const staffOnly = requireRole("admin", "super_admin");
const router = createRouter();
// Hotlines are public; everything else needs a signed-in user. "/emergency/*" also matches "/emergency".
router.on("GET", "/emergency/contacts", optionalAuth);
router.use("/emergency/*", async (c, next) => (c.req.method === "GET" && c.req.path.endsWith("/emergency/contacts") ? next() : requireAuth(c, next)));
router.on(["POST", "PUT", "PATCH", "DELETE"], ["/emergency/contacts", "/emergency/contacts/*"], staffOnly);
router.on("POST", "/emergency/:id/respond", staffOnly);

// Static paths are registered before "/emergency/{id}" so they are not taken for an id.
export const emergencyRouter = router
  .openapi(routes.create, handlers.create)
  .openapi(routes.list, handlers.list)
  .openapi(routes.listContacts, handlers.listContacts)
  .openapi(routes.createContact, handlers.createContact)
  .openapi(routes.putContact, handlers.updateContact)
  .openapi(routes.patchContact, handlers.updateContact)
  .openapi(routes.deleteContact, handlers.deleteContact)
  .openapi(routes.get, handlers.get)
  .openapi(routes.updates, handlers.updates)
  .openapi(routes.respond, handlers.respond);

/** The desk socket, mounted at the root (`/ws/emergency`, beside `/ws/chat`); it authenticates itself. */
export const emergencyDeskRouter = createRouter().openapi(routes.desk, handlers.desk);
