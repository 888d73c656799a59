/** Notice payloads (contract §8, issue 10): what clients send and what they get back. */
import { z } from "@hono/zod-openapi";
import { enumInput } from "../../lib/schemas";

const person = z.object({ id: z.string().uuid(), name: z.string() });

export const noticeSchema = z
  .object({
    id: z.string().uuid(),
    title: z.string(),
    content: z.string(),
    category: z.string().openapi({ example: "sanitation" }),
    priority: z.string().openapi({ example: "normal" }),
    is_urgent: z.boolean(),
    target_wards: z.array(z.string()).openapi({ description: "Empty: every ward", example: ["12"] }),
    published_at: z.string(),
    expires_at: z.string().nullable(),
    is_active: z.boolean(),
    created_by: person.nullable(),
    view_count: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Notice");

const wardNumber = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^\d{1,3}$/, "Ward number must be 1–3 digits."));

const timestamp = z.string().datetime({ offset: true, message: "An ISO-8601 timestamp with offset, e.g. 2026-11-22T10:00:00+06:00." });

const noticeFields = {
  title: z.string().trim().min(1).max(200),
  content: z.string().trim().min(1).max(10_000),
  category: enumInput("notice_category"),
  priority: enumInput("notice_priority"),
  is_urgent: z.boolean(),
  target_wards: z
    .array(wardNumber)
    .max(100)
    .transform((wards) => [...new Set(wards)].sort((a, b) => Number(a) - Number(b)))
    .openapi({ type: "array", items: { type: "string" }, description: "Empty: every ward", example: ["12", "13"] }),
  published_at: timestamp.openapi({ description: "When it appears (default now); a future time schedules it" }),
  expires_at: timestamp.nullable().openapi({ description: "When it disappears (optional); must be after published_at" }),
  is_active: z.boolean().openapi({ description: "false: a draft (or a deleted notice)" }),
};

const expiryRule = { message: "expires_at must be after published_at.", path: ["expires_at"] };
const expiresAfterPublish = (b: { published_at?: string; expires_at?: string | null }) =>
  !b.expires_at || new Date(b.expires_at).getTime() > (b.published_at ? new Date(b.published_at).getTime() : Date.now());

export const createNoticeJson = z
  .object({
    title: noticeFields.title,
    content: noticeFields.content,
    category: noticeFields.category.optional(),
    priority: noticeFields.priority.optional(),
    is_urgent: noticeFields.is_urgent.optional(),
    target_wards: noticeFields.target_wards.optional(),
    published_at: noticeFields.published_at.optional(),
    expires_at: noticeFields.expires_at.optional(),
    is_active: noticeFields.is_active.optional(),
  })
  .strict()
  .refine(expiresAfterPublish, expiryRule)
  .openapi("CreateNotice");

export type CreateNoticeInput = z.infer<typeof createNoticeJson>;

export const updateNoticeJson = z
  .object({
    title: noticeFields.title.optional(),
    content: noticeFields.content.optional(),
    category: noticeFields.category.optional(),
    priority: noticeFields.priority.optional(),
    is_urgent: noticeFields.is_urgent.optional(),
    target_wards: noticeFields.target_wards.optional(),
    published_at: noticeFields.published_at.optional(),
    expires_at: noticeFields.expires_at.optional(),
    is_active: noticeFields.is_active.optional(),
  })
  .strict()
  // Only when both are sent; against the stored value the database's check decides.
  .refine((b) => !b.published_at || expiresAfterPublish(b), expiryRule)
  .openapi("UpdateNotice");

export type UpdateNoticeInput = z.infer<typeof updateNoticeJson>;

export const listQuery = z.object({
  category: enumInput("notice_category").optional(),
  priority: enumInput("notice_priority").optional(),
  ward_number: z.string().regex(/^\d{1,3}$/, "Ward number must be 1–3 digits.").optional().openapi({
    description: "Notices for this ward plus all-ward ones (default: a signed-in citizen's own ward; anonymous: all-ward notices only)",
  }),
  search: z.string().trim().min(1).max(100).optional().openapi({ description: "Text in the title or content" }),
  include: z.enum(["all"]).optional().openapi({ description: "Staff with notices.read: also drafts, scheduled, expired and deleted notices" }),
});

export type NoticeFilters = z.infer<typeof listQuery>;
