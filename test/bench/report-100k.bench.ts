/**
 * `npm run bench:report` (opt-in; not part of `npm test`): 100,000 complaints seeded by
 * generate_series into a throwaway ward (799, in the run's own throwaway database), then each
 * format built by the consumer's own function (`buildReport`, what the `reports` queue consumer
 * calls), inside workerd. Prints rows, wall time, bytes, and the most file bytes held in memory at
 * once; scripts/bench/report-100k.ts runs this and adds the workerd process's peak RSS and CPU
 * seconds per build (from /proc, between the BENCH markers printed here).
 */
import { sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import * as XLSX from "xlsx";
import { env } from "cloudflare:test";
import { signedIn, withServices } from "../support/factories";
import { buildReport } from "../../src/modules/dashboard/reports.service";
import { CATEGORIES_BN, PRIORITIES_BN, STATUSES } from "../support/reports";

const N = 100_000;
const WARD = "799";
let boss: Awaited<ReturnType<typeof signedIn>>;

beforeAll(async () => {
  boss = await signedIn({ userType: "super_admin" });
  const citizen = await signedIn();
  const started = Date.now();
  await withServices(({ db }) =>
    db.execute(sql`
      insert into complaints (tracking_number, user_id, title, description, category, priority, status, location, ward_number, created_at, updated_at, resolved_at, rating)
      select 'CC20250601' || lpad(g::text, 7, '0'), ${citizen.user.id}::uuid,
             'নর্দমা উপচে পড়ছে, রাস্তায় ময়লা জমেছে — ক্ষেত্র ' || g, 'bench', (${JSON.stringify(CATEGORIES_BN)}::jsonb ->> (g % ${CATEGORIES_BN.length})),
             (${JSON.stringify(PRIORITIES_BN)}::jsonb ->> (g % ${PRIORITIES_BN.length})), (${JSON.stringify(STATUSES)}::jsonb ->> (g % ${STATUSES.length})), 'Dhaka', ${WARD},
             t, t, case when (${JSON.stringify(STATUSES)}::jsonb ->> (g % ${STATUSES.length})) = ${STATUSES[2]} then t + make_interval(hours => 1 + g % 90) end,
             case when (${JSON.stringify(STATUSES)}::jsonb ->> (g % ${STATUSES.length})) = ${STATUSES[2]} and g % 3 > 0 then 1 + g % 5 end
      from generate_series(1, ${N}) g, lateral (select timestamptz '2025-05-31 18:00:00+00' + make_interval(secs => (g::bigint * 2591999 / ${N})::int) as t) at`),
  );
  console.log(`BENCH seeded ${N} complaints in ${Date.now() - started} ms`);
}, 600_000);

for (const format of ["csv", "xlsx", "pdf"] as const) {
  it(`${format}: ${N.toLocaleString("en-US")} complaints`, async () => {
    const [task] = await withServices(async ({ db }) => {
      const { rows } = await db.execute<{ id: string }>(sql`
        insert into report_tasks (requested_by, report_type, format, period_start, period_end, ward_number)
        values (${boss.user.id}, 'monthly', ${format}, '2025-06-01', '2025-06-30', ${WARD}) returning id`);
      return rows;
    });
    console.log(`BENCH start ${format}`);
    const started = Date.now();
    const stats = await withServices((services) => buildReport(services, task!.id));
    const ms = Date.now() - started;
    console.log(`BENCH end ${format} ${JSON.stringify({ rows: stats?.rows, ms, bytes: stats?.bytes, peak_buffered_bytes: stats?.peakBufferedBytes })}`);
    expect(stats?.rows).toBe(N);
    const object = await (env as Env).MEDIA.get(`reports/${task!.id}.${format}`);
    expect(object?.size).toBe(stats!.bytes);
    const bytes = new Uint8Array(await object!.arrayBuffer());
    if (format === "csv") expect(new TextDecoder().decode(bytes).split("\r\n").length).toBe(N + 2); // header, rows, final CRLF
    if (format === "xlsx") {
      const book = XLSX.read(bytes, { type: "array", sheets: "Complaints", dense: true });
      expect(XLSX.utils.decode_range(book.Sheets.Complaints!["!ref"]!).e.r).toBe(N); // rows 0…N: the header and N complaints
    }
    if (format === "pdf") expect(new TextDecoder("latin1").decode(bytes.slice(0, 8))).toBe("%PDF-1.7");
  }, 600_000);
}
