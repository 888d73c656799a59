/**
 * Staff handling of complaints: status changes through the state machine, assignment, and the
 * owner's rating. Each change that the owner should hear about enqueues an SMS inside the same
 * transaction, so a change is never committed without its notification being queued.
 */
import type { AuthUser } from "../../lib/tokens";
import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import type { UserRow } from "../../db/types";
import { STAFF_TYPES } from "../../lib/enums";
import { ApiError, validationError } from "../../lib/errors";
import { enqueueSms } from "../sms/sms.service";
import { isStaff } from "../users/users.service";
import { batchRows } from "../../db/batch";
import { logActivityFrom } from "../admin/activity-log";
import { inStaffWards } from "../admin/staff-scope";
import { complaintsQuery, type ComplaintRecord } from "./complaints.queries";
import { byId, findVisibleComplaint, visibilityCondition } from "./complaints.service";
import { STATUS, sourcesOf } from "./status-machine";

export function statusSmsText(trackingNumber: string, status: string): string {
  return `Clean Care: আপনার অভিযোগ ${trackingNumber} এর অবস্থা এখন "${status}"।`;
}

export function assignmentSmsText(trackingNumber: string, assignee: string): string {
  return `Clean Care: আপনার অভিযোগ ${trackingNumber} দেখার দায়িত্ব ${assignee} কে দেওয়া হয়েছে।`;
}

/**
 * Moves a complaint to `newStatus`. Staff may make any allowed move; the owner may only cancel
 * while it is submitted. One batch (one round trip, one transaction): the guarded UPDATE with its
 * history row, then the complaint as it now is. The UPDATE only applies from an allowed source
 * status and under the row lock, so two concurrent changes cannot both apply, and the history row
 * records the status actually replaced.
 *
 * The owner's SMS is queued once the change has committed. (A queue that refuses the message
 * then loses that one SMS — logged — rather than the status change; the notification outbox
 * of the notifications work makes both durable together.)
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
  const [[outcome], [complaint]] = await batchRows<[{ found: boolean; allowed: boolean; changed: boolean }, ComplaintRecord]>(services.db, [
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
  ]);
  if (!outcome?.found || !complaint) throw new ApiError("not_found");
  if (!outcome.allowed) throw new ApiError("forbidden");
  if (!outcome.changed) throw new ApiError("conflict"); // not an allowed move from its status, or someone moved it first
  await notifyOwner(services, complaint.user_phone, statusSmsText(complaint.tracking_number, newStatus));
  return complaint;
}

/** Queues an SMS to the owner after a committed change; a refused enqueue costs that SMS, not the change. */
async function notifyOwner(services: ServiceContext, phone: string, text: string): Promise<void> {
  try {
    await enqueueSms(services.env, { phone, text });
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "owner sms not queued", error: err instanceof Error ? err.message : String(err) }));
  }
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
  const { rows } = await services.db.execute<{ allowed: boolean; assignee_name: string | null; updated_at: string | null }>(sql`
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
    select t.allowed, ch.assignee_name, ch.updated_at from target t left join changed ch on true`);
  const outcome = rows[0];
  if (!outcome) throw new ApiError("not_found"); // deleted meanwhile
  if (!outcome.allowed) throw new ApiError("forbidden");
  if (!outcome.assignee_name) throw validationError({ assigned_to: ["The assignee must be an active staff member."] });
  await notifyOwner(services, complaint.user_phone, assignmentSmsText(complaint.tracking_number, outcome.assignee_name));
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
