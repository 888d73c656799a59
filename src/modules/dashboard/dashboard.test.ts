/**
 * The dashboard on a seeded dataset: 10,000 complaints in October 2026 (Dhaka) across wards 93 and
 * 94, with ratings, first responses and resolutions. Every expected figure is computed here in
 * JavaScript from the generated rows — independently of the SQL under test — and each endpoint
 * must answer in one round trip.
 */
import { percentile } from "../../../test/support/stats";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { signedIn, withServices } from "../../../test/support/factories";
import { api, roundTrips } from "../../../test/support/http";
import { STATUS } from "../complaints/status-machine";

const N = 10_000;
const WARDS = ["93", "94"];
const CATEGORIES = ["cleanliness", "waste_management", "water_supply"] as const;
const CATEGORY_BN: Record<string, string> = { cleanliness: "পরিচ্ছন্নতা", waste_management: "বর্জ্য ব্যবস্থাপনা", water_supply: "পানি সরবরাহ" };
const STATUSES = [STATUS.submitted, STATUS.inProgress, STATUS.resolved, STATUS.resolved, STATUS.cancelled];
const OCT_START = Date.parse("2026-09-30T18:00:00Z"); // 2026-10-01 00:00 in Dhaka

interface Row {
  tn: string;
  ward: string;
  category: string;
  status: string;
  created: number;
  /** Hours to the first staff response (quarter hours, so every figure is exact), or null. */
  responseH: number | null;
  resolutionH: number | null;
  rating: number | null;
}

/** A small deterministic generator, so a failure reproduces. */
function rng(seed: number) {
  return () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

function generate(): Row[] {
  const next = rng(2026);
  const stamp = Date.now().toString(36);
  return Array.from({ length: N }, (_, i) => {
    const status = STATUSES[Math.floor(next() * STATUSES.length)]!;
    const resolved = status === STATUS.resolved;
    const responded = status !== STATUS.submitted && next() < 0.9;
    return {
      tn: `T${stamp}${i}`.slice(0, 20),
      ward: WARDS[i % 2]!,
      category: CATEGORY_BN[CATEGORIES[Math.floor(next() * 3)]!]!,
      status,
      created: OCT_START + Math.floor(next() * 30 * 24) * 3_600_000, // a whole hour within Oct 1–30
      responseH: responded ? Math.floor(next() * 48) / 4 : null,
      resolutionH: resolved ? 12 + Math.floor(next() * 400) / 4 : null,
      rating: resolved && next() < 0.6 ? 1 + Math.floor(next() * 5) : null,
    };
  });
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
const countBy = (rows: Row[], key: (r: Row) => string) => rows.reduce<Record<string, number>>((acc, r) => ((acc[key(r)] = (acc[key(r)] ?? 0) + 1), acc), {});

let rows: Row[];
let boss: Awaited<ReturnType<typeof signedIn>>;

beforeAll(async () => {
  rows = generate();
  boss = await signedIn({ userType: "super_admin" });
  const citizen = await signedIn();
  const staff = await signedIn({ userType: "admin" });
  await withServices(async ({ db }) => {
    for (let i = 0; i < rows.length; i += 2500) {
      const chunk = JSON.stringify(rows.slice(i, i + 2500));
      await db.execute(sql`
        insert into complaints (tracking_number, user_id, title, description, category, status, location, ward_number, created_at, updated_at, resolved_at, rating)
        select r.tn, ${citizen.user.id}::uuid, 'seeded', 'seeded for the dashboard test', r.category, r.status, 'Dhaka', r.ward,
               to_timestamp(r.created / 1000.0), to_timestamp(r.created / 1000.0),
               case when r."resolutionH" is null then null else to_timestamp(r.created / 1000.0) + make_interval(secs => r."resolutionH" * 3600) end,
               r.rating
        from jsonb_to_recordset(${chunk}::jsonb) as r(tn text, ward text, category text, status text, created bigint, "resolutionH" float8, rating int)`);
      await db.execute(sql`
        insert into complaint_updates (complaint_id, updated_by, old_status, new_status, created_at)
        select c.id, ${staff.user.id}::uuid, ${STATUS.submitted}, ${STATUS.inProgress}, c.created_at + make_interval(secs => r."responseH" * 3600)
        from jsonb_to_recordset(${chunk}::jsonb) as r(tn text, "responseH" float8) join complaints c on c.tracking_number = r.tn
        where r."responseH" is not null`);
    }
  });
}, 120_000);

const october = "from=2026-10-01&to=2026-10-31";
const get = (path: string, token = boss.access) => api(`/api/v1/dashboard/${path}`, { token });

describe("dashboard figures on 10,000 complaints (one round trip each)", () => {
  it("complaints-stats: totals by status, category and ward, and a daily series that adds up", async () => {
    const res = await get(`complaints-stats?${october}&ward_number=93`);
    expect(res.status).toBe(200);
    expect(roundTrips(res)).toBe(1);
    const mine = rows.filter((r) => r.ward === "93");
    expect(res.body.total).toBe(mine.length);
    expect(res.body.by_status).toEqual(countBy(mine, (r) => r.status));
    expect(res.body.by_category).toEqual(countBy(mine, (r) => r.category));
    expect(res.body.by_ward).toEqual({ "93": mine.length });
    expect(res.body.series).toHaveLength(30);
    const perDay = countBy(mine, (r) => new Date(r.created + 6 * 3_600_000).toISOString().slice(0, 10));
    for (const point of res.body.series) expect(Object.values(point.by_status as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(perDay[point.period]);
  });

  it("kpi: resolution rate, response and resolution percentiles, satisfaction", async () => {
    const res = await get(`kpi?${october}&ward_number=94`);
    expect(roundTrips(res)).toBe(1);
    const mine = rows.filter((r) => r.ward === "94");
    const resolved = mine.filter((r) => r.status === STATUS.resolved);
    const rated = mine.filter((r) => r.rating !== null);
    expect(res.body.complaints).toEqual({
      total: mine.length,
      open: mine.filter((r) => r.status === STATUS.submitted || r.status === STATUS.inProgress).length,
      resolved: resolved.length,
      cancelled: mine.filter((r) => r.status === STATUS.cancelled).length,
      resolution_rate: round(resolved.length / mine.length, 4),
    });
    const responses = mine.flatMap((r) => (r.responseH === null ? [] : [r.responseH]));
    expect(res.body.response_hours).toEqual({ median: percentile(responses, 0.5), p90: percentile(responses, 0.9) });
    const resolutions = resolved.map((r) => r.resolutionH!);
    expect(res.body.resolution_hours).toEqual({ median: percentile(resolutions, 0.5), p90: percentile(resolutions, 0.9) });
    expect(res.body.satisfaction).toEqual({ average: round(rated.reduce((a, r) => a + r.rating!, 0) / rated.length, 2), rated: rated.length });
    expect(res.body.range).toEqual({ from: "2026-10-01", to: "2026-10-31", ward_number: "94" });
  });

  it("satisfaction and ward-performance", async () => {
    const sat = await get(`satisfaction?${october}&ward_number=93`);
    expect(roundTrips(sat)).toBe(1);
    const mine = rows.filter((r) => r.ward === "93");
    const rated = mine.filter((r) => r.rating !== null);
    const resolved = mine.filter((r) => r.status === STATUS.resolved);
    expect(sat.body.distribution).toEqual(Object.fromEntries([1, 2, 3, 4, 5].map((n) => [String(n), rated.filter((r) => r.rating === n).length])));
    expect(sat.body.response_rate).toBe(round(rated.length / resolved.length, 4));

    // A ward-93 admin's ward performance holds ward 93 only, without a ward filter.
    const admin = await signedIn({ userType: "admin", permissions: [{ permission_type: "complaints", ward_numbers: ["93"], can_read: true }] });
    const wards = await get(`ward-performance?${october}`, admin.access);
    expect(roundTrips(wards)).toBe(1);
    expect(wards.body.wards.map((w: { ward_number: string }) => w.ward_number)).toEqual(["93"]);
    expect(wards.body.wards[0]).toMatchObject({
      total: mine.length,
      resolved: resolved.length,
      resolution_rate: round(resolved.length / mine.length, 4),
      median_resolution_hours: percentile(resolved.map((r) => r.resolutionH!), 0.5),
      average_rating: round(rated.reduce((a, r) => a + r.rating!, 0) / rated.length, 2),
    });
  });

  it("service-time by category", async () => {
    const res = await get(`service-time?${october}`);
    expect(roundTrips(res)).toBe(1);
    const cat = CATEGORY_BN.water_supply!;
    const mine = rows.filter((r) => r.category === cat);
    expect(res.body.by_category[cat]).toMatchObject({
      responded: mine.filter((r) => r.responseH !== null).length,
      response_median_hours: percentile(mine.flatMap((r) => (r.responseH === null ? [] : [r.responseH])), 0.5),
      resolution_p90_hours: percentile(mine.flatMap((r) => (r.resolutionH === null ? [] : [r.resolutionH])), 0.9),
    });
  });

  it("every endpoint answers staff only, in one round trip; bad ranges are 400", async () => {
    for (const path of ["kpi", "complaints-stats", "ward-performance", "satisfaction", "service-time", "financial", "user-stats", "recent-complaints", "sts-overview"]) {
      const res = await get(`${path}?ward_number=93`);
      expect(res.status, path).toBe(200);
      expect(roundTrips(res), path).toBe(1);
    }
    const citizen = await signedIn();
    expect((await get("kpi", citizen.access)).status).toBe(403);
    expect((await api("/api/v1/dashboard/kpi")).status).toBe(401);
    expect((await get("kpi?from=2026-10-31&to=2026-10-01")).status).toBe(400);
    expect((await get("kpi?from=2026-13-45")).status).toBe(400);
    expect((await get("kpi?from=2020-01-01&to=2026-10-01")).status).toBe(400);
  });
});
