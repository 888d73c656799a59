/** The public user object (contract §3) and the field rules shared by registration and profile edits. */
import { z } from "@hono/zod-openapi";
import type { UserRow } from "../../db/types";
import { USER_TYPES } from "../../lib/enums";

export const userSchema = z
  .object({
    id: z.string().uuid(),
    phone: z.string().openapi({ example: "+8801712345678" }),
    name: z.string(),
    email: z.string().nullable(),
    nid: z.string().nullable(),
    address: z.string().nullable(),
    ward_number: z.string().nullable(),
    profile_picture_url: z.string().nullable(),
    user_type: z.enum(USER_TYPES),
    is_verified: z.boolean(),
    is_active: z.boolean(),
    created_at: z.string(),
    last_login: z.string().nullable(),
  })
  .openapi("User");

export type UserDto = z.infer<typeof userSchema>;

/** Editable profile fields, with the same rules everywhere they are accepted. */
export const profileFields = {
  name: z.string().trim().min(1).max(100),
  email: z.string().trim().toLowerCase().email().max(255).nullable(),
  nid: z
    .string()
    .trim()
    .regex(/^(\d{10}|\d{13}|\d{17})$/, "NID must be 10, 13 or 17 digits.")
    .nullable(),
  address: z.string().trim().max(500).nullable(),
  ward_number: z
    .union([z.string(), z.number()])
    .transform((v) => String(v).trim())
    .pipe(z.string().regex(/^\d{1,3}$/, "Ward number must be 1–3 digits."))
    .nullable()
    .openapi({ type: "string", example: "12" }),
};

export function avatarUrl(origin: string, key: string | null): string | null {
  return key ? `${origin}/api/v1/media/${key}` : null;
}

export function toUserDto(user: UserRow, origin: string): UserDto {
  return {
    id: user.id,
    phone: user.phone,
    name: user.name,
    email: user.email,
    nid: user.nid,
    address: user.address,
    ward_number: user.wardNumber,
    profile_picture_url: avatarUrl(origin, user.profilePictureKey),
    user_type: user.userType,
    is_verified: user.isVerified,
    is_active: user.isActive,
    created_at: user.createdAt.toISOString(),
    last_login: user.lastLogin ? user.lastLogin.toISOString() : null,
  };
}
