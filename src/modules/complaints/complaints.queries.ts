/**
 * Read side of complaints. Every read that returns complaints goes through `selectComplaints`, which
 * brings each row's owner, assignee and photos in the same statement (JSON aggregation), so a page
 * of any size costs one statement plus its count — never a query per row.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Queryable } from "../../db/client";
import { enumCatalog } from "../../lib/enums";
import type { ComplaintFilters } from "./complaints.schemas";

export interface ComplaintRecord {
  id: string;
  tracking_number: string;
  user_id: string;
  user_name: string;
  user_phone: string;
  title: string;
  description: string;
  category: string;
  priority: string;
  status: string;
  location: string;
  latitude: string | null;
  longitude: string | null;
  ward_number: string | null;
  assigned_to: string | null;
  assigned_name: string | null;
  rating: number | null;
  feedback: string | null;
  created_at: string | Date;
  updated_at: string | Date;
  resolved_at: string | Date | null;
  images: Array<{ id: string; image_name: string; file_size: number; content_type: string; uploaded_at: string }>;
}

const rank = (column: SQL, name: "complaint_priority" | "complaint_status", descending: boolean) => {
  // Priority sorts by urgency (high first when descending), status by its place in the workflow.
  const values = enumCatalog[name].map((v) => v.value);
  const ordered = name === "complaint_priority" ? [...values].reverse() : values;
  const cases = sql.join(ordered.map((v, i) => sql`when ${v} then ${i}`), sql` `);
  return sql`case ${column} ${cases} end ${descending ? sql`desc` : sql`asc`}`;
};

function orderBy(ordering: string): SQL {
  const descending = ordering.startsWith("-");
  const field = ordering.replace(/^-/, "");
  const direction = descending ? sql`desc` : sql`asc`;
  const primary =
    field === "priority"
      ? rank(sql`c.priority`, "complaint_priority", descending)
      : field === "status"
        ? rank(sql`c.status`, "complaint_status", descending)
        : field === "updated_at"
          ? sql`c.updated_at ${direction}`
          : sql`c.created_at ${direction}`;
  return sql`${primary}, c.created_at desc, c.id desc`;
}

export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (m) => `\\${m}`);

/** WHERE clause for a list: the viewer's scope (own, or all for staff) plus the filters. */
export function listConditions(filters: Omit<ComplaintFilters, "ordering">, ownerId: string | null): SQL {
  const parts: SQL[] = [sql`true`];
  if (ownerId) parts.push(sql`c.user_id = ${ownerId}`);
  if (filters.status) parts.push(sql`c.status = ${filters.status}`);
  if (filters.category) parts.push(sql`c.category = ${filters.category}`);
  if (filters.priority) parts.push(sql`c.priority = ${filters.priority}`);
  if (filters.ward_number) parts.push(sql`c.ward_number = ${filters.ward_number}`);
  if (filters.assigned_to) parts.push(sql`c.assigned_to = ${filters.assigned_to}`);
  if (filters.search) {
    const pattern = `%${escapeLike(filters.search)}%`;
    parts.push(sql`(c.title ilike ${pattern} or c.description ilike ${pattern} or c.tracking_number ilike ${pattern})`);
  }
  return sql.join(parts, sql` and `);
}

export interface ComplaintPageOptions {
  ordering?: string;
  limit?: number;
  offset?: number;
}

/** The statement behind `selectComplaints`, for callers that batch it with others. */
export function complaintsQuery(where: SQL, options: ComplaintPageOptions = {}): SQL {
  return sql`
    select c.id, c.tracking_number, c.user_id, u.name as user_name, u.phone as user_phone, c.title, c.description,
           c.category, c.priority, c.status, c.location, c.latitude, c.longitude, c.ward_number,
           c.assigned_to, a.name as assigned_name, c.rating, c.feedback, c.created_at, c.updated_at, c.resolved_at,
           coalesce((
             select json_agg(json_build_object('id', i.id, 'image_name', i.image_name, 'file_size', i.file_size,
                                               'content_type', i.content_type, 'uploaded_at', i.uploaded_at)
                             order by i.position, i.id)
             from complaint_images i where i.complaint_id = c.id
           ), '[]'::json) as images
    from complaints c
    join users u on u.id = c.user_id
    left join users a on a.id = c.assigned_to
    where ${where}
    order by ${orderBy(options.ordering ?? "-created_at")}
    limit ${options.limit ?? 1} offset ${options.offset ?? 0}`;
}

export async function selectComplaints(db: Queryable, where: SQL, options: ComplaintPageOptions = {}): Promise<ComplaintRecord[]> {
  const { rows } = await db.execute<ComplaintRecord & Record<string, unknown>>(complaintsQuery(where, options));
  return rows as ComplaintRecord[];
}

export function countComplaintsQuery(where: SQL): SQL {
  return sql`select count(*)::int as n from complaints c where ${where}`;
}

const OPEN_STATUSES = ["জমা দেওয়া হয়েছে", "প্রক্রিয়াধীন"];
const EARTH_RADIUS_M = 6_371_000;
const METRES_PER_DEGREE = 111_320;

export interface NearbyRecord {
  id: string;
  title: string;
  category: string;
  status: string;
  latitude: string;
  longitude: string;
  distance_m: number;
  created_at: string | Date;
}

/**
 * Open complaints of a category within `radiusM` of a point, nearest first. Plain SQL: a bounding
 * box (served by the lat/lng index) narrows the rows, the haversine distance decides.
 */
export async function selectNearby(
  db: Queryable,
  point: { latitude: number; longitude: number },
  category: string,
  radiusM: number,
  limit: number,
  excludeId?: string,
): Promise<NearbyRecord[]> {
  const { rows } = await db.execute<NearbyRecord & Record<string, unknown>>(nearbyQuery(point, category, radiusM, limit, excludeId));
  return rows as NearbyRecord[];
}

/** The statement behind `selectNearby`, for callers that batch it with others. */
export function nearbyQuery(point: { latitude: number; longitude: number }, category: string, radiusM: number, limit: number, excludeId?: string): SQL {
  const dLat = radiusM / METRES_PER_DEGREE;
  const dLng = radiusM / (METRES_PER_DEGREE * Math.max(Math.cos((point.latitude * Math.PI) / 180), 0.01));
  return sql`
    select * from (
      select c.id, c.title, c.category, c.status, c.latitude, c.longitude, c.created_at,
             round(${EARTH_RADIUS_M} * 2 * asin(sqrt(
               power(sin(radians(c.latitude - ${point.latitude}) / 2), 2) +
               cos(radians(${point.latitude})) * cos(radians(c.latitude)) * power(sin(radians(c.longitude - ${point.longitude}) / 2), 2)
             )))::int as distance_m
      from complaints c
      where c.category = ${category}
        and c.status in (${sql.join(OPEN_STATUSES.map((s) => sql`${s}`), sql`, `)})
        and c.latitude between ${point.latitude - dLat} and ${point.latitude + dLat}
        and c.longitude between ${point.longitude - dLng} and ${point.longitude + dLng}
        ${excludeId ? sql`and c.id <> ${excludeId}` : sql``}
    ) near
    where distance_m <= ${radiusM}
    order by distance_m, created_at desc
    limit ${limit}`;
}

export interface StatisticsRecord {
  dimension: "status" | "category" | "priority" | "ward" | "total";
  key: string | null;
  n: number;
  average_rating: string | null;
  rated: number;
}

/** All the dashboard's complaint totals in one pass (GROUPING SETS). */
export async function selectStatistics(db: Queryable, scope: SQL): Promise<StatisticsRecord[]> {
  const { rows } = await db.execute<StatisticsRecord & Record<string, unknown>>(sql`
    select case
             when grouping(status) = 0 then 'status'
             when grouping(category) = 0 then 'category'
             when grouping(priority) = 0 then 'priority'
             when grouping(ward_number) = 0 then 'ward'
             else 'total' end as dimension,
           coalesce(status, category, priority, ward_number) as key,
           count(*)::int as n,
           avg(rating)::numeric(4,2)::text as average_rating,
           count(rating)::int as rated
    from complaints c
    where ${scope}
    group by grouping sets ((status), (category), (priority), (ward_number), ())`);
  return rows as StatisticsRecord[];
}
