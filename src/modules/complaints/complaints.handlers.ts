/** Thin handlers: validated input → service → contract shape. */
import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { ApiError } from "../../lib/errors";
import { pageEnvelope } from "../../lib/pagination";
import { publicOrigin } from "../../lib/request";
import { addComplaintImages, deleteComplaintImage, filesFromForm, streamComplaintImage } from "./complaint-images.service";
import * as workflow from "./complaint-workflow.service";
import { toComplaintDto, toNearbyDto } from "./complaints.mapper";
import type * as routes from "./complaints.routes";
import * as complaints from "./complaints.service";

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>;
type Ids = { id: string; image_id: string };
const ids = (c: Context<AppEnv>) => (c.req as unknown as { valid(t: "param"): Ids }).valid("param");

export const list: Handler<"list"> = async (c) => {
  const { page, page_size, ...filters } = c.req.valid("query");
  const { rows, count } = await complaints.listComplaints(c.get("services"), c.get("user"), filters, { page, page_size });
  const origin = publicOrigin(c);
  return c.json(pageEnvelope(c.req.url, { page, page_size }, count, rows.map((r) => toComplaintDto(r, origin))), 200);
};

export const create: Handler<"create"> = async (c) => {
  const contentType = c.req.header("content-type") ?? "";
  const multipart = /^multipart\/form-data/i.test(contentType);
  if (!multipart && !/^application\/json/i.test(contentType)) throw new ApiError("unsupported_media_type");
  const input = multipart ? c.req.valid("form") : c.req.valid("json");
  const files = multipart ? filesFromForm(input as Record<string, unknown>) : [];
  const { complaint, duplicates } = await complaints.createComplaint(c.get("services"), c.get("user"), input, files);
  return c.json({ ...toComplaintDto(complaint, publicOrigin(c)), possible_duplicates: duplicates.map(toNearbyDto) }, 201);
};

export const nearby: Handler<"nearby"> = async (c) => {
  const { latitude, longitude, category, radius_m } = c.req.valid("query");
  const rows = await complaints.findNearby(c.get("services"), { latitude, longitude }, category, radius_m);
  return c.json({ results: rows.map(toNearbyDto) }, 200);
};

export const statistics: Handler<"statistics"> = async (c) => c.json(await complaints.complaintStatistics(c.get("services"), c.get("user")), 200);

export const track: Handler<"track"> = async (c) => {
  const { tracking_number } = c.req.valid("param");
  const row = await complaints.findVisibleComplaint(c.get("services"), c.get("user"), complaints.byTrackingNumber(tracking_number));
  return c.json(toComplaintDto(row, publicOrigin(c)), 200);
};

export const get: Handler<"get"> = async (c) => {
  const row = await complaints.findVisibleComplaint(c.get("services"), c.get("user"), complaints.byId(ids(c).id));
  return c.json(toComplaintDto(row, publicOrigin(c)), 200);
};

export const update: Handler<"put"> = async (c) => {
  const row = await complaints.updateComplaint(c.get("services"), c.get("user"), ids(c).id, c.req.valid("json"));
  return c.json(toComplaintDto(row, publicOrigin(c)), 200);
};

export const remove: Handler<"remove"> = async (c) => {
  await complaints.deleteComplaint(c.get("services"), c.get("user"), ids(c).id);
  return c.body(null, 204);
};

export const addImages: Handler<"addImages"> = async (c) => {
  const { id } = ids(c);
  await addComplaintImages(c.get("services"), c.get("user"), id, filesFromForm(c.req.valid("form") as Record<string, unknown>));
  const row = await complaints.findVisibleComplaint(c.get("services"), c.get("user"), complaints.byId(id));
  return c.json(toComplaintDto(row, publicOrigin(c)), 201);
};

export const getImage: Handler<"getImage"> = async (c) => {
  const { id, image_id } = ids(c);
  return (await streamComplaintImage(c.get("services"), c.get("user"), id, image_id)) as never;
};

export const deleteImage: Handler<"deleteImage"> = async (c) => {
  const { id, image_id } = ids(c);
  await deleteComplaintImage(c.get("services"), c.get("user"), id, image_id);
  return c.body(null, 204);
};

export const updateStatus: Handler<"updateStatus"> = async (c) => {
  const body = c.req.valid("json");
  const row = await workflow.changeStatus(c.get("services"), c.get("user"), ids(c).id, (body.new_status ?? body.status)!, body.comment);
  return c.json(toComplaintDto(row, publicOrigin(c)), 200);
};

export const updates: Handler<"updates"> = async (c) => c.json(await workflow.listStatusHistory(c.get("services"), c.get("user"), ids(c).id), 200);

export const assign: Handler<"assign"> = async (c) => {
  const row = await workflow.assignComplaint(c.get("services"), c.get("user"), ids(c).id, c.req.valid("json").assigned_to);
  return c.json(toComplaintDto(row, publicOrigin(c)), 200);
};

export const rate: Handler<"rate"> = async (c) => {
  const { rating, feedback } = c.req.valid("json");
  const row = await workflow.rateComplaint(c.get("services"), c.get("user"), ids(c).id, rating, feedback);
  return c.json(toComplaintDto(row, publicOrigin(c)), 200);
};
