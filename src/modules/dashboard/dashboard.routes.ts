import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonContent } from "../../lib/openapi";

const tags = ["Dashboard"];
const security = [{ bearerAuth: [] }];
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "A date, YYYY-MM-DD (a Dhaka day).");

export const rangeQuery = z.object({
  from: day.optional().openapi({ description: "First Dhaka day (default: the first of this month)", example: "2026-11-01" }),
  to: day.optional().openapi({ description: "Last Dhaka day, inclusive (default: today)", example: "2026-11-30" }),
  ward_number: z.string().regex(/^\d{1,3}$/, "Ward number must be 1–3 digits.").optional(),
  interval: z.enum(["day", "week", "month"]).default("day").openapi({ description: "Bucket of the series" }),
});

const figures = z.record(z.string(), z.unknown()).or(z.array(z.unknown())).openapi("DashboardFigures");

const endpoint = (path: string, summary: string, query = rangeQuery) =>
  createRoute({
    method: "get",
    path: `/dashboard/${path}`,
    tags,
    security,
    summary: `${summary} (staff: super admin all wards, admin the wards they may read; one round trip)`,
    request: { query },
    responses: { 200: jsonContent(figures, summary), ...errorResponses(400, 401, 403) },
  });

export const kpi = endpoint("kpi", "Headline figures: complaints, response and resolution times, satisfaction, revenue, new citizens");
export const complaintsStats = endpoint("complaints-stats", "Complaints by status, category, priority and ward, with a per-period series by status");
export const wardPerformance = endpoint("ward-performance", "Per ward: totals, resolution rate, median resolution time, average rating");
export const satisfaction = endpoint("satisfaction", "Ratings: average, distribution 1–5, response rate");
export const serviceTime = endpoint("service-time", "Median and p90 hours to first response and to resolution, overall and by category");
export const financial = endpoint("financial", "Revenue by service and method, pending and refunded amounts, a revenue series");
export const userStats = endpoint("user-stats", "Accounts by type, verified, active, new in the range with a series");
export const recentComplaints = endpoint("recent-complaints", "Complaints filed in the last hour (at most 50)", rangeQuery.pick({ ward_number: true }) as unknown as typeof rangeQuery);
export const stsOverview = endpoint(
  "sts-overview",
  "Transfer stations (waste wards): load % and over-capacity per station, totals by status, and a load series from the readings in the range",
);
