/**
 * bKash Tokenized Checkout, API v1.2.0-beta (checkout URL, no agreement: mode "0011").
 *
 *   POST {base}/tokenized/checkout/token/grant     headers username, password; {app_key, app_secret}
 *   POST {base}/tokenized/checkout/token/refresh   same headers; {app_key, app_secret, refresh_token}
 *   POST {base}/tokenized/checkout/create          {mode, payerReference, callbackURL, amount, currency, intent, merchantInvoiceNumber}
 *   POST {base}/tokenized/checkout/execute         {paymentID}
 *   POST {base}/tokenized/checkout/payment/status  {paymentID}
 *   POST {base}/tokenized/checkout/payment/refund  {paymentID, trxID, amount, sku, reason}; without amount: refund status
 *
 * Every call but the token ones carries `Authorization: <id_token>` (no "Bearer") and `X-APP-Key`.
 * Answers are HTTP 200 with `statusCode` "0000" for success or an error code (older deployments
 * say `errorCode`/`errorMessage`); "503" means maintenance. An expired or unknown id_token is an
 * HTTP 401 from bKash's API gateway: we forget the token, grant a new one and repeat the call once.
 */
import { normalizeAmount } from "../../lib/money";
import {
  GatewayUnavailableError,
  withoutSecrets,
  type CallContext,
  type CreatePaymentRequest,
  type GatewayAnswer,
  type GatewayCallLogger,
  type GatewayPaymentState,
  type GatewayRejection,
  type GatewayStatus,
  type PaymentGateway,
  type RefundAnswer,
  type RefundRequest,
} from "./gateway";

export interface BkashConfig {
  baseUrl: string;
  appKey: string;
  appSecret: string;
  username: string;
  password: string;
  timeoutMs: number;
}

export const BKASH_SUCCESS = "0000";
/**
 * "503" is maintenance: an outage (GatewayUnavailableError, retried), not an answer. Every other
 * code is a rejection the engine receives as a value; for execute — 2056 invalid payment state,
 * 2062 already completed, 2068/2069 transaction already completed/cancelled — it then queries the
 * payment's status and decides from that, so no code needs a special case of its own.
 */
const MAINTENANCE = "503";

/**
 * id_tokens are cached per isolate as plain values (never an I/O object: Workers forbid sharing
 * those between requests). bKash tokens live an hour; we refresh five minutes before that.
 */
interface CachedToken {
  idToken: string;
  refreshToken: string;
  expiresAt: number;
}
const tokens = new Map<string, CachedToken>();
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60_000;

const STATUS: Record<string, GatewayStatus> = {
  Initiated: "initiated",
  Completed: "completed",
  Failed: "failed",
  Cancelled: "cancelled",
  Expired: "expired",
};

type Json = Record<string, unknown>;

interface HttpAnswer {
  httpStatus: number;
  body: Json;
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : typeof v === "number" ? String(v) : undefined);

export class BkashGateway implements PaymentGateway {
  readonly name = "bkash" as const;
  private readonly cacheKey: string;
  /** One grant/refresh at a time within this instance (one request or queue batch). */
  private pendingToken: Promise<string> | undefined;

  constructor(
    private readonly config: BkashConfig,
    private readonly log: GatewayCallLogger,
  ) {
    this.cacheKey = `${config.baseUrl}|${config.appKey}|${config.username}`;
  }

  async create(request: CreatePaymentRequest, context: CallContext) {
    const body = {
      mode: "0011",
      payerReference: request.payerPhone.replace(/^\+88/, ""),
      callbackURL: request.callbackUrl,
      amount: request.amount,
      currency: "BDT",
      intent: "sale",
      merchantInvoiceNumber: request.invoiceNumber,
    };
    const answer = await this.authorizedCall("create", "/create", body, context);
    const rejection = this.rejectionOf(answer);
    if (rejection) return { ok: false as const, rejection };
    const gatewayPaymentId = str(answer.body.paymentID);
    const redirectUrl = str(answer.body.bkashURL);
    if (!gatewayPaymentId || !redirectUrl) throw new GatewayUnavailableError("bkash", "create", "answer without paymentID/bkashURL");
    return { ok: true as const, payment: { gatewayPaymentId, redirectUrl, raw: withoutSecrets(answer.body) } };
  }

  async execute(gatewayPaymentId: string, context: CallContext): Promise<GatewayAnswer> {
    return this.stateAnswer(await this.authorizedCall("execute", "/execute", { paymentID: gatewayPaymentId }, context));
  }

  async query(gatewayPaymentId: string, context: CallContext): Promise<GatewayAnswer> {
    return this.stateAnswer(await this.authorizedCall("query", "/payment/status", { paymentID: gatewayPaymentId }, context));
  }

  async refund(request: RefundRequest, context: CallContext): Promise<RefundAnswer> {
    const body = {
      paymentID: request.gatewayPaymentId,
      trxID: request.transactionId,
      amount: request.amount,
      sku: request.reference,
      reason: request.reason.slice(0, 255),
    };
    return this.refundAnswer(await this.authorizedCall("refund", "/payment/refund", body, context));
  }

  async refundStatus(gatewayPaymentId: string, transactionId: string, context: CallContext): Promise<RefundAnswer> {
    return this.refundAnswer(await this.authorizedCall("refund_status", "/payment/refund", { paymentID: gatewayPaymentId, trxID: transactionId }, context));
  }

  // ---------------------------------------------------------------------------------------------

  private stateAnswer(answer: HttpAnswer): GatewayAnswer {
    const rejection = this.rejectionOf(answer);
    if (rejection) return { ok: false, rejection };
    const b = answer.body;
    const state: GatewayPaymentState = {
      status: STATUS[String(b.transactionStatus)] ?? "unknown",
      amount: str(b.amount),
      currency: str(b.currency),
      invoiceNumber: str(b.merchantInvoiceNumber) ?? str(b.merchantInvoice),
      transactionId: str(b.trxID),
      raw: withoutSecrets(b),
    };
    return { ok: true, state };
  }

  private refundAnswer(answer: HttpAnswer): RefundAnswer {
    const rejection = this.rejectionOf(answer);
    if (rejection) return { ok: false, rejection };
    const b = answer.body;
    const refundId = str(b.refundTrxID);
    const amount = normalizeAmount(str(b.amount) ?? "");
    if (!refundId || !amount || b.transactionStatus !== "Completed") {
      return { ok: false, rejection: { code: "unexpected", message: `refund answer without a completed refund`, raw: withoutSecrets(b) } };
    }
    return { ok: true, refund: { refundId, amount, transactionId: str(b.originalTrxID), raw: withoutSecrets(b) } };
  }

  /** A non-"0000" answer as a rejection; maintenance ("503") is not a rejection but an outage. */
  private rejectionOf(answer: HttpAnswer): GatewayRejection | undefined {
    const code = str(answer.body.statusCode) ?? str(answer.body.errorCode);
    if (code === BKASH_SUCCESS) return undefined;
    const message = str(answer.body.statusMessage) ?? str(answer.body.errorMessage) ?? str(answer.body.message) ?? "no message";
    return { code: code ?? `http_${answer.httpStatus}`, message, raw: withoutSecrets(answer.body) };
  }

  private async authorizedCall(operation: string, path: string, body: Json, context: CallContext): Promise<HttpAnswer> {
    const headers = (token: string) => ({ Authorization: token, "X-APP-Key": this.config.appKey });
    const token = await this.idToken();
    const answer = await this.post(operation, path, body, headers(token), context);
    if (answer.httpStatus !== 401) return answer;
    // The token expired early or was revoked: grant a new one and try once more.
    if (tokens.get(this.cacheKey)?.idToken === token) tokens.delete(this.cacheKey);
    const again = await this.post(operation, path, body, headers(await this.idToken()), context);
    if (again.httpStatus === 401) throw new GatewayUnavailableError("bkash", operation, "HTTP 401 even with a fresh token");
    return again;
  }

  private async idToken(): Promise<string> {
    const cached = tokens.get(this.cacheKey);
    if (cached && cached.expiresAt - Date.now() > TOKEN_REFRESH_MARGIN_MS) return cached.idToken;
    this.pendingToken ??= this.renewToken(cached).finally(() => {
      this.pendingToken = undefined;
    });
    return this.pendingToken;
  }

  /** Refresh while we hold a refresh token; grant when there is none or the refresh is refused. */
  private async renewToken(cached: CachedToken | undefined): Promise<string> {
    const credentials = { app_key: this.config.appKey, app_secret: this.config.appSecret };
    const headers = { username: this.config.username, password: this.config.password };
    if (cached) {
      try {
        const refreshed = await this.post("refresh_token", "/token/refresh", { ...credentials, refresh_token: cached.refreshToken }, headers, {});
        const token = this.storeToken(refreshed, cached.refreshToken);
        if (token) return token;
      } catch (err) {
        // Gateway unreachable: a token that has not expired yet is still good for this call.
        if (cached.expiresAt > Date.now()) return cached.idToken;
        throw err;
      }
    }
    const granted = await this.post("grant_token", "/token/grant", credentials, headers, {});
    const token = this.storeToken(granted);
    if (!token) {
      const rejection = this.rejectionOf(granted);
      throw new GatewayUnavailableError("bkash", "grant_token", `token refused: ${rejection?.code ?? granted.httpStatus} ${rejection?.message ?? ""}`.trim());
    }
    return token;
  }

  private storeToken(answer: HttpAnswer, previousRefreshToken?: string): string | undefined {
    const b = answer.body;
    const idToken = str(b.id_token);
    if (answer.httpStatus !== 200 || this.rejectionOf(answer) || !idToken) return undefined;
    const expiresIn = Number(b.expires_in) > 0 ? Number(b.expires_in) : 3600;
    tokens.set(this.cacheKey, {
      idToken,
      refreshToken: str(b.refresh_token) ?? previousRefreshToken ?? "",
      expiresAt: Date.now() + expiresIn * 1000,
    });
    return idToken;
  }

  /** One HTTP exchange, logged whatever happens. Throws GatewayUnavailableError when there is no usable answer. */
  private async post(operation: string, path: string, body: Json, headers: Record<string, string>, context: CallContext): Promise<HttpAnswer> {
    const started = Date.now();
    const record = { gateway: "bkash" as const, operation, paymentId: context.paymentId, request: withoutSecrets(body) };
    let httpStatus: number | undefined;
    let text = "";
    try {
      const response = await fetch(`${this.config.baseUrl.replace(/\/+$/, "")}/tokenized/checkout${path}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", ...headers },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      httpStatus = response.status;
      text = await response.text();
    } catch (err) {
      const reason = err instanceof Error && (err.name === "TimeoutError" || err.name === "AbortError") ? `no answer within ${this.config.timeoutMs} ms` : `unreachable: ${String(err)}`;
      await this.log({ ...record, httpStatus, success: false, latencyMs: Date.now() - started, error: reason });
      throw new GatewayUnavailableError("bkash", operation, reason);
    }
    const latencyMs = Date.now() - started;
    let parsed: Json | undefined;
    try {
      const value: unknown = JSON.parse(text);
      if (value && typeof value === "object" && !Array.isArray(value)) parsed = value as Json;
    } catch {
      // not JSON: handled below
    }
    const statusCode = parsed ? (str(parsed.statusCode) ?? str(parsed.errorCode)) : undefined;
    const unavailable =
      httpStatus >= 500 ? `HTTP ${httpStatus}` : !parsed ? `HTTP ${httpStatus} with a non-JSON answer` : statusCode === MAINTENANCE ? "maintenance (503)" : undefined;
    await this.log({
      ...record,
      httpStatus,
      statusCode,
      success: !unavailable && httpStatus === 200 && statusCode === BKASH_SUCCESS,
      latencyMs,
      response: parsed ? withoutSecrets(parsed) : text.slice(0, 500),
      error: unavailable,
    });
    if (unavailable) throw new GatewayUnavailableError("bkash", operation, unavailable);
    return { httpStatus, body: parsed! };
  }
}
