/** A report's period in Dhaka days: the current one by default, or the one named by `period`. */
import { dhakaDate } from "../../lib/dhaka-time";
import { validationError } from "../../lib/errors";

export const REPORT_TYPES = ["daily", "weekly", "monthly", "quarterly", "yearly"] as const;
export type ReportType = (typeof REPORT_TYPES)[number];

const day = (d: Date) => d.toISOString().slice(0, 10);
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m, d));

/**
 * `period`: daily `YYYY-MM-DD`; weekly `YYYY-MM-DD` (the first of seven days); monthly `YYYY-MM`;
 * quarterly `YYYY-Qn`; yearly `YYYY`. Without it: today, the seven days ending today, this month,
 * this quarter, this year.
 */
export function reportPeriod(type: ReportType, period: string | undefined, now = new Date()): { start: string; end: string } {
  const today = new Date(`${dhakaDate(now)}T00:00:00Z`);
  const bad = () => validationError({ period: [`Not a ${type} period (see the API reference for the format).`] });
  const y = today.getUTCFullYear();
  const m = today.getUTCMonth();
  switch (type) {
    case "daily": {
      const d = period ?? day(today);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`))) throw bad();
      return { start: d, end: d };
    }
    case "weekly": {
      const start = period ? new Date(`${period}T00:00:00Z`) : new Date(today.getTime() - 6 * 86_400_000);
      if ((period && !/^\d{4}-\d{2}-\d{2}$/.test(period)) || Number.isNaN(start.getTime())) throw bad();
      return { start: day(start), end: day(new Date(start.getTime() + 6 * 86_400_000)) };
    }
    case "monthly": {
      const match = period ? /^(\d{4})-(\d{2})$/.exec(period) : ["", String(y), String(m + 1)];
      if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) throw bad();
      const [yy, mm] = [Number(match[1]), Number(match[2]) - 1];
      return { start: day(utc(yy, mm, 1)), end: day(utc(yy, mm + 1, 0)) };
    }
    case "quarterly": {
      const match = period ? /^(\d{4})-Q([1-4])$/.exec(period) : ["", String(y), String(Math.floor(m / 3) + 1)];
      if (!match) throw bad();
      const [yy, q] = [Number(match[1]), Number(match[2]) - 1];
      return { start: day(utc(yy, q * 3, 1)), end: day(utc(yy, q * 3 + 3, 0)) };
    }
    case "yearly": {
      const yy = period ?? String(y);
      if (!/^\d{4}$/.test(yy)) throw bad();
      return { start: `${yy}-01-01`, end: `${yy}-12-31` };
    }
  }
}
