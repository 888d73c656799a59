/**
 * The city's calendar: public range lists with repeats expanded in SQL, one-row-per-series staff
 * changes (permission and activity-log row in the change's own statement), and participation with
 * capacity enforced under concurrency.
 */
import { sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { batchRows } from "../../db/batch";
import { dhakaDate, dhakaDayStart } from "../../lib/dhaka-time";
import { ApiError, validationError, type ErrorDetails } from "../../lib/errors";
import { pageLimits, type PageRequest } from "../../lib/pagination";
import type { AuthUser } from "../../lib/tokens";
import { logActivityFrom } from "../admin/activity-log";
import {
  countEventsQuery,
  coversWards,
  dhakaCeil,
  dhakaFloor,
  eventColumns,
  eventsQuery,
  feedQuery,
  seriesEnd,
  wardArray,
  type EventRecord,
  type Range,
} from "./calendar.queries";
import { DEFAULT_RANGE_DAYS, MAX_RANGE_DAYS, type CreateEventInput, type EventFilters, type FeedFilters, type UpdateEventInput } from "./calendar.schemas";

const DAY_MS = 86_400_000;

/** `from` defaults to the start of today (Dhaka), `to` to from + 90 days; at most 732 days apart. */
export function resolveRange(filters: { from?: string; to?: string }, now = new Date()): Range {
  const from = filters.from ?? (filters.to ? new Date(Date.parse(filters.to) - DEFAULT_RANGE_DAYS * DAY_MS).toISOString() : dhakaDayStart(dhakaDate(now)).toISOString());
  const to = filters.to ?? new Date(Date.parse(from) + DEFAULT_RANGE_DAYS * DAY_MS).toISOString();
  if (Date.parse(to) <= Date.parse(from)) throw validationError({ to: ["to must be after from."] });
  if (Date.parse(to) - Date.parse(from) > MAX_RANGE_DAYS * DAY_MS) throw validationError({ to: [`A range covers at most ${MAX_RANGE_DAYS} days.`] });
  return { from, to };
}

export async function listEvents(services: ServiceContext, viewer: AuthUser | undefined, filters: EventFilters, page: PageRequest) {
  const { from, to, ...rest } = filters;
  const range = resolveRange({ from, to });
  const { limit, offset } = pageLimits(page);
  const [rows, [total]] = await batchRows<[EventRecord, { n: number }]>(services.db, [eventsQuery(viewer, range, rest, limit, offset), countEventsQuery(range, rest)]);
  return { rows, count: total?.n ?? 0 };
}

export async function getEvent(services: ServiceContext, viewer: AuthUser | undefined, id: string): Promise<EventRecord> {
  const { rows } = await services.db.execute<EventRecord & Record<string, unknown>>(sql`
    select ${eventColumns(viewer)} from calendar_events e left join users u on u.id = e.created_by where e.id = ${id}`);
  if (!rows[0]) throw new ApiError("not_found");
  return rows[0];
}

export async function feedEvents(services: ServiceContext, filters: FeedFilters): Promise<EventRecord[]> {
  const { rows } = await services.db.execute<EventRecord & Record<string, unknown>>(feedQuery(filters));
  return rows;
}

const constraintFields: Record<string, ErrorDetails> = {
  calendar_events_time_check: { ends_at: ["ends_at must be after starts_at."] },
  calendar_events_capacity_check: { capacity: ["Capacity cannot be below the number of participants."] },
  calendar_events_recurrence_check: { recurrence: ["recurrence.until must not be before starts_at."] },
};

/** The table's checks (a PATCH of one side of a pair) as field errors. */
async function withChecks<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    const e = err as { code?: string; constraint?: string; message?: string; cause?: { code?: string; constraint?: string; message?: string } };
    const pg = e.code === "23514" ? e : e.cause?.code === "23514" ? e.cause : undefined;
    const name = pg && Object.keys(constraintFields).find((c) => pg.constraint === c || pg.message?.includes(c));
    if (name) throw validationError(constraintFields[name]!);
    throw err;
  }
}

/** The new row's times and repeat fields as SQL: all-day events are widened to Dhaka midnights. */
function timing(v: { allDay: SQL; starts: SQL; ends: SQL; freq: SQL; interval: SQL; until: SQL; count: SQL }) {
  const starts = sql`(case when ${v.allDay} then ${dhakaFloor(v.starts)} else ${v.starts} end)`;
  const ends = sql`(case when ${v.allDay} then greatest(${dhakaCeil(v.ends)}, ${dhakaFloor(v.starts)} + interval '1 day') else ${v.ends} end)`;
  return { starts, ends, seriesEnds: seriesEnd({ starts, ends, freq: v.freq, interval: v.interval, until: v.until, count: v.count }) };
}

const recurrenceValues = (r: CreateEventInput["recurrence"]) => ({
  freq: sql`${r?.freq ?? null}::text`,
  interval: sql`${r?.interval ?? 1}::integer`,
  until: sql`${r?.until ?? null}::timestamptz`,
  count: sql`${r?.count ?? null}::integer`,
});

export async function createEvent(services: ServiceContext, actor: AuthUser, input: CreateEventInput): Promise<EventRecord> {
  const targets = wardArray(input.target_wards ?? []);
  const allDay = input.all_day ?? false;
  const t = timing({
    allDay: sql`${allDay}::boolean`,
    starts: sql`${input.starts_at}::timestamptz`,
    ends: sql`${input.ends_at ?? input.starts_at}::timestamptz`,
    ...recurrenceValues(input.recurrence),
  });
  const r = recurrenceValues(input.recurrence);
  const { rows } = await withChecks(
    services.db.execute<EventRecord & Record<string, unknown>>(sql`
      with created as (
        insert into calendar_events (title, description, category, starts_at, ends_at, all_day, location, latitude, longitude, target_wards, capacity,
                                     recurrence_freq, recurrence_interval, recurrence_until, recurrence_count, series_ends_at, created_by)
        select ${input.title}, ${input.description ?? ""}, ${input.category ?? "other"}, ${t.starts}, ${t.ends}, ${allDay}::boolean, ${input.location ?? ""},
               ${input.latitude ?? null}::numeric, ${input.longitude ?? null}::numeric, ${targets}, ${input.capacity ?? null}::integer,
               ${r.freq}, ${r.interval}, ${r.until}, ${r.count}, ${t.seriesEnds}, ${actor.id}::uuid
        where ${coversWards(actor, "create", targets)}
        returning *
      ),
      logged as (${logActivityFrom(services, actor.id, sql`created`, {
        action: "calendar.create",
        resourceType: "calendar_event",
        resourceId: sql`created.id`,
        details: sql`jsonb_build_object('title', created.title, 'target_wards', to_jsonb(created.target_wards))`,
      })})
      select ${eventColumns(actor)} from created e left join users u on u.id = e.created_by`),
  );
  if (!rows[0]) throw new ApiError("forbidden"); // no calendar.create for every targeted ward
  return rows[0];
}

const columnNames = {
  title: "title",
  description: "description",
  category: "category",
  starts_at: "starts_at",
  ends_at: "ends_at",
  all_day: "all_day",
  location: "location",
  latitude: "latitude",
  longitude: "longitude",
  target_wards: "target_wards",
  capacity: "capacity",
} as const satisfies Partial<Record<keyof UpdateEventInput, string>>;
type Column = keyof typeof columnNames;

/**
 * Staff edit: calendar.update for every ward the event targets now AND will target. Every edit
 * bumps the iCalendar SEQUENCE and recomputes the series' end. 404 unknown, 403 not the actor's.
 */
export async function updateEvent(services: ServiceContext, actor: AuthUser, id: string, input: UpdateEventInput): Promise<EventRecord> {
  const given = (Object.keys(input) as Array<keyof UpdateEventInput>).filter((key) => input[key] !== undefined);
  const valueOf = (key: Column): SQL => {
    const value = input[key];
    if (value === undefined) return sql`e.${sql.identifier(columnNames[key])}`;
    if (key === "target_wards") return wardArray(value as string[]);
    if (key === "starts_at" || key === "ends_at") return sql`${value}::timestamptz`;
    if (key === "all_day") return sql`${value}::boolean`;
    if (key === "latitude" || key === "longitude") return sql`${value}::numeric`;
    if (key === "capacity") return sql`${value}::integer`;
    return sql`${value}::text`;
  };
  const r =
    input.recurrence === undefined
      ? { freq: sql`e.recurrence_freq`, interval: sql`e.recurrence_interval::integer`, until: sql`e.recurrence_until`, count: sql`e.recurrence_count` }
      : recurrenceValues(input.recurrence);
  const t = timing({ allDay: valueOf("all_day"), starts: valueOf("starts_at"), ends: valueOf("ends_at"), ...r });
  const plain: Column[] = ["title", "description", "category", "all_day", "location", "latitude", "longitude", "target_wards", "capacity"];
  const assignments = [
    ...plain.filter((key) => input[key] !== undefined).map((key) => sql`${sql.identifier(columnNames[key])} = ${valueOf(key)}`),
    sql`starts_at = ${t.starts}`,
    sql`ends_at = ${t.ends}`,
    sql`recurrence_freq = ${r.freq}`,
    sql`recurrence_interval = ${r.interval}`,
    sql`recurrence_until = ${r.until}`,
    sql`recurrence_count = ${r.count}`,
    sql`series_ends_at = ${t.seriesEnds}`,
    sql`sequence = e.sequence + 1`,
    sql`updated_at = now()`,
  ];
  const { rows } = await withChecks(
    services.db.execute<(EventRecord & { found: number }) & Record<string, unknown>>(sql`
      with current as (select id from calendar_events where id = ${id}),
      changed as (
        update calendar_events e set ${sql.join(assignments, sql`, `)}
        where e.id = ${id}
          and ${coversWards(actor, "update", sql`e.target_wards`)}
          and ${coversWards(actor, "update", valueOf("target_wards"))}
        returning e.*
      ),
      logged as (${logActivityFrom(services, actor.id, sql`changed`, {
        action: "calendar.update",
        resourceType: "calendar_event",
        resourceId: sql`changed.id`,
        details: sql`${JSON.stringify({ fields: given })}::jsonb`,
      })})
      select x.found, ${eventColumns(actor)}
      from (select count(*)::int as found from current) x
      left join changed e on true
      left join users u on u.id = e.created_by`),
  );
  const row = rows[0]!;
  if (!row.found) throw new ApiError("not_found");
  if (!row.id) throw new ApiError("forbidden");
  return row;
}

/** Hard delete (participants go with it; the feed drops the UID): calendar.delete for every targeted ward. */
export async function deleteEvent(services: ServiceContext, actor: AuthUser, id: string): Promise<void> {
  const { rows } = await services.db.execute<{ found: number; removed: number }>(sql`
    with current as (select id from calendar_events where id = ${id}),
    removed as (
      delete from calendar_events e
      where e.id = ${id} and ${coversWards(actor, "delete", sql`e.target_wards`)}
      returning e.id, e.title
    ),
    logged as (${logActivityFrom(services, actor.id, sql`removed`, {
      action: "calendar.delete",
      resourceType: "calendar_event",
      resourceId: sql`removed.id`,
      details: sql`jsonb_build_object('title', removed.title)`,
    })})
    select (select count(*)::int from current) as found, (select count(*)::int from removed) as removed`);
  const row = rows[0]!;
  if (!row.found) throw new ApiError("not_found");
  if (!row.removed) throw new ApiError("forbidden");
}

export interface Participation {
  event_id: string;
  is_participating: boolean;
  participant_count: number;
  capacity: number | null;
}

/**
 * Join or leave, idempotently, in one batch (one round trip, one transaction):
 *  1. lock the event's row (`FOR UPDATE`): joins and leaves of one event queue up here;
 *  2. insert (or delete) the participant row — a join only while seats are left and the event has
 *     not ended; this statement's snapshot is taken after the lock, so it sees every earlier join;
 *  3. set participant_count from the rows and answer with the caller's state.
 * 200 concurrent joins of a 50-seat event therefore seat exactly 50. Already in (or out): 200 with
 * the same state. Full: 409. Ended (its last occurrence is over): 409. Unknown: 404.
 */
export async function setParticipation(services: ServiceContext, actor: AuthUser, id: string, join: boolean): Promise<Participation> {
  const open = sql`(e.series_ends_at is null or e.series_ends_at > now())`;
  const change = join
    ? sql`insert into calendar_event_participants (event_id, user_id)
          select e.id, ${actor.id}::uuid from calendar_events e
          where e.id = ${id} and ${open} and (e.capacity is null or e.participant_count < e.capacity)
          on conflict do nothing returning event_id`
    : sql`delete from calendar_event_participants p using calendar_events e
          where p.event_id = ${id} and p.user_id = ${actor.id}::uuid and e.id = p.event_id and ${open} returning p.event_id`;
  const [locked, , counted] = await batchRows<[{ id: string; ended: boolean }, { event_id: string }, Participation]>(services.db, [
    sql`select e.id, not ${open} as ended from calendar_events e where e.id = ${id} for update`,
    change,
    sql`update calendar_events e set participant_count = (select count(*)::int from calendar_event_participants p where p.event_id = e.id)
        where e.id = ${id}
        returning e.id as event_id, e.participant_count, e.capacity,
                  exists (select 1 from calendar_event_participants p where p.event_id = e.id and p.user_id = ${actor.id}::uuid) as is_participating`,
  ]);
  const event = locked[0];
  if (!event) throw new ApiError("not_found");
  const state = counted[0]!;
  if (state.is_participating === join) return state;
  if (event.ended) throw new ApiError("conflict", "calendar_event_ended");
  throw new ApiError("conflict", "calendar_event_full");
}
