/**
 * Staff handling of complaints: status changes through the state machine, assignment, and the
 * owner's rating. Each change that the owner should hear about enqueues an SMS inside the same
 * transaction, so a change is never committed without its notification being queued.
 */
import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import type { UserRow } from "../../db/types";
import { STAFF_TYPES } from "../../lib/enums";
import { ApiError, validationError } from "../../lib/errors";
import { enqueueSms } from "../sms/sms.service";
import { isStaff } from "../users/users.service";
import { byId, findVisibleComplaint } from "./complaints.service";
import { STATUS, sourcesOf } from "./status-machine";

export function statusSmsText(trackingNumber: string, status: string): string {
  return `Clean Care: আপনার অভিযোগ ${trackingNumber} এর অবস্থা এখন "${status}"।`;
}

export function assignmentSmsText(trackingNumber: string, assignee: string): string {
  return `Clean Care: আপনার অভিযোগ ${trackingNumber} দেখার দায়িত্ব ${assignee} কে দেওয়া হয়েছে।`;
}

/**
 * Moves a complaint to `newStatus`. Staff may make any allowed move; the owner may only cancel
 * while it is submitted. The UPDATE itself is guarded by the allowed source statuses, so two
 * concurrent changes cannot both apply; the history row records the status actually replaced.
 */
export async function changeStatus(services: ServiceContext, actor: UserRow, id: string, newStatus: string, comment: string | undefined) {
  const complaint = await findVisibleComplaint(services, actor, byId(id));
  const staff = isStaff(actor);
  if (!staff && newStatus !== STATUS.cancelled) throw new ApiError("forbidden");
  const sources = staff ? sourcesOf(newStatus) : [STATUS.submitted];
  if (sources.length === 0 || !sources.includes(complaint.status)) throw new ApiError("conflict");

  const changed = await services.db.transaction(async (tx) => {
    const { rows } = await tx.execute<{ old_status: string; updated_at: string; resolved_at: string | null }>(sql`
      with current_row as (select id, status from complaints where id = ${id} for update),
      changed as (
        update complaints c set status = ${newStatus}, updated_at = now(),
          resolved_at = case when ${newStatus} = ${STATUS.resolved} then now() else c.resolved_at end
        from current_row cur
        where c.id = cur.id and cur.status in (${sql.join(sources.map((s) => sql`${s}`), sql`, `)})
        returning c.id, cur.status as old_status, c.updated_at, c.resolved_at
      ),
      history as (
        insert into complaint_updates (complaint_id, updated_by, old_status, new_status, comment)
        select id, ${actor.id}, old_status, ${newStatus}, ${comment ?? null} from changed
      )
      select old_status, updated_at, resolved_at from changed`);
    if (!rows[0]) throw new ApiError("conflict"); // someone else moved it first
    await enqueueSms(services.env, { phone: complaint.user_phone, text: statusSmsText(complaint.tracking_number, newStatus) });
    return rows[0];
  });
  // The row read for the access check, with what the update changed: no second read.
  return { ...complaint, status: newStatus, updated_at: changed.updated_at, resolved_at: changed.resolved_at };
}

export async function listStatusHistory(services: ServiceContext, viewer: UserRow, id: string) {
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

/** Assigns an open complaint to an active staff member and tells the owner. */
export async function assignComplaint(services: ServiceContext, actor: UserRow, id: string, assigneeId: string) {
  const complaint = await findVisibleComplaint(services, actor, byId(id));
  if (complaint.status !== STATUS.submitted && complaint.status !== STATUS.inProgress) throw new ApiError("conflict");
  const changed = await services.db.transaction(async (tx) => {
    const { rows } = await tx.execute<{ assignee_name: string; updated_at: string }>(sql`
      update complaints c set assigned_to = a.id, updated_at = now()
      from users a
      where c.id = ${id} and a.id = ${assigneeId} and a.is_active
        and a.user_type in (${sql.join(STAFF_TYPES.map((t) => sql`${t}`), sql`, `)})
      returning a.name as assignee_name, c.updated_at`);
    if (!rows[0]) throw validationError({ assigned_to: ["The assignee must be an active staff member."] });
    await enqueueSms(services.env, { phone: complaint.user_phone, text: assignmentSmsText(complaint.tracking_number, rows[0].assignee_name) });
    return rows[0];
  });
  return { ...complaint, assigned_to: assigneeId, assigned_name: changed.assignee_name, updated_at: changed.updated_at };
}

/** The owner rates a resolved complaint, once. */
export async function rateComplaint(services: ServiceContext, actor: UserRow, id: string, rating: number, feedback: string | undefined) {
  const complaint = await findVisibleComplaint(services, actor, byId(id));
  if (complaint.user_id !== actor.id) throw new ApiError("forbidden");
  const { rows } = await services.db.execute<{ updated_at: string }>(sql`
    update complaints set rating = ${rating}, feedback = ${feedback ?? null}, updated_at = now()
    where id = ${id} and user_id = ${actor.id} and status = ${STATUS.resolved} and rating is null
    returning updated_at`);
  if (!rows[0]) throw new ApiError("conflict"); // not resolved yet, or already rated
  return { ...complaint, rating, feedback: feedback ?? null, updated_at: rows[0].updated_at };
}
