import { createRoute, z } from "@hono/zod-openapi";

export const healthSchema = z
  .object({
    status: z.enum(["healthy", "unhealthy"]),
    timestamp: z.string().openapi({ example: "2026-11-22T08:00:00.000Z" }),
    services: z.record(z.string(), z.string()).openapi({ example: { database: "healthy" } }),
  })
  .openapi("Health");

export const health = createRoute({
  method: "get",
  path: "/health",
  tags: ["Health"],
  summary: "Liveness and dependency check (database)",
  responses: {
    200: { description: "Healthy", content: { "application/json": { schema: healthSchema } } },
    503: { description: "A dependency is down", content: { "application/json": { schema: healthSchema } } },
  },
});
