import { createRouter } from "../../router";
import * as handlers from "./donations.handlers";
import * as routes from "./donations.routes";

// The project list is public; the rest authenticate per route. Literal paths before /donations/{id}.
export const donationsRouter = createRouter()
  .openapi(routes.listProjects, handlers.listProjects)
  .openapi(routes.createDonation, handlers.createDonation)
  .openapi(routes.listDonations, handlers.listDonations)
  .openapi(routes.getDonation, handlers.getDonation);
