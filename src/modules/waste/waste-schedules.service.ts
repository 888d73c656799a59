/**
 * Ward collection schedules: public to read (one statement), kept by staff with the `waste`
 * permission for the schedule's ward. Each change and its activity-log row are one statement.
 */
import { sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { batchRows } from "../../db/batch";
import { dhakaDate } from "../../lib/dhaka-time";
import { ApiError, validationError } from "../../lib/errors";
import { pageLimits, type PageRequest } from "../../lib/pagination";
import type { AuthUser } from "../../lib/tokens";
import { logActivityFrom } from "../admin/activity-log";
import { inStaffWards } from "../admin/staff-scope";
import { DAY_NAMES, type CreateScheduleInput, type ScheduleDto, type UpdateScheduleInput } from "./waste.schemas";

export type ScheduleRecord = {
  id: string;
  ward_number: string;
  waste_type: string;
  days_of_week: number[];
  start_time: string;
  end_time: string;
  collector: string | null;
  vehicle: string | null;
  notes: string | null;
  is_active: boolean;
  created_at: string | Date;
  updated_at: string | Date;
};

const COLUMNS = sql`s.id, s.ward_number, s.waste_type, s.days_of_week, to_char(s.start_time, 'HH24:MI') as start_time, to_char(s.end_time, 'HH24:MI') as end_time,
  s.collector, s.vehicle, s.notes, s.is_active, s.created_at, s.updated_at`;

export function toScheduleDto(r: ScheduleRecord): ScheduleDto {
  return {
    id: r.id,
    ward_number: r.ward_number,
    waste_type: r.waste_type,
    days_of_week: r.days_of_week.map((d) => DAY_NAMES[d]!),
    start_time: r.start_time,
    end_time: r.end_time,
    time_zone: "Asia/Dhaka",
    collector: r.collector,
    vehicle: r.vehicle,
    notes: r.notes,
    is_active: r.is_active,
    created_at: new Date(r.created_at).toISOString(),
    updated_at: new Date(r.updated_at).toISOString(),
  };
}

function listWhere(filters: { ward_number?: string; waste_type?: string }): SQL {
  const parts = [sql`s.is_active`];
  if (filters.ward_number) parts.push(sql`s.ward_number = ${filters.ward_number}`);
  if (filters.waste_type) parts.push(sql`s.waste_type = ${filters.waste_type}`);
  return sql.join(parts, sql` and `);
}

/** Active schedules by ward (numerically) and waste type; the page and its count in one batch. */
export async function listSchedules(services: ServiceContext, filters: { ward_number?: string; waste_type?: string }, page: PageRequest) {
  const where = listWhere(filters);
  const { limit, offset } = pageLimits(page);
  const [rows, [total]] = await batchRows<[ScheduleRecord, { n: number }]>(services.db, [
    sql`select ${COLUMNS} from waste_schedules s where ${where}
        order by lpad(s.ward_number, 3, '0'), s.waste_type, s.id limit ${limit} offset ${offset}`,
    sql`select count(*)::int as n from waste_schedules s where ${where}`,
  ]);
  return { rows: rows.map(toScheduleDto), count: total?.n ?? 0 };
}

export async function getSchedule(services: ServiceContext, id: string): Promise<ScheduleDto> {
  const { rows } = await services.db.execute<ScheduleRecord>(sql`select ${COLUMNS} from waste_schedules s where s.id = ${id}`);
  if (!rows[0]) throw new ApiError("not_found");
  return toScheduleDto(rows[0]);
}

const DAY_MS = 86_400_000;
const DHAKA_OFFSET_MS = 6 * 60 * 60 * 1000;
const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The collections of `schedules` from `now` over the next `days` Dhaka days (today included), in
 * time order. A window that has begun but not ended is still "next" (in progress). Dhaka is UTC+6
 * all year, so wall-clock times map to instants by a constant offset.
 */
export function nextCollections(schedules: ScheduleDto[], now: Date, days: number) {
  const today = dhakaDate(now);
  const todayStart = Date.parse(`${today}T00:00:00Z`) - DHAKA_OFFSET_MS;
  const out = [];
  for (let i = 0; i < days; i++) {
    const dayStart = todayStart + i * DAY_MS;
    const date = dhakaDate(new Date(dayStart));
    const dow = new Date(`${date}T00:00:00Z`).getUTCDay();
    for (const s of schedules) {
      if (!s.days_of_week.includes(DAY_NAMES[dow]!)) continue;
      const startsAt = dayStart + minutesOf(s.start_time) * 60_000;
      const endsAt = dayStart + minutesOf(s.end_time) * 60_000;
      if (endsAt <= now.getTime()) continue;
      out.push({
        schedule_id: s.id,
        ward_number: s.ward_number,
        waste_type: s.waste_type,
        date,
        day_of_week: DAY_NAMES[dow]!,
        starts_at: `${date}T${s.start_time}:00+06:00`,
        ends_at: `${date}T${s.end_time}:00+06:00`,
        in_progress: startsAt <= now.getTime(),
        collector: s.collector,
        vehicle: s.vehicle,
        sort: startsAt,
      });
    }
  }
  return out.sort((a, b) => a.sort - b.sort || a.waste_type.localeCompare(b.waste_type)).map(({ sort: _s, ...c }) => c);
}

/** The next collections in a ward (one statement: its active schedules; the dates are computed here). */
export async function nextCollectionsIn(services: ServiceContext, ward: string, wasteType: string | undefined, days: number, now = new Date()) {
  const { rows } = await services.db.execute<ScheduleRecord>(sql`select ${COLUMNS} from waste_schedules s where ${listWhere({ ward_number: ward, waste_type: wasteType })}`);
  return nextCollections(rows.map(toScheduleDto), now, days);
}

const wardMatches = (actor: AuthUser, action: "create" | "update" | "delete", ward: SQL) => inStaffWards(actor, "waste", action, ward);

export async function createSchedule(services: ServiceContext, actor: AuthUser, input: CreateScheduleInput): Promise<ScheduleDto> {
  const allowed = wardMatches(actor, "create", sql`${input.ward_number}::text`);
  const [[row]] = await batchRows<[Partial<ScheduleRecord> & { allowed: boolean }]>(services.db, [
    sql`
      with allowed as (select ${allowed} as ok),
      created as (
        insert into waste_schedules as s (ward_number, waste_type, days_of_week, start_time, end_time, collector, vehicle, notes, is_active, created_by)
        select ${input.ward_number}, ${input.waste_type}, ${`{${input.days_of_week.join(",")}}`}::smallint[], ${input.start_time}::time, ${input.end_time}::time,
               ${input.collector ?? null}, ${input.vehicle ?? null}, ${input.notes ?? null}, ${input.is_active ?? true}, ${actor.id}::uuid
        from allowed where ok
        on conflict (ward_number, waste_type) do nothing
        returning ${COLUMNS}
      ),
      logged as (${logActivityFrom(services, actor.id, sql`created`, {
        action: "waste_schedule.create",
        resourceType: "waste_schedule",
        resourceId: sql`created.id`,
        details: sql`jsonb_build_object('ward_number', created.ward_number, 'waste_type', created.waste_type)`,
      })})
      select c.*, (select ok from allowed) as allowed
      from (select 1) one left join created c on true`,
  ]);
  if (!row?.allowed) throw new ApiError("forbidden");
  if (!row.id) throw new ApiError("conflict", "waste_schedule_taken");
  return toScheduleDto(row as ScheduleRecord);
}

const columnOf: Record<Exclude<keyof UpdateScheduleInput, "days_of_week" | "start_time" | "end_time">, string> = {
  ward_number: "ward_number",
  waste_type: "waste_type",
  collector: "collector",
  vehicle: "vehicle",
  notes: "notes",
  is_active: "is_active",
};

type MutationOutcome = Partial<ScheduleRecord> & { found: boolean; allowed: boolean; window_ok?: boolean };

/**
 * Changes a schedule: staff allowed to update in its ward (and, when it moves, in the new ward too).
 * A window that would end before it starts is 400; moving onto a ward and type that already has a
 * schedule is 409 (the unique constraint, inside the statement).
 */
export async function updateSchedule(services: ServiceContext, actor: AuthUser, id: string, input: UpdateScheduleInput): Promise<ScheduleDto> {
  const fields = (Object.keys(columnOf) as Array<keyof typeof columnOf>).filter((k) => input[k] !== undefined);
  const assignments = fields.map((k) => sql`${sql.identifier(columnOf[k])} = ${input[k] ?? null}`);
  if (input.days_of_week) assignments.push(sql`days_of_week = ${`{${input.days_of_week.join(",")}}`}::smallint[]`);
  if (input.start_time) assignments.push(sql`start_time = ${input.start_time}::time`);
  if (input.end_time) assignments.push(sql`end_time = ${input.end_time}::time`);
  const newWard = input.ward_number ?? null;
  const allowed = sql`(${wardMatches(actor, "update", sql`cur.ward_number`)} and (${newWard}::text is null or ${wardMatches(actor, "update", sql`${newWard}::text`)}))`;
  const windowOk = sql`coalesce(${input.end_time ?? null}::time, cur.end_time) > coalesce(${input.start_time ?? null}::time, cur.start_time)`;
  // A move onto a ward and type that has a schedule fails on the unique constraint: 409 (errors middleware).
  const [[row]] = await batchRows<[MutationOutcome]>(services.db, [
    sql`
      with cur as (select * from waste_schedules where id = ${id} for update),
      changed as (
        update waste_schedules s set ${sql.join([...assignments, sql`updated_at = now()`], sql`, `)}
        from cur where s.id = cur.id and ${allowed} and ${windowOk}
        returning ${COLUMNS}
      ),
      logged as (${logActivityFrom(services, actor.id, sql`changed`, {
        action: "waste_schedule.update",
        resourceType: "waste_schedule",
        resourceId: sql`changed.id`,
        details: sql`${JSON.stringify({ fields: Object.keys(input) })}::jsonb`,
      })})
      select c.*, exists (select 1 from cur) as found, coalesce((select ${allowed} from cur), false) as allowed,
             coalesce((select ${windowOk} from cur), false) as window_ok
      from (select 1) one left join changed c on true`,
  ]);
  if (!row?.found) throw new ApiError("not_found");
  if (!row.allowed) throw new ApiError("forbidden");
  if (!row.window_ok) throw validationError({ end_time: ["end_time must be after start_time (a window within one day)."] });
  return toScheduleDto(row as ScheduleRecord);
}

export async function deleteSchedule(services: ServiceContext, actor: AuthUser, id: string): Promise<void> {
  const allowed = wardMatches(actor, "delete", sql`cur.ward_number`);
  const [[row]] = await batchRows<[{ found: boolean; allowed: boolean }]>(services.db, [
    sql`
      with cur as (select id, ward_number, waste_type from waste_schedules where id = ${id} for update),
      removed as (delete from waste_schedules s using cur where s.id = cur.id and ${allowed} returning s.id, s.ward_number, s.waste_type),
      logged as (${logActivityFrom(services, actor.id, sql`removed`, {
        action: "waste_schedule.delete",
        resourceType: "waste_schedule",
        resourceId: sql`removed.id`,
        details: sql`jsonb_build_object('ward_number', removed.ward_number, 'waste_type', removed.waste_type)`,
      })})
      select exists (select 1 from cur) as found, coalesce((select ${allowed} from cur), false) as allowed`,
  ]);
  if (!row?.found) throw new ApiError("not_found");
  if (!row.allowed) throw new ApiError("forbidden");
}
