/**
 * Calendar days are Asia/Dhaka days (contract §1). Bangladesh has no daylight saving time: Dhaka is
 * UTC+06:00 all year, so the offset is a constant rather than a time-zone database lookup.
 */
const DHAKA_OFFSET_MS = 6 * 60 * 60 * 1000;

/** `YYYYMMDD` of the Dhaka day containing `instant`. 18:30 UTC is already the next Dhaka day. */
export function dhakaDayStamp(instant: Date = new Date()): string {
  return new Date(instant.getTime() + DHAKA_OFFSET_MS).toISOString().slice(0, 10).replaceAll("-", "");
}

/** `YYYY-MM-DD` of the Dhaka day containing `instant` (a SQL `date`). */
export function dhakaDate(instant: Date = new Date()): string {
  return new Date(instant.getTime() + DHAKA_OFFSET_MS).toISOString().slice(0, 10);
}

/** The UTC instant at which the Dhaka day `YYYY-MM-DD` starts. */
export function dhakaDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - DHAKA_OFFSET_MS);
}

/**
 * A W3C datetime (ISO 8601 profile) in Dhaka time, to the second: `2026-11-22T14:05:09+06:00`
 * (Open311 GeoReport v2 requires the offset).
 */
export function dhakaW3c(instant: Date): string {
  return `${new Date(instant.getTime() + DHAKA_OFFSET_MS).toISOString().slice(0, 19)}+06:00`;
}

/**
 * A list's `from`/`to` as an instant: a Dhaka day starts at its midnight (`start`) or ends at the
 * next one (`end`, exclusive); an instant is itself (`end`: just after it, so `to` is inclusive).
 */
export function rangeInstant(value: string, edge: "start" | "end"): Date {
  if (value.includes("T")) return new Date(edge === "end" ? Date.parse(value) + 1 : Date.parse(value));
  const start = dhakaDayStart(value);
  return edge === "start" ? start : new Date(start.getTime() + 24 * 60 * 60 * 1000);
}
