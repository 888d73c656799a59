/**
 * Read side of pickup requests: every read goes through `pickupsQuery`, which brings the requester,
 * the photos and the fee's payment in the same statement — a page is one statement plus its count.
 */
import { sql, type SQL } from "drizzle-orm";
import { rangeInstant } from "../../lib/dhaka-time";
import { WASTE_PICKUP_SERVICE_TYPE } from "../payments/payable-services.service";
import type { PickupDto, PickupFilters } from "./waste.schemas";

export type PickupRecord = {
  id: string;
  reference_number: string;
  user_id: string;
  user_name: string;
  user_phone: string;
  waste_type: string;
  description: string;
  location: string;
  latitude: string | null;
  longitude: string | null;
  ward_number: string | null;
  preferred_date: string;
  status: string;
  scheduled_for: string | Date | null;
  fee_amount: string | null;
  collected_at: string | Date | null;
  cancelled_at: string | Date | null;
  created_at: string | Date;
  updated_at: string | Date;
  payment_id: string | null;
  payment_status: string | null;
  payment_transaction_id: string | null;
  photos: Array<{ id: string; image_name: string; file_size: number; content_type: string; uploaded_at: string }>;
};

/** Whether the pickup `r` needs no payment or has a completed one. */
export const paidSql = (r: SQL = sql`r`) => sql`(${r}.fee_amount is null or exists (
  select 1 from waste_pickup_payments l join payments p on p.id = l.payment_id
  where l.pickup_request_id = ${r}.id and p.status = 'completed'))`;

/** Pickups matching `where` (over alias `r`), newest first. */
export function pickupsQuery(where: SQL, page: { limit?: number; offset?: number } = {}): SQL {
  return sql`
    select r.id, r.reference_number, r.user_id, u.name as user_name, u.phone as user_phone, r.waste_type, r.description, r.location,
           r.latitude, r.longitude, r.ward_number, to_char(r.preferred_date, 'YYYY-MM-DD') as preferred_date, r.status, r.scheduled_for,
           r.fee_amount, r.collected_at, r.cancelled_at, r.created_at, r.updated_at,
           pay.id as payment_id, pay.status as payment_status, pay.transaction_id as payment_transaction_id,
           coalesce((
             select json_agg(json_build_object('id', ph.id, 'image_name', ph.image_name, 'file_size', ph.file_size,
                                               'content_type', ph.content_type, 'uploaded_at', ph.uploaded_at) order by ph.position)
             from waste_pickup_photos ph where ph.pickup_request_id = r.id
           ), '[]'::json) as photos
    from waste_pickup_requests r
    join users u on u.id = r.user_id
    left join lateral (
      select p.id, p.status, p.transaction_id from waste_pickup_payments l join payments p on p.id = l.payment_id
      where l.pickup_request_id = r.id
      order by (p.status = 'completed') desc, p.created_at desc limit 1
    ) pay on r.fee_amount is not null
    where ${where}
    order by r.created_at desc, r.id desc
    ${page.limit !== undefined ? sql`limit ${page.limit}` : sql``}
    ${page.offset ? sql`offset ${page.offset}` : sql``}`;
}

export function countPickupsQuery(where: SQL): SQL {
  return sql`select count(*)::int as n from waste_pickup_requests r where ${where}`;
}

export function pickupConditions(filters: PickupFilters): SQL {
  const parts: SQL[] = [sql`true`];
  if (filters.status) parts.push(sql`r.status = ${filters.status}`);
  if (filters.waste_type) parts.push(sql`r.waste_type = ${filters.waste_type}`);
  if (filters.ward_number) parts.push(sql`r.ward_number = ${filters.ward_number}`);
  if (filters.preferred_date) parts.push(sql`r.preferred_date = ${filters.preferred_date}::date`);
  if (filters.from) parts.push(sql`r.created_at >= ${rangeInstant(filters.from, "start").toISOString()}::timestamptz`);
  if (filters.to) parts.push(sql`r.created_at < ${rangeInstant(filters.to, "end").toISOString()}::timestamptz`);
  return sql.join(parts, sql` and `);
}

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());
const num = (v: string | null) => (v === null ? null : Number(v));

export function photoUrl(origin: string, pickupId: string, photoId: string): string {
  return `${origin}/api/v1/waste/pickup-requests/${pickupId}/photos/${photoId}`;
}

export function toPickupDto(row: PickupRecord, origin: string): PickupDto {
  return {
    id: row.id,
    reference_number: row.reference_number,
    user: { id: row.user_id, name: row.user_name, phone: row.user_phone },
    waste_type: row.waste_type,
    description: row.description,
    location: row.location,
    latitude: num(row.latitude),
    longitude: num(row.longitude),
    ward_number: row.ward_number,
    preferred_date: row.preferred_date,
    status: row.status,
    scheduled_for: iso(row.scheduled_for),
    collected_at: iso(row.collected_at),
    cancelled_at: iso(row.cancelled_at),
    fee:
      row.fee_amount === null
        ? null
        : {
            service_type: WASTE_PICKUP_SERVICE_TYPE,
            amount: row.fee_amount,
            currency: "BDT",
            paid: row.payment_status === "completed",
            payment: row.payment_id ? { id: row.payment_id, status: row.payment_status!, transaction_id: row.payment_transaction_id! } : null,
            pay_url: `${origin}/api/v1/waste/pickup-requests/${row.id}/pay`,
          },
    photos: row.photos.map((p) => ({
      id: p.id,
      url: photoUrl(origin, row.id, p.id),
      image_name: p.image_name,
      file_size: p.file_size,
      content_type: p.content_type,
      uploaded_at: new Date(p.uploaded_at).toISOString(),
    })),
    created_at: iso(row.created_at)!,
    updated_at: iso(row.updated_at)!,
  };
}
