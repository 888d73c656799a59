/**
 * Open311 over complaints. Each request is one statement, so one database round trip:
 *
 *  - reads select only what the spec shows — never the reporter's name, phone or email — and mint,
 *    in the same statement, the public link of any first photo shown for the first time;
 *  - a POST checks the API key, counts it against the key's per-minute window, finds or creates the
 *    reporter's citizen account, takes the day's tracking number and files the complaint with its
 *    first history entry — all or nothing, and nothing at all unless the key is valid and in limit.
 */
import { sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { nextDailyNumberSql } from "../../db/sequences";
import { sha256Hex } from "../../lib/crypto";
import { dhakaW3c } from "../../lib/dhaka-time";
import { streamObject } from "../../providers/storage";
import { STATUS } from "../complaints/status-machine";
import { open311Status, serviceCodeOf } from "./open311.catalog";
import { Open311Error } from "./open311.format";
import { MAX_REQUESTS, type NewRequest, type RequestsFilter } from "./open311.input";

/** Marks an account made for an Open311 reporter: no password verifies against it (see README). */
export const NO_PASSWORD = "!open311";
const WINDOW = sql`interval '1 minute'`;

interface RequestRecord {
  tracking_number: string;
  category: string;
  status: string;
  title: string;
  description: string;
  location: string;
  latitude: string | null;
  longitude: string | null;
  ward_number: string | null;
  created_at: string | Date;
  updated_at: string | Date;
  status_notes: string | null;
  media_token: string | null;
}

/** Complaints matching `where`, newest first, at most `limit`, with their first photo's public link. */
function requestsQuery(where: SQL, limit: number): SQL {
  // 244 random bits from two v4 UUIDs (pg_strong_random): unguessable, and URL-safe as hex.
  const token = sql`replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')`;
  return sql`
    with page as (
      select c.id, c.tracking_number, c.category, c.status, c.title, c.description, c.location, c.latitude, c.longitude,
             c.ward_number, c.created_at, c.updated_at,
             (select u.comment from complaint_updates u
               where u.complaint_id = c.id and u.comment is not null
               order by u.created_at desc, u.id desc limit 1) as status_notes,
             (select i.id from complaint_images i where i.complaint_id = c.id order by i.position, i.id limit 1) as first_image_id
      from complaints c
      where ${where}
      order by c.created_at desc, c.id desc
      limit ${limit}
    ),
    minted as (
      insert into open311_media_links (image_id, token)
      select p.first_image_id, ${token} from page p
      where p.first_image_id is not null
        and not exists (select 1 from open311_media_links l where l.image_id = p.first_image_id)
      on conflict do nothing
      returning image_id, token
    )
    select p.tracking_number, p.category, p.status, p.title, p.description, p.location, p.latitude, p.longitude,
           p.ward_number, p.created_at, p.updated_at, p.status_notes, coalesce(l.token, m.token) as media_token
    from page p
    left join open311_media_links l on l.image_id = p.first_image_id
    left join minted m on m.image_id = p.first_image_id
    order by p.created_at desc, p.id desc`;
}

const jsonList = (values: string[]) => sql`(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

function filterConditions(filter: RequestsFilter): SQL {
  if (filter.ids) return sql`c.tracking_number in ${jsonList(filter.ids)}`;
  const parts: SQL[] = [sql`c.created_at >= ${filter.start.toISOString()}::timestamptz`, sql`c.created_at <= ${filter.end.toISOString()}::timestamptz`];
  if (filter.categories) parts.push(sql`c.category in ${jsonList(filter.categories)}`);
  if (filter.statuses) parts.push(sql`c.status in ${jsonList(filter.statuses)}`);
  return sql.join(parts, sql` and `);
}

export interface Open311Settings {
  origin: string;
  agency: string;
}

/** One complaint as a GeoReport v2 service request (every spec field, null where we have nothing). */
function toServiceRequest(row: RequestRecord, settings: Open311Settings) {
  const description = row.description.startsWith(row.title) ? row.description : row.description ? `${row.title}: ${row.description}` : row.title;
  return {
    service_request_id: row.tracking_number,
    status: open311Status(row.status),
    status_notes: row.status_notes,
    service_name: row.category,
    service_code: serviceCodeOf(row.category),
    description,
    agency_responsible: row.ward_number ? `${settings.agency}, ward ${row.ward_number}` : settings.agency,
    service_notice: null,
    requested_datetime: dhakaW3c(new Date(row.created_at)),
    updated_datetime: dhakaW3c(new Date(row.updated_at)),
    expected_datetime: null,
    address: row.location,
    address_id: null,
    zipcode: null,
    lat: row.latitude === null ? null : Number(row.latitude),
    long: row.longitude === null ? null : Number(row.longitude),
    media_url: row.media_token ? `${settings.origin}/open311/v2/media/${row.media_token}` : null,
  };
}

export type ServiceRequest = ReturnType<typeof toServiceRequest>;

export async function listRequests(services: ServiceContext, filter: RequestsFilter, settings: Open311Settings): Promise<ServiceRequest[]> {
  const { rows } = await services.db.execute<RequestRecord & Record<string, unknown>>(requestsQuery(filterConditions(filter), MAX_REQUESTS));
  return (rows as RequestRecord[]).map((row) => toServiceRequest(row, settings));
}

export async function getRequest(services: ServiceContext, trackingNumber: string, settings: Open311Settings): Promise<ServiceRequest> {
  const { rows } = await services.db.execute<RequestRecord & Record<string, unknown>>(requestsQuery(sql`c.tracking_number = ${trackingNumber}`, 1));
  if (!rows[0]) throw Open311Error.of(404, `service_request_id ${trackingNumber} was not found.`);
  return toServiceRequest(rows[0] as RequestRecord, settings);
}

/**
 * The key check as a CTE named `key`: an active key's row takes this request into its fixed
 * one-minute window (a new window starts when the last one has passed) and says whether the
 * request is still within the key's limit, and how long until the window ends.
 */
function keyCheck(keyHash: string): SQL {
  return sql`key as (
    update open311_api_keys k set
      window_started_at = case when k.window_started_at > now() - ${WINDOW} then k.window_started_at else now() end,
      window_count = case when k.window_started_at > now() - ${WINDOW} then k.window_count + 1 else 1 end,
      last_used_at = now()
    where k.key_hash = ${keyHash} and k.revoked_at is null
    returning k.id, k.window_count <= k.rate_limit as allowed,
              greatest(1, ceil(extract(epoch from (k.window_started_at + ${WINDOW} - now()))))::int as retry_after
  )`;
}

interface KeyOutcome {
  key_found: boolean;
  allowed: boolean | null;
  retry_after: number | null;
}

function refuseKey(outcome: KeyOutcome): void {
  if (!outcome.key_found) throw Open311Error.of(403, "Invalid api_key received -- can't proceed with create_request.");
  if (!outcome.allowed) {
    const retryAfter = outcome.retry_after ?? 60;
    throw Open311Error.of(429, `Rate limit exceeded for this api_key; retry after ${retryAfter} seconds.`, { "Retry-After": String(retryAfter) });
  }
}

/** Checks (and counts) a key on its own: for a POST whose input is bad, the key still answers first. */
export async function checkApiKey(services: ServiceContext, apiKey: string): Promise<void> {
  const { rows } = await services.db.execute<KeyOutcome & Record<string, unknown>>(sql`
    with ${keyCheck(await sha256Hex(apiKey))}
    select exists (select 1 from key) as key_found, (select allowed from key) as allowed, (select retry_after from key) as retry_after`);
  refuseKey(rows[0] as KeyOutcome);
}

interface CreateOutcome extends KeyOutcome {
  owner_found: boolean;
  owner_active: boolean | null;
  tracking_number: string | null;
}

/**
 * Files a service request for the owner of `input.phone`: their account if there is one (never
 * altered), else a new unverified citizen account for that phone with the name and email given.
 */
export async function createRequest(services: ServiceContext, apiKey: string, input: NewRequest, now = new Date()): Promise<string> {
  const id = crypto.randomUUID();
  const { rows } = await services.db.execute<CreateOutcome & Record<string, unknown>>(sql`
    with ${keyCheck(await sha256Hex(apiKey))},
    go as (select 1 from key where allowed),
    existing as (select u.id, u.is_active, u.ward_number from users u where u.phone = ${input.phone}),
    new_owner as (
      insert into users (phone, name, email, password_hash, is_verified, ward_number)
      select ${input.phone}, ${input.name},
             case when ${input.email}::text is null or exists (select 1 from users e where e.email = ${input.email}) then null else ${input.email} end,
             ${NO_PASSWORD}, false, ${input.wardNumber}
      where exists (select 1 from go) and not exists (select 1 from existing)
      on conflict (phone) do nothing
      returning id, is_active, ward_number
    ),
    owner as (select id, is_active, ward_number from existing union all select id, is_active, ward_number from new_owner),
    tracking as (${nextDailyNumberSql("complaint", "CC", now, sql`exists (select 1 from go) and exists (select 1 from owner where is_active)`)}),
    created as (
      insert into complaints (id, tracking_number, user_id, title, description, category, priority, location, latitude, longitude, ward_number)
      select ${id}, t.number, o.id, ${input.title}, ${input.description}, ${input.category}, ${input.priority}, ${input.location},
             ${input.latitude}, ${input.longitude}, coalesce(${input.wardNumber}, o.ward_number)
      from tracking t, owner o
      where o.is_active
      returning id, user_id, tracking_number
    ),
    history as (
      insert into complaint_updates (complaint_id, updated_by, old_status, new_status)
      select id, user_id, null, ${STATUS.submitted} from created
    )
    select exists (select 1 from key) as key_found, (select allowed from key) as allowed, (select retry_after from key) as retry_after,
           exists (select 1 from owner) as owner_found, (select bool_and(is_active) from owner) as owner_active,
           (select tracking_number from created) as tracking_number`);
  const outcome = rows[0] as CreateOutcome;
  refuseKey(outcome);
  if (outcome.tracking_number) return outcome.tracking_number;
  if (outcome.owner_found && !outcome.owner_active) throw Open311Error.of(400, "phone: the account of this phone number is disabled; it cannot file requests.");
  // Another request created the same phone's account at the same instant: this one may simply retry.
  throw Open311Error.of(409, "phone: the reporter's account was being created by another request; send it again.");
}

/** The photo behind a public media link (404 once the link is revoked or the photo deleted). */
export async function streamMedia(services: ServiceContext, token: string): Promise<Response> {
  const { rows } = await services.db.execute<{ object_key: string }>(sql`
    select i.object_key from open311_media_links l join complaint_images i on i.id = l.image_id where l.token = ${token}`);
  if (!rows[0]) throw Open311Error.of(404, "media not found.");
  // Public, but revocable: shared caches may keep it only briefly.
  return streamObject(services.env.MEDIA, rows[0].object_key, "public, max-age=300");
}
