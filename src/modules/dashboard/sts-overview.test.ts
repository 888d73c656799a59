/**
 * GET /dashboard/sts-overview on seeded stations and readings (wards 700–709, only this file's).
 * Every expected figure is computed here in integer arithmetic from the generated rows — not by
 * the SQL under test — and the endpoint must answer in one round trip.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { signedIn, withServices } from "../../../test/support/factories";
import { api, roundTrips } from "../../../test/support/http";

const WARD_A = "700";
const WARD_B = "701";
/** Capacities that make every load share an exact thousandth of a percent (1000 / capacity is whole). */
const CAPACITIES = [50, 100, 125, 200];
const STATUSES = ["operational", "operational", "maintenance", "closed"];
const OCT_START = Date.parse("2026-09-30T18:00:00Z"); // 2026-10-01 00:00 in Dhaka

interface Station {
  name: string;
  ward: string;
  status: string;
  capacity: number; // tonnes
  load: number; // hundredths of a tonne
}
interface Reading {
  station: string;
  load: number; // hundredths of a tonne
  capacity: number;
  at: number; // ms
}

function rng(seed: number) {
  return () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

const stamp = Date.now().toString(36);
const next = rng(711);
const stations: Station[] = Array.from({ length: 12 }, (_, i) => {
  const capacity = CAPACITIES[Math.floor(next() * CAPACITIES.length)]!;
  return {
    name: `STS ${stamp} ${i} সেকেন্ডারি`,
    ward: i % 3 === 0 ? WARD_B : WARD_A,
    status: STATUSES[Math.floor(next() * STATUSES.length)]!,
    capacity,
    load: Math.floor(next() * capacity * 130), // 0 … 130 % of capacity, in hundredths of a tonne
  };
});
// Readings over October 1–10 (Dhaka), plus two just outside the range that must not count.
const readings: Reading[] = stations.flatMap((s) =>
  Array.from({ length: 20 }, () => ({ station: s.name, load: Math.floor(next() * s.capacity * 130), capacity: s.capacity, at: OCT_START + Math.floor(next() * 10 * 24 * 60) * 60_000 })),
);
const outside: Reading[] = [
  { station: stations[1]!.name, load: 99_999, capacity: stations[1]!.capacity, at: OCT_START - 60_000 },
  { station: stations[1]!.name, load: 99_999, capacity: stations[1]!.capacity, at: OCT_START + 31 * 86_400_000 },
];

/** Load share in thousandths of a percent (exact for these capacities). */
const share = (load: number, capacity: number) => (load * 1000) / capacity;
/** Postgres round(x, 1) of a non-negative share given as `num / den` thousandths: half away from zero. */
const round1 = (num: number, den = 1) => Math.floor((num + 50 * den) / (100 * den)) / 10;
const dhakaDay = (ms: number) => new Date(ms + 6 * 3_600_000).toISOString().slice(0, 10);
/** Monday of the Dhaka day (Postgres date_trunc('week')). */
function dhakaWeek(ms: number): string {
  const d = new Date(`${dhakaDay(ms)}T00:00:00Z`);
  return new Date(d.getTime() - ((d.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10);
}

function expectedSeries(mine: Reading[], key: (ms: number) => string) {
  const groups = new Map<string, Reading[]>();
  for (const r of mine) groups.set(key(r.at), [...(groups.get(key(r.at)) ?? []), r]);
  return [...groups.keys()].sort().map((period) => {
    const group = groups.get(period)!;
    const shares = group.map((r) => share(r.load, r.capacity));
    return {
      period,
      readings: group.length,
      stations_reporting: new Set(group.map((r) => r.station)).size,
      average_load_percentage: round1(shares.reduce((a, b) => a + b, 0), group.length),
      peak_load_percentage: Math.max(...shares.map((s) => round1(s))),
      over_capacity_readings: group.filter((r) => r.load > r.capacity * 100).length,
    };
  });
}

let boss: Awaited<ReturnType<typeof signedIn>>;

beforeAll(async () => {
  boss = await signedIn({ userType: "super_admin" });
  await withServices(async ({ db }) => {
    await db.execute(sql`
      insert into waste_sts (name, ward_number, latitude, longitude, capacity_tonnes, current_load_tonnes, status)
      select s.name, s.ward, 23.75, 90.39, s.capacity, s.load / 100.0, s.status
      from jsonb_to_recordset(${JSON.stringify(stations)}::jsonb) as s(name text, ward text, status text, capacity int, load int)`);
    await db.execute(sql`
      insert into waste_sts_readings (sts_id, load_tonnes, previous_load_tonnes, capacity_tonnes, recorded_at)
      select t.id, r.load / 100.0, 0, r.capacity, to_timestamp(r.at / 1000.0)
      from jsonb_to_recordset(${JSON.stringify([...readings, ...outside])}::jsonb) as r(station text, load int, capacity int, at bigint)
      join waste_sts t on t.name = r.station`);
  });
});

const october = "from=2026-10-01&to=2026-10-31";
const get = (query: string, token = boss.access) => api(`/api/v1/dashboard/sts-overview?${query}`, { token });

describe("GET /dashboard/sts-overview", () => {
  it("per station load %, over-capacity and readings; totals; a daily load series — one round trip", async () => {
    const res = await get(`${october}&ward_number=${WARD_A}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(roundTrips(res)).toBe(1);
    const mine = stations.filter((s) => s.ward === WARD_A);
    const mineReadings = readings.filter((r) => mine.some((s) => s.name === r.station));

    const capacity = mine.reduce((a, s) => a + s.capacity, 0);
    const load = mine.reduce((a, s) => a + s.load, 0);
    expect(res.body.totals).toEqual({
      stations: mine.length,
      by_status: Object.fromEntries(["operational", "maintenance", "closed"].map((st) => [st, mine.filter((s) => s.status === st).length])),
      capacity_tonnes: capacity,
      current_load_tonnes: load / 100,
      load_percentage: round1(load * 1000, capacity),
      over_capacity: mine.filter((s) => s.load > s.capacity * 100).length,
    });

    const sorted = [...mine].sort((a, b) => b.load / b.capacity - a.load / a.capacity || (a.name < b.name ? -1 : 1));
    expect(res.body.stations.map((s: { name: string }) => s.name)).toEqual(sorted.map((s) => s.name));
    for (const s of mine) {
      const got = res.body.stations.find((x: { name: string }) => x.name === s.name);
      const own = mineReadings.filter((r) => r.station === s.name);
      expect(got).toMatchObject({
        ward_number: WARD_A,
        status: s.status,
        capacity_tonnes: s.capacity,
        current_load_tonnes: s.load / 100,
        load_percentage: round1(share(s.load, s.capacity)),
        over_capacity: s.load > s.capacity * 100,
        readings_in_range: own.length,
        peak_load_percentage_in_range: Math.max(...own.map((r) => round1(share(r.load, r.capacity)))),
      });
    }

    expect(res.body.series).toEqual(expectedSeries(mineReadings, dhakaDay));
    expect(res.body.series.reduce((a: number, p: { readings: number }) => a + p.readings, 0)).toBe(mineReadings.length); // the two outside the range are not there
    expect(res.body.range).toEqual({ from: "2026-10-01", to: "2026-10-31", ward_number: WARD_A });
  });

  it("weekly and monthly buckets", async () => {
    const all = readings.filter((r) => stations.some((s) => s.name === r.station && s.ward === WARD_B));
    const weekly = await get(`${october}&ward_number=${WARD_B}&interval=week`);
    expect(roundTrips(weekly)).toBe(1);
    expect(weekly.body.series).toEqual(expectedSeries(all, dhakaWeek));
    const monthly = await get(`${october}&ward_number=${WARD_B}&interval=month`);
    expect(monthly.body.series).toEqual(expectedSeries(all, () => "2026-10-01"));
  });

  it("an admin sees only the wards they may read waste in; complaints rights alone show no station", async () => {
    const wasteA = await signedIn({ userType: "admin", permissions: [{ permission_type: "waste", ward_numbers: [WARD_A], can_read: true }] });
    const res = await get(october, wasteA.access);
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    expect(new Set(res.body.stations.map((s: { ward_number: string }) => s.ward_number))).toEqual(new Set([WARD_A]));
    expect(res.body.totals.stations).toBe(stations.filter((s) => s.ward === WARD_A).length);
    // Asking for another ward gives nothing rather than that ward's figures.
    const other = await get(`${october}&ward_number=${WARD_B}`, wasteA.access);
    expect(other.body.totals).toMatchObject({ stations: 0, capacity_tonnes: 0, load_percentage: null });
    expect(other.body.series).toEqual([]);

    const complaintsOnly = await signedIn({ userType: "admin", permissions: [{ permission_type: "complaints", ward_numbers: [WARD_A, WARD_B], can_read: true }] });
    const none = await get(october, complaintsOnly.access);
    expect(none.body.stations).toEqual([]);
    expect(none.body.totals.stations).toBe(0);
  });

  it("staff only; bad input is 400", async () => {
    const citizen = await signedIn();
    expect((await get(october, citizen.access)).status).toBe(403);
    expect((await api("/api/v1/dashboard/sts-overview")).status).toBe(401);
    expect((await get("from=2026-10-31&to=2026-10-01")).status).toBe(400);
    expect((await get("interval=year")).status).toBe(400);
    expect((await get("ward_number=abc")).status).toBe(400);
  });
});

describe("documentation", () => {
  it("sts-overview and the report formats are in the OpenAPI document", async () => {
    const doc = await api("/api/v1/openapi.json");
    expect(doc.body.paths["/api/v1/dashboard/sts-overview"].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual(["from", "interval", "to", "ward_number"]);
    expect(doc.body.components.schemas.ReportRequest.properties.format.enum).toEqual(["csv", "xlsx", "pdf"]);
    expect(doc.body.components.schemas.ReportTask.properties.format.enum).toEqual(["csv", "xlsx", "pdf"]);
  });
});
