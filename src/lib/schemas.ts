/** zod building blocks shared by several modules' route schemas. */
import { z } from "@hono/zod-openapi";
import { normalizePhone } from "./phone";

/** Accepts 01…, 8801…, +8801…; yields the stored +8801XXXXXXXXX form. */
export const phoneSchema = z
  .string()
  .trim()
  .transform((value, ctx) => {
    const phone = normalizePhone(value);
    if (!phone) {
      ctx.addIssue({ code: "custom", message: "Enter a valid Bangladeshi mobile number, e.g. 01712345678." });
      return z.NEVER;
    }
    return phone;
  })
  .openapi({ type: "string", example: "01712345678", description: "01XXXXXXXXX, 8801XXXXXXXXX or +8801XXXXXXXXX" });

/** A UUID path parameter; a malformed one fails validation, which the hook turns into 404. */
export function uuidParam<K extends string = "id">(name: K = "id" as K) {
  const field = z.string().uuid().openapi({ param: { name, in: "path" }, example: "0b9e2c3e-2f55-4a53-8a43-3e1f5a2b9c10" });
  return z.object({ [name]: field } as Record<K, typeof field>);
}

export const messageSchema = z.object({ message: z.string() }).openapi("Message");
