/**
 * One-time codes (contract §3): 6 random digits, valid 5 minutes, single use, stored only as a keyed
 * hash, at most 5 wrong tries per code, one send per 60 s per phone+purpose, 5 sends per phone per
 * hour. Sends go through the SMS queue, never inline.
 */
import { sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import type { Queryable } from "../../db/client";
import { hmacSha256Hex, randomDigits } from "../../lib/crypto";
import type { OtpPurpose } from "../../lib/enums";
import { rateLimited } from "../../lib/errors";
import { enqueueSms } from "../sms/sms.service";

export const OTP_TTL_SECONDS = 5 * 60;
export const OTP_MAX_FAILED_ATTEMPTS = 5;
export const OTP_RESEND_COOLDOWN_SECONDS = 60;
export const OTP_MAX_SENDS_PER_HOUR = 5;


export function otpSmsText(code: string): string {
  return `আপনার Clean Care যাচাইকরণ কোড: ${code}। এটি ৫ মিনিটের জন্য বৈধ। আপনি অনুরোধ না করে থাকলে কাউকে কোডটি দেবেন না।`;
}

function codeHash(services: ServiceContext, phone: string, purpose: OtpPurpose, code: string): Promise<string> {
  return hmacSha256Hex(services.config.OTP_HASH_KEY, `${phone}|${purpose}|${code}`);
}

/**
 * Issues a new code and enqueues its SMS. Must run inside a transaction (`tx`): a per-phone advisory
 * lock makes the cooldown and hourly cap hold under concurrent requests, and a failed enqueue rolls
 * the code back. Earlier unused codes for the same purpose stop working.
 */
export async function issueOtp(services: ServiceContext, tx: Queryable, phone: string, purpose: OtpPurpose): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${"otp:" + phone}))`);
  const { rows } = await tx.execute<{ sent_last_hour: number; oldest_in_hour: string | null; last_for_purpose: string | null; now: string }>(sql`
    select count(*)::int as sent_last_hour,
           min(created_at) as oldest_in_hour,
           max(created_at) filter (where purpose = ${purpose}) as last_for_purpose,
           now() as now
    from otp_codes
    where phone = ${phone} and created_at > now() - interval '1 hour'`);
  const stats = rows[0]!;
  const now = new Date(stats.now).getTime();
  if (stats.last_for_purpose) {
    const elapsed = (now - new Date(stats.last_for_purpose).getTime()) / 1000;
    if (elapsed < OTP_RESEND_COOLDOWN_SECONDS) throw rateLimited(OTP_RESEND_COOLDOWN_SECONDS - elapsed);
  }
  if (stats.sent_last_hour >= OTP_MAX_SENDS_PER_HOUR && stats.oldest_in_hour) {
    throw rateLimited((new Date(stats.oldest_in_hour).getTime() + 3600_000 - now) / 1000);
  }

  const code = randomDigits(6);
  const hash = await codeHash(services, phone, purpose, code);
  await tx.execute(sql`
    with superseded as (
      update otp_codes set consumed_at = now()
      where phone = ${phone} and purpose = ${purpose} and consumed_at is null
    )
    insert into otp_codes (phone, purpose, code_hash, expires_at)
    values (${phone}, ${purpose}, ${hash}, now() + make_interval(secs => ${OTP_TTL_SECONDS}))`);
  await enqueueSms(services.env, { phone, text: otpSmsText(code) });
}

export type OtpCheck = "ok" | "invalid" | "attempts_exceeded";

/**
 * Checks a code against the newest live code for phone+purpose in one atomic statement: the row is
 * locked, a match consumes it (single use even under concurrent tries), a miss counts a failed try.
 * Hashes are compared in SQL; they are HMACs, so their comparison time reveals nothing about the code.
 */
export async function checkOtp(services: ServiceContext, tx: Queryable, phone: string, purpose: OtpPurpose, code: string): Promise<OtpCheck> {
  const { rows } = await tx.execute<{ ok: boolean; failed_attempts: number }>(await checkOtpSql(services, phone, purpose, code));
  return otpOutcome(rows[0]);
}

/**
 * The statement behind `checkOtp`, returning `ok` and `failed_attempts` (no row: no live code).
 * Use `checked` as a CTE name of a larger statement to act on a match in the same statement.
 */
export async function checkOtpSql(services: ServiceContext, phone: string, purpose: OtpPurpose, code: string): Promise<SQL> {
  const hash = await codeHash(services, phone, purpose, code);
  return sql`
    with target as (
      select id, code_hash, failed_attempts from otp_codes
      where phone = ${phone} and purpose = ${purpose} and consumed_at is null and expires_at > now()
      order by created_at desc limit 1
      for update
    ), matched as (
      select id, (code_hash = ${hash} and failed_attempts < ${OTP_MAX_FAILED_ATTEMPTS}) as ok from target
    )
    update otp_codes o set
      consumed_at = case when m.ok then now() else o.consumed_at end,
      failed_attempts = case when m.ok then o.failed_attempts else o.failed_attempts + 1 end
    from matched m where o.id = m.id
    returning m.ok as ok, o.failed_attempts as failed_attempts`;
}

export function otpOutcome(row: { ok: boolean; failed_attempts: number } | undefined): OtpCheck {
  if (!row) return "invalid";
  if (row.ok) return "ok";
  return row.failed_attempts >= OTP_MAX_FAILED_ATTEMPTS ? "attempts_exceeded" : "invalid";
}
