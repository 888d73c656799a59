import { createRouter } from "../../router";
import * as catalogueHandlers from "./payable-services.handlers";
import * as catalogueRoutes from "./payable-services.routes";
import * as handlers from "./payments.handlers";
import * as routes from "./payments.routes";

// Authentication is declared per route (createRoute `middleware`): the gateway callbacks under
// /payments/{gateway}/callback and the services list are public, so no /payments/* guard may cover
// them. Literal paths (/payments/services, /payments/process, …) come before /payments/{id}.
export const paymentsRouter = createRouter()
  .openapi(catalogueRoutes.listPayableServices, catalogueHandlers.listPayableServices)
  .openapi(catalogueRoutes.createPayableService, catalogueHandlers.createPayableService)
  .openapi(catalogueRoutes.updatePayableService, catalogueHandlers.updatePayableService)
  .openapi(catalogueRoutes.removePayableService, catalogueHandlers.removePayableService)
  .openapi(routes.processPayment, handlers.processPayment)
  .openapi(routes.listPayments, handlers.listPayments)
  .openapi(routes.paymentHistory, handlers.paymentHistory)
  .openapi(routes.verifyPayment, handlers.verifyPayment)
  .openapi(routes.refundPayment, handlers.refundPayment)
  .openapi(routes.callbackGet, handlers.callbackGet)
  .openapi(routes.callbackPost, handlers.callbackPost)
  .openapi(routes.getPayment, handlers.getPayment);
