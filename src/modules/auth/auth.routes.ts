/** Route definitions (contract §3). The zod schemas here validate requests and generate the OpenAPI document. */
import { createRoute, z } from "@hono/zod-openapi";
import { OTP_PURPOSES } from "../../lib/enums";
import { jsonBody, jsonContent, errorResponses } from "../../lib/openapi";
import { messageSchema, phoneSchema } from "../../lib/schemas";
import { profileFields, userSchema } from "../users/users.schemas";

const password = z.string().min(6, "Password must be at least 6 characters.").max(128).openapi({ example: "secret123" });
const otpCode = z.string().trim().regex(/^\d{6}$/, "The code is 6 digits.").openapi({ example: "123456" });
const tags = ["Auth"];

const sessionSchema = z
  .object({ message: z.string().optional(), access_token: z.string(), refresh_token: z.string(), user: userSchema })
  .openapi("Session");

export const register = createRoute({
  method: "post",
  path: "/auth/register",
  tags,
  summary: "Create an account; a registration code is sent by SMS",
  request: jsonBody(
    z
      .object({
        name: profileFields.name,
        phone: phoneSchema,
        password,
        email: profileFields.email.optional(),
        nid: profileFields.nid.optional(),
        address: profileFields.address.optional(),
        ward_number: profileFields.ward_number.optional(),
      })
      .openapi("RegisterRequest"),
  ),
  responses: {
    201: jsonContent(z.object({ message: z.string(), user_id: z.string().uuid(), phone: z.string() }).openapi("RegisterResponse"), "Registered, unverified"),
    ...errorResponses(400, 429),
  },
});

export const verifyOtp = createRoute({
  method: "post",
  path: "/auth/verify-otp",
  tags,
  summary: "Verify a code (registration or passwordless login) and start a session",
  request: jsonBody(
    z
      .object({
        phone: phoneSchema,
        otp_code: otpCode.optional(),
        code: otpCode.optional().openapi({ description: "Alias of otp_code" }),
        purpose: z.enum(["registration", "login"]).default("registration"),
      })
      .refine((b) => b.otp_code ?? b.code, { message: "otp_code is required.", path: ["otp_code"] })
      .openapi("VerifyOtpRequest"),
  ),
  responses: { 200: jsonContent(sessionSchema, "Verified; session started"), ...errorResponses(400) },
});

export const resendOtp = createRoute({
  method: "post",
  path: "/auth/resend-otp",
  tags,
  summary: "Send a new code (one per 60 s per phone and purpose, five per hour)",
  request: jsonBody(z.object({ phone: phoneSchema, purpose: z.enum(OTP_PURPOSES).default("registration") }).openapi("ResendOtpRequest")),
  responses: { 200: jsonContent(messageSchema, "Accepted"), ...errorResponses(400, 429) },
});

export const login = createRoute({
  method: "post",
  path: "/auth/login",
  tags,
  summary: "Sign in with phone and password",
  request: jsonBody(z.object({ phone: phoneSchema, password: z.string().min(1).max(128) }).openapi("LoginRequest")),
  responses: { 200: jsonContent(sessionSchema, "Signed in"), ...errorResponses(400, 401, 403, 429) },
});

const refreshInput = z
  .object({ refresh: z.string().optional(), refresh_token: z.string().optional().openapi({ description: "Alias of refresh" }) })
  .refine((b) => b.refresh ?? b.refresh_token, { message: "refresh is required.", path: ["refresh"] });

export const refresh = createRoute({
  method: "post",
  path: "/auth/refresh",
  tags,
  summary: "Rotate a refresh token (the presented one stops working)",
  request: jsonBody(refreshInput.openapi("RefreshRequest")),
  responses: { 200: jsonContent(z.object({ access: z.string(), refresh: z.string() }).openapi("RefreshResponse"), "New pair"), ...errorResponses(400, 401) },
});

export const logout = createRoute({
  method: "post",
  path: "/auth/logout",
  tags,
  summary: "Revoke a refresh token and its whole rotation family",
  request: jsonBody(refreshInput.openapi("LogoutRequest")),
  responses: { 200: jsonContent(messageSchema, "Logged out"), ...errorResponses(400, 401) },
});

export const me = createRoute({
  method: "get",
  path: "/auth/me",
  tags,
  summary: "The signed-in user",
  security: [{ bearerAuth: [] }],
  responses: { 200: jsonContent(userSchema, "Current user"), ...errorResponses(401) },
});

export const changePassword = createRoute({
  method: "put",
  path: "/auth/change-password",
  tags,
  summary: "Change password; every other session is signed out and a fresh pair returned",
  security: [{ bearerAuth: [] }],
  request: jsonBody(z.object({ old_password: z.string().min(1).max(128), new_password: password }).openapi("ChangePasswordRequest")),
  responses: {
    200: jsonContent(z.object({ message: z.string(), access_token: z.string(), refresh_token: z.string() }).openapi("ChangePasswordResponse"), "Changed"),
    ...errorResponses(400, 401),
  },
});

export const passwordResetRequest = createRoute({
  method: "post",
  path: "/auth/password-reset/request",
  tags,
  summary: "Send a reset code when the account exists (always 202)",
  request: jsonBody(z.object({ phone: phoneSchema }).openapi("PasswordResetRequest")),
  responses: { 202: jsonContent(messageSchema, "Accepted"), ...errorResponses(400) },
});

export const passwordResetConfirm = createRoute({
  method: "post",
  path: "/auth/password-reset/confirm",
  tags,
  summary: "Set a new password with the reset code; every session is signed out",
  request: jsonBody(z.object({ phone: phoneSchema, otp_code: otpCode, new_password: password }).openapi("PasswordResetConfirm")),
  responses: { 200: jsonContent(messageSchema, "Password reset"), ...errorResponses(400) },
});
