/**
 * Telling people about emergencies, after the change has committed: the notifications written with
 * it (staff on a new emergency, the reporter on each response — push and SMS, both) are queued,
 * and the live emergency desk is told.
 *
 * Neither may undo or fail the request: the emergency is already stored. A lost queue nudge is
 * recovered by the outbox sweep; a desk that missed an announcement gets it on reconnect with `?since=`.
 */
import type { ServiceContext } from "../../context";
import type { EmergencyDto } from "./emergency.schemas";
import { dispatchNotifications } from "../notifications/notify";
import { deskObject, type DeskEvent } from "./desk-object";

/** A new emergency: its staff alerts (already written with it) are queued, and the desk is told. */
export async function alertStaff(services: ServiceContext, emergency: EmergencyDto, notificationIds: string[]): Promise<void> {
  await Promise.all([dispatchNotifications(services, notificationIds), announce(services, { type: "emergency.created", emergency })]);
}

/** A response: the reporter's notification (already written with it) is queued; the desk is told. */
export async function tellReporter(services: ServiceContext, emergency: EmergencyDto, notificationIds: string[]): Promise<void> {
  await Promise.all([dispatchNotifications(services, notificationIds), announce(services, { type: "emergency.updated", emergency })]);
}

async function announce(services: ServiceContext, event: DeskEvent): Promise<void> {
  try {
    await deskObject(services.env).announce(event);
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "emergency desk announce failed", id: event.emergency.id, error: err instanceof Error ? err.message : String(err) }));
  }
}
