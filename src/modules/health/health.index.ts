import { createRouter } from "../../router";
import * as routes from "./health.routes";
import { checkHealth } from "./health.service";

export const healthRouter = createRouter().openapi(routes.health, async (c) => {
  const { healthy, body } = await checkHealth(c.get("services"));
  return healthy ? c.json(body, 200) : c.json(body, 503);
});
