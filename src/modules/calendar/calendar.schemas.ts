/** Calendar payloads (contract §8, issue 11): what clients send and what they get back. */
import { z } from "@hono/zod-openapi";
import { dhakaDayStart } from "../../lib/dhaka-time";
import { enumInput } from "../../lib/schemas";

const DAY_MS = 86_400_000;
const person = z.object({ id: z.string().uuid(), name: z.string() });

export const recurrenceSchema = z
  .object({
    freq: z.enum(["weekly", "monthly"]),
    interval: z.number().int(),
    until: z.string().nullable(),
    count: z.number().int().nullable(),
    rrule: z.string().openapi({ example: "FREQ=WEEKLY;INTERVAL=1;COUNT=52" }),
  })
  .openapi("CalendarRecurrence");

export const eventSchema = z
  .object({
    id: z.string().uuid(),
    title: z.string(),
    description: z.string(),
    category: z.string().openapi({ example: "cleaning_drive" }),
    starts_at: z.string().openapi({ description: "This occurrence's start (Dhaka offset)", example: "2026-12-05T09:00:00+06:00" }),
    ends_at: z.string().openapi({ example: "2026-12-05T12:00:00+06:00" }),
    series_starts_at: z.string().openapi({ description: "The first occurrence's start (= starts_at for a single event)" }),
    all_day: z.boolean(),
    location: z.string(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    target_wards: z.array(z.string()).openapi({ description: "Empty: every ward" }),
    capacity: z.number().int().nullable(),
    participant_count: z.number().int(),
    is_participating: z.boolean().openapi({ description: "Whether the signed-in reader takes part (false when anonymous)" }),
    recurrence: recurrenceSchema.nullable(),
    sequence: z.number().int().openapi({ description: "iCalendar SEQUENCE: grows with every edit" }),
    created_by: person.nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("CalendarEvent");

export const participationSchema = z
  .object({ event_id: z.string().uuid(), is_participating: z.boolean(), participant_count: z.number().int(), capacity: z.number().int().nullable() })
  .openapi("CalendarParticipation");

const wardNumber = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^\d{1,3}$/, "Ward number must be 1–3 digits."));

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (v: string) => DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v);
const timestampMessage = "An ISO-8601 timestamp with offset (2026-12-05T09:00:00+06:00) or a Dhaka date (2026-12-05).";

/**
 * A timestamp with offset, or a Dhaka date: `YYYY-MM-DD` is that Dhaka day's start, or — as an
 * `end` — the start of the next day (the date is the last day included), or — as `last` (UNTIL,
 * inclusive) — that day's last second.
 */
const instant = (as: "start" | "end" | "last") =>
  z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (validDate(v)) return new Date(dhakaDayStart(v).getTime() + { start: 0, end: DAY_MS, last: DAY_MS - 1000 }[as]).toISOString();
      if (z.string().datetime({ offset: true }).safeParse(v).success && !Number.isNaN(Date.parse(v))) return new Date(v).toISOString();
      ctx.addIssue({ code: "custom", message: timestampMessage });
      return z.NEVER;
    })
    .openapi({ type: "string", description: timestampMessage, example: "2026-12-05T09:00:00+06:00" });

const recurrenceInput = z
  .object({
    freq: z.enum(["weekly", "monthly"]).openapi({ description: "weekly: same weekday and time; monthly: same day of the month and time (months without that day are skipped)" }),
    interval: z.number().int().min(1).max(12).optional().openapi({ description: "Every n weeks / months (default 1)" }),
    until: instant("last").nullable().optional().openapi({ description: "Last possible occurrence start (inclusive); a date includes that whole Dhaka day" }),
    count: z.number().int().min(1).max(1000).nullable().optional().openapi({ description: "Number of occurrences" }),
  })
  .strict()
  .refine((r) => !(r.until && r.count), { message: "Give until or count, not both.", path: ["count"] })
  .openapi("CalendarRecurrenceInput");

export type RecurrenceInput = z.infer<typeof recurrenceInput>;

const eventFields = {
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().max(10_000),
  category: enumInput("calendar_category"),
  starts_at: instant("start"),
  ends_at: instant("end"),
  all_day: z.boolean().openapi({ description: "Whole Dhaka days: starts_at/ends_at are widened to midnights (Asia/Dhaka)" }),
  location: z.string().trim().max(255),
  latitude: z.number().min(-90).max(90).nullable(),
  longitude: z.number().min(-180).max(180).nullable(),
  target_wards: z
    .array(wardNumber)
    .max(100)
    .transform((wards) => [...new Set(wards)].sort((a, b) => Number(a) - Number(b)))
    .openapi({ type: "array", items: { type: "string" }, description: "Empty: every ward", example: ["201"] }),
  capacity: z.number().int().min(1).max(1_000_000).nullable().openapi({ description: "Seats (null: no limit)" }),
  recurrence: recurrenceInput.nullable(),
};

const endsAfterStart = { message: "ends_at must be after starts_at.", path: ["ends_at"] };

export const createEventJson = z
  .object({
    title: eventFields.title,
    description: eventFields.description.optional(),
    category: eventFields.category.optional(),
    starts_at: eventFields.starts_at,
    ends_at: eventFields.ends_at.optional().openapi({ description: "Required unless all_day (then default: the day of starts_at)" }),
    all_day: eventFields.all_day.optional(),
    location: eventFields.location.optional(),
    latitude: eventFields.latitude.optional(),
    longitude: eventFields.longitude.optional(),
    target_wards: eventFields.target_wards.optional(),
    capacity: eventFields.capacity.optional(),
    recurrence: eventFields.recurrence.optional(),
  })
  .strict()
  .refine((b) => b.all_day || b.ends_at !== undefined, { message: "ends_at is required (unless all_day).", path: ["ends_at"] })
  .refine((b) => b.ends_at === undefined || b.all_day || Date.parse(b.ends_at) > Date.parse(b.starts_at), endsAfterStart)
  .openapi("CreateCalendarEvent");

export type CreateEventInput = z.infer<typeof createEventJson>;

export const updateEventJson = z
  .object({
    title: eventFields.title.optional(),
    description: eventFields.description.optional(),
    category: eventFields.category.optional(),
    starts_at: eventFields.starts_at.optional(),
    ends_at: eventFields.ends_at.optional(),
    all_day: eventFields.all_day.optional(),
    location: eventFields.location.optional(),
    latitude: eventFields.latitude.optional(),
    longitude: eventFields.longitude.optional(),
    target_wards: eventFields.target_wards.optional(),
    capacity: eventFields.capacity.optional(),
    recurrence: eventFields.recurrence.optional(),
  })
  .strict()
  // Only when both are sent; against the stored values the table's check decides.
  .refine((b) => !b.starts_at || !b.ends_at || b.all_day || Date.parse(b.ends_at) > Date.parse(b.starts_at), endsAfterStart)
  .openapi("UpdateCalendarEvent");

export type UpdateEventInput = z.infer<typeof updateEventJson>;

/** The longest range a list may expand (repeats are generated per request). */
export const MAX_RANGE_DAYS = 732;
export const DEFAULT_RANGE_DAYS = 90;

const rangeQuery = {
  from: instant("start").optional().openapi({ description: "Range start (default: the start of today, Dhaka). A date is that Dhaka day's start" }),
  to: instant("end").optional().openapi({ description: `Range end, exclusive (default: from + ${DEFAULT_RANGE_DAYS} days; at most ${MAX_RANGE_DAYS} days after from). A date includes that whole Dhaka day` }),
};

const filterQuery = {
  category: enumInput("calendar_category").optional(),
  ward_number: z.string().regex(/^\d{1,3}$/, "Ward number must be 1–3 digits.").optional().openapi({ description: "Events for this ward plus all-ward ones (default: every event)" }),
};

export const listQuery = z.object({ ...rangeQuery, ...filterQuery });
export type EventFilters = z.infer<typeof listQuery>;

export const feedQuery = z.object(filterQuery);
export type FeedFilters = z.infer<typeof feedQuery>;
