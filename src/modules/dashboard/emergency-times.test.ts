/** service-time's emergency figures: minutes to first response and to resolution, per ward, scoped. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { raiseEmergency, respond } from "../../../test/support/emergency";
import { signedIn, withServices } from "../../../test/support/factories";
import { api, roundTrips } from "../../../test/support/http";
import { percentile } from "../../../test/support/stats";

describe("service-time: emergencies", () => {
  it("median and p90 minutes to first response and to resolution, overall and by ward, computed in SQL", async () => {
    const wards = ["871", "872"]; // used by no other file
    const chief = await signedIn({ userType: "super_admin" });
    const timings: Array<{ ward: string; respond: number | null; resolve: number | null }> = [
      { ward: "871", respond: 3, resolve: 40 },
      { ward: "871", respond: 7, resolve: 95 },
      { ward: "871", respond: 12, resolve: null },
      { ward: "871", respond: null, resolve: null },
      { ward: "872", respond: 1.5, resolve: 20 },
      { ward: "872", respond: 30, resolve: 240 },
    ];
    // Raised and answered through the API, then moved to yesterday (Dhaka) so the durations are known.
    const day = new Date(Date.now() - 86_400_000 + 6 * 3600_000).toISOString().slice(0, 10);
    const base = new Date(`${day}T09:00:00+06:00`).toISOString();
    for (const [i, t] of timings.entries()) {
      const reporter = await signedIn({ wardNumber: t.ward });
      const e = await raiseEmergency(reporter.access);
      if (t.respond !== null) await respond(chief.access, e.id, { status: "in_progress" });
      if (t.resolve !== null) await respond(chief.access, e.id, { status: "resolved" });
      await withServices(({ db }) =>
        db.execute(sql`update emergency_requests set
            created_at = ${base}::timestamptz + ${i} * interval '1 minute',
            responded_at = case when responded_at is null then null else ${base}::timestamptz + ${i} * interval '1 minute' + ${t.respond ?? 0} * interval '1 minute' end,
            resolved_at = case when resolved_at is null then null else ${base}::timestamptz + ${i} * interval '1 minute' + ${t.resolve ?? 0} * interval '1 minute' end
          where id = ${e.id}`),
      );
    }
    const expectFor = (rows: typeof timings) => {
      const responded = rows.flatMap((r) => (r.respond === null ? [] : [r.respond]));
      const resolved = rows.flatMap((r) => (r.resolve === null ? [] : [r.resolve]));
      return {
        total: rows.length,
        responded: responded.length,
        response_median_minutes: percentile(responded, 0.5),
        response_p90_minutes: percentile(responded, 0.9),
        resolved: resolved.length,
        resolution_median_minutes: percentile(resolved, 0.5),
        resolution_p90_minutes: percentile(resolved, 0.9),
      };
    };
    for (const ward of wards) {
      const res = await api(`/api/v1/dashboard/service-time?ward_number=${ward}&from=${day}&to=${day}`, { token: chief.access });
      expect(roundTrips(res)).toBe(1);
      expect(res.body.emergencies.overall).toEqual(expectFor(timings.filter((t) => t.ward === ward)));
      expect(res.body.emergencies.by_ward[ward]).toEqual(expectFor(timings.filter((t) => t.ward === ward)));
    }
    // An admin who may read emergencies of ward 781 only sees 781's.
    const local = await signedIn({ userType: "admin", permissions: [{ permission_type: "emergency", ward_numbers: ["871"] }, { permission_type: "complaints" }] });
    const scoped = await api(`/api/v1/dashboard/service-time?from=${day}&to=${day}`, { token: local.access });
    expect(Object.keys(scoped.body.emergencies.by_ward)).toEqual(["871"]);
  });
});
