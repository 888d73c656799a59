/** Complaint payloads (contract §5): what clients send and what they get back. */
import { z } from "@hono/zod-openapi";
import { coercedNumber, enumInput } from "../../lib/schemas";

export const MAX_IMAGES_PER_COMPLAINT = 5;
export const IMAGE_MAX_BYTES = 5 * 1024 * 1024;

const person = z.object({ id: z.string().uuid(), name: z.string() });

export const complaintImageSchema = z
  .object({
    id: z.string().uuid(),
    url: z.string(),
    image_name: z.string(),
    file_size: z.number().int(),
    content_type: z.string(),
    uploaded_at: z.string(),
  })
  .openapi("ComplaintImage");

export const complaintSchema = z
  .object({
    id: z.string().uuid(),
    tracking_number: z.string().openapi({ example: "CC202611220001" }),
    user: person,
    title: z.string(),
    description: z.string(),
    category: z.string().openapi({ example: "রাস্তাঘাট" }),
    priority: z.string().openapi({ example: "মধ্যম" }),
    status: z.string().openapi({ example: "জমা দেওয়া হয়েছে" }),
    location: z.string(),
    latitude: z.number().nullable(),
    longitude: z.number().nullable(),
    ward_number: z.string().nullable(),
    assigned_to: person.nullable(),
    images: z.array(complaintImageSchema),
    rating: z.number().int().nullable(),
    feedback: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    resolved_at: z.string().nullable(),
  })
  .openapi("Complaint");

export const nearbyComplaintSchema = z
  .object({
    id: z.string().uuid(),
    title: z.string(),
    category: z.string(),
    status: z.string(),
    latitude: z.number(),
    longitude: z.number(),
    distance_m: z.number().int(),
    created_at: z.string(),
  })
  .openapi("NearbyComplaint");

export const createdComplaintSchema = complaintSchema
  .extend({ possible_duplicates: z.array(nearbyComplaintSchema) })
  .openapi("CreatedComplaint");

const latitude = coercedNumber(-90, 90);
const longitude = coercedNumber(-180, 180);
const wardNumber = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^\d{1,3}$/, "Ward number must be 1–3 digits."));

const complaintFields = {
  title: z.string().trim().min(1).max(200),
  description: z.string().trim().min(1).max(5000),
  category: enumInput("complaint_category"),
  priority: enumInput("complaint_priority"),
  location: z.string().trim().min(1).max(255),
  latitude: latitude.nullable(),
  longitude: longitude.nullable(),
  ward_number: wardNumber.nullable(),
};

const bothOrNeither = (b: { latitude?: number | null; longitude?: number | null }) =>
  (b.latitude === undefined || b.latitude === null) === (b.longitude === undefined || b.longitude === null);
const coordinatesRule = { message: "Give latitude and longitude together.", path: ["longitude"] };

export const createComplaintJson = z
  .object({
    ...complaintFields,
    priority: complaintFields.priority.optional(),
    latitude: complaintFields.latitude.optional(),
    longitude: complaintFields.longitude.optional(),
    ward_number: complaintFields.ward_number.optional(),
  })
  .strict()
  .refine(bothOrNeither, coordinatesRule)
  .openapi("CreateComplaint");

/** The same fields as a multipart form, plus up to five `images`. Empty form fields count as absent. */
const blankToUndefined = (v: unknown) => (v === "" ? undefined : v);
export const createComplaintForm = z
  .object({
    title: complaintFields.title,
    description: complaintFields.description,
    category: complaintFields.category,
    priority: z.preprocess(blankToUndefined, complaintFields.priority.optional()),
    location: complaintFields.location,
    latitude: z.preprocess(blankToUndefined, latitude.optional()),
    longitude: z.preprocess(blankToUndefined, longitude.optional()),
    ward_number: z.preprocess(blankToUndefined, wardNumber.optional()),
    images: z.any().optional().openapi({ type: "array", items: { type: "string", format: "binary" } }),
  })
  .refine(bothOrNeither, coordinatesRule)
  .openapi("CreateComplaintForm");

export type CreateComplaintInput = z.infer<typeof createComplaintJson>;

export const updateComplaintJson = z
  .object({
    title: complaintFields.title.optional(),
    description: complaintFields.description.optional(),
    category: complaintFields.category.optional(),
    priority: complaintFields.priority.optional(),
    location: complaintFields.location.optional(),
    latitude: complaintFields.latitude.optional(),
    longitude: complaintFields.longitude.optional(),
    ward_number: complaintFields.ward_number.optional(),
  })
  .strict()
  .refine((b) => (b.latitude === undefined) === (b.longitude === undefined), coordinatesRule)
  .openapi("UpdateComplaint");

export type UpdateComplaintInput = z.infer<typeof updateComplaintJson>;

export const statusChangeJson = z
  .object({
    new_status: enumInput("complaint_status").optional(),
    status: enumInput("complaint_status").optional().openapi({ description: "Alias of new_status" }),
    comment: z.string().trim().max(2000).optional(),
  })
  .strict()
  .refine((b) => b.new_status ?? b.status, { message: "new_status is required.", path: ["new_status"] })
  .openapi("StatusChange");

export const complaintUpdateSchema = z
  .object({
    id: z.string().uuid(),
    old_status: z.string().nullable(),
    new_status: z.string(),
    comment: z.string().nullable(),
    updated_by: person,
    created_at: z.string(),
  })
  .openapi("ComplaintUpdate");

export const assignJson = z.object({ assigned_to: z.string().uuid() }).strict().openapi("AssignComplaint");

export const rateJson = z
  .object({ rating: z.coerce.number().int().min(1).max(5), feedback: z.string().trim().max(2000).optional() })
  .strict()
  .openapi("RateComplaint");

export const ORDERING_FIELDS = ["created_at", "updated_at", "priority", "status"] as const;

export const listQuery = z.object({
  status: enumInput("complaint_status").optional(),
  category: enumInput("complaint_category").optional(),
  priority: enumInput("complaint_priority").optional(),
  ward_number: z.string().regex(/^\d{1,3}$/).optional(),
  assigned_to: z.string().uuid().optional(),
  search: z.string().trim().min(1).max(100).optional(),
  ordering: z
    .enum([...ORDERING_FIELDS, ...ORDERING_FIELDS.map((f) => `-${f}` as const)] as [string, ...string[]])
    .default("-created_at"),
});

export type ComplaintFilters = z.infer<typeof listQuery>;

export const nearbyQuery = z.object({
  latitude,
  longitude,
  category: enumInput("complaint_category"),
  radius_m: z.coerce.number().int().min(1).max(5000).default(200),
});

const countMap = z.record(z.string(), z.number().int());
export const statisticsSchema = z
  .object({
    total: z.number().int(),
    by_status: countMap,
    by_category: countMap,
    by_priority: countMap,
    by_ward: countMap,
    average_rating: z.number().nullable(),
    rated: z.number().int(),
  })
  .openapi("ComplaintStatistics");
