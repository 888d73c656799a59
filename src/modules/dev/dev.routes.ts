import { createRoute, z } from "@hono/zod-openapi";
import { phoneSchema } from "../../lib/schemas";

export const smsOutbox = createRoute({
  method: "get",
  path: "/dev/sms",
  tags: ["Development"],
  summary: "SMS the local provider 'sent' (development only; 404 elsewhere)",
  request: { query: z.object({ phone: phoneSchema }) },
  responses: {
    200: {
      description: "Newest first",
      content: {
        "application/json": {
          schema: z.object({ results: z.array(z.object({ phone: z.string(), message: z.string(), created_at: z.string() })) }).openapi("DevSmsOutbox"),
        },
      },
    },
  },
});
