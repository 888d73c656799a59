import { createRouter } from "../../router";
import * as handlers from "./payments.handlers";
import * as routes from "./payments.routes";

// Authentication is declared per route (createRoute `middleware`): the gateway callbacks under
// /payments/{gateway}/callback are public, so no /payments/* guard may cover them.
// Literal paths come before /payments/{id}.
export const paymentsRouter = createRouter()
  .openapi(routes.processPayment, handlers.processPayment)
  .openapi(routes.listPayments, handlers.listPayments)
  .openapi(routes.paymentHistory, handlers.paymentHistory)
  .openapi(routes.verifyPayment, handlers.verifyPayment)
  .openapi(routes.refundPayment, handlers.refundPayment)
  .openapi(routes.callbackGet, handlers.callbackGet)
  .openapi(routes.callbackPost, handlers.callbackPost)
  .openapi(routes.getPayment, handlers.getPayment);
