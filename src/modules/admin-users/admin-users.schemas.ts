/** Staff accounts, their ward-scoped permissions, and activity-log entries (contract §9). */
import { z } from "@hono/zod-openapi";
import { PERMISSION_TYPES } from "../../lib/enums";
import { phoneSchema } from "../../lib/schemas";
import { profileFields, userSchema } from "../users/users.schemas";

const wardNumber = z.string().regex(/^\d{1,3}$/, "Ward number must be 1–3 digits.").openapi({ example: "15" });

export const permissionSchema = z
  .object({
    permission_type: z.enum(PERMISSION_TYPES),
    ward_numbers: z.array(wardNumber).max(100).default([]).openapi({ description: "Empty: every ward" }),
    can_create: z.boolean().default(false),
    can_read: z.boolean().default(true),
    can_update: z.boolean().default(false),
    can_delete: z.boolean().default(false),
  })
  .strict()
  .openapi("AdminPermission");

export type PermissionInput = z.infer<typeof permissionSchema>;

/** The full set; a module may appear once. */
export const permissionSetSchema = z
  .array(permissionSchema)
  .max(PERMISSION_TYPES.length)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((p, i) => {
      if (seen.has(p.permission_type)) ctx.addIssue({ code: "custom", path: [i, "permission_type"], message: "Each module may appear once." });
      seen.add(p.permission_type);
    });
  })
  .openapi("AdminPermissionSet");

export const staffUserSchema = userSchema.extend({ permissions: z.array(permissionSchema) }).openapi("StaffUser");

export const createStaffSchema = z
  .object({
    phone: phoneSchema,
    name: profileFields.name,
    user_type: z.enum(["admin", "service_provider"]),
    password: z
      .string()
      .min(8, "Password must be at least 8 characters.")
      .max(128)
      .optional()
      .openapi({ description: "Leave out to invite by SMS: the new staff member sets a password with the reset code." }),
    ward_number: profileFields.ward_number.optional(),
    permissions: permissionSetSchema.default([]),
  })
  .strict()
  .openapi("StaffCreate");

export const updateStaffSchema = z
  .object({
    name: profileFields.name.optional(),
    user_type: z.enum(["admin", "service_provider", "super_admin"]).optional(),
    is_active: z.boolean().optional(),
    ward_number: profileFields.ward_number.optional(),
  })
  .strict()
  .openapi("StaffUpdate");

export type CreateStaffInput = z.infer<typeof createStaffSchema>;
export type UpdateStaffInput = z.infer<typeof updateStaffSchema>;

export const activityEntrySchema = z
  .object({
    id: z.string().uuid(),
    user_id: z.string().uuid().nullable(),
    user_name: z.string().nullable(),
    action: z.string(),
    resource_type: z.string(),
    resource_id: z.string().nullable(),
    ip_address: z.string().nullable(),
    user_agent: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    created_at: z.string(),
  })
  .openapi("ActivityEntry");

export const activityQuery = z.object({
  user_id: z.string().uuid().optional(),
  action: z.string().max(50).optional(),
  resource_type: z.string().max(50).optional(),
  resource_id: z.string().max(100).optional(),
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
  cursor: z.string().max(200).optional().openapi({ description: "`next_cursor` of the previous page" }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export type ActivityFilters = z.infer<typeof activityQuery>;
