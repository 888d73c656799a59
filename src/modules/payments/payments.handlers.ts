import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../app-env";
import { ApiError } from "../../lib/errors";
import { t } from "../../lib/i18n";
import { pageEnvelope } from "../../lib/pagination";
import { publicOrigin } from "../../lib/request";
import { zodDetails } from "../../middleware/errors";
import { callbackParamsSchema, receiveCallback } from "./callbacks.service";
import type * as routes from "./payments.routes";
import { startedPaymentBody, toPaymentDto, toRefundDto } from "./payments.schemas";
import * as paymentsService from "./payments.service";
import { refundPayment as refund } from "./refunds.service";

type RouteDefs = Omit<typeof routes, "serviceTypeSchema">;
type Handler<R extends keyof RouteDefs> = RouteHandler<RouteDefs[R], AppEnv>;

export const processPayment: Handler<"processPayment"> = async (c) => {
  const body = c.req.valid("json");
  const user = c.get("user");
  const { payment, paymentUrl } = await paymentsService.startServicePayment(
    c.get("services"),
    user,
    { serviceType: body.service_type, amount: body.amount, method: body.payment_method, phone: body.phone_number ?? user.phone },
    paymentsService.callbackUrl(publicOrigin(c), body.payment_method),
  );
  return c.json(startedPaymentBody(payment, paymentUrl), 201);
};

export const listPayments: Handler<"listPayments"> = async (c) => {
  const { page, page_size, ...filters } = c.req.valid("query");
  const { rows, count } = await paymentsService.listPayments(c.get("services"), c.get("user"), filters, { page, page_size }, false);
  return c.json(pageEnvelope(c.req.url, { page, page_size }, count, rows.map(toPaymentDto)), 200);
};

export const paymentHistory: Handler<"paymentHistory"> = async (c) => {
  const { page, page_size, ...filters } = c.req.valid("query");
  const { rows, count } = await paymentsService.listPayments(c.get("services"), c.get("user"), filters, { page, page_size }, true);
  return c.json(pageEnvelope(c.req.url, { page, page_size }, count, rows.map(toPaymentDto)), 200);
};

export const getPayment: Handler<"getPayment"> = async (c) => {
  const payment = await paymentsService.getVisiblePayment(c.get("services"), c.get("user"), (c.req.valid("param") as { id: string }).id);
  return c.json(toPaymentDto(payment), 200);
};

export const verifyPayment: Handler<"verifyPayment"> = async (c) => {
  const payment = await paymentsService.verifyPayment(c.get("services"), c.get("user"), c.req.valid("json").payment_id);
  return c.json(toPaymentDto(payment), 200);
};

export const refundPayment: Handler<"refundPayment"> = async (c) => {
  const body = c.req.valid("json");
  const result = await refund(c.get("services"), c.get("user"), {
    paymentId: body.payment_id,
    amount: body.amount,
    reason: body.reason,
    idempotencyKey: c.req.valid("header")["idempotency-key"],
  });
  return c.json({ payment: toPaymentDto(result.payment), refund: result.refund ? toRefundDto(result.refund) : null }, 200);
};

/** The app's return URL with our payment id, or the error when the gateway's id is not ours. */
function returnUrl(base: string, params: Record<string, string>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

export const callbackGet: Handler<"callbackGet"> = async (c) => {
  const { gateway } = c.req.valid("param");
  const params = c.req.valid("query");
  const services = c.get("services");
  const { paymentId } = await receiveCallback(services, gateway, params);
  const target = paymentId
    ? returnUrl(services.config.PAYMENT_RETURN_URL, { payment_id: paymentId, status: params.status })
    : returnUrl(services.config.PAYMENT_RETURN_URL, { error: "unknown_payment" });
  return c.redirect(target, 302);
};

/** Parameters from the query string, or a JSON or form body (gateways differ). */
async function callbackInput(c: Context<AppEnv>): Promise<Record<string, unknown>> {
  const fromQuery = c.req.query();
  const type = c.req.header("content-type") ?? "";
  if (type.includes("application/json")) {
    const body: unknown = await c.req.json().catch(() => {
      throw new ApiError("invalid_json");
    });
    return { ...fromQuery, ...(body && typeof body === "object" ? body : {}) };
  }
  if (type.includes("application/x-www-form-urlencoded") || type.includes("multipart/form-data")) {
    return { ...fromQuery, ...(await c.req.parseBody()) };
  }
  return fromQuery;
}

export const callbackPost: Handler<"callbackPost"> = async (c) => {
  const { gateway } = c.req.valid("param");
  const parsed = callbackParamsSchema.safeParse(await callbackInput(c));
  if (!parsed.success) throw new ApiError("validation_error", "validation_error", zodDetails(parsed.error));
  const { paymentId } = await receiveCallback(c.get("services"), gateway, parsed.data);
  if (!paymentId) throw new ApiError("not_found");
  return c.json({ message: t("payment_callback_received", c.get("lang")), payment_id: paymentId }, 200);
};
