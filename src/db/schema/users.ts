import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, timestamp, uuid, varchar } from "drizzle-orm/pg-core";
import { USER_TYPES } from "../../lib/enums";

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(", "));

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    phone: varchar("phone", { length: 20 }).notNull().unique(),
    name: varchar("name", { length: 100 }).notNull(),
    email: varchar("email", { length: 255 }).unique(),
    passwordHash: varchar("password_hash", { length: 255 }).notNull(),
    nid: varchar("nid", { length: 17 }),
    address: text("address"),
    wardNumber: varchar("ward_number", { length: 10 }),
    profilePictureKey: varchar("profile_picture_key", { length: 255 }),
    userType: varchar("user_type", { length: 20, enum: USER_TYPES }).notNull().default("citizen"),
    isActive: boolean("is_active").notNull().default(true),
    isVerified: boolean("is_verified").notNull().default(false),
    /** Stamped into access tokens as `ver`; bumping it (password change/reset) voids every access token. */
    tokenVersion: integer("token_version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    lastLogin: timestamp("last_login", { withTimezone: true }),
  },
  (t) => [
    index("idx_users_ward").on(t.wardNumber),
    index("idx_users_type").on(t.userType),
    index("idx_users_created_at").on(t.createdAt.desc()),
    check("users_user_type_check", sql`${t.userType} in (${inList(USER_TYPES)})`),
    check("users_phone_check", sql`${t.phone} ~ '^\\+8801[3-9][0-9]{8}$'`),
  ],
);

export const otpCodes = pgTable(
  "otp_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    phone: varchar("phone", { length: 20 }).notNull(),
    purpose: varchar("purpose", { length: 20, enum: ["registration", "login", "password_reset"] }).notNull(),
    /** HMAC-SHA256(OTP_HASH_KEY, phone|purpose|code), hex. The code itself is never stored. */
    codeHash: varchar("code_hash", { length: 64 }).notNull(),
    failedAttempts: integer("failed_attempts").notNull().default(0),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    consumedAt: timestamp("consumed_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("idx_otp_phone_created").on(t.phone, t.createdAt.desc()),
    check("otp_purpose_check", sql`${t.purpose} in ('registration', 'login', 'password_reset')`),
  ],
);

export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    /** The token's `jti`. */
    id: uuid("id").primaryKey(),
    userId: uuid("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    /** Every token rotated from one login shares a family; reuse of a rotated token kills the family. */
    familyId: uuid("family_id").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    rotatedAt: timestamp("rotated_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("idx_refresh_user").on(t.userId), index("idx_refresh_family").on(t.familyId)],
);

/** Fixed-window counter of failed logins per phone (one row per phone while a window is open). */
export const loginThrottle = pgTable("login_throttle", {
  phone: varchar("phone", { length: 20 }).primaryKey(),
  windowStart: timestamp("window_start", { withTimezone: true }).notNull(),
  failures: integer("failures").notNull(),
});
