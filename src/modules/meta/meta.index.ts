import { createRoute, z } from "@hono/zod-openapi";
import { createRouter } from "../../router";
import { enumCatalog, type EnumValue } from "../../lib/enums";

const enumValue = z.object({ value: z.string(), en: z.string(), bn: z.string(), alias: z.string() });

const enums = createRoute({
  method: "get",
  path: "/meta/enums",
  tags: ["Meta"],
  summary: "Every enumeration with Bengali and English labels (for the app's pickers)",
  responses: {
    200: {
      description: "Enumerations by name",
      content: { "application/json": { schema: z.record(z.string(), z.array(enumValue)).openapi("Enums") } },
    },
  },
});

export const metaRouter = createRouter().openapi(enums, (c) => {
  c.header("Cache-Control", "public, max-age=3600");
  return c.json(enumCatalog as unknown as Record<string, EnumValue[]>, 200);
});
