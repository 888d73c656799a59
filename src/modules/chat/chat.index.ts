import { requireAuth } from "../../middleware/auth";
import { developmentOnly } from "../../middleware/development-only";
import { createRouter } from "../../router";
import * as devRoutes from "./chat.dev";
import * as handlers from "./chat.handlers";
import * as routes from "./chat.routes";

const router = createRouter();
// "/chat/*" also matches "/chat" itself; every REST chat route needs a signed-in user.
router.use("/chat/*", requireAuth);

/** REST routes, mounted under /api/v1 (and so /api). */
export const chatRouter = router
  .openapi(routes.createRoom, handlers.createRoom)
  .openapi(routes.listRooms, handlers.listRooms)
  .openapi(routes.getRoom, handlers.getRoom)
  .openapi(routes.history, handlers.history)
  .openapi(routes.sendMessage, handlers.sendMessage)
  .openapi(routes.markRead, handlers.markRead)
  .openapi(routes.uploadAttachment, handlers.uploadAttachment)
  .openapi(routes.getAttachment, handlers.getAttachment);

/**
 * The socket, mounted at the root: the contract's path is `/ws/chat/{room_id}`, outside /api/v1.
 * It authenticates itself (the token may come in the query or a subprotocol, not only a header).
 */
export const chatSocketRouter = createRouter().openapi(routes.socket, handlers.socket);

/** Development-only helpers for the benchmark and black-box checks (404 elsewhere). */
const dev = createRouter();
dev.use("/dev/*", developmentOnly);
export const chatDevRouter = dev.openapi(devRoutes.syncRoute, devRoutes.sync);
