/**
 * Read side of emergencies: every read goes through `emergenciesQuery`, which brings the reporter
 * and the assignee in the same statement — a page of any size is one statement plus its count.
 */
import { sql, type SQL } from "drizzle-orm";
import { rangeInstant } from "../../lib/dhaka-time";
import type { EmergencyDto, EmergencyFilters } from "./emergency.schemas";

export type EmergencyRecord = {
  id: string;
  reference_number: string;
  user_id: string;
  user_name: string;
  user_phone: string;
  emergency_type: string;
  description: string;
  location: string;
  latitude: string | null;
  longitude: string | null;
  ward_number: string | null;
  priority: string;
  status: string;
  assigned_to: string | null;
  assigned_name: string | null;
  responded_at: string | Date | null;
  resolved_at: string | Date | null;
  created_at: string | Date;
  updated_at: string | Date;
};

export interface EmergencyPage {
  limit?: number;
  offset?: number;
  /** Oldest change first (the desk's catch-up) instead of newest first. */
  byChange?: boolean;
}

/** Emergencies matching `where` (over alias `e`), newest first, with reporter and assignee. */
export function emergenciesQuery(where: SQL, page: EmergencyPage = {}): SQL {
  return sql`
    select e.id, e.reference_number, e.user_id, u.name as user_name, u.phone as user_phone, e.emergency_type,
           e.description, e.location, e.latitude, e.longitude, e.ward_number, e.priority, e.status,
           e.assigned_to, a.name as assigned_name, e.responded_at, e.resolved_at, e.created_at, e.updated_at
    from emergency_requests e
    join users u on u.id = e.user_id
    left join users a on a.id = e.assigned_to
    where ${where}
    order by ${page.byChange ? sql`e.updated_at asc, e.id asc` : sql`e.created_at desc, e.id desc`}
    ${page.limit !== undefined ? sql`limit ${page.limit}` : sql``}
    ${page.offset ? sql`offset ${page.offset}` : sql``}`;
}

export function countEmergenciesQuery(where: SQL): SQL {
  return sql`select count(*)::int as n from emergency_requests e where ${where}`;
}

/** `from` is inclusive from the start of its Dhaka day; `to` inclusive to the end of its day. */
export function listConditions(filters: EmergencyFilters): SQL {
  const parts: SQL[] = [sql`true`];
  if (filters.status) parts.push(sql`e.status = ${filters.status}`);
  if (filters.emergency_type) parts.push(sql`e.emergency_type = ${filters.emergency_type}`);
  if (filters.ward_number) parts.push(sql`e.ward_number = ${filters.ward_number}`);
  if (filters.from) parts.push(sql`e.created_at >= ${rangeInstant(filters.from, "start").toISOString()}::timestamptz`);
  if (filters.to) parts.push(sql`e.created_at < ${rangeInstant(filters.to, "end").toISOString()}::timestamptz`);
  return sql.join(parts, sql` and `);
}

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());
const num = (v: string | null) => (v === null ? null : Number(v));

export function toEmergencyDto(row: EmergencyRecord): EmergencyDto {
  return {
    id: row.id,
    reference_number: row.reference_number,
    user: { id: row.user_id, name: row.user_name, phone: row.user_phone },
    emergency_type: row.emergency_type,
    description: row.description,
    location: row.location,
    latitude: num(row.latitude),
    longitude: num(row.longitude),
    ward_number: row.ward_number,
    priority: row.priority,
    status: row.status,
    assigned_to: row.assigned_to ? { id: row.assigned_to, name: row.assigned_name ?? "" } : null,
    responded_at: iso(row.responded_at),
    resolved_at: iso(row.resolved_at),
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
  };
}
