/** Thin handlers: validated input → service → contract shape. */
import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { ApiError } from "../../lib/errors";
import { pageEnvelope } from "../../lib/pagination";
import { publicOrigin } from "../../lib/request";
import { cachedJson } from "../notices/notices.cache";
import { callbackUrl } from "../payments/payments.service";
import * as pickups from "./waste-pickups.service";
import { toPickupDto } from "./waste-pickups.queries";
import * as schedules from "./waste-schedules.service";
import * as sts from "./waste-sts.service";
import type * as routes from "./waste.routes";

type Handler<R extends keyof typeof routes> = RouteHandler<(typeof routes)[R], AppEnv>;
const idOf = (c: Context<AppEnv>) => (c.req as unknown as { valid(t: "param"): { id: string } }).valid("param").id;

// ---- Schedules (public reads are the same for everyone: shared caches may keep them) ----------

export const listSchedules: Handler<"listSchedules"> = async (c) => {
  const { page, page_size, ...filters } = c.req.valid("query");
  const { rows, count } = await schedules.listSchedules(c.get("services"), filters, { page, page_size });
  return (await cachedJson(c, pageEnvelope(c.req.url, { page, page_size }, count, rows), true)) as never;
};

export const nextCollections: Handler<"nextCollections"> = async (c) => {
  const { ward_number, waste_type, days } = c.req.valid("query");
  const now = new Date();
  const results = await schedules.nextCollectionsIn(c.get("services"), ward_number, waste_type, days, now);
  // `now` is in the body, so the ETag changes every request; round it to the minute to let 304s happen.
  const minute = new Date(Math.floor(now.getTime() / 60_000) * 60_000).toISOString();
  return (await cachedJson(c, { ward_number, now: minute, results }, true)) as never;
};

export const getSchedule: Handler<"getSchedule"> = async (c) => (await cachedJson(c, await schedules.getSchedule(c.get("services"), idOf(c)), true)) as never;

export const createSchedule: Handler<"createSchedule"> = async (c) => c.json(await schedules.createSchedule(c.get("services"), c.get("user"), c.req.valid("json")), 201);

export const updateSchedule: Handler<"putSchedule"> = async (c) => c.json(await schedules.updateSchedule(c.get("services"), c.get("user"), idOf(c), c.req.valid("json")), 200);

export const deleteSchedule: Handler<"deleteSchedule"> = async (c) => {
  await schedules.deleteSchedule(c.get("services"), c.get("user"), idOf(c));
  return c.body(null, 204);
};

// ---- Pickup requests ----------------------------------------------------------------------------

export const createPickup: Handler<"createPickup"> = async (c) => {
  const contentType = c.req.header("content-type") ?? "";
  const multipart = /^multipart\/form-data/i.test(contentType);
  if (!multipart && !/^application\/json/i.test(contentType)) throw new ApiError("unsupported_media_type");
  const input = multipart ? c.req.valid("form") : c.req.valid("json");
  const files = multipart ? pickups.photosFromForm(input as Record<string, unknown>) : [];
  const row = await pickups.createPickup(c.get("services"), c.get("user"), input, files);
  return c.json(toPickupDto(row, publicOrigin(c)), 201);
};

export const listPickups: Handler<"listPickups"> = async (c) => {
  const { page, page_size, ...filters } = c.req.valid("query");
  const { rows, count } = await pickups.listPickups(c.get("services"), c.get("user"), filters, { page, page_size });
  const origin = publicOrigin(c);
  return c.json(pageEnvelope(c.req.url, { page, page_size }, count, rows.map((r) => toPickupDto(r, origin))), 200);
};

export const getPickup: Handler<"getPickup"> = async (c) => c.json(toPickupDto(await pickups.getPickup(c.get("services"), c.get("user"), idOf(c)), publicOrigin(c)), 200);

export const pickupUpdates: Handler<"pickupUpdates"> = async (c) => c.json(await pickups.listPickupUpdates(c.get("services"), c.get("user"), idOf(c)), 200);

export const changeStatus: Handler<"changeStatus"> = async (c) =>
  c.json(toPickupDto(await pickups.changePickupStatus(c.get("services"), c.get("user"), idOf(c), c.req.valid("json")), publicOrigin(c)), 200);

export const payPickup: Handler<"payPickup"> = async (c) => {
  const body = c.req.valid("json");
  const user = c.get("user");
  const id = idOf(c);
  const { payment, paymentUrl, amount } = await pickups.payPickup(
    c.get("services"),
    user,
    id,
    { method: body.payment_method, phone: body.phone_number ?? user.phone },
    callbackUrl(publicOrigin(c), body.payment_method),
  );
  return c.json(
    {
      pickup_request_id: id,
      payment_id: payment.id,
      transaction_id: payment.transactionId,
      amount,
      status: "processing" as const,
      payment_url: paymentUrl,
      ...(payment.paymentMethod === "bkash" ? { bkash_url: paymentUrl } : {}),
    },
    201,
  );
};

export const getPhoto: Handler<"getPhoto"> = async (c) => {
  const { id, photo_id } = c.req.valid("param");
  return (await pickups.streamPickupPhoto(c.get("services"), c.get("user"), id, photo_id)) as never;
};

// ---- Transfer stations --------------------------------------------------------------------------

export const listSts: Handler<"listSts"> = async (c) => {
  const { page, page_size, ...filters } = c.req.valid("query");
  const { rows, count } = await sts.listSts(c.get("services"), filters, { page, page_size });
  return c.json(pageEnvelope(c.req.url, { page, page_size }, count, rows), 200);
};

export const getSts: Handler<"getSts"> = async (c) => c.json(await sts.getSts(c.get("services"), idOf(c)), 200);

export const createSts: Handler<"createSts"> = async (c) => c.json(await sts.createSts(c.get("services"), c.get("user"), c.req.valid("json")), 201);

export const patchSts: Handler<"patchSts"> = async (c) => c.json(await sts.updateSts(c.get("services"), c.get("user"), idOf(c), c.req.valid("json")), 200);

export const recordReading: Handler<"recordReading"> = async (c) => c.json(await sts.recordReading(c.get("services"), c.get("user"), idOf(c), c.req.valid("json")), 201);

export const listReadings: Handler<"listReadings"> = async (c) => {
  const page = c.req.valid("query");
  const { rows, count } = await sts.listReadings(c.get("services"), c.get("user"), idOf(c), page);
  return c.json(pageEnvelope(c.req.url, page, count, rows), 200);
};
