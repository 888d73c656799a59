/** Small helpers that keep route definitions short and their documented errors uniform. */
import { z } from "@hono/zod-openapi";
import { statusByCode } from "./errors";

export const errorSchema = z
  .object({
    error: z.string().openapi({ example: "The request has invalid fields." }),
    code: z.enum(Object.keys(statusByCode) as [string, ...string[]]),
    details: z.record(z.string(), z.array(z.string())).optional(),
  })
  .openapi("Error");

const errorDescriptions: Record<number, string> = {
  400: "Invalid input (`validation_error`, `invalid_json`)",
  401: "Not signed in, or token invalid/expired",
  403: "Not allowed",
  404: "Not found (or not yours)",
  409: "Conflicts with the current state",
  413: "Too large",
  415: "Unsupported media type",
  422: "Understood but not possible now (`payment_method_unavailable`, `payment_declined`)",
  429: "Rate limited (see Retry-After)",
  503: "A dependency is down",
};

export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: errorDescriptions[s] ?? "Error", content: { "application/json": { schema: errorSchema } } }]),
  ) as Record<number, { description: string; content: { "application/json": { schema: typeof errorSchema } } }>;
}

export function jsonContent<T extends z.ZodTypeAny>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export function jsonBody<T extends z.ZodTypeAny>(schema: T) {
  return { body: { content: { "application/json": { schema } }, required: true } };
}
