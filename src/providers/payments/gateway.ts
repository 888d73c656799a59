/**
 * The seam between the payment engine and a wallet provider (bKash today; Nagad, Rocket, Upay when
 * they get adapters). The engine never trusts a callback: it asks the gateway through `execute` and
 * `query`, whose answers are normalised here into a few states it can reason about.
 *
 * Methods throw only `GatewayUnavailableError` (no answer: network, timeout, HTTP 5xx, maintenance),
 * which the engine retries. A definite "no" from the gateway is a value, not an exception.
 */

export type GatewayName = "bkash" | "nagad" | "rocket" | "upay" | "card" | "bank";

/** What the gateway says about a payment. `unknown` is any status we do not recognise: never final. */
export type GatewayStatus = "initiated" | "completed" | "failed" | "cancelled" | "expired" | "unknown";

export interface GatewayPaymentState {
  status: GatewayStatus;
  /** As the gateway reports them; the engine compares them with ours before completing. */
  amount?: string;
  currency?: string;
  invoiceNumber?: string;
  /** The money transaction id (bKash trxID), present once completed. */
  transactionId?: string;
  /** The gateway's answer without secrets, for the payment row. */
  raw: Record<string, unknown>;
}

/** A definite refusal: the gateway answered, with an error code of its own. */
export interface GatewayRejection {
  code: string;
  message: string;
  raw: Record<string, unknown>;
}

export type GatewayAnswer = { ok: true; state: GatewayPaymentState } | { ok: false; rejection: GatewayRejection };

export interface CreatePaymentRequest {
  /** Two-place decimal string. */
  amount: string;
  /** Our transaction id; the gateway echoes it back as the merchant invoice number. */
  invoiceNumber: string;
  /** The payer's wallet number, +8801XXXXXXXXX. */
  payerPhone: string;
  /** Where the gateway sends the customer's browser when they are done. */
  callbackUrl: string;
}

export interface CreatedPayment {
  gatewayPaymentId: string;
  /** The page the customer pays on. */
  redirectUrl: string;
  raw: Record<string, unknown>;
}

export interface RefundRequest {
  gatewayPaymentId: string;
  transactionId: string;
  amount: string;
  reason: string;
  /** Our refund id, sent as the merchant's reference (bKash `sku`). */
  reference: string;
}

export interface GatewayRefund {
  refundId: string;
  amount: string;
  /** The original transaction id the gateway says the refund belongs to. */
  transactionId?: string;
  raw: Record<string, unknown>;
}

export type RefundAnswer = { ok: true; refund: GatewayRefund } | { ok: false; rejection: GatewayRejection };

/** Correlates the gateway's calls with our payment in the payment log. */
export interface CallContext {
  paymentId?: string;
}

export interface PaymentGateway {
  readonly name: GatewayName;
  create(request: CreatePaymentRequest, context: CallContext): Promise<{ ok: true; payment: CreatedPayment } | { ok: false; rejection: GatewayRejection }>;
  /** Completes a payment the customer authorised. */
  execute(gatewayPaymentId: string, context: CallContext): Promise<GatewayAnswer>;
  /** The gateway's current view of a payment. */
  query(gatewayPaymentId: string, context: CallContext): Promise<GatewayAnswer>;
  refund(request: RefundRequest, context: CallContext): Promise<RefundAnswer>;
  /** The latest refund the gateway holds for a transaction (to settle a refund whose answer was lost). */
  refundStatus(gatewayPaymentId: string, transactionId: string, context: CallContext): Promise<RefundAnswer>;
}

export class GatewayUnavailableError extends Error {
  constructor(
    readonly gateway: GatewayName,
    readonly operation: string,
    reason: string,
  ) {
    super(`${gateway} ${operation}: ${reason}`);
    this.name = "GatewayUnavailableError";
  }
}

/** One gateway call, as written to payment_logs. */
export interface GatewayCallRecord {
  gateway: GatewayName;
  operation: string;
  paymentId?: string;
  httpStatus?: number;
  statusCode?: string;
  success: boolean;
  latencyMs: number;
  request?: Record<string, unknown>;
  response?: unknown;
  error?: string;
}

export type GatewayCallLogger = (record: GatewayCallRecord) => Promise<void>;

const SECRET_KEY = /token|secret|password|authorization|app_key/i;

/** A copy of a request/response body with anything secret replaced, for logs and stored answers. */
export function withoutSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withoutSecrets) as T;
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? "[redacted]" : withoutSecrets(v)]),
    ) as T;
  }
  return value;
}
