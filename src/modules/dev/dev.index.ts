/** Development-only routes: they let a developer or a black-box test play the outside world. */
import { developmentOnly } from "../../middleware/development-only";
import { createRouter } from "../../router";
import * as routes from "./dev.routes";
import { listSentSms } from "./dev.service";

const router = createRouter();
router.use("/dev/*", developmentOnly);
router.openapi(routes.smsOutbox, async (c) => {
  const { phone } = c.req.valid("query");
  return c.json({ results: await listSentSms(c.get("services"), phone) }, 200);
});

export const devRouter = router;
