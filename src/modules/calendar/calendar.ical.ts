/**
 * The iCalendar feed (RFC 5545) a phone calendar subscribes to: one VEVENT per event or series
 * (repeats as RRULE), times in Asia/Dhaka with its VTIMEZONE (UTC+06:00, no daylight saving), a
 * stable UID, DTSTAMP/LAST-MODIFIED from the last edit (so an unchanged calendar is byte-identical
 * and its ETag stable), SEQUENCE growing with edits, escaped TEXT, lines folded at 75 octets counted
 * in UTF-8 bytes (never inside a character), CRLF line ends.
 */
import { enumCatalog } from "../../lib/enums";
import type { EventRecord } from "./calendar.queries";
import { icsDate, icsLocal, icsUtc, rruleOf } from "./calendar.mapper";

export const PRODID = "-//Clean Care Bangladesh//City Calendar 1.0//EN";
export const UID_DOMAIN = "calendar.cleancare.gov.bd";
const MAX_OCTETS = 75;
const encoder = new TextEncoder();

/** TEXT value escaping (§3.3.11): backslash, semicolon, comma, newline. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r\n|\r|\n/g, "\\n");
}

/**
 * Folds a content line (§3.1): physical lines of at most 75 octets; a continuation starts with one
 * space (which counts). Splits only between code points, so a Bengali character is never cut.
 */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = "";
  let octets = 0;
  for (const ch of line) {
    const size = encoder.encode(ch).length;
    if (octets + size > MAX_OCTETS) {
      out.push(current);
      current = " ";
      octets = 1;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join("\r\n");
}

const categoryLabel = (value: string) => enumCatalog.calendar_category.find((c) => c.value === value)?.en ?? value;

function vevent(row: EventRecord): string[] {
  const lines = [
    "BEGIN:VEVENT",
    `UID:${row.id}@${UID_DOMAIN}`,
    `DTSTAMP:${icsUtc(row.updated_at)}`,
    `CREATED:${icsUtc(row.created_at)}`,
    `LAST-MODIFIED:${icsUtc(row.updated_at)}`,
    `SEQUENCE:${row.sequence}`,
  ];
  if (row.all_day) lines.push(`DTSTART;VALUE=DATE:${icsDate(row.starts_at)}`, `DTEND;VALUE=DATE:${icsDate(row.ends_at)}`);
  else lines.push(`DTSTART;TZID=Asia/Dhaka:${icsLocal(row.starts_at)}`, `DTEND;TZID=Asia/Dhaka:${icsLocal(row.ends_at)}`);
  const rrule = rruleOf(row);
  if (rrule) lines.push(`RRULE:${rrule}`);
  lines.push(`SUMMARY:${escapeText(row.title)}`);
  if (row.description) lines.push(`DESCRIPTION:${escapeText(row.description)}`);
  if (row.location) lines.push(`LOCATION:${escapeText(row.location)}`);
  if (row.latitude !== null && row.longitude !== null) lines.push(`GEO:${Number(row.latitude)};${Number(row.longitude)}`);
  lines.push(`CATEGORIES:${escapeText(categoryLabel(row.category))}`, "STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT");
  return lines;
}

export function renderCalendar(rows: EventRecord[], name = "Clean Care Bangladesh"): string {
  const lines = [
    "BEGIN:VCALENDAR",
    `PRODID:${PRODID}`,
    "VERSION:2.0",
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(name)}`,
    "X-WR-TIMEZONE:Asia/Dhaka",
    "BEGIN:VTIMEZONE",
    "TZID:Asia/Dhaka",
    "X-LIC-LOCATION:Asia/Dhaka",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0600",
    "TZOFFSETTO:+0600",
    "TZNAME:+06",
    "END:STANDARD",
    "END:VTIMEZONE",
    ...rows.flatMap(vevent),
    "END:VCALENDAR",
  ];
  return lines.map(foldLine).join("\r\n") + "\r\n";
}
