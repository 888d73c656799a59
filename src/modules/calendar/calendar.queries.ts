/**
 * Read side and permission SQL of the calendar. An event targets a list of wards (empty = every
 * ward): a staff change needs the `calendar` permission in EVERY targeted ward (an all-ward event:
 * an unrestricted grant), checked inside the change's own statement (staff-scope.ts).
 */
import { sql, type SQL } from "drizzle-orm";
import type { PermissionAction } from "../../lib/enums";
import type { AuthUser } from "../../lib/tokens";
import { inStaffWards, coversAllWards, wardArray } from "../admin/staff-scope";

export interface EventRecord {
  id: string;
  title: string;
  description: string;
  category: string;
  starts_at: string | Date;
  ends_at: string | Date;
  occ_starts: string | Date;
  occ_ends: string | Date;
  all_day: boolean;
  location: string;
  latitude: string | number | null;
  longitude: string | number | null;
  target_wards: string[];
  capacity: number | null;
  participant_count: number;
  is_participating: boolean;
  recurrence_freq: "weekly" | "monthly" | null;
  recurrence_interval: number;
  recurrence_until: string | Date | null;
  recurrence_count: number | null;
  sequence: number;
  created_by: string | null;
  created_by_name: string | null;
  created_at: string | Date;
  updated_at: string | Date;
}

/** Whether `viewer` takes part in event `e` (false when anonymous). */
const participating = (viewer: AuthUser | undefined): SQL =>
  viewer ? sql`exists (select 1 from calendar_event_participants p where p.event_id = e.id and p.user_id = ${viewer.id}::uuid)` : sql`false`;

/** The columns of an event record from `e` (calendar_events or a CTE over it) and `u` (its author); occurrence = the series' first unless given. */
export const eventColumns = (viewer: AuthUser | undefined, occurrence: { starts: SQL; ends: SQL } = { starts: sql`e.starts_at`, ends: sql`e.ends_at` }) => sql`
  e.id, e.title, e.description, e.category, e.starts_at, e.ends_at, ${occurrence.starts} as occ_starts, ${occurrence.ends} as occ_ends,
  e.all_day, e.location, e.latitude, e.longitude, to_json(e.target_wards) as target_wards, e.capacity, e.participant_count,
  ${participating(viewer)} as is_participating, e.recurrence_freq, e.recurrence_interval, e.recurrence_until, e.recurrence_count,
  e.sequence, e.created_by, u.name as created_by_name, e.created_at, e.updated_at`;

/** Whether `actor` holds calendar.`action` for every ward in `targets` (empty: needs an unrestricted grant). */
export const coversWards = (actor: AuthUser, action: PermissionAction, targets: SQL): SQL => coversAllWards(actor, "calendar", action, targets);

export { wardArray };

/** Filters shared by the list and the feed. */
export function filterConditions(filters: { category?: string; ward_number?: string }): SQL[] {
  const parts: SQL[] = [];
  if (filters.category) parts.push(sql`e.category = ${filters.category}`);
  if (filters.ward_number) parts.push(sql`(cardinality(e.target_wards) = 0 or ${filters.ward_number}::text = any(e.target_wards))`);
  return parts;
}

/** The occurrences of `e` overlapping [from, to), with the cheap pre-filter on the series' span (index on starts_at, series_ends_at). */
function occurrencesIn(from: string, to: string, filters: { category?: string; ward_number?: string }) {
  const where = sql.join(
    [sql`e.starts_at < ${to}::timestamptz`, sql`(e.series_ends_at is null or e.series_ends_at > ${from}::timestamptz)`, ...filterConditions(filters)],
    sql` and `,
  );
  const source = sql`calendar_events e
    cross join lateral calendar_occurrences(e.starts_at, e.ends_at, e.recurrence_freq, e.recurrence_interval, e.recurrence_until, e.recurrence_count,
                                            ${from}::timestamptz, ${to}::timestamptz) o`;
  return { source, where };
}

export interface Range {
  from: string;
  to: string;
}

export function eventsQuery(viewer: AuthUser | undefined, range: Range, filters: { category?: string; ward_number?: string }, limit: number, offset: number): SQL {
  const { source, where } = occurrencesIn(range.from, range.to, filters);
  return sql`
    select ${eventColumns(viewer, { starts: sql`o.occ_starts`, ends: sql`o.occ_ends` })}
    from ${source} left join users u on u.id = e.created_by
    where ${where}
    order by o.occ_starts, e.id
    limit ${limit} offset ${offset}`;
}

export function countEventsQuery(range: Range, filters: { category?: string; ward_number?: string }): SQL {
  const { source, where } = occurrencesIn(range.from, range.to, filters);
  return sql`select count(*)::int as n from ${source} where ${where}`;
}

/** How long after its end an event stays in the iCalendar feed. */
export const FEED_KEEPS_DAYS = 90;
export const FEED_MAX_EVENTS = 2000;

/** The feed: one row per event or series (repeats stay RRULEs), recent and upcoming. */
export function feedQuery(filters: { category?: string; ward_number?: string }): SQL {
  const where = sql.join([sql`(e.series_ends_at is null or e.series_ends_at > now() - make_interval(days => ${FEED_KEEPS_DAYS}))`, ...filterConditions(filters)], sql` and `);
  return sql`
    select ${eventColumns(undefined)}
    from calendar_events e left join users u on u.id = e.created_by
    where ${where}
    order by e.starts_at, e.id
    limit ${FEED_MAX_EVENTS}`;
}

/**
 * The end of a series' last occurrence as SQL over the row's new values: the event's end for a
 * single event, NULL for a series without UNTIL or COUNT, else the last generated occurrence.
 */
export function seriesEnd(v: { starts: SQL; ends: SQL; freq: SQL; interval: SQL; until: SQL; count: SQL }): SQL {
  return sql`(case when ${v.freq} is null then ${v.ends}
    when ${v.until} is null and ${v.count} is null then null
    else (select max(o.occ_ends) from calendar_occurrences(${v.starts}, ${v.ends}, ${v.freq}, ${v.interval}, ${v.until}, ${v.count},
                                                          ${v.starts}, ${v.starts} + interval '200 years') o) end)`;
}

/** Dhaka midnight at or before `t` (all-day events start there). */
export const dhakaFloor = (t: SQL) => sql`((date_trunc('day', (${t}) at time zone 'UTC' + interval '6 hours') - interval '6 hours') at time zone 'UTC')`;
/** Dhaka midnight at or after `t` (all-day events end there). */
export const dhakaCeil = (t: SQL) => sql`((date_trunc('day', (${t}) at time zone 'UTC' + interval '6 hours' + interval '1 day' - interval '1 microsecond') - interval '6 hours') at time zone 'UTC')`;
