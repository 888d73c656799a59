/** Notification payloads (contract §10, issue 14). */
import { z } from "@hono/zod-openapi";

export const CATEGORY_PREFS = ["complaints", "payments", "notices", "chat", "emergencies"] as const;

export const notificationSchema = z
  .object({
    id: z.string().uuid(),
    category: z.string().openapi({ example: "complaints" }),
    title: z.string(),
    body: z.string(),
    data: z.object({ resource_type: z.string(), resource_id: z.string(), deep_link: z.string() }).openapi({ example: { resource_type: "complaint", resource_id: "…", deep_link: "cleancare://complaints/…" } }),
    read_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("Notification");

export const inboxQuery = z.object({
  unread_only: z
    .enum(["true", "false", "1", "0"])
    .optional()
    .transform((v) => v === "true" || v === "1"),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional().openapi({ description: "`next_cursor` of the previous page" }),
});

export const inboxPageSchema = z.object({ results: z.array(notificationSchema), next_cursor: z.string().nullable() }).openapi("NotificationPage");

export const deviceJson = z
  .object({
    token: z.string().trim().min(10).max(4096).regex(/^[\x21-\x7e]+$/, "A device token is printable ASCII without spaces."),
    platform: z.enum(["android", "ios", "web"]),
    app_version: z.string().trim().min(1).max(40).optional(),
  })
  .strict()
  .openapi("RegisterDevice");

export const deviceSchema = z
  .object({ token: z.string(), platform: z.enum(["android", "ios", "web"]), app_version: z.string().nullable(), created_at: z.string(), updated_at: z.string() })
  .openapi("Device");

const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM, Dhaka time");

export const preferencesSchema = z
  .object({
    complaints: z.boolean(),
    payments: z.boolean(),
    notices: z.boolean(),
    chat: z.boolean(),
    emergencies: z.boolean(),
    language: z.enum(["bn", "en"]),
    quiet_hours: z
      .object({ start: clock, end: clock })
      .nullable()
      .openapi({ description: "Dhaka time; no push in this window except emergencies (delivered when it ends)", example: { start: "22:00", end: "07:00" } }),
  })
  .openapi("NotificationPreferences");

export const preferencesJson = preferencesSchema
  .partial()
  .strict()
  .refine((b) => !b.quiet_hours || b.quiet_hours.start !== b.quiet_hours.end, { message: "start and end must differ", path: ["quiet_hours"] })
  .openapi("UpdateNotificationPreferences");

export type PreferencesInput = z.infer<typeof preferencesJson>;
