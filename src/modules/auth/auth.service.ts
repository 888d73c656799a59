/** Registration, verification, login and password flows (contract §3). */
import { logActivityFrom } from "../admin/activity-log";
import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import type { UserRow } from "../../db/types";
import { STAFF_TYPES, type OtpPurpose } from "../../lib/enums";
import { ApiError, rateLimited, validationError } from "../../lib/errors";
import { t } from "../../lib/i18n";
import { decoyHash, hashPassword, needsRehash, verifyPassword } from "../../lib/password";
import { findUserByPhone } from "../users/users.repository";
import { checkOtp, checkOtpSql, issueOtp, otpOutcome, type OtpCheck } from "./otp.service";
import { insertSessionSql, mapUserRow, newSession, signSession, startSession, type TokenPair } from "./sessions.service";
import type { Queryable } from "../../db/client";
import { isUniqueViolation } from "../../db/errors";

export const LOGIN_MAX_FAILURES = 5;
export const LOGIN_WINDOW_SECONDS = 15 * 60;

export interface RegistrationInput {
  name: string;
  phone: string;
  password: string;
  email?: string | null;
  nid?: string | null;
  address?: string | null;
  ward_number?: string | null;
}

/**
 * Creates an unverified account and sends a registration code.
 *
 * A phone that already belongs to a *verified* account is refused. So is one whose unverified
 * sign-up still has a live code: that code was sent to the phone's owner for *that* sign-up, and
 * letting a second registration replace the password under it would let a stranger choose the
 * password of the account the owner then verifies. The answer (400 on `phone`) tells the owner to
 * enter the code or ask for a new one. Only a pending sign-up whose codes have all expired (or been
 * used up) may be replaced — so an abandoned sign-up cannot squat a number — and the replacement
 * supersedes every earlier code: a code only ever verifies the registration it was sent for.
 */
export async function register(services: ServiceContext, input: RegistrationInput): Promise<UserRow> {
  const passwordHash = await hashPassword(input.password);
  try {
    return await services.interactive(async (tx) => {
      const { rows } = await tx.execute<Record<string, unknown>>(sql`
        insert into users (phone, name, password_hash, email, nid, address, ward_number)
        values (${input.phone}, ${input.name}, ${passwordHash}, ${input.email ?? null}, ${input.nid ?? null},
                ${input.address ?? null}, ${input.ward_number ?? null})
        on conflict (phone) do update set
          name = excluded.name, password_hash = excluded.password_hash, email = excluded.email, nid = excluded.nid,
          address = excluded.address, ward_number = excluded.ward_number, updated_at = now()
        where users.is_verified = false
          and not exists (
            select 1 from otp_codes o
            where o.phone = excluded.phone and o.purpose = 'registration' and o.consumed_at is null and o.expires_at > now()
          )
        returning *`);
      if (!rows[0]) throw await duplicateRegistration(tx, input.phone);
      await issueOtp(services, tx, input.phone, "registration");
      return mapUserRow(rows[0]);
    });
  } catch (err) {
    if (isUniqueViolation(err, "users_email_unique")) throw validationError({ email: [t("email_taken", "en")] }, "email_taken");
    throw err;
  }
}

/** Why a registration of `phone` stored nothing: a verified account, or a sign-up awaiting its code. */
async function duplicateRegistration(tx: Queryable, phone: string): Promise<ApiError> {
  const existing = await findUserByPhone(tx, phone);
  return existing && !existing.isVerified
    ? validationError({ phone: [t("phone_pending", "en")] }, "phone_pending")
    : validationError({ phone: [t("phone_taken", "en")] }, "phone_taken");
}

function otpFailure(result: Exclude<OtpCheck, "ok">): ApiError {
  return result === "attempts_exceeded"
    ? validationError({ otp_code: ["Too many wrong codes. Request a new code."] }, "otp_attempts_exceeded")
    : validationError({ otp_code: ["The code is wrong, expired or already used."] }, "otp_invalid");
}

/**
 * verify-otp: `registration` marks the account verified; `login` is passwordless sign-in for a
 * verified account. Either way a session starts. One statement: the code check (which counts a
 * wrong try, and commits that count), and on a match the account update and the new session.
 */
export async function verifyOtpAndSignIn(services: ServiceContext, phone: string, purpose: "registration" | "login", code: string) {
  const session = newSession();
  const { rows } = await services.db.execute<{ ok: boolean; failed_attempts: number; account: Record<string, unknown> | null }>(sql`
    with checked as (${await checkOtpSql(services, phone, purpose, code)}),
    verified as (
      update users set is_verified = true, last_login = now(), updated_at = now()
      where phone = ${phone} and is_active and (${purpose} = 'registration' or is_verified)
        and exists (select 1 from checked where ok)
      returning *
    ),
    started as (${insertSessionSql(services, session, sql`select id from verified`)})
    select c.ok, c.failed_attempts, to_jsonb(v) as account
    from checked c left join verified v on true`);
  const check = otpOutcome(rows[0]);
  if (check !== "ok") throw otpFailure(check);
  if (!rows[0]?.account) throw otpFailure("invalid"); // the code was right, but not for an account that may sign in
  const user = mapUserRow(rows[0].account);
  return { user, tokens: await signSession(services, session, user) };
}

/**
 * resend-otp: sends a fresh code only when the account is in a state that needs one; the answer is
 * the same either way so it cannot be used to discover accounts. Cooldown and hourly cap → 429.
 */
export async function resendOtp(services: ServiceContext, phone: string, purpose: OtpPurpose): Promise<void> {
  const user = await findUserByPhone(services.db, phone);
  const eligible =
    !!user &&
    user.isActive &&
    (purpose === "registration" ? !user.isVerified : purpose === "login" ? user.isVerified : true);
  if (!eligible) return;
  await services.interactive((tx) => issueOtp(services, tx, phone, purpose));
}

/**
 * Password login with throttling, in two round trips. The first statement counts this attempt
 * against the phone's 15-minute window (reserving it *before* the password is checked, so parallel
 * guesses cannot slip past the limit), loads the user and — for an active, verified account within
 * the limit — already stores the session's refresh token. That token is only ever handed out if the
 * password then checks out in the worker; otherwise nobody holds it (it is signed by us and never
 * sent), and it is deleted after the answer. On success the second statement clears the window and
 * records `last_login` (and a hash upgrade). It cannot ride the first (the password is checked in
 * between) nor wait until after the answer (the user's next attempt must already count from zero).
 */
export async function login(services: ServiceContext, phone: string, password: string): Promise<{ user: UserRow; tokens: TokenPair }> {
  const session = newSession();
  const { rows } = await services.db.execute<Record<string, unknown>>(sql`
    with attempt as (
      insert into login_throttle as lt (phone, window_start, failures) values (${phone}, now(), 1)
      on conflict (phone) do update set
        failures = case when lt.window_start < now() - make_interval(secs => ${LOGIN_WINDOW_SECONDS}) then 1 else lt.failures + 1 end,
        window_start = case when lt.window_start < now() - make_interval(secs => ${LOGIN_WINDOW_SECONDS}) then now() else lt.window_start end
      returning failures, extract(epoch from (window_start + make_interval(secs => ${LOGIN_WINDOW_SECONDS}) - now()))::float8 as retry_after
    ),
    account as (select * from users where phone = ${phone}),
    started as (
      ${insertSessionSql(services, session, sql`(select id from account where is_active and is_verified and (select failures from attempt) <= ${LOGIN_MAX_FAILURES})`)}
    )
    select a.failures as throttle_failures, a.retry_after as throttle_retry_after, exists (select 1 from started) as session_stored, u.*
    from attempt a left join account u on true`);
  const row = rows[0]!;
  if (Number(row.throttle_failures) > LOGIN_MAX_FAILURES) throw rateLimited(Number(row.throttle_retry_after));

  const user = row.id ? mapUserRow(row) : undefined;
  // Unknown phones cost a full hash too, so response time does not reveal which numbers exist.
  const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
  const stored = row.session_stored === true;
  if (!user || !valid || !user.isActive || !user.isVerified) {
    if (stored) services.afterResponse(() => services.db.execute(sql`delete from refresh_tokens where id = ${session.jti}`));
    if (!user || !valid) throw new ApiError("unauthorized", "invalid_credentials");
    throw new ApiError(user.isActive ? "not_verified" : "account_disabled");
  }

  // Clearing the window must land before the answer: the user's very next attempt counts from zero.
  const upgradedHash = needsRehash(user.passwordHash) ? await hashPassword(password) : null;
  const [, tokens] = await Promise.all([
    services.db.execute(sql`
      with cleared as (delete from login_throttle where phone = ${phone}),
      signed_in as (
        update users set last_login = now(), password_hash = coalesce(${upgradedHash}, password_hash) where id = ${user.id}
        returning id, user_type
      )${
        // A staff sign-in is staff activity: logged with the same statement, so no extra round trip.
        STAFF_TYPES.includes(user.userType)
          ? sql`, logged as (${logActivityFrom(services, user.id, sql`signed_in`, { action: "auth.login", resourceType: "user", resourceId: sql`signed_in.id` })})`
          : sql``
      }
      select 1 from signed_in`),
    signSession(services, session, user),
  ]);
  return { user: { ...user, lastLogin: new Date() }, tokens };
}

/** Changes the password, voids every existing token, and returns a fresh pair for this device. */
export async function changePassword(services: ServiceContext, user: UserRow, oldPassword: string, newPassword: string): Promise<TokenPair> {
  if (!(await verifyPassword(oldPassword, user.passwordHash))) {
    throw validationError({ old_password: [t("wrong_password", "en")] }, "wrong_password");
  }
  const passwordHash = await hashPassword(newPassword);
  return services.interactive(async (tx) => {
    const updated = await setPassword(tx, user.id, passwordHash);
    return startSession(services, tx, updated);
  });
}

async function setPassword(tx: Queryable, userId: string, passwordHash: string): Promise<UserRow> {
  const { rows } = await tx.execute<Record<string, unknown>>(sql`
    with revoked as (update refresh_tokens set revoked_at = now() where user_id = ${userId} and revoked_at is null)
    update users set password_hash = ${passwordHash}, token_version = token_version + 1, updated_at = now()
    where id = ${userId} returning *`);
  return mapUserRow(rows[0]!);
}

/** Always "accepted": a code is sent only when an active account exists, and a throttled send is silent. */
export async function requestPasswordReset(services: ServiceContext, phone: string): Promise<void> {
  try {
    await resendOtp(services, phone, "password_reset");
  } catch (err) {
    if (err instanceof ApiError && err.code === "rate_limited") return;
    throw err;
  }
}

export async function confirmPasswordReset(services: ServiceContext, phone: string, code: string, newPassword: string): Promise<void> {
  const passwordHash = await hashPassword(newPassword);
  const check = await services.interactive(async (tx) => {
    const result = await checkOtp(services, tx, phone, "password_reset", code);
    if (result !== "ok") return result;
    const user = await findUserByPhone(tx, phone);
    if (!user || !user.isActive) return "invalid" as const;
    await setPassword(tx, user.id, passwordHash);
    return result;
  });
  if (check !== "ok") throw otpFailure(check);
}
