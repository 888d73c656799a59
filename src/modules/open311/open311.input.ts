/**
 * Strict reading of Open311 input (query strings and form-encoded POSTs), with every problem
 * reported as the spec's error list. The routes' own schemas are lenient on purpose — they document
 * the parameters — so that the service can check the API key before it answers "bad input".
 */
import { z } from "zod";
import { canonicalEnumValue } from "../../lib/enums";
import { normalizePhone } from "../../lib/phone";
import { ATTRIBUTES, categoryOf, STATUSES_OF } from "./open311.catalog";
import { Open311Error, type SpecError } from "./open311.format";

export const MAX_REQUESTS = 1000;
export const WINDOW_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;
const DHAKA_OFFSET_MS = 6 * 60 * 60 * 1000;
const TRACKING_NUMBER = /^CC\d{12,}$/;

/**
 * A W3C datetime (the ISO 8601 profile GeoReport v2 names): `YYYY-MM-DD`, or with a time to the
 * minute, second or fraction and a zone (`Z` or ±hh:mm). A bare date is that day's start in Dhaka.
 */
export function parseW3cDatetime(text: string): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h = "00", mi = "00", s = "00", frac = "", zone] = m;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return null;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, frac ? Math.floor(Number(frac) * 1000) : 0);
  if (new Date(local).getUTCDate() !== day) return null; // 2026-02-30
  let offsetMs = DHAKA_OFFSET_MS;
  if (zone === "Z") offsetMs = 0;
  else if (zone) {
    const [zh, zm] = zone.slice(1).split(":").map(Number) as [number, number];
    if (zh > 14 || zm > 59) return null;
    offsetMs = (zone[0] === "-" ? -1 : 1) * (zh * 60 + zm) * 60_000;
  }
  return new Date(local - offsetMs);
}

export interface RequestsFilter {
  /** Tracking numbers; when given, every other filter is ignored (as the spec says). */
  ids?: string[];
  categories?: string[];
  statuses?: string[];
  start: Date;
  end: Date;
}

const list = (value: string | undefined) =>
  (value ?? "")
    .split(",")
    .map((v) => v.trim())
    .filter(Boolean);

/** GET requests.{format}: ids, service codes, statuses, and the (at most 90-day) window. */
export function parseRequestsQuery(query: Record<string, string | undefined>, now = new Date()): RequestsFilter {
  const errors: SpecError[] = [];
  const bad = (description: string) => errors.push({ code: 400, description });

  const ids = list(query.service_request_id);
  if (ids.length > 0) {
    const unique = [...new Set(ids)];
    if (unique.length > MAX_REQUESTS) bad(`service_request_id: at most ${MAX_REQUESTS} ids.`);
    const invalid = unique.filter((id) => !TRACKING_NUMBER.test(id));
    if (invalid.length) bad(`service_request_id: not a request id: ${invalid.slice(0, 5).join(", ")}.`);
    if (errors.length) throw new Open311Error(errors);
    return { ids: unique, start: now, end: now };
  }

  const codes = list(query.service_code);
  const categories = codes.map((code) => categoryOf(code));
  const unknown = codes.filter((_, i) => !categories[i]);
  if (unknown.length) bad(`service_code: not found: ${unknown.slice(0, 5).join(", ")}.`);

  const statusWords = list(query.status);
  const wrong = statusWords.filter((s) => s !== "open" && s !== "closed");
  if (wrong.length) bad(`status: must be open, closed or both (comma-separated), not ${wrong.slice(0, 3).join(", ")}.`);

  const date = (name: "start_date" | "end_date") => {
    const raw = query[name];
    if (raw === undefined || raw === "") return undefined;
    const parsed = parseW3cDatetime(raw);
    if (!parsed) bad(`${name}: not a W3C datetime (e.g. 2026-11-22T00:00:00+06:00).`);
    return parsed ?? undefined;
  };
  const startGiven = date("start_date");
  const endGiven = date("end_date");
  const windowMs = WINDOW_DAYS * DAY_MS;
  const end = endGiven ?? (startGiven ? new Date(startGiven.getTime() + windowMs) : now);
  const start = startGiven ?? new Date(end.getTime() - windowMs);
  if (startGiven && endGiven) {
    if (start > end) bad("start_date: must not be after end_date.");
    else if (end.getTime() - start.getTime() > windowMs) bad(`end_date: the range may not span more than ${WINDOW_DAYS} days.`);
  }
  if (errors.length) throw new Open311Error(errors);
  return {
    categories: categories.length ? [...new Set(categories as string[])] : undefined,
    statuses: statusWords.length ? [...new Set(statusWords.flatMap((s) => STATUSES_OF[s as "open" | "closed"]))] : undefined,
    start,
    end,
  };
}

export interface NewRequest {
  category: string;
  serviceCode: string;
  title: string;
  description: string;
  location: string;
  latitude: number | null;
  longitude: number | null;
  priority: string;
  wardNumber: string | null;
  phone: string;
  name: string;
  email: string | null;
}

type FormValue = string | File | Array<string | File> | undefined;

const blank = (v: unknown) => (v === "" ? undefined : v);
const text = (max: number) => z.preprocess(blank, z.string().trim().max(max, `at most ${max} characters.`).optional());
const coordinate = (min: number, max: number) =>
  z.preprocess(
    blank,
    z
      .string()
      .trim()
      .regex(/^-?\d{1,3}(\.\d{1,15})?$/, "must be a decimal number (WGS84).")
      .transform(Number)
      .pipe(z.number().min(min, `must be between ${min} and ${max}.`).max(max, `must be between ${min} and ${max}.`))
      .optional(),
  );

const postSchema = z.object({
  service_code: z.preprocess(blank, z.string({ error: "was not provided." }).trim().min(1, "was not provided.").max(50)),
  lat: coordinate(-90, 90),
  long: coordinate(-180, 180),
  address_string: text(255),
  address_id: text(100),
  description: text(4000),
  email: z.preprocess(blank, z.string().trim().max(255).email("is not an email address.").optional()),
  first_name: text(50),
  last_name: text(50),
  phone: z.preprocess(
    blank,
    z
      .string({ error: "a Bangladeshi mobile number is required (the request is filed for that phone's owner)." })
      .transform((v, ctx) => normalizePhone(v) ?? (ctx.addIssue({ code: "custom", message: "is not a Bangladeshi mobile number (e.g. 01712345678)." }), z.NEVER)),
  ),
  media_url: z.preprocess(blank, z.string().trim().max(2048).url("is not a URL.").regex(/^https?:\/\//i, "must be an http(s) URL.").optional()),
  device_id: text(100),
  account_id: text(100),
});

const ATTRIBUTE_KEY = /^attribute\[([^\]]*)\](\[\])?$/;

/**
 * POST requests.{format}: the spec's fields. Throws the list of every problem found (400; 404 for a
 * service_code we do not have), never just the first.
 */
export function parseNewRequest(form: Record<string, FormValue>): NewRequest {
  const errors: SpecError[] = [];
  const fields: Record<string, string | undefined> = {};
  const attributes: Record<string, string[]> = {};
  for (const [key, value] of Object.entries(form)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v !== "string")) {
      errors.push({ code: 400, description: `${key}: must be text, not a file.` });
      continue;
    }
    const attribute = ATTRIBUTE_KEY.exec(key);
    if (attribute) {
      (attributes[attribute[1]!] ??= []).push(...(values as string[]).map((v) => v.trim()).filter(Boolean));
    } else if (key in postSchema.shape) {
      if (values.length > 1) errors.push({ code: 400, description: `${key}: give it once.` });
      else fields[key] = values[0] as string;
    }
  }
  const parsed = postSchema.safeParse(fields);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors.push({ code: 400, description: `${issue.path.join(".")}: ${issue.message}` });
  }
  const input = parsed.success ? parsed.data : undefined;
  const hasLat = fields.lat !== undefined && fields.lat !== "";
  const hasLong = fields.long !== undefined && fields.long !== "";
  if (hasLat !== hasLong) errors.push({ code: 400, description: "lat, long: give both or neither." });
  if (!hasLat && !hasLong && !blank(fields.address_string)) {
    errors.push({
      code: 400,
      description: blank(fields.address_id) ? "address_id: not supported here; send lat and long, or address_string." : "lat and long, or address_string, are required.",
    });
  }

  let priority = "মধ্যম";
  let wardNumber: string | null = null;
  for (const [code, values] of Object.entries(attributes)) {
    const definition = ATTRIBUTES.find((a) => a.code === code);
    if (!definition) {
      errors.push({ code: 400, description: `attribute[${code}]: not an attribute of this service (see services/{service_code}).` });
      continue;
    }
    if (values.length > 1) {
      errors.push({ code: 400, description: `attribute[${code}]: takes one value.` });
      continue;
    }
    const value = values[0];
    if (value === undefined) continue;
    if (code === "priority") {
      const stored = canonicalEnumValue("complaint_priority", value);
      if (stored) priority = stored;
      else errors.push({ code: 400, description: `attribute[priority]: must be one of ${definition.values!.map((v) => v.key).join(", ")}.` });
    } else if (code === "ward_number") {
      if (/^\d{1,3}$/.test(value)) wardNumber = value;
      else errors.push({ code: 400, description: "attribute[ward_number]: must be 1 to 3 digits." });
    }
  }

  const category = input ? categoryOf(input.service_code) : undefined;
  if (input && !category) errors.unshift({ code: 404, description: `service_code: ${input.service_code} was not found.` });
  if (errors.length || !input || !category) throw new Open311Error(errors.length ? errors : [{ code: 400, description: "Invalid request." }]);

  const serviceName = categoryOf(input.service_code)!;
  const description = input.description ?? "";
  const firstLine = description.split(/\r?\n/, 1)[0]!.trim();
  const title = (firstLine || serviceName).slice(0, 200);
  const location =
    input.address_string ?? `${input.lat!.toFixed(6)}, ${input.long!.toFixed(6)}`;
  return {
    category,
    serviceCode: input.service_code,
    title,
    description,
    location,
    latitude: input.lat ?? null,
    longitude: input.long ?? null,
    priority,
    wardNumber,
    phone: input.phone,
    name: [input.first_name, input.last_name].filter(Boolean).join(" ").slice(0, 100) || "Open311 reporter",
    email: input.email?.toLowerCase() ?? null,
  };
}
