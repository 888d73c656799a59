/**
 * Emergencies: raising one (with the anti-flood limits), who may see which, lists and history.
 * Staff responses are in emergency-response.service.ts; alerts (staff SMS, the desk) in
 * emergency-alerts.service.ts.
 */
import { sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { batchRows } from "../../db/batch";
import { nextDailyNumberSql } from "../../db/sequences";
import { ApiError } from "../../lib/errors";
import { pageLimits, type PageRequest } from "../../lib/pagination";
import type { AuthUser } from "../../lib/tokens";
import type { StaffActor } from "../admin/staff-scope";
import { inStaffWards } from "../admin/staff-scope";
import { isStaff } from "../users/users.service";
import { fromRow, notifyUsersSql } from "../notifications/notify";
import { alertStaff } from "./emergency-alerts.service";
import { countEmergenciesQuery, emergenciesQuery, listConditions, toEmergencyDto, type EmergencyRecord } from "./emergency.queries";
import type { CreateEmergencyInput, EmergencyFilters } from "./emergency.schemas";

export const EMERGENCY_STATUS = { submitted: "জমা দেওয়া হয়েছে", inProgress: "প্রক্রিয়াধীন", resolved: "সমাধান হয়েছে" } as const;
export const EMERGENCY_PRIORITY = "উচ্চ";
/** A hoax flood must not drown real calls: at most this many open at once, and per rolling hour. */
export const MAX_OPEN_EMERGENCIES = 3;
export const MAX_EMERGENCIES_PER_HOUR = 5;

/** Reporters see their own; staff those in the wards they may read emergencies in (super admin: all). */
export function emergencyVisibility(viewer: StaffActor): SQL {
  return isStaff(viewer) ? inStaffWards(viewer, "emergency", "read", sql`e.ward_number`) : sql`e.user_id = ${viewer.id}`;
}

export const byId = (id: string) => sql`e.id = ${id}`;

export async function findVisibleEmergency(services: ServiceContext, viewer: StaffActor, id: string): Promise<EmergencyRecord> {
  const { rows } = await services.db.execute<EmergencyRecord>(emergenciesQuery(sql`${byId(id)} and ${emergencyVisibility(viewer)}`));
  if (!rows[0]) throw new ApiError("not_found");
  return rows[0];
}

interface CreateOutcome {
  open_count: number;
  hour_count: number;
  retry_after: number | null;
  created: boolean;
}

/**
 * Raises an emergency. One batch (one round trip, one transaction):
 *  1. a per-reporter advisory lock, so two concurrent calls from one phone are counted one after
 *     the other (each later statement reads a fresh snapshot once the lock is held);
 *  2. the limits, the day's next reference number (taken only when the limits allow it, so a
 *     refused call leaves no gap), the row and its first history entry;
 *  3. the emergency as stored;
 *  4. the alert for each staff member responsible for its ward (only if it was stored): an inbox
 *     row delivered by push and SMS (src/modules/notifications).
 * Only once that has committed are the alerts queued and the live desk told: an emergency is
 * durable before anyone is told about it.
 */
export async function raiseEmergency(services: ServiceContext, reporter: AuthUser, input: CreateEmergencyInput, now = new Date()) {
  const id = crypto.randomUUID();
  const stats = sql`(select count(*) filter (where status <> ${EMERGENCY_STATUS.resolved})::int as open_count,
                            count(*) filter (where created_at > now() - interval '1 hour')::int as hour_count,
                            min(created_at) filter (where created_at > now() - interval '1 hour') as oldest_in_hour
                     from emergency_requests where user_id = ${reporter.id})`;
  const allowed = sql`(select open_count < ${MAX_OPEN_EMERGENCIES} and hour_count < ${MAX_EMERGENCIES_PER_HOUR} from stats)`;
  const ward = sql`coalesce(${input.ward_number ?? null}::text, (select ward_number from users where id = ${reporter.id}))`;
  const [, [outcome], [stored], staffNotified] = await batchRows<[unknown, CreateOutcome, EmergencyRecord, { id: string }]>(services.db, [
    sql`select pg_advisory_xact_lock(hashtextextended(${`emergency:${reporter.id}`}, 0))`,
    sql`
      with stats as ${stats},
      reference as (${nextDailyNumberSql("emergency", "EM", now, allowed)}),
      created as (
        insert into emergency_requests (id, reference_number, user_id, emergency_type, description, location, latitude, longitude, ward_number, priority, status)
        select ${id}, number, ${reporter.id}, ${input.emergency_type}, ${input.description}, ${input.location},
               ${input.latitude ?? null}, ${input.longitude ?? null}, ${ward}, ${EMERGENCY_PRIORITY}, ${EMERGENCY_STATUS.submitted}
        from reference
        returning id
      ),
      history as (
        insert into emergency_updates (emergency_id, updated_by, old_status, new_status)
        select id, ${reporter.id}, null, ${EMERGENCY_STATUS.submitted} from created
      )
      select s.open_count, s.hour_count,
             ceil(extract(epoch from (s.oldest_in_hour + interval '1 hour' - now())))::int as retry_after,
             exists (select 1 from created) as created
      from stats s`,
    emergenciesQuery(byId(id)),
    notifyUsersSql(
      {
        type: "emergency.raised",
        key: `emergency.raised:${id}`,
        payload: { emergency_id: id, reference_number: fromRow("reference_number"), emergency_type: input.emergency_type, location: input.location, ward: fromRow("ward_number"), reporter_phone: reporter.phone },
      },
      staffResponsibleFor(id),
    ),
  ]);
  if (!outcome?.created || !stored) {
    if (outcome && outcome.open_count >= MAX_OPEN_EMERGENCIES) throw new ApiError("conflict", "emergency_open_limit");
    throw new ApiError("rate_limited", "emergency_hourly_limit", undefined, { "Retry-After": String(Math.max(1, outcome?.retry_after ?? 60)) });
  }
  const emergency = toEmergencyDto(stored);
  await alertStaff(services, emergency, staffNotified.map((n) => n.id));
  return emergency;
}

/**
 * Active staff who answer for the emergency's ward: super admins, and admins whose
 * `emergency.read` covers it (an unrestricted grant covers every ward, and so emergencies with no
 * ward) — with the columns their alert is written from. Nobody if it was not stored.
 */
function staffResponsibleFor(id: string): SQL {
  return sql`
    select s.id as user_id, e.reference_number, e.ward_number
    from emergency_requests e
    join users s on s.is_active and s.user_type in ('admin', 'super_admin')
    cross join lateral (select staff_wards(s.id, 'emergency', 'read') as wards) w
    where e.id = ${id} and (w.wards is null or e.ward_number = any(w.wards))`;
}

export async function listEmergencies(services: ServiceContext, viewer: AuthUser, filters: EmergencyFilters, page: PageRequest) {
  const where = sql`${listConditions(filters)} and ${emergencyVisibility(viewer)}`;
  const { limit, offset } = pageLimits(page);
  const [rows, [total]] = await batchRows<[EmergencyRecord, { n: number }]>(services.db, [emergenciesQuery(where, { limit, offset }), countEmergenciesQuery(where)]);
  return { rows: rows.map(toEmergencyDto), count: total?.n ?? 0 };
}

export async function getEmergency(services: ServiceContext, viewer: AuthUser, id: string) {
  return toEmergencyDto(await findVisibleEmergency(services, viewer, id));
}

/** The response history, oldest first; visible to whoever may see the emergency. One statement. */
export async function listEmergencyUpdates(services: ServiceContext, viewer: AuthUser, id: string) {
  const { rows } = await services.db.execute<{
    visible: boolean;
    id: string | null;
    old_status: string | null;
    new_status: string;
    note: string | null;
    assigned_to: string | null;
    assigned_name: string | null;
    updated_by_id: string;
    updated_by_name: string;
    created_at: string | Date;
  }>(sql`
    with target as (select e.id from emergency_requests e where ${byId(id)} and ${emergencyVisibility(viewer)})
    select true as visible, h.id, h.old_status, h.new_status, h.note, h.assigned_to, a.name as assigned_name,
           u.id as updated_by_id, u.name as updated_by_name, h.created_at
    from target t
    left join emergency_updates h on h.emergency_id = t.id
    left join users u on u.id = h.updated_by
    left join users a on a.id = h.assigned_to
    order by h.created_at, h.id`);
  if (rows.length === 0) throw new ApiError("not_found");
  return rows
    .filter((r) => r.id !== null)
    .map((r) => ({
      id: r.id!,
      old_status: r.old_status,
      new_status: r.new_status,
      assigned_to: r.assigned_to ? { id: r.assigned_to, name: r.assigned_name ?? "" } : null,
      note: r.note,
      updated_by: { id: r.updated_by_id, name: r.updated_by_name },
      created_at: new Date(r.created_at).toISOString(),
    }));
}
