/**
 * Pickup requests: a citizen asks for bulky, e-waste or other waste to be collected; staff of the
 * ward schedule it, collect it or cancel it. Each request is one batch (one round trip, one
 * transaction); the requester's SMS leaves after the change has committed.
 *
 * Fees: construction debris (bulky) and e-waste carry the fee of the `waste_pickup` service in the
 * payments catalogue, as it is when the request is made (stored on the request: what the citizen
 * was told is what they owe). The citizen pays through POST /waste/pickup-requests/{id}/pay, which
 * starts an ordinary payment of the engine and links it to the request (waste_pickup_payments);
 * the engine settles it as any other. A request with an unpaid fee cannot be scheduled.
 */
import { sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { batchRows } from "../../db/batch";
import { nextDailyNumberSql } from "../../db/sequences";
import { enumCatalog } from "../../lib/enums";
import { ApiError, validationError } from "../../lib/errors";
import { pageLimits, type PageRequest } from "../../lib/pagination";
import type { AuthUser } from "../../lib/tokens";
import { putImage, readImageUpload, streamObject } from "../../providers/storage";
import { logActivityFrom } from "../admin/activity-log";
import { inStaffWards } from "../admin/staff-scope";
import { WASTE_PICKUP_SERVICE_TYPE } from "../payments/payable-services.service";
import { CatalogueRefusedError, startPayment, type StartedPayment } from "../payments/payments.service";
import { dispatchNotifications, eventKey, fromRow, notifyUsersSql } from "../notifications/notify";
import { isStaff } from "../users/users.service";
import { countPickupsQuery, paidSql, pickupConditions, pickupsQuery, type PickupRecord } from "./waste-pickups.queries";
import { MAX_PICKUP_PHOTOS, PHOTO_MAX_BYTES, type CreatePickupInput, type PickupFilters, type StatusInput } from "./waste.schemas";

export const PICKUP_STATUS = { requested: "requested", scheduled: "scheduled", collected: "collected", cancelled: "cancelled" } as const;
/** Waste types whose pickup carries the `waste_pickup` fee. */
export const FEE_WASTE_TYPES = ["construction", "e_waste"] as const;
const PHOTO_FOLDER = "waste-pickups";

/** The statuses each status can be reached from. */
const SOURCES: Record<string, string[]> = {
  [PICKUP_STATUS.requested]: [],
  [PICKUP_STATUS.scheduled]: [PICKUP_STATUS.requested],
  [PICKUP_STATUS.collected]: [PICKUP_STATUS.scheduled],
  [PICKUP_STATUS.cancelled]: [PICKUP_STATUS.requested, PICKUP_STATUS.scheduled],
};

/** Requesters see their own; staff those in the wards they may read waste in (super admin: all). */
export function pickupVisibility(viewer: AuthUser): SQL {
  return isStaff(viewer) ? inStaffWards(viewer, "waste", "read", sql`r.ward_number`) : sql`r.user_id = ${viewer.id}`;
}

const byId = (id: string) => sql`r.id = ${id}`;

type ValidImage = Awaited<ReturnType<typeof readImageUpload>>;

/** Multipart `photos` may arrive as one file, several same-named fields, or `photos[]`. */
export function photosFromForm(form: Record<string, unknown>): unknown[] {
  const value = form.photos ?? form["photos[]"];
  if (value === undefined || value === "") return [];
  return Array.isArray(value) ? value : [value];
}

/** Count, size and type of every photo (400/413/415), before anything is stored. */
async function validatePhotos(files: unknown[]): Promise<ValidImage[]> {
  if (files.length > MAX_PICKUP_PHOTOS) throw validationError({ photos: [`At most ${MAX_PICKUP_PHOTOS} photos per pickup request.`] });
  const images: ValidImage[] = [];
  for (const file of files) images.push(await readImageUpload(file, PHOTO_MAX_BYTES, "photos"));
  return images;
}

/**
 * Makes a pickup request. Photos are checked, then stored in R2; one batch takes the day's next
 * `WP` number, inserts the request (with its fee, read from the catalogue in the same statement),
 * its first history row and its photo rows, and reads it back. If the batch fails, the photos go.
 */
export async function createPickup(services: ServiceContext, requester: AuthUser, input: CreatePickupInput, files: unknown[] = [], now = new Date()) {
  const images = await validatePhotos(files);
  const stored = await Promise.all(images.map((image) => putImage(services.env.MEDIA, PHOTO_FOLDER, image)));
  const photos = stored.map((s, i) => ({ object_key: s.key, image_name: s.name, file_size: s.size, content_type: s.contentType, position: i + 1 }));
  const id = crypto.randomUUID();
  const fee = (FEE_WASTE_TYPES as readonly string[]).includes(input.waste_type)
    ? sql`(select case s.fee_type when 'fixed' then s.fixed_amount when 'range' then s.min_amount end
           from payable_services s where s.code = ${WASTE_PICKUP_SERVICE_TYPE} and s.is_active)`
    : sql`null::numeric`;
  try {
    const [, [row]] = await batchRows<[unknown, PickupRecord]>(services.db, [
      sql`
        with reference as (${nextDailyNumberSql("waste_pickup", "WP", now)}),
        created as (
          insert into waste_pickup_requests (id, reference_number, user_id, waste_type, description, location, latitude, longitude, ward_number, preferred_date, status, fee_amount)
          select ${id}, number, ${requester.id}, ${input.waste_type}, ${input.description}, ${input.location}, ${input.latitude ?? null}, ${input.longitude ?? null},
                 coalesce(${input.ward_number ?? null}::text, (select ward_number from users where id = ${requester.id})), ${input.preferred_date}::date,
                 ${PICKUP_STATUS.requested}, ${fee}
          from reference
          returning id
        ),
        history as (
          insert into waste_pickup_updates (pickup_request_id, updated_by, old_status, new_status)
          select id, ${requester.id}, null, ${PICKUP_STATUS.requested} from created
        ),
        photos as (
          insert into waste_pickup_photos (pickup_request_id, object_key, image_name, file_size, content_type, position)
          select created.id, p.object_key, p.image_name, p.file_size, p.content_type, p.position
          from created, jsonb_to_recordset(${JSON.stringify(photos)}::jsonb)
               as p(object_key text, image_name text, file_size int, content_type text, position int)
        )
        select id from created`,
      pickupsQuery(byId(id)),
    ]);
    return row!;
  } catch (err) {
    if (photos.length) await services.env.MEDIA.delete(photos.map((p) => p.object_key));
    throw err;
  }
}

export async function listPickups(services: ServiceContext, viewer: AuthUser, filters: PickupFilters, page: PageRequest) {
  const where = sql`${pickupConditions(filters)} and ${pickupVisibility(viewer)}`;
  const { limit, offset } = pageLimits(page);
  const [rows, [total]] = await batchRows<[PickupRecord, { n: number }]>(services.db, [pickupsQuery(where, { limit, offset }), countPickupsQuery(where)]);
  return { rows, count: total?.n ?? 0 };
}

export async function getPickup(services: ServiceContext, viewer: AuthUser, id: string): Promise<PickupRecord> {
  const { rows } = await services.db.execute<PickupRecord>(pickupsQuery(sql`${byId(id)} and ${pickupVisibility(viewer)}`));
  if (!rows[0]) throw new ApiError("not_found");
  return rows[0];
}

/** The history, oldest first, for whoever may see the request. One statement. */
export async function listPickupUpdates(services: ServiceContext, viewer: AuthUser, id: string) {
  const { rows } = await services.db.execute<{
    id: string | null;
    old_status: string | null;
    new_status: string;
    scheduled_for: string | Date | null;
    note: string | null;
    updated_by_id: string;
    updated_by_name: string;
    created_at: string | Date;
  }>(sql`
    with target as (select r.id from waste_pickup_requests r where ${byId(id)} and ${pickupVisibility(viewer)})
    select h.id, h.old_status, h.new_status, h.scheduled_for, h.note, u.id as updated_by_id, u.name as updated_by_name, h.created_at
    from target t
    left join waste_pickup_updates h on h.pickup_request_id = t.id
    left join users u on u.id = h.updated_by
    order by h.created_at, h.id`);
  if (rows.length === 0) throw new ApiError("not_found");
  return rows
    .filter((r) => r.id !== null)
    .map((r) => ({
      id: r.id!,
      old_status: r.old_status,
      new_status: r.new_status,
      scheduled_for: r.scheduled_for === null ? null : new Date(r.scheduled_for).toISOString(),
      note: r.note,
      updated_by: { id: r.updated_by_id, name: r.updated_by_name },
      created_at: new Date(r.created_at).toISOString(),
    }));
}

interface StatusOutcome {
  found: boolean;
  allowed: boolean;
  movable: boolean;
  paid: boolean;
  changed: boolean;
}

/**
 * A status move. Staff with `waste.update` in the request's ward may make any allowed move; the
 * requester may only cancel their own. One batch: the guarded UPDATE (row lock; applies only from
 * a status the move starts from, and to `scheduled` only once paid), its history row, the staff's
 * activity-log row, then the request as stored. Of two concurrent moves one applies; the other
 * finds the new status and gets 409. The requester is told by SMS after commit (unless they made
 * the change themselves).
 */
export async function changePickupStatus(services: ServiceContext, actor: AuthUser, id: string, input: StatusInput): Promise<PickupRecord> {
  const target = input.status;
  const sources = SOURCES[target] ?? [];
  const staff = isStaff(actor);
  const allowed = staff ? inStaffWards(actor, "waste", "update", sql`cur.ward_number`) : target === PICKUP_STATUS.cancelled
      ? sql`cur.user_id = ${actor.id}`
      : sql`false`;
  const scheduledFor = input.scheduled_for ? new Date(input.scheduled_for).toISOString() : null;
  const movable = sql`cur.status = any(${`{${sources.join(",")}}`}::text[])`;
  const paidOk = target === PICKUP_STATUS.scheduled ? sql`cur.paid` : sql`true`;
  const logged = staff
    ? sql`, logged as (${logActivityFrom(services, actor.id, sql`changed`, {
        action: "waste_pickup.status",
        resourceType: "waste_pickup",
        resourceId: sql`changed.id`,
        details: sql`jsonb_build_object('old_status', changed.old_status, 'new_status', changed.new_status, 'scheduled_for', changed.scheduled_for, 'note', ${input.note ?? null}::text)`,
      })})`
    : sql``;
  const label = enumCatalog.pickup_status.find((st) => st.value === target);
  const whenSql = (format: string, digits: string) =>
    target === PICKUP_STATUS.scheduled
      ? sql`case when r.scheduled_for is null then '' else ' (' || translate(to_char(r.scheduled_for at time zone 'Asia/Dhaka', ${format}), '0123456789', ${digits}) || ')' end`
      : sql`''`;
  const [[outcome], [row], notified] = await batchRows<[StatusOutcome, PickupRecord, { id: string }]>(services.db, [
    sql`
      with cur as (
        select r.id, r.status, r.ward_number, r.user_id, ${paidSql()} as paid
        from waste_pickup_requests r where ${byId(id)} and ${pickupVisibility(actor)} for update of r
      ),
      changed as (
        update waste_pickup_requests r set
          status = ${target},
          scheduled_for = coalesce(${scheduledFor}::timestamptz, r.scheduled_for),
          collected_at = ${target === PICKUP_STATUS.collected ? sql`now()` : sql`r.collected_at`},
          cancelled_at = ${target === PICKUP_STATUS.cancelled ? sql`now()` : sql`r.cancelled_at`},
          updated_at = now()
        from cur
        where r.id = cur.id and ${allowed} and ${movable} and ${paidOk}
        returning r.id, cur.status as old_status, r.status as new_status, r.scheduled_for
      ),
      history as (
        insert into waste_pickup_updates (pickup_request_id, updated_by, old_status, new_status, scheduled_for, note)
        select id, ${actor.id}, old_status, new_status, ${scheduledFor}::timestamptz, ${input.note ?? null} from changed
      )
      ${logged}
      select exists (select 1 from cur) as found,
             coalesce((select ${allowed} from cur), false) as allowed,
             coalesce((select ${movable} from cur), false) as movable,
             coalesce((select paid from cur), false) as paid,
             exists (select 1 from changed) as changed`,
    pickupsQuery(sql`${byId(id)} and ${pickupVisibility(actor)}`),
    // The requester hears of changes made by staff, in the same transaction (updated_at = now()).
    notifyUsersSql(
      {
        type: "waste.pickup_status",
        key: eventKey("waste.pickup_status", id),
        payload: {
          pickup_id: id,
          reference_number: fromRow("reference_number"),
          status_bn: label?.bn ?? target,
          status_en: label?.en ?? target,
          when_bn: fromRow("when_bn"),
          when_en: fromRow("when_en"),
          note: input.note ?? null,
        },
      },
      sql`select r.user_id, r.reference_number, ${whenSql("YYYY-MM-DD HH24:MI", "০১২৩৪৫৬৭৮৯")} as when_bn, ${whenSql("YYYY-MM-DD HH24:MI", "0123456789")} as when_en
          from waste_pickup_requests r where r.id = ${id} and r.status = ${target} and r.updated_at = now() and r.user_id <> ${actor.id}::uuid`,
    ),
  ]);
  if (!outcome?.found || !row) throw new ApiError("not_found");
  if (!outcome.allowed) throw new ApiError("forbidden");
  if (!outcome.changed) {
    if (outcome.movable && !outcome.paid) throw new ApiError("conflict", "pickup_unpaid");
    throw new ApiError("conflict", "pickup_status_move");
  }
  await dispatchNotifications(services, notified.map((n) => n.id));
  return row;
}

/** The stored photo, streamed to whoever may see the request (private: never in shared caches). */
export async function streamPickupPhoto(services: ServiceContext, viewer: AuthUser, id: string, photoId: string): Promise<Response> {
  const { rows } = await services.db.execute<{ object_key: string }>(sql`
    select ph.object_key from waste_pickup_photos ph join waste_pickup_requests r on r.id = ph.pickup_request_id
    where ph.id = ${photoId} and ${byId(id)} and ${pickupVisibility(viewer)}`);
  if (!rows[0]) throw new ApiError("not_found");
  return streamObject(services.env.MEDIA, rows[0].object_key, "private, max-age=3600");
}

/**
 * Starts paying a pickup's fee (its requester only). The request must carry a fee, be unpaid and
 * still waiting (`requested`). The payment is an ordinary one of the engine — service
 * `waste_pickup`, the request's fee — recorded together with its link to the request in one batch,
 * and only while the request is still payable (checked again by that INSERT).
 */
export async function payPickup(services: ServiceContext, payer: AuthUser, id: string, input: { method: string; phone: string }, callbackUrl: string) {
  const { rows } = await services.db.execute<{ fee_amount: string | null; status: string; paid: boolean }>(sql`
    select r.fee_amount, r.status, ${paidSql()} as paid from waste_pickup_requests r where ${byId(id)} and r.user_id = ${payer.id}`);
  const pickup = rows[0];
  if (!pickup) throw new ApiError("not_found");
  if (pickup.fee_amount === null || pickup.paid || pickup.status !== PICKUP_STATUS.requested) throw new ApiError("conflict", "pickup_not_payable");
  const stillPayable = sql`s.is_active and exists (
    select 1 from waste_pickup_requests r where ${byId(id)} and r.status = ${PICKUP_STATUS.requested} and not ${paidSql()})`;
  let started: StartedPayment;
  try {
    started = await startPayment(services, payer, { serviceType: WASTE_PICKUP_SERVICE_TYPE, amount: pickup.fee_amount, method: input.method, phone: input.phone }, callbackUrl, {
      accepts: stillPayable,
      related: (paymentId) => [
        services.db.execute(sql`insert into waste_pickup_payments (payment_id, pickup_request_id) select ${paymentId}::uuid, ${id}::uuid where exists (select 1 from payments where id = ${paymentId}::uuid)`),
      ],
    });
  } catch (err) {
    if (err instanceof CatalogueRefusedError) throw new ApiError("conflict", "pickup_not_payable");
    throw err;
  }
  return { ...started, amount: pickup.fee_amount };
}
