/**
 * Staff handling of complaints: status changes through the state machine, assignment, and the
 * owner's rating. Each change the owner should hear about writes their notification in the same
 * batch (src/modules/notifications/notify.ts): no change without it, no notification without the change.
 */
import type { AuthUser } from "../../lib/tokens";
import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import type { UserRow } from "../../db/types";
import { STAFF_TYPES } from "../../lib/enums";
import { ApiError, validationError } from "../../lib/errors";
import { dispatchNotifications, eventKey, fromRow, notifyUsersSql } from "../notifications/notify";
import { isStaff } from "../users/users.service";
import { batchRows } from "../../db/batch";
import { logActivityFrom } from "../admin/activity-log";
import { inStaffWards } from "../admin/staff-scope";
import { complaintsQuery, type ComplaintRecord } from "./complaints.queries";
import { byId, findVisibleComplaint, visibilityCondition } from "./complaints.service";
import { STATUS, sourcesOf } from "./status-machine";

/**
 * Moves a complaint to `newStatus`. Staff may make any allowed move; the owner may only cancel
 * while it is submitted. One batch (one round trip, one transaction): the guarded UPDATE with its
 * history row, then the complaint as it now is. The UPDATE only applies from an allowed source
 * status and under the row lock, so two concurrent changes cannot both apply, and the history row
 * records the status actually replaced.
 *
 * The owner's notification is the batch's third statement; it is delivered (push, else SMS) by
 * the notifications queue once the batch has committed.
 */
export async function changeStatus(services: ServiceContext, actor: AuthUser, id: string, newStatus: string, comment: string | undefined) {
  const staff = isStaff(actor);
  if (!staff && newStatus !== STATUS.cancelled) {
    await findVisibleComplaint(services, actor, byId(id)); // someone else's complaint stays "not found"
    throw new ApiError("forbidden");
  }
  const sources = staff ? sourcesOf(newStatus) : [STATUS.submitted];
  const visible = sql`c.id = ${id} and ${visibilityCondition(actor)}`;
  // Staff need `complaints.update` for the complaint's ward: found but not allowed is 403.
  const allowed = staff ? inStaffWards(actor, "complaints", "update", sql`cur.ward_number`) : sql`true`;
  const log = staff
    ? sql`, logged as (${logActivityFrom(services, actor.id, sql`changed`, {
        action: "complaint.status_change",
        resourceType: "complaint",
        resourceId: sql`changed.id`,
        details: sql`jsonb_build_object('old_status', changed.old_status, 'new_status', ${newStatus}::text, 'comment', ${comment ?? null}::text)`,
      })})`
    : sql``;
  const [[outcome], [complaint], notified] = await batchRows<[{ found: boolean; allowed: boolean; changed: boolean }, ComplaintRecord, { id: string }]>(services.db, [
    sql`
      with current_row as (select c.id, c.status, c.ward_number from complaints c where ${visible} for update),
      changed as (
        update complaints c set status = ${newStatus}, updated_at = now(),
          resolved_at = case when ${newStatus} = ${STATUS.resolved} then now() else c.resolved_at end
        from current_row cur
        where c.id = cur.id and ${allowed} and cur.status in (${sources.length ? sql.join(sources.map((s) => sql`${s}`), sql`, `) : sql`null`})
        returning c.id, cur.status as old_status
      ),
      history as (
        insert into complaint_updates (complaint_id, updated_by, old_status, new_status, comment)
        select id, ${actor.id}, old_status, ${newStatus}, ${comment ?? null} from changed
      )${log}
      select exists (select 1 from current_row) as found,
             coalesce((select ${allowed} from current_row cur), false) as allowed,
             exists (select 1 from changed) as changed`,
    complaintsQuery(visible),
    // The owner's notification, only if this transaction made the change (updated_at = now()).
    notifyUsersSql(
      { type: "complaint.status_changed", key: eventKey("complaint.status_changed", id), payload: { complaint_id: id, tracking_number: fromRow("tracking_number"), status: newStatus } },
      sql`select c.user_id, c.tracking_number from complaints c where c.id = ${id} and c.status = ${newStatus} and c.updated_at = now()`,
    ),
  ]);
  if (!outcome?.found || !complaint) throw new ApiError("not_found");
  if (!outcome.allowed) throw new ApiError("forbidden");
  if (!outcome.changed) throw new ApiError("conflict"); // not an allowed move from its status, or someone moved it first
  await dispatchNotifications(services, notified.map((n) => n.id));
  return complaint;
}

export async function listStatusHistory(services: ServiceContext, viewer: AuthUser, id: string) {
  await findVisibleComplaint(services, viewer, byId(id));
  const { rows } = await services.db.execute<{
    id: string;
    old_status: string | null;
    new_status: string;
    comment: string | null;
    updated_by_id: string;
    updated_by_name: string;
    created_at: string | Date;
  }>(sql`
    select h.id, h.old_status, h.new_status, h.comment, u.id as updated_by_id, u.name as updated_by_name, h.created_at
    from complaint_updates h join users u on u.id = h.updated_by
    where h.complaint_id = ${id}
    order by h.created_at, h.id`);
  return rows.map((r) => ({
    id: r.id,
    old_status: r.old_status,
    new_status: r.new_status,
    comment: r.comment,
    updated_by: { id: r.updated_by_id, name: r.updated_by_name },
    created_at: new Date(r.created_at).toISOString(),
  }));
}

/**
 * Assigns an open complaint to an active staff member and tells the owner. Needs
 * `complaints.update` for its ward (403 without); the assignment and its log row go together.
 */
export async function assignComplaint(services: ServiceContext, actor: AuthUser, id: string, assigneeId: string) {
  const complaint = await findVisibleComplaint(services, actor, byId(id));
  if (complaint.status !== STATUS.submitted && complaint.status !== STATUS.inProgress) throw new ApiError("conflict");
  const [rows, notified] = await batchRows<[{ allowed: boolean; assignee_name: string | null; updated_at: string | null }, { id: string }]>(services.db, [
    sql`
    with target as (
      select c.id, ${inStaffWards(actor, "complaints", "update", sql`c.ward_number`)} as allowed from complaints c where c.id = ${id}
    ),
    changed as (
      update complaints c set assigned_to = a.id, updated_at = now()
      from users a, target t
      where c.id = t.id and t.allowed and a.id = ${assigneeId} and a.is_active
        and a.user_type in (${sql.join(STAFF_TYPES.map((t) => sql`${t}`), sql`, `)})
      returning c.id, a.id as assignee_id, a.name as assignee_name, c.updated_at
    ),
    logged as (${logActivityFrom(services, actor.id, sql`changed`, {
      action: "complaint.assign",
      resourceType: "complaint",
      resourceId: sql`changed.id`,
      details: sql`jsonb_build_object('assigned_to', changed.assignee_id)`,
    })})
    select t.allowed, ch.assignee_name, ch.updated_at from target t left join changed ch on true`,
    notifyUsersSql(
      { type: "complaint.assigned", key: eventKey("complaint.assigned", id), payload: { complaint_id: id, tracking_number: fromRow("tracking_number"), assignee: fromRow("assignee") } },
      sql`select c.user_id, c.tracking_number, a.name as assignee from complaints c join users a on a.id = c.assigned_to
          where c.id = ${id} and c.assigned_to = ${assigneeId} and c.updated_at = now()`,
    ),
  ]);
  const outcome = rows[0];
  if (!outcome) throw new ApiError("not_found"); // deleted meanwhile
  if (!outcome.allowed) throw new ApiError("forbidden");
  if (!outcome.assignee_name) throw validationError({ assigned_to: ["The assignee must be an active staff member."] });
  await dispatchNotifications(services, notified.map((n) => n.id));
  return { ...complaint, assigned_to: assigneeId, assigned_name: outcome.assignee_name, updated_at: outcome.updated_at! };
}

/** The owner rates a resolved complaint, once. */
export async function rateComplaint(services: ServiceContext, actor: AuthUser, id: string, rating: number, feedback: string | undefined) {
  const complaint = await findVisibleComplaint(services, actor, byId(id));
  if (complaint.user_id !== actor.id) throw new ApiError("forbidden");
  const { rows } = await services.db.execute<{ updated_at: string }>(sql`
    update complaints set rating = ${rating}, feedback = ${feedback ?? null}, updated_at = now()
    where id = ${id} and user_id = ${actor.id} and status = ${STATUS.resolved} and rating is null
    returning updated_at`);
  if (!rows[0]) throw new ApiError("conflict"); // not resolved yet, or already rated
  return { ...complaint, rating, feedback: feedback ?? null, updated_at: rows[0].updated_at };
}
