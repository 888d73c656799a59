/**
 * Reports: `generate` stores a task and queues it (one statement, then the enqueue); the `reports`
 * queue consumer builds the file by paging through the rows (keyset pages, never the whole table in
 * memory) into an R2 multipart upload, then marks the task. The object key is the task's id, so a
 * retried build overwrites its own file instead of producing a second one; a task already completed
 * or failed is never built again. Downloads need the requester's (or a super admin's) token and a
 * signed link that expires.
 */
import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { toHex } from "../../lib/crypto";
import { dhakaDayStart } from "../../lib/dhaka-time";
import { logActivityFrom } from "../admin/activity-log";
import { hasStaffPermission, inStaffWards } from "../admin/staff-scope";
import { ApiError } from "../../lib/errors";
import type { AuthUser } from "../../lib/tokens";
import { workerAssets } from "../../lib/pdf/worker-assets";
import { type Cell, XlsxWriter } from "../../lib/xlsx";
import { complaintPages, type GroupFigures, reportSummary, type ReportScope } from "./report-data";
import { reportPeriod, type ReportType } from "./report-period";
import { PDF_LATEST_ROWS, renderReportPdf } from "./report-pdf";

export const DOWNLOAD_TTL_SECONDS = 15 * 60;
/** R2 multipart parts must be at least 5 MiB, except the last. */
const PART_BYTES = 5 * 1024 * 1024;
export const MAX_BUILD_ATTEMPTS = 3;
export const REPORT_FORMATS = ["csv", "xlsx", "pdf"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReportTask {
  id: string;
  requested_by: string;
  report_type: ReportType;
  format: ReportFormat;
  period_start: string;
  period_end: string;
  ward_number: string | null;
  status: "processing" | "completed" | "failed";
  object_key: string | null;
  row_count: number | null;
  failure_reason: string | null;
  created_at: string;
  completed_at: string | null;
}

const TASK_COLUMNS = sql`id, requested_by, report_type, format, period_start::text, period_end::text, ward_number, status, object_key, row_count, failure_reason, created_at, completed_at`;

export async function requestReport(
  services: ServiceContext,
  actor: AuthUser,
  input: { report_type: ReportType; period?: string; format: ReportFormat; ward_number?: string },
): Promise<ReportTask> {
  const { start, end } = reportPeriod(input.report_type, input.period);
  // `reports.create` — for that ward, or in some ward for a city report (whose figures are then
  // scoped to the wards the requester may read). The export is logged with it, in one statement.
  const allowed = input.ward_number ? inStaffWards(actor, "reports", "create", sql`${input.ward_number}::text`) : hasStaffPermission(actor, "reports", "create");
  const { rows } = await services.db.execute<ReportTask & Record<string, unknown>>(sql`
    with created as (
      insert into report_tasks (requested_by, report_type, format, period_start, period_end, ward_number)
      select ${actor.id}, ${input.report_type}, ${input.format}, ${start}::date, ${end}::date, ${input.ward_number ?? null}
      where ${allowed}
      returning ${TASK_COLUMNS}
    ),
    logged as (${logActivityFrom(services, actor.id, sql`created`, {
      action: "report.generate",
      resourceType: "report",
      resourceId: sql`created.id`,
      details: sql`jsonb_build_object('report_type', created.report_type, 'format', created.format, 'ward_number', created.ward_number)`,
    })})
    select * from created`);
  const task = rows[0];
  if (!task) throw new ApiError("forbidden");
  try {
    await services.env.REPORTS_QUEUE.send({ task_id: task.id }, { contentType: "json" });
  } catch (err) {
    await services.db.execute(sql`update report_tasks set status = 'failed', failure_reason = 'could not be queued' where id = ${task.id}`);
    throw new ApiError("service_unavailable");
  }
  return task;
}

/** The requester's own task, or any for a super admin; others get 404. */
export async function findReport(services: ServiceContext, viewer: AuthUser, id: string): Promise<ReportTask> {
  const { rows } = await services.db.execute<ReportTask & Record<string, unknown>>(sql`
    select ${TASK_COLUMNS} from report_tasks
    where id = ${id} ${viewer.userType === "super_admin" ? sql`` : sql`and requested_by = ${viewer.id}`}`);
  if (!rows[0]) throw new ApiError("not_found");
  return rows[0];
}

async function hmac(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toHex(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text)));
}

export async function signedDownloadPath(services: ServiceContext, taskId: string, now = Date.now()): Promise<string> {
  const expires = Math.floor(now / 1000) + DOWNLOAD_TTL_SECONDS;
  const signature = await hmac(services.config.JWT_SECRET, `report:${taskId}:${expires}`);
  return `/api/v1/dashboard/reports/${taskId}/download?expires=${expires}&signature=${signature}`;
}

export async function checkDownloadSignature(services: ServiceContext, taskId: string, expires: number, signature: string): Promise<void> {
  const expected = await hmac(services.config.JWT_SECRET, `report:${taskId}:${expires}`);
  if (expected !== signature.toLowerCase()) throw new ApiError("forbidden");
  if (expires * 1000 < Date.now()) throw new ApiError("forbidden", "report_link_expired");
}

// ---------------------------------------------------------------------------------------------
// The build (queue consumer).

const CSV_HEADER = ["tracking_number", "created_at", "category", "priority", "status", "ward_number", "title", "resolved_at", "rating"];

/** RFC 4180: quote fields with commas, quotes or line breaks; double the quotes. */
export function csvLine(fields: (string | number | null)[]): string {
  return (
    fields
      .map((f) => {
        const text = f === null ? "" : String(f);
        return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
      })
      .join(",") + "\r\n"
  );
}

const dhakaIso = (value: string | Date | null) =>
  value === null ? null : new Date(new Date(value).getTime() + 6 * 3_600_000).toISOString().replace("Z", "+06:00");

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pdf: "application/pdf",
};

/**
 * Bytes on their way to an R2 multipart upload. R2 wants every part but the last to be the same
 * size (and at least 5 MiB), so the bytes are cut into parts of exactly PART_BYTES, whatever the
 * sizes of the chunks written; at most about one part's worth is held in memory between drains.
 */
export class PartSink {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  readonly parts: R2UploadedPart[] = [];
  /** Bytes written so far, and the most held at once (for the bench's memory estimate). */
  written = 0;
  peakBuffered = 0;

  constructor(
    private readonly upload: Pick<R2MultipartUpload, "uploadPart" | "complete">,
    private readonly partBytes = PART_BYTES,
  ) {}

  write(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.written += chunk.length;
    this.peakBuffered = Math.max(this.peakBuffered, this.pendingBytes);
  }

  /** Uploads every full part waiting (call between pages). */
  async drain(): Promise<void> {
    while (this.pendingBytes >= this.partBytes) await this.send(this.take(this.partBytes));
  }

  /** The first `n` pending bytes as one array (the rest stays pending). */
  private take(n: number): Uint8Array {
    const body = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const chunk = this.pending[0]!;
      const used = Math.min(chunk.length, n - at);
      body.set(used === chunk.length ? chunk : chunk.subarray(0, used), at);
      at += used;
      if (used === chunk.length) this.pending.shift();
      else this.pending[0] = chunk.subarray(used);
    }
    this.pendingBytes -= n;
    return body;
  }

  private async send(body: Uint8Array): Promise<void> {
    this.parts.push(await this.upload.uploadPart(this.parts.length + 1, body));
  }

  async complete(): Promise<void> {
    await this.drain();
    if (this.pendingBytes > 0 || this.parts.length === 0) await this.send(this.take(this.pendingBytes)); // the last part may be short
    await this.upload.complete(this.parts);
  }
}

export interface BuildStats {
  rows: number;
  bytes: number;
  /** The most bytes of the file held in memory at once. */
  peakBufferedBytes: number;
}

/** Builds one task's file. Returns null if there was nothing to build (already settled). */
export async function buildReport(services: ServiceContext, taskId: string): Promise<BuildStats | null> {
  const { rows } = await services.db.execute<ReportTask & { user_type: string } & Record<string, unknown>>(sql`
    update report_tasks t set attempts = attempts + 1
    from users u where t.id = ${taskId} and t.status = 'processing' and u.id = t.requested_by
    returning t.id, t.requested_by, t.format, t.period_start::text, t.period_end::text, t.ward_number, u.user_type`);
  const task = rows[0];
  if (!task) return null;
  const scope: ReportScope = {
    viewer: { id: task.requested_by, userType: task.user_type } as AuthUser,
    from: dhakaDayStart(task.period_start),
    to: new Date(dhakaDayStart(task.period_end).getTime() + 86_400_000),
    ward: task.ward_number,
  };
  const format = task.format;
  const key = `reports/${task.id}.${format}`;
  const upload = await services.env.MEDIA.createMultipartUpload(key, {
    httpMetadata: { contentType: CONTENT_TYPES[format] },
    customMetadata: { name: `clean-care-${task.period_start}-${task.period_end}${task.ward_number ? `-ward-${task.ward_number}` : ""}.${format}` },
  });
  const sink = new PartSink(upload);
  try {
    const count =
      format === "xlsx" ? await writeXlsx(services, scope, task, sink) : format === "pdf" ? await writePdf(services, scope, task, sink) : await writeCsv(services, scope, sink);
    await sink.complete();
    await services.db.execute(sql`
      update report_tasks set status = 'completed', object_key = ${key}, row_count = ${count}, completed_at = now()
      where id = ${task.id} and status = 'processing'`);
    return { rows: count, bytes: sink.written, peakBufferedBytes: sink.peakBuffered };
  } catch (err) {
    await upload.abort().catch(() => undefined);
    throw err;
  }
}

async function writeCsv(services: ServiceContext, scope: ReportScope, sink: PartSink): Promise<number> {
  const encoder = new TextEncoder();
  sink.write(encoder.encode("\uFEFF" + csvLine(CSV_HEADER))); // the BOM makes Excel read UTF-8 (Bengali)
  let count = 0;
  for await (const page of complaintPages(services, scope)) {
    for (const r of page) {
      sink.write(encoder.encode(csvLine([r.tracking_number, dhakaIso(r.created_at), r.category, r.priority, r.status, r.ward_number, r.title, dhakaIso(r.resolved_at), r.rating])));
    }
    count += page.length;
    await sink.drain();
  }
  return count;
}

/** A ward number as a number when it is one (they are digits by validation), else as text. */
const wardCell = (ward: string | null): Cell => (ward === null ? null : /^\d{1,9}$/.test(ward) ? Number(ward) : ward);
const date = (value: string | Date | null) => (value === null ? null : new Date(value));

export const XLSX_SHEETS = ["Summary", "Complaints", "By ward", "By category"] as const;

/**
 * XLSX: the summary sheets come from one aggregate statement; the Complaints sheet is streamed page
 * by page into the zip, which goes out to R2 a part at a time.
 */
async function writeXlsx(services: ServiceContext, scope: ReportScope, task: ReportTask, sink: PartSink): Promise<number> {
  const summary = await reportSummary(services, scope);
  const book = new XlsxWriter([...XLSX_SHEETS], (chunk) => sink.write(chunk));
  const header = (cells: string[]): Cell[] => cells.map((value) => ({ value, style: "header" }));
  const pct = (value: number | null): Cell => ({ value, style: "percent" });
  const figures = (g: GroupFigures): Cell[] => [g.total, g.resolved, g.open, g.cancelled, pct(g.resolution_rate), g.average_rating, g.median_resolution_hours];
  const figureHeader = ["Total", "Resolved", "Open", "Cancelled", "Resolution rate", "Average rating", "Median resolution (hours)"];

  const first = book.sheet("Summary", [34, 18]);
  first.rows([
    header(["Clean Care Bangladesh — complaints report", ""]),
    ["Period", `${task.period_start} – ${task.period_end}`],
    ["Ward", task.ward_number ?? "All wards in scope"],
    ["Generated", { value: new Date(), style: "date" }],
    [],
    header(["Figure", "Value"]),
    ["Complaints", summary.total],
    ["Resolved", summary.resolved],
    ["Open", summary.open],
    ["Cancelled", summary.cancelled],
    ["Resolution rate", pct(summary.resolution_rate)],
    ["Rated", summary.rated],
    ["Average rating", summary.average_rating],
    ["Median resolution (hours)", summary.median_resolution_hours],
    [],
    header(["Status", "Complaints"]),
    ...summary.by_status.map((s): Cell[] => [s.status, s.total]),
    [],
    header(["Priority", "Complaints"]),
    ...summary.by_priority.map((p): Cell[] => [p.priority, p.total]),
    [],
    header(["Day", "Complaints", "Resolved"]),
    ...summary.by_day.map((d): Cell[] => [d.day, d.total, d.resolved]),
  ]);
  first.end();

  const wards = book.sheet("By ward", [10, 10, 10, 10, 10, 16, 15, 24]);
  wards.rows([header(["Ward", ...figureHeader]), ...summary.by_ward.map((w) => [wardCell(w.ward_number), ...figures(w)])]);
  wards.end();
  const categories = book.sheet("By category", [28, 10, 10, 10, 10, 16, 15, 24]);
  categories.rows([header(["Category", ...figureHeader]), ...summary.by_category.map((c) => [c.category, ...figures(c)])]);
  categories.end();
  await sink.drain();

  const list = book.sheet("Complaints", [22, 18, 24, 10, 18, 8, 48, 18, 8]);
  list.rows([header(CSV_HEADER)]);
  let count = 0;
  for await (const page of complaintPages(services, scope)) {
    list.rows(page.map((r) => [r.tracking_number, date(r.created_at), r.category, r.priority, r.status, wardCell(r.ward_number), r.title, date(r.resolved_at), r.rating]));
    count += page.length;
    await sink.drain();
  }
  list.end();
  book.end();
  return count;
}

/** PDF: a summary (tables, a chart, the newest complaints) — never a listing of every row (see README). */
async function writePdf(services: ServiceContext, scope: ReportScope, task: ReportTask, sink: PartSink): Promise<number> {
  const summary = await reportSummary(services, scope, PDF_LATEST_ROWS);
  sink.write(renderReportPdf(summary, { periodStart: task.period_start, periodEnd: task.period_end, ward: task.ward_number, generatedAt: new Date() }, workerAssets));
  return summary.total;
}

/** After the last attempt: the task says it failed, and why (in words a user can act on). */
export async function markReportFailed(services: ServiceContext, taskId: string, reason: string): Promise<void> {
  await services.db.execute(sql`update report_tasks set status = 'failed', failure_reason = ${reason.slice(0, 300)} where id = ${taskId} and status = 'processing'`);
}
