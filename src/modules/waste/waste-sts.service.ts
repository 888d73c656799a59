/**
 * Secondary transfer stations (STS): where ward collections are unloaded before the landfill.
 * Any signed-in user may see them with their load; staff with the `waste` permission for a
 * station's ward record load readings. The current load is never overwritten without a trace:
 * it changes only in the statement that appends the reading (waste_sts_readings is append-only),
 * together with the staff's activity-log row. A reading above capacity is accepted and flagged.
 */
import { sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { batchRows } from "../../db/batch";
import { ApiError } from "../../lib/errors";
import { pageLimits, type PageRequest } from "../../lib/pagination";
import type { AuthUser } from "../../lib/tokens";
import { logActivityFrom } from "../admin/activity-log";
import { inStaffWards } from "../admin/staff-scope";
import type { CreateStsInput, ReadingInput, StsDto, StsFilters, UpdateStsInput } from "./waste.schemas";

type StsRecord = {
  id: string;
  name: string;
  ward_number: string;
  latitude: string;
  longitude: string;
  capacity_tonnes: string;
  current_load_tonnes: string;
  status: string;
  last_reading_at: string | Date | null;
  updated_at: string | Date;
};

const COLUMNS = sql`t.id, t.name, t.ward_number, t.latitude, t.longitude, t.capacity_tonnes, t.current_load_tonnes, t.status, t.updated_at,
  (select max(x.recorded_at) from waste_sts_readings x where x.sts_id = t.id) as last_reading_at`;

/** Percent with one decimal (never rounded up to "not over" — 100.04 % shows 100.0 but over_capacity says true). */
const percent = (load: number, capacity: number) => Math.round((load / capacity) * 1000) / 10;

export function toStsDto(r: StsRecord): StsDto {
  const load = Number(r.current_load_tonnes);
  const capacity = Number(r.capacity_tonnes);
  return {
    id: r.id,
    name: r.name,
    ward_number: r.ward_number,
    latitude: Number(r.latitude),
    longitude: Number(r.longitude),
    capacity_tonnes: capacity,
    current_load_tonnes: load,
    load_percentage: percent(load, capacity),
    over_capacity: load > capacity,
    status: r.status,
    last_reading_at: r.last_reading_at === null ? null : new Date(r.last_reading_at).toISOString(),
    updated_at: new Date(r.updated_at).toISOString(),
  };
}

function stsWhere(filters: StsFilters): SQL {
  const parts: SQL[] = [sql`true`];
  if (filters.ward_number) parts.push(sql`t.ward_number = ${filters.ward_number}`);
  if (filters.status) parts.push(sql`t.status = ${filters.status}`);
  if (filters.over_capacity) parts.push(filters.over_capacity === "true" ? sql`t.current_load_tonnes > t.capacity_tonnes` : sql`t.current_load_tonnes <= t.capacity_tonnes`);
  return sql.join(parts, sql` and `);
}

/** Fullest first (by share of capacity), then by name. The page and its count: one batch. */
export async function listSts(services: ServiceContext, filters: StsFilters, page: PageRequest) {
  const where = stsWhere(filters);
  const { limit, offset } = pageLimits(page);
  const [rows, [total]] = await batchRows<[StsRecord, { n: number }]>(services.db, [
    sql`select ${COLUMNS} from waste_sts t where ${where}
        order by t.current_load_tonnes / t.capacity_tonnes desc, t.name, t.id limit ${limit} offset ${offset}`,
    sql`select count(*)::int as n from waste_sts t where ${where}`,
  ]);
  return { rows: rows.map(toStsDto), count: total?.n ?? 0 };
}

export async function getSts(services: ServiceContext, id: string): Promise<StsDto> {
  const { rows } = await services.db.execute<StsRecord>(sql`select ${COLUMNS} from waste_sts t where t.id = ${id}`);
  if (!rows[0]) throw new ApiError("not_found");
  return toStsDto(rows[0]);
}

export async function createSts(services: ServiceContext, actor: AuthUser, input: CreateStsInput): Promise<StsDto> {
  const allowed = inStaffWards(actor, "waste", "create", sql`${input.ward_number}::text`);
  const [[row]] = await batchRows<[Partial<StsRecord> & { allowed: boolean }]>(services.db, [
    sql`
      with allowed as (select ${allowed} as ok),
      created as (
        insert into waste_sts as t (name, ward_number, latitude, longitude, capacity_tonnes, status)
        select ${input.name}, ${input.ward_number}, ${input.latitude}, ${input.longitude}, ${input.capacity_tonnes}, ${input.status ?? "operational"}
        from allowed where ok
        returning t.id, t.name, t.ward_number, t.latitude, t.longitude, t.capacity_tonnes, t.current_load_tonnes, t.status, t.updated_at, null::timestamptz as last_reading_at
      ),
      logged as (${logActivityFrom(services, actor.id, sql`created`, {
        action: "waste_sts.create",
        resourceType: "waste_sts",
        resourceId: sql`created.id`,
        details: sql`jsonb_build_object('name', created.name, 'ward_number', created.ward_number, 'capacity_tonnes', created.capacity_tonnes)`,
      })})
      select c.*, (select ok from allowed) as allowed from (select 1) one left join created c on true`,
  ]);
  if (!row?.allowed) throw new ApiError("forbidden");
  return toStsDto(row as StsRecord);
}

const columnOf: Record<keyof UpdateStsInput, string> = {
  name: "name",
  ward_number: "ward_number",
  latitude: "latitude",
  longitude: "longitude",
  capacity_tonnes: "capacity_tonnes",
  status: "status",
};

/** Name, place, capacity or status (not the load: that is a reading). Staff of its ward (and of a new ward it moves to). */
export async function updateSts(services: ServiceContext, actor: AuthUser, id: string, input: UpdateStsInput): Promise<StsDto> {
  const fields = (Object.keys(columnOf) as Array<keyof UpdateStsInput>).filter((k) => input[k] !== undefined);
  const assignments = fields.map((k) => sql`${sql.identifier(columnOf[k])} = ${input[k] ?? null}`);
  const newWard = input.ward_number ?? null;
  const allowed = sql`(${inStaffWards(actor, "waste", "update", sql`cur.ward_number`)} and (${newWard}::text is null or ${inStaffWards(actor, "waste", "update", sql`${newWard}::text`)}))`;
  const [[row]] = await batchRows<[Partial<StsRecord> & { found: boolean; allowed: boolean }]>(services.db, [
    sql`
      with cur as (select id, ward_number from waste_sts where id = ${id} for update),
      changed as (
        update waste_sts t set ${sql.join([...assignments, sql`updated_at = now()`], sql`, `)}
        from cur where t.id = cur.id and ${allowed}
        returning ${COLUMNS}
      ),
      logged as (${logActivityFrom(services, actor.id, sql`changed`, {
        action: "waste_sts.update",
        resourceType: "waste_sts",
        resourceId: sql`changed.id`,
        details: sql`${JSON.stringify(input)}::jsonb`,
      })})
      select c.*, exists (select 1 from cur) as found, coalesce((select ${allowed} from cur), false) as allowed
      from (select 1) one left join changed c on true`,
  ]);
  if (!row?.found) throw new ApiError("not_found");
  if (!row.allowed) throw new ApiError("forbidden");
  return toStsDto(row as StsRecord);
}

type ReadingRecord = {
  id: string;
  sts_id: string;
  load_tonnes: string;
  previous_load_tonnes: string;
  capacity_tonnes: string;
  over_capacity: boolean;
  note: string | null;
  recorded_by: string | null;
  recorded_by_name: string | null;
  recorded_at: string | Date;
};

function toReadingDto(r: ReadingRecord) {
  const load = Number(r.load_tonnes);
  const capacity = Number(r.capacity_tonnes);
  return {
    id: r.id,
    sts_id: r.sts_id,
    load_tonnes: load,
    previous_load_tonnes: Number(r.previous_load_tonnes),
    capacity_tonnes: capacity,
    load_percentage: percent(load, capacity),
    over_capacity: r.over_capacity,
    note: r.note,
    recorded_by: r.recorded_by ? { id: r.recorded_by, name: r.recorded_by_name ?? "" } : null,
    recorded_at: new Date(r.recorded_at).toISOString(),
  };
}

/**
 * Records a load reading: one statement appends the reading (with the load it replaces and the
 * capacity at that moment), sets the station's current load and writes the activity-log row, under
 * the station's row lock (concurrent readings queue; each one's `previous_load_tonnes` is the one
 * before it). Answers with the station as it now stands and the reading.
 */
export async function recordReading(services: ServiceContext, actor: AuthUser, id: string, input: ReadingInput) {
  const allowed = inStaffWards(actor, "waste", "update", sql`cur.ward_number`);
  const [[outcome], [station]] = await batchRows<[Partial<ReadingRecord> & { found: boolean; allowed: boolean }, StsRecord]>(services.db, [
    sql`
      with cur as (select id, ward_number, current_load_tonnes, capacity_tonnes from waste_sts where id = ${id} for update),
      reading as (
        insert into waste_sts_readings (sts_id, load_tonnes, previous_load_tonnes, capacity_tonnes, note, recorded_by)
        select cur.id, ${input.load_tonnes}, cur.current_load_tonnes, cur.capacity_tonnes, ${input.note ?? null}, ${actor.id}::uuid
        from cur where ${allowed}
        returning *
      ),
      changed as (
        update waste_sts t set current_load_tonnes = reading.load_tonnes, updated_at = now()
        from reading where t.id = reading.sts_id
      ),
      logged as (${logActivityFrom(services, actor.id, sql`reading`, {
        action: "waste_sts.reading",
        resourceType: "waste_sts",
        resourceId: sql`reading.sts_id`,
        details: sql`jsonb_build_object('reading_id', reading.id, 'load_tonnes', reading.load_tonnes, 'previous_load_tonnes', reading.previous_load_tonnes, 'over_capacity', reading.over_capacity)`,
      })})
      select rd.id, rd.sts_id, rd.load_tonnes, rd.previous_load_tonnes, rd.capacity_tonnes, rd.over_capacity, rd.note, rd.recorded_by, u.name as recorded_by_name, rd.recorded_at,
             exists (select 1 from cur) as found, coalesce((select ${allowed} from cur), false) as allowed
      from (select 1) one left join reading rd on true left join users u on u.id = rd.recorded_by`,
    sql`select ${COLUMNS} from waste_sts t where t.id = ${id}`,
  ]);
  if (!outcome?.found || !station) throw new ApiError("not_found");
  if (!outcome.allowed) throw new ApiError("forbidden");
  return { station: toStsDto(station), reading: toReadingDto(outcome as ReadingRecord) };
}

/** A station's readings, newest first (staff who may read waste in its ward). The page and its count: one batch. */
export async function listReadings(services: ServiceContext, viewer: AuthUser, id: string, page: PageRequest) {
  const { limit, offset } = pageLimits(page);
  const visible = sql`exists (select 1 from waste_sts t where t.id = ${id} and ${inStaffWards(viewer, "waste", "read", sql`t.ward_number`)})`;
  const [rows, [total]] = await batchRows<[ReadingRecord, { n: number; visible: boolean }]>(services.db, [
    sql`select rd.id, rd.sts_id, rd.load_tonnes, rd.previous_load_tonnes, rd.capacity_tonnes, rd.over_capacity, rd.note, rd.recorded_by, u.name as recorded_by_name, rd.recorded_at
        from waste_sts_readings rd left join users u on u.id = rd.recorded_by
        where rd.sts_id = ${id} and ${visible}
        order by rd.recorded_at desc, rd.id desc limit ${limit} offset ${offset}`,
    sql`select count(*)::int as n, ${visible} as visible from waste_sts_readings rd where rd.sts_id = ${id}`,
  ]);
  if (!total?.visible) throw new ApiError("not_found");
  return { rows: rows.map(toReadingDto), count: total.n };
}
