/**
 * Which gateway serves a payment method. bKash has an adapter and is available when its five
 * settings are present; every other method (Nagad, Rocket, Upay, card, bank) answers
 * `payment_method_unavailable` (422) until an adapter and its configuration exist.
 */
import type { ServiceContext } from "../../context";
import { paymentLogs } from "../../db/schema";
import { ApiError } from "../../lib/errors";
import { BkashGateway } from "./bkash-gateway";
import type { GatewayCallLogger, GatewayCallRecord, GatewayName, PaymentGateway } from "./gateway";

/** One adapter per service context, so concurrent work in one request or batch shares a token grant. */
const perContext = new WeakMap<ServiceContext, Map<GatewayName, PaymentGateway>>();

/**
 * Writes every gateway call to payment_logs — after the answer, as one INSERT for all the calls the
 * request or batch made (`afterResponse`), so logging never adds a round trip to a payment's
 * critical path, and a log row can refer to a payment stored after the call it records. A failed
 * log write is reported, never fatal to the payment.
 */
export function paymentLogWriter(services: ServiceContext): GatewayCallLogger {
  const pending: GatewayCallRecord[] = [];
  const flush = async () => {
    const records = pending.splice(0);
    if (records.length === 0) return;
    try {
      await services.db.insert(paymentLogs).values(
        records.map((record) => ({
          paymentId: record.paymentId,
          gateway: record.gateway,
          operation: record.operation,
          httpStatus: record.httpStatus,
          statusCode: record.statusCode,
          success: record.success,
          latencyMs: record.latencyMs,
          request: record.request,
          response: record.response,
          error: record.error,
        })),
      );
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "payment log write failed", calls: records.length, error: String(err) }));
    }
  };
  return async (record) => {
    if (pending.push(record) === 1) services.afterResponse(flush);
  };
}

function build(services: ServiceContext, method: GatewayName): PaymentGateway | undefined {
  const c = services.config;
  if (method === "bkash" && c.BKASH_BASE_URL) {
    // readConfig guarantees the other four are present when the base URL is.
    return new BkashGateway(
      {
        baseUrl: c.BKASH_BASE_URL,
        appKey: c.BKASH_APP_KEY!,
        appSecret: c.BKASH_APP_SECRET!,
        username: c.BKASH_USERNAME!,
        password: c.BKASH_PASSWORD!,
        timeoutMs: c.PAYMENT_GATEWAY_TIMEOUT_MS,
      },
      paymentLogWriter(services),
    );
  }
  return undefined;
}

export function gatewayFor(services: ServiceContext, method: string): PaymentGateway {
  let gateways = perContext.get(services);
  if (!gateways) perContext.set(services, (gateways = new Map()));
  const name = method as GatewayName;
  let gateway = gateways.get(name);
  if (!gateway) {
    gateway = build(services, name);
    if (!gateway) throw new ApiError("payment_method_unavailable");
    gateways.set(name, gateway);
  }
  return gateway;
}
