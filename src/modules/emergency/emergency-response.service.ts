/**
 * Staff responding to an emergency: a status step, an assignee, a note — any of them. One batch
 * (one round trip, one transaction) does the guarded UPDATE, its history row and activity-log row,
 * then reads the emergency back. The UPDATE holds the row lock and applies only from the status the
 * step starts from, so of two concurrent responses that both try to move the status, one moves it
 * and the other gets 409.
 */
import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { batchRows } from "../../db/batch";
import { STAFF_TYPES } from "../../lib/enums";
import { ApiError, validationError } from "../../lib/errors";
import type { AuthUser } from "../../lib/tokens";
import { logActivityFrom } from "../admin/activity-log";
import { inStaffWards } from "../admin/staff-scope";
import { eventKey, fromRow, notifyUsersSql } from "../notifications/notify";
import { tellReporter } from "./emergency-alerts.service";
import { emergenciesQuery, toEmergencyDto, type EmergencyRecord } from "./emergency.queries";
import type { RespondInput } from "./emergency.schemas";
import { EMERGENCY_STATUS, byId, emergencyVisibility } from "./emergency.service";

/** The one step into each status: submitted → in progress → resolved. */
const STEP_FROM: Record<string, string | undefined> = {
  [EMERGENCY_STATUS.inProgress]: EMERGENCY_STATUS.submitted,
  [EMERGENCY_STATUS.resolved]: EMERGENCY_STATUS.inProgress,
};

interface RespondOutcome {
  found: boolean;
  allowed: boolean;
  assignee_ok: boolean;
  changed: boolean;
}

export async function respondToEmergency(services: ServiceContext, actor: AuthUser, id: string, input: RespondInput) {
  const newStatus = input.status ?? null;
  // Moving into "submitted" has no source: such a request can only be refused (409).
  const source = newStatus ? (STEP_FROM[newStatus] ?? null) : null;
  const assignee = input.assigned_to ?? null;
  const allowed = inStaffWards(actor, "emergency", "update", sql`cur.ward_number`);
  const [[outcome], [stored], notified] = await batchRows<[RespondOutcome, EmergencyRecord, { id: string }]>(services.db, [
    sql`
      with current_row as (
        select e.id, e.status, e.ward_number from emergency_requests e
        where ${byId(id)} and ${emergencyVisibility(actor)} for update
      ),
      assignee as (
        select a.id from users a
        where a.id = ${assignee}::uuid and a.is_active and a.user_type in (${sql.join(STAFF_TYPES.map((t) => sql`${t}`), sql`, `)})
      ),
      changed as (
        update emergency_requests e set
          status = coalesce(${newStatus}::text, e.status),
          assigned_to = coalesce((select id from assignee), e.assigned_to),
          responded_at = coalesce(e.responded_at, now()),
          resolved_at = case when ${newStatus}::text = ${EMERGENCY_STATUS.resolved} then now() else e.resolved_at end,
          updated_at = now()
        from current_row cur
        where e.id = cur.id and ${allowed}
          and (${assignee}::uuid is null or exists (select 1 from assignee))
          and case when ${newStatus}::text is null then cur.status <> ${EMERGENCY_STATUS.resolved}
                   else cur.status = ${source}::text end
        returning e.id, cur.status as old_status, e.status as new_status
      ),
      history as (
        insert into emergency_updates (emergency_id, updated_by, old_status, new_status, assigned_to, note)
        select id, ${actor.id}, old_status, new_status, ${assignee}::uuid, ${input.note ?? null} from changed
      ),
      logged as (${logActivityFrom(services, actor.id, sql`changed`, {
        action: "emergency.respond",
        resourceType: "emergency",
        resourceId: sql`changed.id`,
        details: sql`jsonb_build_object('old_status', changed.old_status, 'new_status', changed.new_status, 'assigned_to', ${assignee}::text, 'note', ${input.note ?? null}::text)`,
      })})
      select exists (select 1 from current_row) as found,
             coalesce((select ${allowed} from current_row cur), false) as allowed,
             (${assignee}::uuid is null or exists (select 1 from assignee)) as assignee_ok,
             exists (select 1 from changed) as changed`,
    emergenciesQuery(sql`${byId(id)} and ${emergencyVisibility(actor)}`),
    // The reporter's notification, only if this transaction changed it (updated_at = now()).
    notifyUsersSql(
      {
        type: "emergency.updated",
        key: eventKey("emergency.updated", id),
        payload: { emergency_id: id, reference_number: fromRow("reference_number"), status: fromRow("status"), note: input.note ?? null },
      },
      sql`select e.user_id, e.reference_number, e.status from emergency_requests e where e.id = ${id} and e.updated_at = now()`,
    ),
  ]);
  if (!outcome?.found || !stored) throw new ApiError("not_found");
  if (!outcome.allowed) throw new ApiError("forbidden");
  if (!outcome.assignee_ok) throw validationError({ assigned_to: ["The assignee must be an active staff member."] });
  // Not the next step from its status, already resolved, or someone else moved it first.
  if (!outcome.changed) throw new ApiError("conflict", "emergency_status_move");
  const emergency = toEmergencyDto(stored);
  await tellReporter(services, emergency, notified.map((n) => n.id));
  return emergency;
}
