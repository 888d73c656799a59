import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { ApiError } from "../../lib/errors";
import { publicOrigin } from "../../lib/request";
import { streamObject } from "../../providers/storage";
import type * as routes from "./reports.routes";
import * as reports from "./reports.service";

type Handler<R extends "generateReport" | "getReport" | "downloadReport"> = RouteHandler<(typeof routes)[R], AppEnv>;

async function toDto(c: Context<AppEnv>, task: reports.ReportTask) {
  return {
    task_id: task.id,
    status: task.status,
    report_type: task.report_type,
    format: task.format,
    period_start: task.period_start,
    period_end: task.period_end,
    ward_number: task.ward_number,
    row_count: task.row_count,
    failure_reason: task.failure_reason,
    download_url: task.status === "completed" ? publicOrigin(c) + (await reports.signedDownloadPath(c.get("services"), task.id)) : null,
    created_at: new Date(task.created_at).toISOString(),
    completed_at: task.completed_at ? new Date(task.completed_at).toISOString() : null,
  };
}

export const generateReport: Handler<"generateReport"> = async (c) =>
  c.json(await toDto(c, await reports.requestReport(c.get("services"), c.get("user"), c.req.valid("json"))), 202);

export const getReport: Handler<"getReport"> = async (c) => c.json(await toDto(c, await reports.findReport(c.get("services"), c.get("user"), c.req.valid("param").task_id)), 200);

export const downloadReport: Handler<"downloadReport"> = async (c) => {
  const { task_id } = c.req.valid("param");
  const { expires, signature } = c.req.valid("query");
  const services = c.get("services");
  await reports.checkDownloadSignature(services, task_id, expires, signature);
  const task = await reports.findReport(services, c.get("user"), task_id);
  if (task.status !== "completed" || !task.object_key) throw new ApiError("not_found");
  return streamObject(services.env.MEDIA, task.object_key, "private, no-store", "attachment") as never;
};
