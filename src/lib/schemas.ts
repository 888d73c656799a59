/** zod building blocks shared by several modules' route schemas. */
import { z } from "@hono/zod-openapi";
import { canonicalEnumValue, enumCatalog, type EnumName } from "./enums";
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

/**
 * An enum field that accepts the stored (Bengali) value or its English alias and yields the stored
 * value, e.g. "roads" → "রাস্তাঘাট".
 */
export function enumInput(name: EnumName) {
  const values = enumCatalog[name];
  return z
    .string()
    .transform((input, ctx) => {
      const value = canonicalEnumValue(name, input);
      if (!value) {
        ctx.addIssue({ code: "custom", message: `Must be one of: ${values.map((v) => `${v.value} (${v.alias})`).join(", ")}.` });
        return z.NEVER;
      }
      return value;
    })
    .openapi({ type: "string", enum: values.flatMap((v) => [v.value, v.alias]), example: values[0]!.alias });
}

/** Numbers that may arrive as strings (multipart forms, query strings). */
export const coercedNumber = (min: number, max: number) => z.coerce.number().finite().min(min).max(max);

/** A Dhaka day (`2026-12-03`) or an instant with an offset: the `from`/`to` of a list. */
export const dayOrInstant = z
  .string()
  .refine((v) => /^\d{4}-\d{2}-\d{2}$/.test(v) || (/^\d{4}-\d{2}-\d{2}T/.test(v) && !Number.isNaN(Date.parse(v))), "A date (YYYY-MM-DD, a Dhaka day) or an ISO-8601 instant.");
