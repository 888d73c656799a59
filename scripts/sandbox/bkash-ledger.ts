/**
 * The sandbox's bookkeeping: merchants, tokens and payments, and what each bKash Tokenized Checkout
 * operation does to them. Pure state and rules; HTTP, faults and recording live in bkash-sandbox.ts.
 *
 * A payment is Initiated on create; the customer's choice on the checkout page makes it Authorized
 * (success: still reported as "Initiated" until the merchant executes, as bKash does), Failed or
 * Cancelled; execute turns Authorized into Completed with a trxID. An Initiated payment nobody paid
 * becomes Expired after the checkout lifetime.
 */
import { randomBytes } from "node:crypto";

export interface Merchant {
  appKey: string;
  appSecret: string;
  username: string;
  password: string;
}

export type PaymentState = "Initiated" | "Authorized" | "Completed" | "Failed" | "Cancelled" | "Expired";

export interface SandboxRefund {
  refundTrxID: string;
  amountPaisa: number;
  sku?: string;
  reason?: string;
  completedTime: Date;
}

export interface SandboxPayment {
  paymentID: string;
  appKey: string;
  payerReference: string;
  callbackURL: string;
  amount: string;
  currency: string;
  intent: string;
  merchantInvoiceNumber: string;
  createTime: Date;
  executeTime?: Date;
  state: PaymentState;
  trxID?: string;
  customerMsisdn?: string;
  refunds: SandboxRefund[];
  /** Tampering for tests: what execute/query report instead of the truth. */
  report: { amount?: string; merchantInvoiceNumber?: string };
}

export type Json = Record<string, unknown>;

/** bKash answers: HTTP 200 with statusCode "0000" or an error code. */
export const ok = (body: Json): Json => ({ ...body, statusCode: "0000", statusMessage: "Successful" });
export const error = (statusCode: string, statusMessage: string): Json => ({ statusCode, statusMessage });

export const ERRORS = {
  invalidAppKey: () => error("2001", "Invalid App Key"),
  invalidPaymentId: () => error("2002", "Invalid Payment ID"),
  invalidAmount: () => error("2006", "Invalid amount"),
  invalidCurrency: () => error("2007", "Invalid currency"),
  invalidIntent: () => error("2008", "Invalid intent"),
  insufficientBalance: () => error("2023", "Insufficient Balance"),
  refundTooLarge: () => error("2026", "The reversal amount cannot be greater than the original transaction amount"),
  unknownTrx: () => error("2028", "Reverse failed because the transaction serial number does not exist"),
  invalidInvoice: () => error("2031", "Invalid merchant invoice number"),
  transactionNotFound: () => error("2033", "Transaction not found"),
  invalidPayerReference: () => error("2048", "Invalid Payer Reference"),
  invalidCallbackUrl: () => error("2049", "Invalid Merchant Callback URL"),
  invalidPaymentState: () => error("2056", "Invalid Payment State"),
  alreadyCompleted: () => error("2062", "The payment has already been completed"),
  invalidMode: () => error("2063", "Mode is not valid as per request data"),
  missingField: () => error("2065", "Mendatory field missing"),
  maintenance: () => error("503", "System is undergoing maintenance. Please try again later"),
};

const AMOUNT = /^\d{1,10}(\.\d{1,2})?$/;
const toPaisa = (amount: string) => Math.round(Number(amount.split(".")[0]) * 100 + Number((amount.split(".")[1] ?? "").padEnd(2, "0")));
const fromPaisa = (p: number) => `${Math.floor(p / 100)}.${String(p % 100).padStart(2, "0")}`;
const alnum = (n: number, alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") =>
  Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join("");

/** bKash's timestamp style: "2025-12-09T16:12:43:828 GMT+0600" (Dhaka time). */
export function bkashTime(d: Date): string {
  const dhaka = new Date(d.getTime() + 6 * 3600_000).toISOString(); // 2025-12-09T16:12:43.828Z
  return `${dhaka.slice(0, 19)}:${dhaka.slice(20, 23)} GMT+0600`;
}

export class Ledger {
  readonly merchants = new Map<string, Merchant>();
  readonly payments = new Map<string, SandboxPayment>();
  private readonly idTokens = new Map<string, { appKey: string; expiresAt: number }>();
  private readonly refreshTokens = new Map<string, { appKey: string; expiresAt: number }>();
  tokenTtlSeconds = 3600;
  checkoutTtlSeconds = 3600;

  constructor(merchants: Merchant[]) {
    for (const m of merchants) this.merchants.set(m.appKey, m);
  }

  // --- tokens ---------------------------------------------------------------------------------

  private issue(appKey: string, refreshToken?: string): Json {
    const idToken = `sandbox-id-${alnum(32, "abcdefghijklmnopqrstuvwxyz0123456789")}`;
    this.idTokens.set(idToken, { appKey, expiresAt: Date.now() + this.tokenTtlSeconds * 1000 });
    const refresh = refreshToken ?? `sandbox-refresh-${alnum(32, "abcdefghijklmnopqrstuvwxyz0123456789")}`;
    this.refreshTokens.set(refresh, { appKey, expiresAt: Date.now() + 28 * 24 * 3600_000 });
    return ok({ id_token: idToken, token_type: "Bearer", expires_in: this.tokenTtlSeconds, refresh_token: refresh });
  }

  /** Grant and refresh authenticate with username/password headers and app key/secret in the body. */
  private merchantFor(headers: { username?: string; password?: string }, body: Json): Merchant | "unauthorized" | "bad_app" {
    const merchant = this.merchants.get(String(body.app_key ?? ""));
    if (!merchant || merchant.appSecret !== body.app_secret) return "bad_app";
    if (merchant.username !== headers.username || merchant.password !== headers.password) return "unauthorized";
    return merchant;
  }

  grant(headers: { username?: string; password?: string }, body: Json): { http: number; body: Json } {
    const m = this.merchantFor(headers, body);
    if (m === "unauthorized") return { http: 401, body: { message: "Unauthorized" } };
    if (m === "bad_app") return { http: 200, body: ERRORS.invalidAppKey() };
    return { http: 200, body: this.issue(m.appKey) };
  }

  refresh(headers: { username?: string; password?: string }, body: Json): { http: number; body: Json } {
    const m = this.merchantFor(headers, body);
    if (m === "unauthorized") return { http: 401, body: { message: "Unauthorized" } };
    if (m === "bad_app") return { http: 200, body: ERRORS.invalidAppKey() };
    const known = this.refreshTokens.get(String(body.refresh_token ?? ""));
    if (!known || known.appKey !== m.appKey || known.expiresAt < Date.now()) return { http: 200, body: error("2079", "Invalid refresh token") };
    return { http: 200, body: this.issue(m.appKey, String(body.refresh_token)) };
  }

  /** Which merchant an `Authorization: <id_token>` + `X-APP-Key` pair belongs to, or the HTTP answer refusing it. */
  authorize(idToken: string | undefined, appKey: string | undefined): { appKey: string } | { http: number; body: Json } {
    const token = idToken ? this.idTokens.get(idToken) : undefined;
    if (!token) return { http: 401, body: { message: "Unauthorized" } };
    if (token.expiresAt < Date.now()) return { http: 401, body: { message: "The incoming token has expired" } };
    if (token.appKey !== appKey) return { http: 200, body: ERRORS.invalidAppKey() };
    return { appKey: token.appKey };
  }

  expireTokens(appKey?: string): number {
    let n = 0;
    for (const t of this.idTokens.values()) if (!appKey || t.appKey === appKey) (t.expiresAt = 0), n++;
    return n;
  }

  // --- payments -------------------------------------------------------------------------------

  create(appKey: string, body: Json, checkoutUrl: (paymentID: string) => string): Json {
    const required = ["mode", "payerReference", "callbackURL", "amount", "currency", "intent", "merchantInvoiceNumber"];
    if (required.some((k) => body[k] === undefined || body[k] === null || body[k] === "")) return ERRORS.missingField();
    if (body.mode !== "0011") return ERRORS.invalidMode();
    if (typeof body.amount !== "string" || !AMOUNT.test(body.amount) || toPaisa(body.amount) <= 0) return ERRORS.invalidAmount();
    if (body.currency !== "BDT") return ERRORS.invalidCurrency();
    if (body.intent !== "sale") return ERRORS.invalidIntent();
    if (typeof body.payerReference !== "string" || body.payerReference.length > 255) return ERRORS.invalidPayerReference();
    if (typeof body.merchantInvoiceNumber !== "string" || body.merchantInvoiceNumber.length > 255) return ERRORS.invalidInvoice();
    if (typeof body.callbackURL !== "string" || !/^https?:\/\/[^\s]+$/.test(body.callbackURL)) return ERRORS.invalidCallbackUrl();

    const paymentID = `TR0011${alnum(8, "abcdefghijklmnopqrstuvwxyz0123456789")}${Date.now()}`;
    const payment: SandboxPayment = {
      paymentID,
      appKey,
      payerReference: body.payerReference,
      callbackURL: body.callbackURL,
      amount: body.amount,
      currency: "BDT",
      intent: "sale",
      merchantInvoiceNumber: body.merchantInvoiceNumber,
      createTime: new Date(),
      state: "Initiated",
      refunds: [],
      report: {},
    };
    this.payments.set(paymentID, payment);
    const back = (status: string) => `${payment.callbackURL}${payment.callbackURL.includes("?") ? "&" : "?"}paymentID=${paymentID}&status=${status}`;
    return ok({
      paymentID,
      bkashURL: checkoutUrl(paymentID),
      callbackURL: payment.callbackURL,
      successCallbackURL: back("success"),
      failureCallbackURL: back("failure"),
      cancelledCallbackURL: back("cancel"),
      amount: payment.amount,
      intent: payment.intent,
      currency: payment.currency,
      paymentCreateTime: bkashTime(payment.createTime),
      transactionStatus: "Initiated",
      merchantInvoiceNumber: payment.merchantInvoiceNumber,
    });
  }

  /** The payment of this merchant, with an unpaid checkout expired once its lifetime is over. */
  find(appKey: string, paymentID: unknown): SandboxPayment | undefined {
    const p = this.payments.get(String(paymentID ?? ""));
    if (!p || p.appKey !== appKey) return undefined;
    if (p.state === "Initiated" && Date.now() - p.createTime.getTime() > this.checkoutTtlSeconds * 1000) p.state = "Expired";
    return p;
  }

  /** The customer's choice on the checkout page. */
  choose(p: SandboxPayment, action: "success" | "failure" | "cancel", wallet: string | undefined): void {
    p.state = action === "success" ? "Authorized" : action === "failure" ? "Failed" : "Cancelled";
    if (action === "success") p.customerMsisdn = wallet || p.payerReference;
  }

  private view(p: SandboxPayment): Json {
    return {
      paymentID: p.paymentID,
      payerReference: p.payerReference,
      customerMsisdn: p.customerMsisdn,
      amount: p.report.amount ?? p.amount,
      currency: p.currency,
      intent: p.intent,
      merchantInvoiceNumber: p.report.merchantInvoiceNumber ?? p.merchantInvoiceNumber,
    };
  }

  execute(appKey: string, body: Json): Json {
    const p = this.find(appKey, body.paymentID);
    if (!p) return ERRORS.invalidPaymentId();
    if (p.state === "Completed") return ERRORS.alreadyCompleted();
    if (p.state !== "Authorized") return ERRORS.invalidPaymentState();
    p.state = "Completed";
    p.trxID = alnum(10);
    p.executeTime = new Date();
    return ok({ ...this.view(p), paymentExecuteTime: bkashTime(p.executeTime), trxID: p.trxID, transactionStatus: "Completed" });
  }

  status(appKey: string, body: Json): Json {
    const p = this.find(appKey, body.paymentID);
    if (!p) return ERRORS.invalidPaymentId();
    return ok({
      ...this.view(p),
      mode: "0011",
      paymentCreateTime: bkashTime(p.createTime),
      ...(p.executeTime ? { paymentExecuteTime: bkashTime(p.executeTime) } : {}),
      ...(p.trxID ? { trxID: p.trxID } : {}),
      // Authorised but not executed yet looks like any other open payment from the merchant's side.
      transactionStatus: p.state === "Authorized" ? "Initiated" : p.state,
      verificationStatus: p.state === "Completed" ? "Complete" : "Incomplete",
      userVerificationStatus: p.state === "Authorized" || p.state === "Completed" ? "Complete" : "Incomplete",
    });
  }

  /** Refund (with amount) or refund status (without): POST /payment/refund. */
  refund(appKey: string, body: Json): Json {
    const p = this.find(appKey, body.paymentID);
    if (!p) return ERRORS.invalidPaymentId();
    if (!p.trxID || body.trxID !== p.trxID) return ERRORS.unknownTrx();
    const answer = (r: SandboxRefund) =>
      ok({
        completedTime: bkashTime(r.completedTime),
        transactionStatus: "Completed",
        originalTrxID: p.trxID,
        refundTrxID: r.refundTrxID,
        amount: fromPaisa(r.amountPaisa),
        currency: "BDT",
        charge: "0.00",
      });
    if (body.amount === undefined) {
      const last = p.refunds.at(-1);
      return last ? answer(last) : ERRORS.transactionNotFound();
    }
    if (p.state !== "Completed") return ERRORS.invalidPaymentState();
    if (typeof body.amount !== "string" || !AMOUNT.test(body.amount) || toPaisa(body.amount) <= 0) return ERRORS.invalidAmount();
    const refunded = p.refunds.reduce((sum, r) => sum + r.amountPaisa, 0);
    const wanted = toPaisa(body.amount);
    if (refunded + wanted > toPaisa(p.amount)) return ERRORS.refundTooLarge();
    const refund: SandboxRefund = { refundTrxID: alnum(10), amountPaisa: wanted, sku: body.sku as string | undefined, reason: body.reason as string | undefined, completedTime: new Date() };
    p.refunds.push(refund);
    return answer(refund);
  }
}
