/** Waste payloads (contract §8, issue 11): schedules, pickup requests, transfer stations. */
import { z } from "@hono/zod-openapi";
import { dhakaDate } from "../../lib/dhaka-time";
import { coercedNumber, enumInput, phoneSchema, dayOrInstant } from "../../lib/schemas";
import { paymentMethodSchema } from "../payments/payments.schemas";

const person = z.object({ id: z.string().uuid(), name: z.string() });
export const wardNumber = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^\d{1,3}$/, "Ward number must be 1–3 digits."));
const wardQuery = z.string().regex(/^\d{1,3}$/, "Ward number must be 1–3 digits.");
const blankToUndefined = (v: unknown) => (v === "" || v === null ? undefined : v);

// ---- Schedules --------------------------------------------------------------------------------

/** 0 = Sunday … 6 = Saturday, as Postgres `extract(dow)` counts. */
export const DAY_NAMES = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;
export type DayName = (typeof DAY_NAMES)[number];

const day = z
  .union([z.string(), z.number()])
  .transform((v, ctx) => {
    if (typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 6) return v;
    if (typeof v === "string") {
      const key = v.trim().toLowerCase();
      const i = DAY_NAMES.findIndex((d) => d === key || d.slice(0, 3) === key);
      if (i >= 0) return i;
    }
    ctx.addIssue({ code: "custom", message: "A day: sunday … saturday (or sun … sat, or 0 = Sunday … 6 = Saturday)." });
    return z.NEVER;
  })
  .openapi({ type: "string", enum: [...DAY_NAMES], example: "saturday" });

const daysOfWeek = z
  .array(day)
  .min(1)
  .max(7)
  .transform((days) => [...new Set(days)].sort((a, b) => a - b));

/** `HH:MM` (24-hour), a Dhaka wall-clock time. */
const clock = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "A time of day, HH:MM (24-hour, Dhaka time).")
  .openapi({ example: "07:00" });

const scheduleFields = {
  ward_number: wardNumber,
  waste_type: enumInput("waste_type"),
  days_of_week: daysOfWeek,
  start_time: clock,
  end_time: clock,
  collector: z.string().trim().min(1).max(150).nullable(),
  vehicle: z.string().trim().min(1).max(100).nullable(),
  notes: z.string().trim().max(1000).nullable(),
  is_active: z.boolean(),
};

const windowRule = (b: { start_time?: string; end_time?: string }) => b.start_time === undefined || b.end_time === undefined || b.end_time > b.start_time;
const windowMessage = { message: "end_time must be after start_time (a window within one day).", path: ["end_time"] };

export const createScheduleJson = z
  .object({
    ...scheduleFields,
    collector: scheduleFields.collector.optional(),
    vehicle: scheduleFields.vehicle.optional(),
    notes: scheduleFields.notes.optional(),
    is_active: scheduleFields.is_active.optional(),
  })
  .strict()
  .refine(windowRule, windowMessage)
  .openapi("CreateWasteSchedule");

export const updateScheduleJson = z
  .object(Object.fromEntries(Object.entries(scheduleFields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof scheduleFields]: z.ZodOptional<(typeof scheduleFields)[K]> })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: "Change at least one field." })
  .refine(windowRule, windowMessage)
  .openapi("UpdateWasteSchedule");

export type CreateScheduleInput = z.infer<typeof createScheduleJson>;
export type UpdateScheduleInput = z.infer<typeof updateScheduleJson>;

export const scheduleSchema = z
  .object({
    id: z.string().uuid(),
    ward_number: z.string(),
    waste_type: z.string().openapi({ example: "household" }),
    days_of_week: z.array(z.enum(DAY_NAMES)).openapi({ example: ["saturday", "tuesday"] }),
    start_time: z.string().openapi({ example: "07:00" }),
    end_time: z.string().openapi({ example: "10:00" }),
    time_zone: z.literal("Asia/Dhaka"),
    collector: z.string().nullable(),
    vehicle: z.string().nullable(),
    notes: z.string().nullable(),
    is_active: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("WasteSchedule");

export type ScheduleDto = z.infer<typeof scheduleSchema>;

export const scheduleListQuery = z.object({
  ward_number: wardQuery.optional(),
  waste_type: enumInput("waste_type").optional(),
});

export const nextQuery = z.object({
  ward_number: wardQuery,
  waste_type: enumInput("waste_type").optional(),
  days: z.coerce.number().int().min(1).max(31).default(7).openapi({ description: "How far ahead to look (days, default 7)", example: 7 }),
});

export const nextCollectionSchema = z
  .object({
    schedule_id: z.string().uuid(),
    ward_number: z.string(),
    waste_type: z.string(),
    date: z.string().openapi({ example: "2026-12-05", description: "The Dhaka day" }),
    day_of_week: z.enum(DAY_NAMES),
    starts_at: z.string().openapi({ example: "2026-12-05T07:00:00+06:00" }),
    ends_at: z.string().openapi({ example: "2026-12-05T10:00:00+06:00" }),
    in_progress: z.boolean().openapi({ description: "The window has begun and not yet ended" }),
    collector: z.string().nullable(),
    vehicle: z.string().nullable(),
  })
  .openapi("NextWasteCollection");

// ---- Pickup requests --------------------------------------------------------------------------

export const MAX_PICKUP_PHOTOS = 3;
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
/** How far ahead a pickup may be asked for. */
export const MAX_PREFERRED_DAYS_AHEAD = 60;

const preferredDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "A date, YYYY-MM-DD (a Dhaka day).")
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v, "Not a calendar date.")
  .refine((v) => v >= dhakaDate(), "The preferred date cannot be in the past.")
  .refine((v) => v <= dhakaDate(new Date(Date.now() + MAX_PREFERRED_DAYS_AHEAD * 86_400_000)), `At most ${MAX_PREFERRED_DAYS_AHEAD} days ahead.`)
  .openapi({ example: "2026-12-05" });

const latitude = coercedNumber(-90, 90);
const longitude = coercedNumber(-180, 180);
const bothOrNeither = (b: { latitude?: number | null; longitude?: number | null }) =>
  (b.latitude === undefined || b.latitude === null) === (b.longitude === undefined || b.longitude === null);
const coordinatesRule = { message: "Give latitude and longitude together.", path: ["longitude"] };

const pickupFields = {
  waste_type: enumInput("waste_type"),
  description: z.string().trim().min(1).max(2000),
  location: z.string().trim().min(1).max(255),
  preferred_date: preferredDate,
};

export const createPickupJson = z
  .object({
    ...pickupFields,
    latitude: latitude.nullable().optional(),
    longitude: longitude.nullable().optional(),
    ward_number: wardNumber.optional().openapi({ description: "Defaults to the requester's ward" }),
  })
  .strict()
  .refine(bothOrNeither, coordinatesRule)
  .openapi("CreateWastePickup");

export const createPickupForm = z
  .object({
    ...pickupFields,
    latitude: z.preprocess(blankToUndefined, latitude.optional()),
    longitude: z.preprocess(blankToUndefined, longitude.optional()),
    ward_number: z.preprocess(blankToUndefined, wardNumber.optional()),
    photos: z.any().optional().openapi({ type: "array", items: { type: "string", format: "binary" } }),
  })
  .refine(bothOrNeither, coordinatesRule)
  .openapi("CreateWastePickupForm");

export type CreatePickupInput = z.infer<typeof createPickupJson>;

/** An instant with an explicit offset (`Z` or `+06:00`). */
const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/, "An ISO-8601 instant with an offset, e.g. 2026-12-05T09:00:00+06:00.")
  .refine((v) => !Number.isNaN(Date.parse(v)), "Not a valid instant.")
  .openapi({ example: "2026-12-05T09:00:00+06:00" });

export const statusJson = z
  .object({
    status: enumInput("pickup_status"),
    scheduled_for: instant.optional(),
    note: z.string().trim().min(1).max(500).optional(),
  })
  .strict()
  .refine((b) => b.status !== "scheduled" || b.scheduled_for !== undefined, { message: "Scheduling needs scheduled_for.", path: ["scheduled_for"] })
  .refine((b) => b.status === "scheduled" || b.scheduled_for === undefined, { message: "scheduled_for goes only with status scheduled.", path: ["scheduled_for"] })
  .refine((b) => b.scheduled_for === undefined || Date.parse(b.scheduled_for) > Date.now() - 5 * 60_000, { message: "scheduled_for cannot be in the past.", path: ["scheduled_for"] })
  .openapi("WastePickupStatusChange");

export type StatusInput = z.infer<typeof statusJson>;

export const payJson = z
  .object({
    payment_method: paymentMethodSchema,
    phone_number: phoneSchema.optional().openapi({ description: "The payer's wallet; defaults to the account's phone" }),
  })
  .strict()
  .openapi("PayWastePickup");

export const pickupPhotoSchema = z.object({
  id: z.string().uuid(),
  url: z.string(),
  image_name: z.string(),
  file_size: z.number().int(),
  content_type: z.string(),
  uploaded_at: z.string(),
});

export const pickupFeeSchema = z
  .object({
    service_type: z.literal("waste_pickup"),
    amount: z.string().openapi({ example: "500.00" }),
    currency: z.literal("BDT"),
    paid: z.boolean(),
    payment: z
      .object({ id: z.string().uuid(), status: z.string(), transaction_id: z.string() })
      .nullable()
      .openapi({ description: "The completed payment, else the latest attempt" }),
    pay_url: z.string().openapi({ description: "POST here to pay (payment engine, service `waste_pickup`)" }),
  })
  .openapi("WastePickupFee");

export const pickupSchema = z
  .object({
    id: z.string().uuid(),
    reference_number: z.string().openapi({ example: "WP202612030001" }),
    user: person.extend({ phone: z.string() }),
    waste_type: z.string().openapi({ example: "e_waste" }),
    description: z.string(),
    location: z.string(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    ward_number: z.string().nullable(),
    preferred_date: z.string(),
    status: z.string().openapi({ example: "requested" }),
    scheduled_for: z.string().nullable(),
    collected_at: z.string().nullable(),
    cancelled_at: z.string().nullable(),
    fee: pickupFeeSchema.nullable().openapi({ description: "null: free. Bulky (construction) and e-waste pickups carry the `waste_pickup` fee" }),
    photos: z.array(pickupPhotoSchema),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("WastePickupRequest");

export type PickupDto = z.infer<typeof pickupSchema>;

export const pickupUpdateSchema = z
  .object({
    id: z.string().uuid(),
    old_status: z.string().nullable(),
    new_status: z.string(),
    scheduled_for: z.string().nullable(),
    note: z.string().nullable(),
    updated_by: person,
    created_at: z.string(),
  })
  .openapi("WastePickupUpdate");

export const pickupListQuery = z.object({
  status: enumInput("pickup_status").optional(),
  waste_type: enumInput("waste_type").optional(),
  ward_number: wardQuery.optional(),
  preferred_date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().openapi({ description: "Exactly this preferred day" }),
  from: dayOrInstant.optional().openapi({ description: "Created at or after (a Dhaka day's start, or an instant)" }),
  to: dayOrInstant.optional().openapi({ description: "Created on or before (a Dhaka day, inclusive, or an instant)" }),
});

export type PickupFilters = z.infer<typeof pickupListQuery>;

export const pickupPaymentSchema = z
  .object({
    pickup_request_id: z.string().uuid(),
    payment_id: z.string().uuid(),
    transaction_id: z.string(),
    amount: z.string(),
    status: z.literal("processing"),
    payment_url: z.string(),
    bkash_url: z.string().optional(),
  })
  .openapi("WastePickupPaymentStarted");

// ---- Secondary transfer stations ----------------------------------------------------------------

const tonnes = z.number().finite().max(100_000);

const stsFields = {
  name: z.string().trim().min(1).max(150),
  ward_number: wardNumber,
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  capacity_tonnes: tonnes.gt(0, "Capacity must be more than 0 tonnes."),
  status: enumInput("sts_status"),
};

export const createStsJson = z
  .object({ ...stsFields, status: stsFields.status.optional() })
  .strict()
  .openapi("CreateTransferStation");

export const updateStsJson = z
  .object(Object.fromEntries(Object.entries(stsFields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof stsFields]: z.ZodOptional<(typeof stsFields)[K]> })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: "Change at least one field." })
  .openapi("UpdateTransferStation");

export type CreateStsInput = z.infer<typeof createStsJson>;
export type UpdateStsInput = z.infer<typeof updateStsJson>;

export const readingJson = z
  .object({
    load_tonnes: tonnes.min(0, "A load cannot be negative.").openapi({ example: 42.5 }),
    note: z.string().trim().min(1).max(500).optional(),
  })
  .strict()
  .openapi("TransferStationReadingInput");

export type ReadingInput = z.infer<typeof readingJson>;

export const stsSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string(),
    ward_number: z.string(),
    latitude: z.number(),
    longitude: z.number(),
    capacity_tonnes: z.number(),
    current_load_tonnes: z.number(),
    load_percentage: z.number().openapi({ description: "current load / capacity × 100, one decimal; may exceed 100", example: 85.2 }),
    over_capacity: z.boolean(),
    status: z.string().openapi({ example: "operational" }),
    last_reading_at: z.string().nullable(),
    updated_at: z.string(),
  })
  .openapi("TransferStation");

export type StsDto = z.infer<typeof stsSchema>;

export const readingSchema = z
  .object({
    id: z.string().uuid(),
    sts_id: z.string().uuid(),
    load_tonnes: z.number(),
    previous_load_tonnes: z.number(),
    capacity_tonnes: z.number(),
    load_percentage: z.number(),
    over_capacity: z.boolean(),
    note: z.string().nullable(),
    recorded_by: person.nullable(),
    recorded_at: z.string(),
  })
  .openapi("TransferStationReading");

export const stsListQuery = z.object({
  ward_number: wardQuery.optional(),
  status: enumInput("sts_status").optional(),
  over_capacity: z.enum(["true", "false"]).optional(),
});

export type StsFilters = z.infer<typeof stsListQuery>;
