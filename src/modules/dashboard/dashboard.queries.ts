/**
 * The dashboard's figures, each endpoint ONE statement (so one round trip, whatever the data size):
 * CTEs narrow the rows to the range, the ward filter and the wards the viewer may read, and the
 * final SELECT folds every figure into one JSON document. Nothing loops in the worker.
 *
 * Times: a "day" is a Dhaka day (UTC+6, no DST), so buckets are `(t at time zone 'UTC' + 6 h)::date`.
 * First response = the first status change by someone other than the complainant.
 */
import { sql, type SQL } from "drizzle-orm";
import type { AuthUser } from "../../lib/tokens";
import { inStaffWards } from "../admin/staff-scope";
import { STATUS } from "../complaints/status-machine";

export interface DashboardRange {
  /** Inclusive UTC instant of the first Dhaka day's start. */
  from: Date;
  /** Exclusive UTC instant: the start of the day after the last. */
  to: Date;
  ward?: string;
  interval: "day" | "week" | "month";
}

const dhakaDay = (column: SQL) => sql`((${column} at time zone 'UTC') + interval '6 hours')::date`;
const bucket = (column: SQL, interval: DashboardRange["interval"]) =>
  interval === "day" ? dhakaDay(column) : sql`date_trunc(${interval}, ${dhakaDay(column)})::date`;
const hours = (later: SQL, earlier: SQL) => sql`extract(epoch from (${later} - ${earlier})) / 3600.0`;
/** percentile_cont rounded to 2 decimals; `where` filters the aggregate's rows (FILTER must sit on the aggregate itself). */
const pct = (p: number, value: SQL, where?: SQL) =>
  sql`round((percentile_cont(${p}) within group (order by ${value}) ${where ? sql`filter (where ${where})` : sql``})::numeric, 2)::float8`;

/** Complaints in the range, the ward filter and the viewer's readable wards, with their first response time. */
function scopedComplaints(viewer: AuthUser, range: DashboardRange, withResponse = false): SQL {
  // The first response costs a lookup per complaint: only the figures that use it pay for it.
  const firstResponse = withResponse
    ? sql`(select min(h.created_at) from complaint_updates h where h.complaint_id = c.id and h.updated_by <> c.user_id)`
    : sql`null::timestamptz`;
  return sql`scoped as (
    select c.id, c.status, c.category, c.priority, c.ward_number, c.rating, c.created_at, c.resolved_at,
           ${firstResponse} as first_response_at
    from complaints c
    where c.created_at >= ${range.from.toISOString()}::timestamptz and c.created_at < ${range.to.toISOString()}::timestamptz
      and ${inStaffWards(viewer, "complaints", "read", sql`c.ward_number`)}
      ${range.ward ? sql`and c.ward_number = ${range.ward}` : sql``}
  )`;
}

const counted = (key: SQL) => sql`coalesce((select json_object_agg(k, n) from (select ${key} as k, count(*)::int as n from scoped group by 1) g where k is not null), '{}'::json)`;

export function kpiQuery(viewer: AuthUser, range: DashboardRange): SQL {
  return sql`with ${scopedComplaints(viewer, range, true)}
    select json_build_object(
      'complaints', json_build_object(
        'total', (select count(*)::int from scoped),
        'open', (select count(*)::int from scoped where status in (${STATUS.submitted}, ${STATUS.inProgress})),
        'resolved', (select count(*)::int from scoped where status = ${STATUS.resolved}),
        'cancelled', (select count(*)::int from scoped where status = ${STATUS.cancelled}),
        'resolution_rate', (select round(count(*) filter (where status = ${STATUS.resolved})::numeric / nullif(count(*), 0), 4)::float8 from scoped)),
      'response_hours', (select json_build_object('median', ${pct(0.5, hours(sql`first_response_at`, sql`created_at`))}, 'p90', ${pct(0.9, hours(sql`first_response_at`, sql`created_at`))})
                         from scoped where first_response_at is not null),
      'resolution_hours', (select json_build_object('median', ${pct(0.5, hours(sql`resolved_at`, sql`created_at`))}, 'p90', ${pct(0.9, hours(sql`resolved_at`, sql`created_at`))})
                           from scoped where status = ${STATUS.resolved} and resolved_at is not null),
      'satisfaction', (select json_build_object('average', round(avg(rating), 2)::float8, 'rated', count(rating)::int) from scoped),
      'revenue', (select json_build_object('completed_amount', coalesce(sum(p.amount), 0)::text, 'completed_payments', count(*)::int)
                  from payments p join users u on u.id = p.user_id
                  where p.status = 'completed' and p.created_at >= ${range.from.toISOString()}::timestamptz
                    and p.created_at < ${range.to.toISOString()}::timestamptz
                    and ${inStaffWards(viewer, "payments", "read", sql`u.ward_number`)} ${range.ward ? sql`and u.ward_number = ${range.ward}` : sql``}),
      'new_citizens', (select count(*)::int from users u where u.user_type = 'citizen'
                        and u.created_at >= ${range.from.toISOString()}::timestamptz and u.created_at < ${range.to.toISOString()}::timestamptz
                        and ${inStaffWards(viewer, "users", "read", sql`u.ward_number`)} ${range.ward ? sql`and u.ward_number = ${range.ward}` : sql``})
    ) as figures`;
}

export function complaintStatsQuery(viewer: AuthUser, range: DashboardRange): SQL {
  return sql`with ${scopedComplaints(viewer, range)}
    select json_build_object(
      'total', (select count(*)::int from scoped),
      'by_status', ${counted(sql`status`)},
      'by_category', ${counted(sql`category`)},
      'by_priority', ${counted(sql`priority`)},
      'by_ward', ${counted(sql`ward_number`)},
      'series', coalesce((select json_agg(json_build_object('period', period, 'by_status', by_status) order by period) from (
                  select period, json_object_agg(status, n) as by_status from (
                    select ${bucket(sql`created_at`, range.interval)} as period, status, count(*)::int as n from scoped group by 1, 2) s
                  group by period) series), '[]'::json)
    ) as figures`;
}

export function wardPerformanceQuery(viewer: AuthUser, range: DashboardRange): SQL {
  return sql`with ${scopedComplaints(viewer, range)}
    select json_build_object('wards', coalesce(json_agg(w order by w.ward_number), '[]'::json)) as figures from (
      select ward_number, count(*)::int as total,
             count(*) filter (where status = ${STATUS.resolved})::int as resolved,
             count(*) filter (where status in (${STATUS.submitted}, ${STATUS.inProgress}))::int as open,
             round(count(*) filter (where status = ${STATUS.resolved})::numeric / count(*), 4)::float8 as resolution_rate,
             ${pct(0.5, hours(sql`resolved_at`, sql`created_at`), sql`status = ${STATUS.resolved}`)} as median_resolution_hours,
             round(avg(rating), 2)::float8 as average_rating
      from scoped where ward_number is not null group by ward_number) w`;
}

export function satisfactionQuery(viewer: AuthUser, range: DashboardRange): SQL {
  return sql`with ${scopedComplaints(viewer, range)}
    select json_build_object(
      'average', (select round(avg(rating), 2)::float8 from scoped),
      'rated', (select count(rating)::int from scoped),
      'resolved', (select count(*)::int from scoped where status = ${STATUS.resolved}),
      'response_rate', (select round(count(rating)::numeric / nullif(count(*) filter (where status = ${STATUS.resolved}), 0), 4)::float8 from scoped),
      'distribution', (select json_build_object('1', count(*) filter (where rating = 1), '2', count(*) filter (where rating = 2), '3', count(*) filter (where rating = 3),
                                                '4', count(*) filter (where rating = 4), '5', count(*) filter (where rating = 5)) from scoped)
    ) as figures`;
}

export function serviceTimeQuery(viewer: AuthUser, range: DashboardRange): SQL {
  const response = hours(sql`first_response_at`, sql`created_at`);
  const resolution = hours(sql`resolved_at`, sql`created_at`);
  const figures = sql`json_build_object(
      'responded', count(first_response_at)::int,
      'response_median_hours', ${pct(0.5, response, sql`first_response_at is not null`)},
      'response_p90_hours', ${pct(0.9, response, sql`first_response_at is not null`)},
      'resolved', count(*) filter (where status = ${STATUS.resolved} and resolved_at is not null)::int,
      'resolution_median_hours', ${pct(0.5, resolution, sql`status = ${STATUS.resolved} and resolved_at is not null`)},
      'resolution_p90_hours', ${pct(0.9, resolution, sql`status = ${STATUS.resolved} and resolved_at is not null`)})`;
  // Emergencies, in minutes (they are answered in minutes, not hours): created → first response
  // (responded_at) and → resolved_at, overall and per ward, for the wards the viewer may read.
  const minutes = (later: SQL) => sql`extract(epoch from (${later} - created_at)) / 60.0`;
  const emergencyFigures = sql`json_build_object(
      'total', count(*)::int,
      'responded', count(responded_at)::int,
      'response_median_minutes', ${pct(0.5, minutes(sql`responded_at`), sql`responded_at is not null`)},
      'response_p90_minutes', ${pct(0.9, minutes(sql`responded_at`), sql`responded_at is not null`)},
      'resolved', count(resolved_at)::int,
      'resolution_median_minutes', ${pct(0.5, minutes(sql`resolved_at`), sql`resolved_at is not null`)},
      'resolution_p90_minutes', ${pct(0.9, minutes(sql`resolved_at`), sql`resolved_at is not null`)})`;
  return sql`with ${scopedComplaints(viewer, range, true)},
    emergencies as (
      select e.ward_number, e.created_at, e.responded_at, e.resolved_at from emergency_requests e
      where e.created_at >= ${range.from.toISOString()}::timestamptz and e.created_at < ${range.to.toISOString()}::timestamptz
        and ${inStaffWards(viewer, "emergency", "read", sql`e.ward_number`)}
        ${range.ward ? sql`and e.ward_number = ${range.ward}` : sql``}
    )
    select json_build_object(
      'overall', (select ${figures} from scoped),
      'by_category', coalesce((select json_object_agg(category, f) from (select category, ${figures} as f from scoped group by category) g), '{}'::json),
      'emergencies', json_build_object(
        'overall', (select ${emergencyFigures} from emergencies),
        'by_ward', coalesce((select json_object_agg(ward_number, f) from (select ward_number, ${emergencyFigures} as f from emergencies where ward_number is not null group by ward_number) g), '{}'::json))
    ) as figures`;
}

export function financialQuery(viewer: AuthUser, range: DashboardRange): SQL {
  return sql`with scoped as (
      select p.* from payments p join users u on u.id = p.user_id
      where p.created_at >= ${range.from.toISOString()}::timestamptz and p.created_at < ${range.to.toISOString()}::timestamptz
        and ${inStaffWards(viewer, "payments", "read", sql`u.ward_number`)} ${range.ward ? sql`and u.ward_number = ${range.ward}` : sql``}
    )
    select json_build_object(
      'completed_amount', (select coalesce(sum(amount), 0)::text from scoped where status = 'completed'),
      'completed_payments', (select count(*)::int from scoped where status = 'completed'),
      'pending_amount', (select coalesce(sum(amount), 0)::text from scoped where status in ('pending', 'processing')),
      'refunded_amount', (select coalesce(sum(refunded_amount), 0)::text from scoped),
      'by_service', coalesce((select json_object_agg(service_type, amount) from (select service_type, sum(amount)::text as amount from scoped where status = 'completed' group by 1) g), '{}'::json),
      'by_method', coalesce((select json_object_agg(payment_method, amount) from (select payment_method, sum(amount)::text as amount from scoped where status = 'completed' group by 1) g), '{}'::json),
      'series', coalesce((select json_agg(json_build_object('period', period, 'amount', amount) order by period) from (
                  select ${bucket(sql`created_at`, range.interval)} as period, sum(amount)::text as amount from scoped where status = 'completed' group by 1) s), '[]'::json)
    ) as figures`;
}

export function userStatsQuery(viewer: AuthUser, range: DashboardRange): SQL {
  return sql`with scoped as (
      select u.* from users u
      where ${inStaffWards(viewer, "users", "read", sql`u.ward_number`)} ${range.ward ? sql`and u.ward_number = ${range.ward}` : sql``}
    )
    select json_build_object(
      'total', (select count(*)::int from scoped),
      'by_type', coalesce((select json_object_agg(user_type, n) from (select user_type, count(*)::int as n from scoped group by 1) g), '{}'::json),
      'verified', (select count(*)::int from scoped where is_verified),
      'active', (select count(*)::int from scoped where is_active),
      'new_in_range', (select count(*)::int from scoped where created_at >= ${range.from.toISOString()}::timestamptz and created_at < ${range.to.toISOString()}::timestamptz),
      'series', coalesce((select json_agg(json_build_object('period', period, 'new_users', n) order by period) from (
                  select ${bucket(sql`created_at`, range.interval)} as period, count(*)::int as n from scoped
                  where created_at >= ${range.from.toISOString()}::timestamptz and created_at < ${range.to.toISOString()}::timestamptz group by 1) s), '[]'::json)
    ) as figures`;
}

/** The last hour's complaints (newest first, at most 50), in the viewer's wards. */
export function recentComplaintsQuery(viewer: AuthUser, ward: string | undefined): SQL {
  return sql`select coalesce(json_agg(r order by r.created_at desc), '[]'::json) as figures from (
      select c.id, c.tracking_number, c.title, c.category, c.priority, c.status, c.ward_number, c.created_at
      from complaints c
      where c.created_at >= now() - interval '1 hour' and ${inStaffWards(viewer, "complaints", "read", sql`c.ward_number`)}
        ${ward ? sql`and c.ward_number = ${ward}` : sql``}
      order by c.created_at desc limit 50) r`;
}

/**
 * Transfer stations (STS) in the viewer's `waste` wards: each station's load against its capacity,
 * the totals, and a load series from the readings history (readings recorded in the range, bucketed
 * by Dhaka day/week/month). The range narrows the readings only: stations and their current load are
 * as they stand now.
 */
export function stsOverviewQuery(viewer: AuthUser, range: DashboardRange): SQL {
  const loadPct = (load: SQL, capacity: SQL) => sql`round(${load} * 100 / ${capacity}, 1)::float8`;
  return sql`with stations as (
      select t.id, t.name, t.ward_number, t.status, t.capacity_tonnes, t.current_load_tonnes
      from waste_sts t
      where ${inStaffWards(viewer, "waste", "read", sql`t.ward_number`)} ${range.ward ? sql`and t.ward_number = ${range.ward}` : sql``}
    ),
    readings as (
      select r.sts_id, r.load_tonnes, r.capacity_tonnes, r.over_capacity, r.recorded_at
      from waste_sts_readings r join stations s on s.id = r.sts_id
      where r.recorded_at >= ${range.from.toISOString()}::timestamptz and r.recorded_at < ${range.to.toISOString()}::timestamptz
    )
    select json_build_object(
      'totals', (select json_build_object(
          'stations', count(*)::int,
          'by_status', json_build_object('operational', count(*) filter (where status = 'operational')::int,
                                         'maintenance', count(*) filter (where status = 'maintenance')::int,
                                         'closed', count(*) filter (where status = 'closed')::int),
          'capacity_tonnes', coalesce(sum(capacity_tonnes), 0)::float8,
          'current_load_tonnes', coalesce(sum(current_load_tonnes), 0)::float8,
          'load_percentage', ${loadPct(sql`sum(current_load_tonnes)`, sql`nullif(sum(capacity_tonnes), 0)`)},
          'over_capacity', count(*) filter (where current_load_tonnes > capacity_tonnes)::int)
        from stations),
      'stations', coalesce((select json_agg(json_build_object(
          'id', s.id, 'name', s.name, 'ward_number', s.ward_number, 'status', s.status,
          'capacity_tonnes', s.capacity_tonnes::float8, 'current_load_tonnes', s.current_load_tonnes::float8,
          'load_percentage', ${loadPct(sql`s.current_load_tonnes`, sql`s.capacity_tonnes`)},
          'over_capacity', s.current_load_tonnes > s.capacity_tonnes,
          'readings_in_range', (select count(*) from readings r where r.sts_id = s.id)::int,
          'peak_load_percentage_in_range', (select max(${loadPct(sql`r.load_tonnes`, sql`r.capacity_tonnes`)}) from readings r where r.sts_id = s.id))
        order by s.current_load_tonnes / s.capacity_tonnes desc, s.name, s.id) from stations s), '[]'::json),
      'series', coalesce((select json_agg(json_build_object(
          'period', period, 'readings', readings, 'stations_reporting', stations_reporting,
          'average_load_percentage', average_load_percentage, 'peak_load_percentage', peak_load_percentage,
          'over_capacity_readings', over_capacity_readings) order by period) from (
            select ${bucket(sql`recorded_at`, range.interval)} as period, count(*)::int as readings, count(distinct sts_id)::int as stations_reporting,
                   round(avg(load_tonnes * 100 / capacity_tonnes), 1)::float8 as average_load_percentage,
                   max(${loadPct(sql`load_tonnes`, sql`capacity_tonnes`)}) as peak_load_percentage,
                   count(*) filter (where over_capacity)::int as over_capacity_readings
            from readings group by 1) s), '[]'::json)
    ) as figures`;
}
