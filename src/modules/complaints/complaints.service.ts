/** Complaints: who may see what, creation with photos, edits, deletion, lists and statistics. */
import type { AuthUser } from "../../lib/tokens";
import { sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { batchRows } from "../../db/batch";
import { nextDailyNumberSql } from "../../db/sequences";
import type { UserRow } from "../../db/types";
import { ApiError } from "../../lib/errors";
import { pageLimits, type PageRequest } from "../../lib/pagination";
import { logActivityFrom } from "../admin/activity-log";
import { inStaffWards } from "../admin/staff-scope";
import { isStaff } from "../users/users.service";
import { deleteObjects, storeComplaintImages, validateComplaintImages } from "./complaint-images.service";
import {
  complaintsQuery,
  countComplaintsQuery,
  listConditions,
  nearbyQuery,
  selectComplaints,
  selectNearby,
  type NearbyRecord,
  selectStatistics,
  type ComplaintRecord,
} from "./complaints.queries";
import type { ComplaintFilters, CreateComplaintInput, UpdateComplaintInput } from "./complaints.schemas";
import { STATUS } from "./status-machine";

export const DUPLICATE_RADIUS_M = 200;
const MAX_DUPLICATES = 5;

/**
 * Citizens see their own complaints; staff those in the wards they may read complaints in (a super
 * admin: all). Anything else is "not found", never "forbidden".
 */
export function visibilityCondition(viewer: AuthUser): SQL {
  return isStaff(viewer) ? inStaffWards(viewer, "complaints", "read", sql`c.ward_number`) : sql`c.user_id = ${viewer.id}`;
}

export async function findVisibleComplaint(services: ServiceContext, viewer: AuthUser, where: SQL): Promise<ComplaintRecord> {
  const [row] = await selectComplaints(services.db, sql`(${where}) and ${visibilityCondition(viewer)}`);
  if (!row) throw new ApiError("not_found");
  return row;
}

export const byId = (id: string) => sql`c.id = ${id}`;
export const byTrackingNumber = (trackingNumber: string) => sql`c.tracking_number = ${trackingNumber}`;

/**
 * Files a complaint: photos are checked and stored in R2 first, then one statement takes the day's
 * next tracking number and inserts the complaint, its first history entry and its photo rows —
 * atomically. If that statement fails, the stored photos are deleted again.
 */
export async function createComplaint(services: ServiceContext, owner: AuthUser, input: CreateComplaintInput, files: unknown[] = [], now = new Date()) {
  const images = await validateComplaintImages(files, 0);
  const stored = await storeComplaintImages(services, images);
  // The id is made here so that one batch can insert the complaint and read it (and its possible
  // duplicates) back: one round trip, one transaction.
  const id = crypto.randomUUID();
  const withCoordinates = input.latitude != null && input.longitude != null;
  try {
    const [, [complaint], duplicates] = await batchRows<[never, ComplaintRecord, NearbyRecord]>(services.db, [
      sql`
      with tracking as (${nextDailyNumberSql("complaint", "CC", now)}),
      created as (
        insert into complaints (id, tracking_number, user_id, title, description, category, priority, location, latitude, longitude, ward_number)
        select ${id}, number, ${owner.id}, ${input.title}, ${input.description}, ${input.category}, ${input.priority ?? "মধ্যম"},
               ${input.location}, ${input.latitude ?? null}, ${input.longitude ?? null}, coalesce(${input.ward_number ?? null}, (select ward_number from users where id = ${owner.id}))
        from tracking
        returning id
      ),
      history as (
        insert into complaint_updates (complaint_id, updated_by, old_status, new_status)
        select id, ${owner.id}, null, ${STATUS.submitted} from created
      ),
      photos as (
        insert into complaint_images (complaint_id, object_key, image_name, file_size, content_type, position)
        select created.id, p.object_key, p.image_name, p.file_size, p.content_type, p.position
        from created, jsonb_to_recordset(${JSON.stringify(stored)}::jsonb)
             as p(object_key text, image_name text, file_size int, content_type text, position int)
      )
      select id from created`,
      complaintsQuery(byId(id)),
      withCoordinates
        ? nearbyQuery({ latitude: input.latitude!, longitude: input.longitude! }, input.category, DUPLICATE_RADIUS_M, MAX_DUPLICATES, id)
        : sql`select 1 where false`,
    ]);
    return { complaint: complaint!, duplicates };
  } catch (err) {
    await deleteObjects(services, stored.map((s) => s.object_key));
    throw err;
  }
}

export async function listComplaints(services: ServiceContext, viewer: AuthUser, filters: ComplaintFilters, page: PageRequest) {
  const { ordering, ...rest } = filters;
  const where = sql`${listConditions(rest, isStaff(viewer) ? null : viewer.id)} and ${visibilityCondition(viewer)}`;
  const { limit, offset } = pageLimits(page);
  const [rows, [total]] = await batchRows<[ComplaintRecord, { n: number }]>(services.db, [
    complaintsQuery(where, { ordering, limit, offset }),
    countComplaintsQuery(where),
  ]);
  return { rows, count: total?.n ?? 0 };
}

const columnNames: Record<keyof UpdateComplaintInput, string> = {
  title: "title",
  description: "description",
  category: "category",
  priority: "priority",
  location: "location",
  latitude: "latitude",
  longitude: "longitude",
  ward_number: "ward_number",
};

/**
 * The owner may edit while the complaint is still submitted; staff with `complaints.update` for its
 * ward may edit it whatever its status (403 without; the edit and its activity-log row together).
 */
export async function updateComplaint(services: ServiceContext, actor: AuthUser, id: string, input: UpdateComplaintInput) {
  const current = await findVisibleComplaint(services, actor, byId(id));
  const staff = isStaff(actor);
  if (!staff && current.status !== STATUS.submitted) throw new ApiError("conflict");
  const assignments = (Object.keys(columnNames) as Array<keyof UpdateComplaintInput>)
    .filter((key) => input[key] !== undefined)
    .map((key) => sql`${sql.identifier(columnNames[key])} = ${input[key] ?? null}`);
  if (assignments.length === 0) return current;
  const { rows } = await services.db.execute<{ id: string }>(sql`
    with changed as (
      update complaints c set ${sql.join([...assignments, sql`updated_at = now()`], sql`, `)}
      where c.id = ${id} and ${staff ? inStaffWards(actor, "complaints", "update", sql`c.ward_number`) : sql`c.user_id = ${actor.id} and c.status = ${STATUS.submitted}`}
      returning c.id
    )${staff ? sql`, logged as (${logActivityFrom(services, actor.id, sql`changed`, { action: "complaint.update", resourceType: "complaint", resourceId: sql`changed.id`, details: sql`${JSON.stringify({ fields: Object.keys(input).filter((k) => input[k as keyof UpdateComplaintInput] !== undefined) })}::jsonb` })})` : sql``}
    select id from changed`);
  if (!rows[0]) throw new ApiError(staff ? "forbidden" : "conflict"); // staff: not their ward; owner: its status moved on
  const [updated] = await selectComplaints(services.db, byId(id));
  return updated!;
}

/**
 * Owner while submitted; staff with `complaints.delete` for its ward (403 without). The row goes
 * (photos and history with it; staff deletions logged in the same statement), then its R2 objects.
 */
export async function deleteComplaint(services: ServiceContext, actor: AuthUser, id: string): Promise<void> {
  const current = await findVisibleComplaint(services, actor, byId(id));
  const staff = isStaff(actor);
  if (!staff && current.status !== STATUS.submitted) throw new ApiError("conflict");
  const { rows } = await services.db.execute<{ object_key: string | null; deleted: boolean }>(sql`
    with keys as (select object_key from complaint_images where complaint_id = ${id}),
    removed as (
      delete from complaints c where c.id = ${id}
        and ${staff ? inStaffWards(actor, "complaints", "delete", sql`c.ward_number`) : sql`c.user_id = ${actor.id} and c.status = ${STATUS.submitted}`}
      returning c.id, c.tracking_number
    )${staff ? sql`, logged as (${logActivityFrom(services, actor.id, sql`removed`, { action: "complaint.delete", resourceType: "complaint", resourceId: sql`removed.id`, details: sql`jsonb_build_object('tracking_number', removed.tracking_number)` })})` : sql``}
    select k.object_key, true as deleted from removed left join keys k on true`);
  if (rows.length === 0) throw new ApiError(staff ? "forbidden" : "conflict");
  await deleteObjects(services, rows.flatMap((r) => (r.object_key ? [r.object_key] : [])));
}

export function findNearby(services: ServiceContext, point: { latitude: number; longitude: number }, category: string, radiusM: number) {
  return selectNearby(services.db, point, category, radiusM, 20);
}

/** Totals over the complaints the viewer may read (a ward-scoped admin: their wards only). */
export async function complaintStatistics(services: ServiceContext, viewer: AuthUser) {
  const rows = await selectStatistics(services.db, visibilityCondition(viewer));
  const result = {
    total: 0,
    by_status: {} as Record<string, number>,
    by_category: {} as Record<string, number>,
    by_priority: {} as Record<string, number>,
    by_ward: {} as Record<string, number>,
    average_rating: null as number | null,
    rated: 0,
  };
  for (const row of rows) {
    if (row.dimension === "total") {
      result.total = row.n;
      result.average_rating = row.average_rating === null ? null : Number(row.average_rating);
      result.rated = row.rated;
    } else {
      const bucket = row.dimension === "ward" ? result.by_ward : result[`by_${row.dimension}`];
      bucket[row.key ?? "unknown"] = row.n;
    }
  }
  return result;
}
