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
import { ApiError } from "../../lib/errors";
import type { AuthUser } from "../../lib/tokens";
import { inStaffWards } from "../admin/staff-scope";
import { reportPeriod, type ReportType } from "./report-period";

export const DOWNLOAD_TTL_SECONDS = 15 * 60;
const PAGE_ROWS = 2000;
/** R2 multipart parts must be at least 5 MiB, except the last. */
const PART_BYTES = 5 * 1024 * 1024;
export const MAX_BUILD_ATTEMPTS = 3;

export interface ReportTask {
  id: string;
  requested_by: string;
  report_type: ReportType;
  format: "csv";
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
  input: { report_type: ReportType; period?: string; format: "csv"; ward_number?: string },
): Promise<ReportTask> {
  const { start, end } = reportPeriod(input.report_type, input.period);
  const { rows } = await services.db.execute<ReportTask & Record<string, unknown>>(sql`
    insert into report_tasks (requested_by, report_type, format, period_start, period_end, ward_number)
    values (${actor.id}, ${input.report_type}, ${input.format}, ${start}::date, ${end}::date, ${input.ward_number ?? null})
    returning ${TASK_COLUMNS}`);
  const task = rows[0]!;
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

/** Builds one task's file. Returns false if there was nothing to build (already settled). */
export async function buildReport(services: ServiceContext, taskId: string): Promise<boolean> {
  const { rows } = await services.db.execute<ReportTask & { user_type: string } & Record<string, unknown>>(sql`
    update report_tasks t set attempts = attempts + 1
    from users u where t.id = ${taskId} and t.status = 'processing' and u.id = t.requested_by
    returning t.id, t.requested_by, t.period_start::text, t.period_end::text, t.ward_number, u.user_type`);
  const task = rows[0];
  if (!task) return false;
  const viewer = { id: task.requested_by, userType: task.user_type } as AuthUser;
  const from = dhakaDayStart(task.period_start);
  const to = new Date(dhakaDayStart(task.period_end).getTime() + 86_400_000);
  const key = `reports/${task.id}.csv`;

  const upload = await services.env.MEDIA.createMultipartUpload(key, {
    httpMetadata: { contentType: "text/csv; charset=utf-8" },
    customMetadata: { name: `clean-care-${task.period_start}-${task.period_end}.csv` },
  });
  const parts: R2UploadedPart[] = [];
  const encoder = new TextEncoder();
  let pending: Uint8Array[] = [encoder.encode("\uFEFF" + csvLine(CSV_HEADER))]; // the BOM makes Excel read UTF-8 (Bengali)
  let pendingBytes = pending[0]!.length;
  const flush = async () => {
    const body = new Uint8Array(pendingBytes);
    let at = 0;
    for (const chunk of pending) body.set(chunk, (at += chunk.length) - chunk.length);
    parts.push(await upload.uploadPart(parts.length + 1, body));
    pending = [];
    pendingBytes = 0;
  };
  try {
    let after: { at: string; id: string } | null = null;
    let count = 0;
    for (;;) {
      const page: { rows: Record<string, any>[] } = await services.db.execute<Record<string, any>>(sql`
        select c.id, c.tracking_number, c.created_at, to_char(c.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at,
               c.category, c.priority, c.status, c.ward_number, c.title, c.resolved_at, c.rating
        from complaints c
        where c.created_at >= ${from.toISOString()}::timestamptz and c.created_at < ${to.toISOString()}::timestamptz
          and ${inStaffWards(viewer, "complaints", "read", sql`c.ward_number`)}
          ${task.ward_number ? sql`and c.ward_number = ${task.ward_number}` : sql``}
          ${after ? sql`and (c.created_at, c.id) > (${after.at}::timestamptz, ${after.id}::uuid)` : sql``}
        order by c.created_at, c.id
        limit ${PAGE_ROWS}`);
      for (const r of page.rows) {
        const line = encoder.encode(
          csvLine([r.tracking_number, dhakaIso(r.created_at), r.category, r.priority, r.status, r.ward_number, r.title, dhakaIso(r.resolved_at), r.rating]),
        );
        pending.push(line);
        pendingBytes += line.length;
        if (pendingBytes >= PART_BYTES) await flush();
      }
      count += page.rows.length;
      if (page.rows.length < PAGE_ROWS) break;
      const last: Record<string, any> = page.rows[page.rows.length - 1]!;
      after = { at: last.cursor_at, id: last.id };
    }
    if (pendingBytes > 0 || parts.length === 0) await flush();
    await upload.complete(parts);
    await services.db.execute(sql`
      update report_tasks set status = 'completed', object_key = ${key}, row_count = ${count}, completed_at = now()
      where id = ${task.id} and status = 'processing'`);
    return true;
  } catch (err) {
    await upload.abort().catch(() => undefined);
    throw err;
  }
}

/** After the last attempt: the task says it failed, and why (in words a user can act on). */
export async function markReportFailed(services: ServiceContext, taskId: string, reason: string): Promise<void> {
  await services.db.execute(sql`update report_tasks set status = 'failed', failure_reason = ${reason.slice(0, 300)} where id = ${taskId} and status = 'processing'`);
}
