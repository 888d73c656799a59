/**
 * Users, tokens and codes for tests. Rows go straight into the real database; tokens are minted by
 * the same session code the API uses. Phones are random so test files sharing the database never collide.
 */
import { env } from "cloudflare:test";
import { withServiceContext, type ServiceContext } from "../../src/context";
import { adminPermissions, users } from "../../src/db/schema";
import type { UserRow } from "../../src/db/types";
import { PERMISSION_TYPES, type PermissionType, type UserType } from "../../src/lib/enums";
import { hashPassword } from "../../src/lib/password";
import { startSession } from "../../src/modules/auth/sessions.service";
import { api } from "./http";

export const DEFAULT_PASSWORD = "correct-horse-42";

export function randomPhone(suffix = ""): string {
  const digits = String(Math.floor(Math.random() * 1e8)).padStart(8, "0");
  const body = `17${digits}`;
  return `+880${body.slice(0, body.length - suffix.length)}${suffix}`;
}

/** A service context for direct DB access from a test; closed by `withServices`. */
export function withServices<T>(fn: (services: ServiceContext) => Promise<T>, overrides: Partial<Env> = {}): Promise<T> {
  return withServiceContext({ ...env, ...overrides } as Env, fn);
}

let defaultHash: Promise<string> | undefined;

export interface UserOptions {
  userType?: UserType;
  verified?: boolean;
  active?: boolean;
  password?: string;
  name?: string;
  wardNumber?: string;
  phone?: string;
  /**
   * An admin's permissions: "all" (the default for admins — every module, every action, every
   * ward, as admins had before permissions existed) or exactly these rows.
   */
  permissions?: "all" | PermissionGrant[];
}

export interface PermissionGrant {
  permission_type: PermissionType;
  ward_numbers?: string[];
  can_create?: boolean;
  can_read?: boolean;
  can_update?: boolean;
  can_delete?: boolean;
}

export async function createUser(options: UserOptions = {}): Promise<UserRow> {
  const passwordHash =
    options.password && options.password !== DEFAULT_PASSWORD ? await hashPassword(options.password) : await (defaultHash ??= hashPassword(DEFAULT_PASSWORD));
  return withServices(async ({ db }) => {
    const [row] = await db
      .insert(users)
      .values({
        phone: options.phone ?? randomPhone(),
        name: options.name ?? "Test Citizen",
        passwordHash,
        userType: options.userType ?? "citizen",
        isVerified: options.verified ?? true,
        isActive: options.active ?? true,
        wardNumber: options.wardNumber ?? "12",
      })
      .returning();
    if (row!.userType === "admin") {
      const grants: PermissionGrant[] =
        options.permissions === undefined || options.permissions === "all"
          ? PERMISSION_TYPES.map((permission_type) => ({ permission_type, can_create: true, can_read: true, can_update: true, can_delete: true }))
          : options.permissions;
      if (grants.length)
        await db.insert(adminPermissions).values(
          grants.map((g) => ({
            userId: row!.id,
            permissionType: g.permission_type,
            wardNumbers: g.ward_numbers ?? [],
            canCreate: g.can_create ?? false,
            canRead: g.can_read ?? true,
            canUpdate: g.can_update ?? false,
            canDelete: g.can_delete ?? false,
          })),
        );
    }
    return row!;
  });
}

export interface SignedInUser {
  user: UserRow;
  access: string;
  refresh: string;
}

export async function signedIn(options: UserOptions = {}): Promise<SignedInUser> {
  const user = await createUser(options);
  const tokens = await withServices((services) => startSession(services, services.db, user));
  return { user, ...tokens };
}

/** Waits for the SMS queue consumer to deliver to the dev outbox and returns the newest message. */
export async function waitForSms(phone: string, after = 0, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await api(`/api/v1/dev/sms?phone=${encodeURIComponent(phone)}`);
    const results = res.body?.results ?? [];
    if (results.length > after) return results[0].message as string;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no SMS for ${phone} within ${timeoutMs} ms`);
}

export function codeFrom(sms: string): string {
  const match = sms.match(/(\d{6})/);
  if (!match) throw new Error(`no code in SMS: ${sms}`);
  return match[1]!;
}

/** Registers through the API and returns the code the SMS carried. */
export async function registerAndGetCode(phone = randomPhone(), password = DEFAULT_PASSWORD) {
  const res = await api("/api/v1/auth/register", { body: { name: "Rahim Uddin", phone, password } });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { phone, code: codeFrom(await waitForSms(phone)), userId: res.body.user_id as string };
}
