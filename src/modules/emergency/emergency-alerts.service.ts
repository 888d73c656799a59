/**
 * Telling people about emergencies, after the change has committed: SMS through the `sms` queue
 * (staff on a new emergency, the reporter on each response) and the live emergency desk.
 *
 * Neither may undo or fail the request: the emergency is already stored. A refused enqueue costs
 * those SMS (logged); a desk that missed an announcement gets it on reconnect with `?since=`.
 */
import type { ServiceContext } from "../../context";
import type { EmergencyDto } from "./emergency.schemas";
import { deskObject, type DeskEvent } from "./desk-object";

/** Queue sendBatch takes at most 100 messages. */
const SMS_BATCH = 100;

export function staffAlertText(e: EmergencyDto): string {
  const ward = e.ward_number ? `, ওয়ার্ড ${e.ward_number}` : "";
  return `Clean Care জরুরি ${e.reference_number}: ${e.emergency_type} — ${e.location}${ward}। যোগাযোগ: ${e.user.phone}`;
}

export function reporterUpdateText(e: EmergencyDto, note: string | undefined): string {
  const tail = note ? ` ${note.length > 300 ? `${note.slice(0, 299)}…` : note}` : "";
  return `Clean Care: আপনার জরুরি অনুরোধ ${e.reference_number} এর অবস্থা এখন "${e.status}"।${tail}`;
}

export async function alertStaff(services: ServiceContext, emergency: EmergencyDto, staffPhones: string[]): Promise<void> {
  const text = staffAlertText(emergency);
  await Promise.all([sendSms(services, [...new Set(staffPhones)].map((phone) => ({ phone, text }))), announce(services, { type: "emergency.created", emergency })]);
}

export async function tellReporter(services: ServiceContext, emergency: EmergencyDto, note: string | undefined): Promise<void> {
  await Promise.all([
    sendSms(services, [{ phone: emergency.user.phone, text: reporterUpdateText(emergency, note) }]),
    announce(services, { type: "emergency.updated", emergency }),
  ]);
}

async function sendSms(services: ServiceContext, jobs: Array<{ phone: string; text: string }>): Promise<void> {
  try {
    for (let i = 0; i < jobs.length; i += SMS_BATCH) {
      await services.env.SMS_QUEUE.sendBatch(jobs.slice(i, i + SMS_BATCH).map((body) => ({ body, contentType: "json" as const })));
    }
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "emergency sms not queued", count: jobs.length, error: err instanceof Error ? err.message : String(err) }));
  }
}

async function announce(services: ServiceContext, event: DeskEvent): Promise<void> {
  try {
    await deskObject(services.env).announce(event);
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "emergency desk announce failed", id: event.emergency.id, error: err instanceof Error ? err.message : String(err) }));
  }
}
