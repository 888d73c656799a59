/** Emergency payloads (contract §8, issue 10): what clients send and what they get back. */
import { z } from "@hono/zod-openapi";
import { EMERGENCY_CONTACT_CATEGORIES } from "../../db/schema/emergency";
import { coercedNumber, enumInput, dayOrInstant } from "../../lib/schemas";

const person = z.object({ id: z.string().uuid(), name: z.string() });
const wardNumber = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^\d{1,3}$/, "Ward number must be 1–3 digits."));

export const emergencySchema = z
  .object({
    id: z.string().uuid(),
    reference_number: z.string().openapi({ example: "EM202612030001" }),
    user: person.extend({ phone: z.string() }).openapi({ description: "The reporter (seen only by the reporter and staff)" }),
    emergency_type: z.string().openapi({ example: "অগ্নিকাণ্ড" }),
    description: z.string(),
    location: z.string(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    ward_number: z.string().nullable(),
    priority: z.string().openapi({ example: "উচ্চ" }),
    status: z.string().openapi({ example: "জমা দেওয়া হয়েছে" }),
    assigned_to: person.nullable(),
    responded_at: z.string().nullable(),
    resolved_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Emergency");

export type EmergencyDto = z.infer<typeof emergencySchema>;

const bothOrNeither = (b: { latitude?: number | null; longitude?: number | null }) =>
  (b.latitude === undefined || b.latitude === null) === (b.longitude === undefined || b.longitude === null);

export const createEmergencyJson = z
  .object({
    emergency_type: enumInput("emergency_type"),
    description: z.string().trim().min(1).max(2000),
    location: z.string().trim().min(1).max(255),
    latitude: coercedNumber(-90, 90).nullable().optional(),
    longitude: coercedNumber(-180, 180).nullable().optional(),
    ward_number: wardNumber.optional().openapi({ description: "Defaults to the reporter's ward" }),
  })
  .strict()
  .refine(bothOrNeither, { message: "Give latitude and longitude together.", path: ["longitude"] })
  .openapi("CreateEmergency");

export type CreateEmergencyInput = z.infer<typeof createEmergencyJson>;

export const respondJson = z
  .object({
    status: enumInput("emergency_status").optional(),
    assigned_to: z.string().uuid().optional(),
    note: z.string().trim().min(1).max(2000).optional(),
  })
  .strict()
  .refine((b) => b.status !== undefined || b.assigned_to !== undefined || b.note !== undefined, {
    message: "Give a status, an assignee or a note.",
    path: ["status"],
  })
  .openapi("RespondToEmergency");

export type RespondInput = z.infer<typeof respondJson>;

export const emergencyUpdateSchema = z
  .object({
    id: z.string().uuid(),
    old_status: z.string().nullable(),
    new_status: z.string(),
    assigned_to: person.nullable(),
    note: z.string().nullable(),
    updated_by: person,
    created_at: z.string(),
  })
  .openapi("EmergencyUpdate");

export const listQuery = z.object({
  status: enumInput("emergency_status").optional(),
  emergency_type: enumInput("emergency_type").optional(),
  ward_number: z.string().regex(/^\d{1,3}$/).optional(),
  from: dayOrInstant.optional().openapi({ description: "Created at or after (a Dhaka day's start, or an instant)", example: "2026-12-01" }),
  to: dayOrInstant.optional().openapi({ description: "Created on or before (a Dhaka day, inclusive, or an instant)", example: "2026-12-31" }),
});

export type EmergencyFilters = z.infer<typeof listQuery>;

// ---- Hotlines -----------------------------------------------------------------------------

export const contactSchema = z
  .object({
    id: z.string().uuid(),
    name_bn: z.string(),
    name_en: z.string(),
    phone: z.string().openapi({ example: "999" }),
    category: z.enum(EMERGENCY_CONTACT_CATEGORIES),
    description: z.string().nullable(),
    sort_order: z.number().int(),
    is_active: z.boolean(),
  })
  .openapi("EmergencyContact");

const contactFields = {
  name_bn: z.string().trim().min(1).max(150),
  name_en: z.string().trim().min(1).max(150),
  // Hotlines are short codes (999, 16163) or full numbers with optional +, spaces and dashes.
  phone: z.string().trim().regex(/^\+?[0-9][0-9 -]{1,28}$/, "A hotline number: digits, optional +, spaces or dashes."),
  category: z.enum(EMERGENCY_CONTACT_CATEGORIES),
  description: z.string().trim().max(500).nullable(),
  sort_order: z.number().int().min(0).max(10_000),
  is_active: z.boolean(),
};

export const createContactJson = z
  .object({
    ...contactFields,
    description: contactFields.description.optional(),
    sort_order: contactFields.sort_order.optional(),
    is_active: contactFields.is_active.optional(),
  })
  .strict()
  .openapi("CreateEmergencyContact");

export const updateContactJson = z
  .object(Object.fromEntries(Object.entries(contactFields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof contactFields]: z.ZodOptional<(typeof contactFields)[K]> })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: "Change at least one field." })
  .openapi("UpdateEmergencyContact");

export type CreateContactInput = z.infer<typeof createContactJson>;
export type UpdateContactInput = z.infer<typeof updateContactJson>;
