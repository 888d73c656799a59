import { createRoute, z } from "@hono/zod-openapi";
import { errorResponses, jsonBody, jsonContent } from "../../lib/openapi";
import { REPORT_TYPES } from "./report-period";
import { REPORT_FORMATS } from "./reports.service";

const tags = ["Dashboard"];
const security = [{ bearerAuth: [] }];
const taskParam = z.object({ task_id: z.string().uuid().openapi({ param: { name: "task_id", in: "path" } }) });

export const reportTaskSchema = z
  .object({
    task_id: z.string().uuid(),
    status: z.enum(["processing", "completed", "failed"]),
    report_type: z.enum(REPORT_TYPES),
    format: z.enum(REPORT_FORMATS),
    period_start: z.string(),
    period_end: z.string(),
    ward_number: z.string().nullable(),
    row_count: z.number().int().nullable(),
    failure_reason: z.string().nullable(),
    download_url: z.string().nullable().openapi({ description: "When completed: valid for 15 minutes, for the requester (or a super admin) with their token" }),
    created_at: z.string(),
    completed_at: z.string().nullable(),
  })
  .openapi("ReportTask");

export const generateReport = createRoute({
  method: "post",
  path: "/dashboard/reports/generate",
  tags,
  security,
  summary: "Request a report; it is built in the background (202, then poll GET /dashboard/reports/{task_id})",
  request: jsonBody(
    z
      .object({
        report_type: z.enum(REPORT_TYPES),
        period: z.string().max(10).optional().openapi({ description: "daily/weekly YYYY-MM-DD, monthly YYYY-MM, quarterly YYYY-Qn, yearly YYYY; default the current one" }),
        format: z.enum(REPORT_FORMATS).default("csv").openapi({
          description:
            "csv: every complaint, RFC 4180, UTF-8 with BOM. xlsx: a workbook — Summary, Complaints (every row), By ward, By category; numbers and dates as numbers. pdf: a summary with tables, a daily chart and the 40 newest complaints (Bengali shaped with HarfBuzz).",
        }),
        ward_number: z.string().regex(/^\d{1,3}$/, "Ward number must be 1–3 digits.").optional(),
      })
      .strict()
      .openapi("ReportRequest"),
  ),
  responses: { 202: jsonContent(reportTaskSchema, "Queued"), ...errorResponses(400, 401, 403, 503) },
});

export const getReport = createRoute({
  method: "get",
  path: "/dashboard/reports/{task_id}",
  tags,
  security,
  summary: "A report's status, and its download link once built (requester or super admin)",
  request: { params: taskParam },
  responses: { 200: jsonContent(reportTaskSchema, "The task"), ...errorResponses(401, 403, 404) },
});

export const downloadReport = createRoute({
  method: "get",
  path: "/dashboard/reports/{task_id}/download",
  tags,
  security,
  summary: "The report file (signed, expiring link from GET /dashboard/reports/{task_id}; requester or super admin)",
  request: {
    params: taskParam,
    query: z.object({ expires: z.coerce.number().int().positive(), signature: z.string().regex(/^[0-9a-f]{64}$/i) }),
  },
  responses: { 200: { description: "The file: text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet or application/pdf" }, ...errorResponses(400, 401, 403, 404) },
});
