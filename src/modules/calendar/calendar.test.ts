/**
 * The city's calendar, happy paths: create/read/edit/delete with activity-log rows, Dhaka-day
 * ranges with overlap, weekly/monthly repeats expanded within the range (one row per series),
 * all-day events, filters, caching (ETag, 304), one round trip per public read, participation
 * (idempotent, capacity under concurrency, past events), and the iCalendar feed parsed back.
 * The database is shared: every test tags its titles, filters by its own category or ward
 * (wards 201–239), and uses dates of its own.
 */
import ICAL from "ical.js";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { signedIn, withServices } from "../../../test/support/factories";
import { api, roundTrips } from "../../../test/support/http";
import { parseICalendar, postEvent, prop, props, rawGet, tag, unescapeText, type Component } from "../../../test/support/calendar";

const admin = await signedIn({ userType: "super_admin", name: "Calendar Desk" });
const citizen = await signedIn({ wardNumber: "201" });

/** Occurrences of this test's events (by title tag) in a range for a ward of its own. */
async function occurrences(t: string, query: string, token?: string) {
  const res = await api(`/api/v1/calendar/events?page_size=100&${query}`, { token });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (res.body.results as Array<{ title: string; starts_at: string; ends_at: string }>).filter((e) => e.title.startsWith(t));
}

async function activity(resourceId: string) {
  return withServices(async ({ db }) => {
    const { rows } = await db.execute<{ action: string }>(sql`select action from activity_logs where resource_type = 'calendar_event' and resource_id = ${resourceId} order by created_at, id`);
    return rows.map((r) => r.action);
  });
}

describe("events", () => {
  it("creates an event with offsets in and out, its author and an activity-log row", async () => {
    const t = tag();
    const res = await api("/api/v1/calendar/events", {
      token: admin.access,
      body: {
        title: `${t} টিকাদান ক্যাম্প`,
        description: "শিশুদের জন্য",
        category: "vaccination",
        starts_at: "2030-03-10T04:00:00Z",
        ends_at: "2030-03-10T13:00:00+06:00",
        location: "Ward 202 office",
        latitude: 23.8103,
        longitude: 90.4125,
        target_wards: ["203", "202", "203"],
        capacity: 40,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      title: `${t} টিকাদান ক্যাম্প`,
      category: "vaccination",
      starts_at: "2030-03-10T10:00:00+06:00",
      ends_at: "2030-03-10T13:00:00+06:00",
      series_starts_at: "2030-03-10T10:00:00+06:00",
      all_day: false,
      latitude: 23.8103,
      longitude: 90.4125,
      target_wards: ["202", "203"],
      capacity: 40,
      participant_count: 0,
      is_participating: false,
      recurrence: null,
      sequence: 0,
      created_by: { id: admin.user.id, name: "Calendar Desk" },
    });
    expect(res.body.created_at).toMatch(/\+06:00$/);
    expect(await activity(res.body.id)).toEqual(["calendar.create"]);
  });

  it("/meta/enums lists calendar_category with Bengali and English labels", async () => {
    const enums = await api("/api/v1/meta/enums");
    expect(enums.body.calendar_category.map((v: { value: string }) => v.value)).toEqual([
      "public_holiday",
      "city_event",
      "vaccination",
      "cleaning_drive",
      "tax_deadline",
      "meeting",
      "other",
    ]);
    expect(enums.body.calendar_category.find((v: { value: string }) => v.value === "cleaning_drive")).toMatchObject({ en: "Cleaning drive", bn: "পরিচ্ছন্নতা অভিযান" });
  });

  it("PATCH/PUT edit (SEQUENCE grows), DELETE removes; each writes its activity-log row", async () => {
    const t = tag();
    const e = await postEvent(admin.access, { title: `${t} meeting`, category: "meeting", starts_at: "2030-04-01T10:00:00+06:00", ends_at: "2030-04-01T11:00:00+06:00" });
    const patched = await api(`/api/v1/calendar/events/${e.id}`, { method: "PATCH", token: admin.access, body: { title: `${t} moved`, ends_at: "2030-04-01T12:30:00+06:00" } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ title: `${t} moved`, starts_at: "2030-04-01T10:00:00+06:00", ends_at: "2030-04-01T12:30:00+06:00", sequence: 1, category: "meeting" });
    const put = await api(`/api/v1/calendar/events/${e.id}`, { method: "PUT", token: admin.access, body: { location: "নগর ভবন" } });
    expect(put.body).toMatchObject({ location: "নগর ভবন", sequence: 2, title: `${t} moved` });
    expect((await api(`/api/v1/calendar/events/${e.id}`, { method: "DELETE", token: admin.access })).status).toBe(204);
    expect((await api(`/api/v1/calendar/events/${e.id}`)).status).toBe(404);
    expect(await activity(e.id)).toEqual(["calendar.create", "calendar.update", "calendar.update", "calendar.delete"]);
  });

  it("a PATCH that would end an event before it starts is a 400 on ends_at, and changes nothing", async () => {
    const e = await postEvent(admin.access, { title: `${tag()} x`, starts_at: "2030-04-02T10:00:00+06:00", ends_at: "2030-04-02T11:00:00+06:00" });
    const res = await api(`/api/v1/calendar/events/${e.id}`, { method: "PATCH", token: admin.access, body: { starts_at: "2030-04-02T12:00:00+06:00" } });
    expect(res.status).toBe(400);
    expect(res.body.details).toHaveProperty("ends_at");
    expect((await api(`/api/v1/calendar/events/${e.id}`)).body).toMatchObject({ starts_at: "2030-04-02T10:00:00+06:00", sequence: 0 });
  });

  it("all-day events cover whole Dhaka days (a date as ends_at is the last day included)", async () => {
    const t = tag();
    const one = await postEvent(admin.access, { title: `${t} holiday`, category: "public_holiday", all_day: true, starts_at: "2030-03-26" });
    expect(one).toMatchObject({ all_day: true, starts_at: "2030-03-26T00:00:00+06:00", ends_at: "2030-03-27T00:00:00+06:00" });
    const three = await postEvent(admin.access, { title: `${t} eid`, all_day: true, starts_at: "2030-04-03T15:00:00+06:00", ends_at: "2030-04-05" });
    expect(three).toMatchObject({ starts_at: "2030-04-03T00:00:00+06:00", ends_at: "2030-04-06T00:00:00+06:00" });
  });
});

describe("ranges and repeats", () => {
  it("from/to select by overlap in Dhaka days, not by start", async () => {
    const t = tag();
    // 23:00 Dhaka on the 9th to 01:00 on the 10th: overlaps both Dhaka days.
    await postEvent(admin.access, { title: `${t} night`, target_wards: ["204"], starts_at: "2030-05-09T23:00:00+06:00", ends_at: "2030-05-10T01:00:00+06:00" });
    await postEvent(admin.access, { title: `${t} other ward`, target_wards: ["205"], starts_at: "2030-05-10T10:00:00+06:00", ends_at: "2030-05-10T11:00:00+06:00" });
    // 18:30 UTC on the 10th is already the 11th in Dhaka.
    await postEvent(admin.access, { title: `${t} next day`, target_wards: ["204"], starts_at: "2030-05-10T18:30:00Z", ends_at: "2030-05-10T19:30:00Z" });
    const titles = async (q: string) => (await occurrences(t, `ward_number=204&${q}`)).map((e) => e.title.slice(t.length + 1));
    expect(await titles("from=2030-05-10&to=2030-05-10")).toEqual(["night"]);
    expect(await titles("from=2030-05-11&to=2030-05-11")).toEqual(["next day"]);
    expect(await titles("from=2030-05-09&to=2030-05-11")).toEqual(["night", "next day"]);
    expect(await titles("from=2030-05-10T00:59:59%2B06:00&to=2030-05-10T01:00:00%2B06:00")).toEqual(["night"]);
    expect(await titles("from=2030-05-10T01:00:00%2B06:00&to=2030-05-10T02:00:00%2B06:00")).toEqual([]);
  });

  it("a weekly drive for a year is one row, expanded within the requested range only", async () => {
    const t = tag();
    const drive = await postEvent(admin.access, {
      title: `${t} drive`,
      category: "cleaning_drive",
      target_wards: ["206"],
      starts_at: "2030-01-05T08:00:00+06:00", // a Saturday
      ends_at: "2030-01-05T10:00:00+06:00",
      recurrence: { freq: "weekly", until: "2030-12-31" },
    });
    expect(drive.recurrence).toMatchObject({ freq: "weekly", interval: 1, count: null, rrule: "FREQ=WEEKLY;INTERVAL=1;UNTIL=20301231T175959Z" });
    const rows = await withServices(async ({ db }) => (await db.execute<{ n: number }>(sql`select count(*)::int as n from calendar_events where title = ${drive.title}`)).rows[0]!.n);
    expect(rows).toBe(1);
    const march = await occurrences(t, "ward_number=206&from=2030-03-01&to=2030-03-31");
    expect(march.map((o) => o.starts_at)).toEqual(["2030-03-02T08:00:00+06:00", "2030-03-09T08:00:00+06:00", "2030-03-16T08:00:00+06:00", "2030-03-23T08:00:00+06:00", "2030-03-30T08:00:00+06:00"]);
    expect(march[0]!.ends_at).toBe("2030-03-02T10:00:00+06:00");
    const year = await occurrences(t, "ward_number=206&from=2030-01-01&to=2030-12-31");
    expect(year).toHaveLength(52);
    expect(await occurrences(t, "ward_number=206&from=2031-01-01&to=2031-12-31")).toEqual([]);
    // An occurrence in progress at `from` overlaps the range.
    expect((await occurrences(t, "ward_number=206&from=2030-03-02T09:00:00%2B06:00&to=2030-03-02T09:30:00%2B06:00")).map((o) => o.starts_at)).toEqual(["2030-03-02T08:00:00+06:00"]);
  });

  it("monthly repeats keep the Dhaka day and time, skip months without that day, and COUNT counts occurrences", async () => {
    const t = tag();
    await postEvent(admin.access, {
      title: `${t} tax`,
      category: "tax_deadline",
      target_wards: ["207"],
      starts_at: "2030-01-31T23:30:00+06:00", // 17:30 UTC: the 31st only in Dhaka
      ends_at: "2030-01-31T23:59:00+06:00",
      recurrence: { freq: "monthly", count: 4 },
    });
    const all = await occurrences(t, "ward_number=207&from=2030-01-01&to=2031-12-31");
    expect(all.map((o) => o.starts_at)).toEqual(["2030-01-31T23:30:00+06:00", "2030-03-31T23:30:00+06:00", "2030-05-31T23:30:00+06:00", "2030-07-31T23:30:00+06:00"]);
    const e = await postEvent(admin.access, { title: `${t} bimonthly`, target_wards: ["208"], starts_at: "2030-01-15T10:00:00+06:00", ends_at: "2030-01-15T11:00:00+06:00", recurrence: { freq: "monthly", interval: 2 } });
    expect(e.recurrence.rrule).toBe("FREQ=MONTHLY;INTERVAL=2");
    expect((await occurrences(t, "ward_number=208&from=2032-01-01&to=2032-06-30")).map((o) => o.starts_at)).toEqual([
      "2032-01-15T10:00:00+06:00",
      "2032-03-15T10:00:00+06:00",
      "2032-05-15T10:00:00+06:00",
    ]);
  });

  it("filters by category and ward (that ward plus all-ward events); paginates occurrences", async () => {
    const t = tag();
    await postEvent(admin.access, { title: `${t} all`, category: "city_event", starts_at: "2030-06-01T10:00:00+06:00", ends_at: "2030-06-01T11:00:00+06:00", recurrence: { freq: "weekly", count: 3 } });
    await postEvent(admin.access, { title: `${t} w209`, category: "city_event", target_wards: ["209"], starts_at: "2030-06-02T10:00:00+06:00", ends_at: "2030-06-02T11:00:00+06:00" });
    await postEvent(admin.access, { title: `${t} w210`, category: "city_event", target_wards: ["210"], starts_at: "2030-06-03T10:00:00+06:00", ends_at: "2030-06-03T11:00:00+06:00" });
    await postEvent(admin.access, { title: `${t} meeting`, category: "meeting", target_wards: ["209"], starts_at: "2030-06-04T10:00:00+06:00", ends_at: "2030-06-04T11:00:00+06:00" });
    const names = async (q: string) => (await occurrences(t, `from=2030-06-01&to=2030-06-30&${q}`)).map((e) => e.title.slice(t.length + 1));
    expect(await names("ward_number=209&category=city_event")).toEqual(["all", "w209", "all", "all"]);
    expect(await names("ward_number=209")).toEqual(["all", "w209", "meeting", "all", "all"]);
    expect(await names("category=meeting")).toEqual(["meeting"]);
    const page = await api("/api/v1/calendar/events?from=2030-06-01&to=2030-06-30&ward_number=210&category=city_event&page_size=2&page=2");
    expect(page.status).toBe(200);
    expect(page.body.count).toBeGreaterThanOrEqual(4);
    expect(page.body.previous).toContain("page=1");
  });

  it("refuses a reversed or too long range, and a malformed date", async () => {
    for (const q of ["from=2030-06-10&to=2030-06-01", "from=2030-01-01&to=2033-01-01", "from=2030-02-30", "to=tomorrow", "category=party", "ward_number=abc"]) {
      const res = await api(`/api/v1/calendar/events?${q}`);
      expect(res.status, q).toBe(400);
      expect(res.body.code).toBe("validation_error");
    }
  });
});

describe("caching and round trips", () => {
  it("anonymous reads are public and cacheable (ETag → 304); signed-in ones private; one round trip each", async () => {
    const e = await postEvent(admin.access, { title: `${tag()} cache`, target_wards: ["211"], starts_at: "2030-07-01T10:00:00+06:00", ends_at: "2030-07-01T11:00:00+06:00" });
    const path = "/api/v1/calendar/events?ward_number=211&from=2030-07-01&to=2030-07-01";
    const first = await api(path);
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=300");
    expect(roundTrips(first)).toBe(1);
    const etag = first.headers.get("etag")!;
    const again = await api(path, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    const mine = await api(path, { token: citizen.access });
    expect(mine.headers.get("cache-control")).toBe("private, no-cache");
    expect(roundTrips(mine)).toBe(1);
    const one = await api(`/api/v1/calendar/events/${e.id}`, { token: citizen.access });
    expect(one.status).toBe(200);
    expect(roundTrips(one)).toBe(1);
    await api(`/api/v1/calendar/events/${e.id}`, { method: "PATCH", token: admin.access, body: { title: `${e.title} changed` } });
    expect((await api(path, { headers: { "if-none-match": etag } })).status).toBe(200);
  });
});

describe("participation", () => {
  it("is idempotent both ways and shows in is_participating", async () => {
    const e = await postEvent(admin.access, { title: `${tag()} join`, starts_at: "2030-08-01T10:00:00+06:00", ends_at: "2030-08-01T11:00:00+06:00", capacity: 5 });
    const path = `/api/v1/calendar/events/${e.id}/participate`;
    const join = await api(path, { method: "POST", token: citizen.access });
    expect(join.status, JSON.stringify(join.body)).toBe(200);
    expect(join.body).toEqual({ event_id: e.id, is_participating: true, participant_count: 1, capacity: 5 });
    expect((await api(path, { method: "POST", token: citizen.access })).body).toMatchObject({ participant_count: 1, is_participating: true });
    expect((await api(`/api/v1/calendar/events/${e.id}`, { token: citizen.access })).body).toMatchObject({ is_participating: true, participant_count: 1 });
    expect((await api(`/api/v1/calendar/events/${e.id}`)).body).toMatchObject({ is_participating: false, participant_count: 1 });
    expect((await api(path, { method: "DELETE", token: citizen.access })).body).toMatchObject({ is_participating: false, participant_count: 0 });
    expect((await api(path, { method: "DELETE", token: citizen.access })).body).toMatchObject({ is_participating: false, participant_count: 0 });
  });

  it("200 concurrent joins of a 50-seat event seat exactly 50; the rest get 409", async () => {
    const e = await postEvent(admin.access, { title: `${tag()} seats`, category: "vaccination", starts_at: "2030-08-02T10:00:00+06:00", ends_at: "2030-08-02T11:00:00+06:00", capacity: 50 });
    const people = await Promise.all(Array.from({ length: 200 }, () => signedIn({ wardNumber: "212" })));
    const results = await Promise.all(people.map((p) => api(`/api/v1/calendar/events/${e.id}/participate`, { method: "POST", token: p.access })));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.filter((s) => s === 409)).toHaveLength(150);
    expect(results.find((r) => r.status === 409)!.body.code).toBe("conflict");
    const stored = await withServices(async ({ db }) => {
      const { rows } = await db.execute<{ rows: number; counter: number }>(
        sql`select (select count(*)::int from calendar_event_participants where event_id = ${e.id}) as rows, participant_count as counter from calendar_events where id = ${e.id}`,
      );
      return rows[0]!;
    });
    expect(stored).toEqual({ rows: 50, counter: 50 });
    // Someone already in still gets 200 when full; a seat freed is taken again.
    const seated = people[statuses.indexOf(200)]!;
    expect((await api(`/api/v1/calendar/events/${e.id}/participate`, { method: "POST", token: seated.access })).status).toBe(200);
    await api(`/api/v1/calendar/events/${e.id}/participate`, { method: "DELETE", token: seated.access });
    const waiting = people[statuses.indexOf(409)]!;
    expect((await api(`/api/v1/calendar/events/${e.id}/participate`, { method: "POST", token: waiting.access })).body).toMatchObject({ participant_count: 50, is_participating: true });
  });

  it("concurrent joins by one user count once", async () => {
    const e = await postEvent(admin.access, { title: `${tag()} twice`, starts_at: "2030-08-03T10:00:00+06:00", ends_at: "2030-08-03T11:00:00+06:00" });
    const me = await signedIn();
    const results = await Promise.all(Array.from({ length: 20 }, () => api(`/api/v1/calendar/events/${e.id}/participate`, { method: "POST", token: me.access })));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect((await api(`/api/v1/calendar/events/${e.id}`)).body.participant_count).toBe(1);
  });

  it("a past event refuses joining and leaving (409); an unknown one is 404; a lowered capacity below the participants is 400", async () => {
    const past = await postEvent(admin.access, { title: `${tag()} past`, starts_at: "2020-01-01T10:00:00+06:00", ends_at: "2020-01-01T11:00:00+06:00" });
    const res = await api(`/api/v1/calendar/events/${past.id}/participate`, { method: "POST", token: citizen.access });
    expect(res.status).toBe(409);
    expect((await api(`/api/v1/calendar/events/${past.id}/participate`, { method: "DELETE", token: citizen.access })).status).toBe(200); // not in: nothing to refuse
    expect((await api(`/api/v1/calendar/events/${crypto.randomUUID()}/participate`, { method: "POST", token: citizen.access })).status).toBe(404);
    const e = await postEvent(admin.access, { title: `${tag()} shrink`, starts_at: "2030-08-04T10:00:00+06:00", ends_at: "2030-08-04T11:00:00+06:00", capacity: 3 });
    for (let i = 0; i < 2; i++) await api(`/api/v1/calendar/events/${e.id}/participate`, { method: "POST", token: (await signedIn()).access });
    const shrink = await api(`/api/v1/calendar/events/${e.id}`, { method: "PATCH", token: admin.access, body: { capacity: 1 } });
    expect(shrink.status).toBe(400);
    expect(shrink.body.details).toHaveProperty("capacity");
    // A series without an end is never past.
    const weekly = await postEvent(admin.access, { title: `${tag()} forever`, starts_at: "2020-01-04T08:00:00+06:00", ends_at: "2020-01-04T10:00:00+06:00", recurrence: { freq: "weekly" } });
    expect((await api(`/api/v1/calendar/events/${weekly.id}/participate`, { method: "POST", token: citizen.access })).status).toBe(200);
  });

  it("a participant who joined a past event keeps it (leaving a past event is refused)", async () => {
    const e = await postEvent(admin.access, { title: `${tag()} soon`, starts_at: "2030-08-05T10:00:00+06:00", ends_at: "2030-08-05T11:00:00+06:00" });
    await api(`/api/v1/calendar/events/${e.id}/participate`, { method: "POST", token: citizen.access });
    await withServices(({ db }) => db.execute(sql`update calendar_events set starts_at = '2020-01-01T10:00:00+06', ends_at = '2020-01-01T11:00:00+06', series_ends_at = '2020-01-01T11:00:00+06' where id = ${e.id}`));
    expect((await api(`/api/v1/calendar/events/${e.id}/participate`, { method: "DELETE", token: citizen.access })).status).toBe(409);
    expect((await api(`/api/v1/calendar/events/${e.id}`)).body.participant_count).toBe(1);
  });
});

describe("the iCalendar feed", () => {
  const vevents = (cal: Component) => cal.components.filter((c) => c.name === "VEVENT");
  const byUid = (cal: Component, id: string) => vevents(cal).find((v) => prop(v, "UID")!.value.startsWith(id));

  it("is a valid RFC 5545 calendar: VTIMEZONE, stable UID, DTSTAMP, RRULE, escaped Bengali text, folded lines, CRLF", async () => {
    const t = tag();
    const long = `${t} পরিচ্ছন্নতা অভিযান; ওয়ার্ড ২১৩, সবাই আমন্ত্রিত — একটি দীর্ঘ শিরোনাম যা ৭৫ অক্টেটের বেশি`;
    const description = "প্রথম লাইন\nদ্বিতীয়, লাইন; এবং \\ ব্যাকস্ল্যাশ";
    const weekly = await postEvent(admin.access, {
      title: long,
      description,
      category: "cleaning_drive",
      location: "Dhanmondi Lake, gate 2",
      latitude: 23.7461,
      longitude: 90.3742,
      target_wards: ["213"],
      starts_at: "2030-09-07T08:00:00+06:00",
      ends_at: "2030-09-07T10:00:00+06:00",
      recurrence: { freq: "weekly", count: 10 },
    });
    const holiday = await postEvent(admin.access, { title: `${t} ছুটি`, category: "public_holiday", target_wards: ["213"], all_day: true, starts_at: "2030-12-16", recurrence: { freq: "monthly", interval: 12, until: "2034-12-16" } });
    const res = await rawGet("/api/v1/calendar/events.ics?ward_number=213");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const cal = parseICalendar(res.bytes);
    expect(prop(cal, "VERSION")!.value).toBe("2.0");
    expect(prop(cal, "PRODID")!.value).toMatch(/Clean Care/);
    expect(prop(cal, "X-WR-TIMEZONE")!.value).toBe("Asia/Dhaka");
    const tz = cal.components.find((c) => c.name === "VTIMEZONE")!;
    expect(prop(tz, "TZID")!.value).toBe("Asia/Dhaka");
    const std = tz.components.find((c) => c.name === "STANDARD")!;
    expect([prop(std, "TZOFFSETFROM")!.value, prop(std, "TZOFFSETTO")!.value]).toEqual(["+0600", "+0600"]);

    const w = byUid(cal, weekly.id)!;
    expect(prop(w, "UID")!.value).toBe(`${weekly.id}@calendar.cleancare.gov.bd`);
    expect(unescapeText(prop(w, "SUMMARY")!.value)).toBe(long);
    expect(unescapeText(prop(w, "DESCRIPTION")!.value)).toBe(description);
    expect(unescapeText(prop(w, "LOCATION")!.value)).toBe("Dhanmondi Lake, gate 2");
    expect(prop(w, "DTSTART")).toEqual({ name: "DTSTART", params: { TZID: "Asia/Dhaka" }, value: "20300907T080000" });
    expect(prop(w, "DTEND")!.value).toBe("20300907T100000");
    expect(prop(w, "RRULE")!.value).toBe("FREQ=WEEKLY;INTERVAL=1;COUNT=10");
    expect(prop(w, "DTSTAMP")!.value).toMatch(/^\d{8}T\d{6}Z$/);
    expect(prop(w, "SEQUENCE")!.value).toBe("0");
    expect(prop(w, "GEO")!.value).toBe("23.7461;90.3742");
    expect(props(w, "CATEGORIES").map((p) => p.value)).toEqual(["Cleaning drive"]);
    // The long Bengali title really was folded (so the octet checks above were exercised).
    expect(new TextDecoder().decode(res.bytes)).toMatch(/\r\n [^\r]/);

    // And a maintained iCalendar library reads the same feed the same way: text unescaped, the
    // time in Dhaka, the weekly series expanding to its 10 occurrences, the yearly holiday's UNTIL.
    const parsed = new ICAL.Component(ICAL.parse(new TextDecoder().decode(res.bytes)));
    const parsedEvents = parsed.getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    const pw = parsedEvents.find((ev) => ev.uid === `${weekly.id}@calendar.cleancare.gov.bd`)!;
    expect(pw.summary).toBe(long);
    expect(pw.description).toBe(description);
    expect(pw.startDate.toString()).toBe("2030-09-07T08:00:00");
    expect(pw.startDate.zone?.tzid).toBe("Asia/Dhaka");
    const occurrences: string[] = [];
    for (let it = pw.iterator(), next = it.next(); next; next = it.next()) occurrences.push(next.toString());
    expect(occurrences).toHaveLength(10);
    expect(occurrences.at(-1)).toBe("2030-11-09T08:00:00");
    const ph = parsedEvents.find((ev) => ev.uid === `${holiday.id}@calendar.cleancare.gov.bd`)!;
    expect(ph.startDate.isDate).toBe(true);
    expect(ph.component.getFirstPropertyValue("rrule")!.toString()).toBe("FREQ=MONTHLY;INTERVAL=12;UNTIL=20341216");

    const h = byUid(cal, holiday.id)!;
    expect(prop(h, "DTSTART")).toEqual({ name: "DTSTART", params: { VALUE: "DATE" }, value: "20301216" });
    expect(prop(h, "DTEND")!.value).toBe("20301217");
    expect(prop(h, "RRULE")!.value).toBe("FREQ=MONTHLY;INTERVAL=12;UNTIL=20341216");
  });

  it("keeps UIDs stable, grows SEQUENCE on edits, filters by ward and category, and answers 304 to its ETag", async () => {
    const t = tag();
    const e = await postEvent(admin.access, { title: `${t} meeting`, category: "meeting", target_wards: ["214"], starts_at: "2030-10-01T10:00:00+06:00", ends_at: "2030-10-01T11:00:00+06:00" });
    await postEvent(admin.access, { title: `${t} w215`, category: "meeting", target_wards: ["215"], starts_at: "2030-10-01T10:00:00+06:00", ends_at: "2030-10-01T11:00:00+06:00" });
    const first = await rawGet("/api/v1/calendar/events.ics?ward_number=214&category=meeting");
    const cal = parseICalendar(first.bytes);
    expect(vevents(cal).every((v) => unescapeText(prop(v, "CATEGORIES")!.value) === "Meeting")).toBe(true);
    expect(vevents(cal).some((v) => unescapeText(prop(v, "SUMMARY")!.value) === `${t} w215`)).toBe(false);
    expect(prop(byUid(cal, e.id)!, "SEQUENCE")!.value).toBe("0");
    const etag = first.headers.get("etag")!;
    expect(first.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=300");
    expect((await rawGet("/api/v1/calendar/events.ics?ward_number=214&category=meeting", { "if-none-match": etag })).status).toBe(304);

    await api(`/api/v1/calendar/events/${e.id}`, { method: "PATCH", token: admin.access, body: { title: `${t} meeting, moved`, starts_at: "2030-10-01T09:00:00+06:00" } });
    const after = await rawGet("/api/v1/calendar/events.ics?ward_number=214&category=meeting", { "if-none-match": etag });
    expect(after.status).toBe(200);
    const edited = byUid(parseICalendar(after.bytes), e.id)!;
    expect(prop(edited, "UID")!.value).toBe(`${e.id}@calendar.cleancare.gov.bd`);
    expect(prop(edited, "SEQUENCE")!.value).toBe("1");
    expect(prop(edited, "SUMMARY")!.value).toBe(`${t} meeting\\, moved`);
    expect(prop(edited, "DTSTART")!.value).toBe("20301001T090000");
  });
});
