/** Dashboard figures: the range is resolved here (Dhaka days), the figures come from one statement each. */
import type { SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { dhakaDate, dhakaDayStart } from "../../lib/dhaka-time";
import { validationError } from "../../lib/errors";
import type { AuthUser } from "../../lib/tokens";
import * as queries from "./dashboard.queries";

const DAY_MS = 86_400_000;
const MAX_DAYS = 3 * 366;

export interface RangeInput {
  from?: string;
  to?: string;
  ward_number?: string;
  interval?: "day" | "week" | "month";
}

/** `from`/`to` as Dhaka days (default: this month so far); `to` is inclusive. */
export function resolveRange(input: RangeInput, now = new Date()): queries.DashboardRange {
  const today = dhakaDate(now);
  const fromDay = input.from ?? `${today.slice(0, 8)}01`;
  const toDay = input.to ?? today;
  const from = dhakaDayStart(fromDay);
  const to = new Date(dhakaDayStart(toDay).getTime() + DAY_MS);
  if (Number.isNaN(from.getTime())) throw validationError({ from: ["Not a date."] });
  if (Number.isNaN(to.getTime())) throw validationError({ to: ["Not a date."] });
  if (to <= from) throw validationError({ to: ["`to` must not be before `from`."] });
  if ((to.getTime() - from.getTime()) / DAY_MS > MAX_DAYS) throw validationError({ to: [`At most ${MAX_DAYS} days at once.`] });
  return { from, to, ward: input.ward_number, interval: input.interval ?? "day" };
}

type Builder = (viewer: AuthUser, range: queries.DashboardRange) => SQL;

export const FIGURES: Record<string, Builder> = {
  kpi: queries.kpiQuery,
  complaintsStats: queries.complaintStatsQuery,
  wardPerformance: queries.wardPerformanceQuery,
  satisfaction: queries.satisfactionQuery,
  serviceTime: queries.serviceTimeQuery,
  financial: queries.financialQuery,
  userStats: queries.userStatsQuery,
  recentComplaints: (viewer, range) => queries.recentComplaintsQuery(viewer, range.ward),
  stsOverview: queries.stsOverviewQuery,
};

export async function figures(services: ServiceContext, viewer: AuthUser, name: keyof typeof FIGURES, input: RangeInput): Promise<unknown> {
  const range = resolveRange(input);
  const { rows } = await services.db.execute<{ figures: unknown }>(FIGURES[name]!(viewer, range));
  const value = rows[0]?.figures;
  const parsed = typeof value === "string" ? JSON.parse(value) : value;
  return name === "recentComplaints" ? parsed : { range: { from: dhakaDate(range.from), to: dhakaDate(new Date(range.to.getTime() - 1)), ward_number: range.ward ?? null }, ...parsed };
}
