/** Database records → the contract's event objects; shared iCalendar value formats. */
import type { EventRecord } from "./calendar.queries";

const DHAKA_OFFSET_MS = 6 * 3_600_000;
const toDate = (v: string | Date) => (v instanceof Date ? v : new Date(v));
const iso = (v: string | Date) => toDate(v).toISOString();

/** `2026-12-05T09:00:00+06:00`: the instant in Dhaka wall-clock time with its offset. */
export function dhakaIso(v: string | Date): string {
  return `${new Date(toDate(v).getTime() + DHAKA_OFFSET_MS).toISOString().slice(0, 19)}+06:00`;
}

/** iCalendar local Dhaka date-time `20261205T090000` (for TZID=Asia/Dhaka). */
export const icsLocal = (v: string | Date) => dhakaIso(v).slice(0, 19).replace(/[-:]/g, "");
/** iCalendar Dhaka date `20261205` (VALUE=DATE). */
export const icsDate = (v: string | Date) => icsLocal(v).slice(0, 8);
/** iCalendar UTC date-time `20261205T030000Z`. */
export const icsUtc = (v: string | Date) => `${iso(v).slice(0, 19).replace(/[-:]/g, "")}Z`;

/** The RFC 5545 RRULE value of a series (UNTIL a DATE for all-day series, else UTC), or null. */
export function rruleOf(row: Pick<EventRecord, "recurrence_freq" | "recurrence_interval" | "recurrence_until" | "recurrence_count" | "all_day">): string | null {
  if (!row.recurrence_freq) return null;
  const parts = [`FREQ=${row.recurrence_freq.toUpperCase()}`, `INTERVAL=${row.recurrence_interval}`];
  if (row.recurrence_count !== null) parts.push(`COUNT=${row.recurrence_count}`);
  if (row.recurrence_until !== null) parts.push(`UNTIL=${row.all_day ? icsDate(row.recurrence_until) : icsUtc(row.recurrence_until)}`);
  return parts.join(";");
}

const num = (v: string | number | null) => (v === null ? null : Number(v));

export function toEventDto(row: EventRecord) {
  const rrule = rruleOf(row);
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    category: row.category,
    starts_at: dhakaIso(row.occ_starts),
    ends_at: dhakaIso(row.occ_ends),
    series_starts_at: dhakaIso(row.starts_at),
    all_day: row.all_day,
    location: row.location,
    latitude: num(row.latitude),
    longitude: num(row.longitude),
    target_wards: row.target_wards,
    capacity: row.capacity,
    participant_count: row.participant_count,
    is_participating: row.is_participating,
    recurrence:
      row.recurrence_freq && rrule
        ? {
            freq: row.recurrence_freq,
            interval: row.recurrence_interval,
            until: row.recurrence_until === null ? null : dhakaIso(row.recurrence_until),
            count: row.recurrence_count,
            rrule,
          }
        : null,
    sequence: row.sequence,
    created_by: row.created_by ? { id: row.created_by, name: row.created_by_name ?? "" } : null,
    created_at: dhakaIso(row.created_at),
    updated_at: dhakaIso(row.updated_at),
  };
}
