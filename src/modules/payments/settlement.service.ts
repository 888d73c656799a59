/**
 * Settling a payment: deciding, from the gateway's own answers only, whether it completed, failed or
 * was cancelled — exactly once, however many callbacks, retries and reconciliation runs race.
 *
 * The rules (issue 5):
 * - a `success` callback executes once: the first one claims the execution (payments.execute_claimed_by);
 *   duplicates that find the claim held leave the payment to its holder;
 * - after an error, a timeout or a 2062 from execute, and for `failure`/`cancel`, the gateway is queried;
 * - completed only when the gateway says Completed and amount, currency and invoice number match ours;
 * - every settling write is one UPDATE guarded by `status in ('pending','processing')`, so exactly one
 *   writer wins; only the winner assigns the donation receipt and enqueues the SMS receipt, in the same
 *   transaction (a failed enqueue rolls the completion back and the caller retries).
 */
import { and, eq, getTableColumns, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { donations, paymentLogs, payments, users } from "../../db/schema";
import { nextDailyNumberSql } from "../../db/sequences";
import type { PaymentRow } from "../../db/types";
import { toPaisa } from "../../lib/money";
import { gatewayFor } from "../../providers/payments";
import { GatewayUnavailableError, type GatewayAnswer, type GatewayPaymentState } from "../../providers/payments/gateway";
import { dispatchNotifications, fromRow, notifyUsersSql } from "../notifications/notify";

export const OPEN_STATUSES = ["pending", "processing"] as const;
export const DONATION_SERVICE_TYPE = "donation";
/** A payment the gateway still calls open this long after creation is given up as failed. */
export const ABANDON_AFTER_MS = 24 * 60 * 60 * 1000;
/** A payment that never got a gateway id this long after creation never will (the request died). */
export const NEVER_CREATED_AFTER_MS = 15 * 60 * 1000;

/** What the gateway told us on return: the callback's `status`, or `check` (reconciliation, verify). */
export type SettleHint = "success" | "failure" | "cancel" | "check";

export type SettleOutcome =
  | "completed"
  | "failed"
  | "cancelled"
  /** Someone else settled it first (or had already). */
  | "already_settled"
  /** Another worker holds the execution; it will settle the payment. */
  | "in_progress"
  /** The gateway still has it open; nothing to do now. */
  | "open";

export interface SettleResult {
  outcome: SettleOutcome;
  payment: PaymentRow;
}

/**
 * A success callback whose execute got no answer while the gateway still calls the payment open:
 * the money may be moving. The queue retries, and reconciliation catches it after the last retry.
 */
export class PaymentStillOpenError extends Error {
  constructor(readonly paymentId: string) {
    super(`payment ${paymentId} is still open at the gateway after an unanswered execute`);
    this.name = "PaymentStillOpenError";
  }
}

const isOpen = (p: PaymentRow) => (OPEN_STATUSES as readonly string[]).includes(p.status);
const openGuard = (id: string): SQL => and(eq(payments.id, id), inArray(payments.status, [...OPEN_STATUSES]))!;

export async function settlePayment(services: ServiceContext, payment: PaymentRow, hint: SettleHint, claimant: string): Promise<SettleResult> {
  if (!isOpen(payment)) return { outcome: "already_settled", payment };
  if (!payment.gatewayPaymentId) {
    if (hint === "check" && Date.now() - payment.createdAt.getTime() > NEVER_CREATED_AFTER_MS) {
      return close(services, payment, "failed", "The payment was never created at the gateway.", null);
    }
    return { outcome: "open", payment };
  }
  const gateway = gatewayFor(services, payment.paymentMethod);
  const gatewayPaymentId = payment.gatewayPaymentId;
  const context = { paymentId: payment.id };

  let claim: Claim | undefined;
  let executed = "no" as Executed; // (set inside execute(); the cast keeps TypeScript from narrowing it to "no")
  /** Executes, turning "no answer" into undefined: the caller then asks with a query. */
  const execute = async (): Promise<GatewayAnswer | undefined> => {
    try {
      const answer = await gateway.execute(gatewayPaymentId, context);
      executed = "answered";
      return answer;
    } catch (err) {
      if (!(err instanceof GatewayUnavailableError)) throw err;
      executed = "unanswered";
      return undefined;
    }
  };

  if (hint === "success") {
    claim = await claimExecution(services, payment, claimant);
    if (claim === "held") return { outcome: "in_progress", payment };
    if (claim === "fresh") {
      const answer = await execute();
      if (answer?.ok && answer.state.status === "completed") return decide(services, payment, answer.state);
      // 2062/2056/2068/…, no answer, or not completed: the query below decides.
    }
  }

  const queried = await gateway.query(gatewayPaymentId, context); // no answer → GatewayUnavailableError → retry
  if (!queried.ok) {
    // The gateway refuses to talk about it (e.g. 2002 unknown payment id): nothing we can conclude.
    console.error(JSON.stringify({ level: "error", msg: "gateway refused a payment query", payment_id: payment.id, code: queried.rejection.code }));
    return leaveOpen(services, payment, claim, claimant, executed);
  }
  const state = queried.state;
  switch (state.status) {
    case "completed":
      return decide(services, payment, state);
    case "failed":
      return close(services, payment, "failed", "The payment failed at the gateway.", state.raw);
    case "cancelled":
      return close(services, payment, "cancelled", "The payment was cancelled.", state.raw);
    case "expired":
      return close(services, payment, "failed", "The payment expired at the gateway before it was paid.", state.raw);
  }

  // Still open at the gateway. A success callback or a check may try the execution the customer
  // might have authorised (once per run, and only with the claim); failure/cancel never execute.
  if (executed === "no" && (hint === "success" || hint === "check")) {
    claim ??= await claimExecution(services, payment, claimant);
    if (claim !== "held") {
      const answer = await execute();
      if (answer?.ok && answer.state.status === "completed") return decide(services, payment, answer.state);
    }
  }
  // Given up after a day — unless an execute just went unanswered: that one may still go through.
  if (hint === "check" && executed !== "unanswered" && Date.now() - payment.createdAt.getTime() > ABANDON_AFTER_MS) {
    return close(services, payment, "failed", "The payment was not completed within 24 hours.", state.raw);
  }
  return leaveOpen(services, payment, claim, claimant, executed);
}

/** Whether this run called execute, and whether the gateway answered it. */
type Executed = "no" | "answered" | "unanswered";

/**
 * Nothing final. Remember we checked; release a claim whose execute the gateway answered without
 * completing (the customer has not paid yet: a later success callback must be able to execute);
 * keep it and retry when the execute went unanswered (it may still go through).
 */
async function leaveOpen(services: ServiceContext, payment: PaymentRow, claim: Claim | undefined, claimant: string, executed: Executed): Promise<SettleResult> {
  const release = executed === "answered" && claim !== undefined && claim !== "held";
  await services.db
    .update(payments)
    .set({ lastCheckedAt: sql`now()`, ...(release ? { executeClaimedBy: null, executeClaimedAt: null } : {}) })
    .where(and(eq(payments.id, payment.id), ...(release ? [eq(payments.executeClaimedBy, claimant)] : [])));
  if (executed === "unanswered") throw new PaymentStillOpenError(payment.id);
  return { outcome: claim === "held" ? "in_progress" : "open", payment };
}

type Claim = "fresh" | "reclaimed" | "held";

/**
 * Compare-and-set on execute_claimed_by against what we loaded: free → ours ("fresh"); ours from an
 * earlier attempt, or someone's that went stale (twice the gateway timeout) → ours again
 * ("reclaimed": ask before executing); anything else → "held".
 */
async function claimExecution(services: ServiceContext, payment: PaymentRow, claimant: string): Promise<Claim> {
  const previous = payment.executeClaimedBy;
  const staleSeconds = (2 * services.config.PAYMENT_GATEWAY_TIMEOUT_MS) / 1000;
  const claimable =
    previous === null
      ? isNull(payments.executeClaimedBy)
      : and(
          eq(payments.executeClaimedBy, previous),
          or(sql`${previous} = ${claimant}`, lt(payments.executeClaimedAt, sql`now() - make_interval(secs => ${staleSeconds})`)),
        );
  const [row] = await services.db
    .update(payments)
    .set({ executeClaimedBy: claimant, executeClaimedAt: sql`now()` })
    .where(and(openGuard(payment.id), claimable))
    .returning({ id: payments.id });
  if (!row) return "held";
  return previous === null ? "fresh" : "reclaimed";
}

/** Why the gateway's "Completed" does not match our payment, or undefined when it does. */
export function mismatch(payment: PaymentRow, state: GatewayPaymentState): string | undefined {
  const problems: string[] = [];
  const reported = state.amount === undefined ? undefined : toPaisa(state.amount);
  if (reported === undefined || reported !== toPaisa(payment.amount)) problems.push(`amount ${state.amount ?? "missing"} ≠ ${payment.amount}`);
  if (state.currency !== undefined && state.currency !== "BDT") problems.push(`currency ${state.currency} ≠ BDT`);
  if (state.invoiceNumber !== payment.transactionId) problems.push(`invoice ${state.invoiceNumber ?? "missing"} ≠ ${payment.transactionId}`);
  return problems.length ? problems.join("; ") : undefined;
}

/** The gateway says Completed: complete it if everything matches, otherwise refuse and record why. */
async function decide(services: ServiceContext, payment: PaymentRow, state: GatewayPaymentState): Promise<SettleResult> {
  const problem = mismatch(payment, state);
  if (!problem) return complete(services, payment, state);
  console.error(JSON.stringify({ level: "error", msg: "payment verification failed", payment_id: payment.id, problem }));
  await services.db.insert(paymentLogs).values({
    paymentId: payment.id,
    gateway: payment.paymentMethod,
    operation: "verification",
    success: false,
    latencyMs: 0,
    response: state.raw,
    error: problem,
  });
  return close(services, payment, "failed", `Verification failed: ${problem}.`, state.raw);
}

async function close(services: ServiceContext, payment: PaymentRow, status: "failed" | "cancelled", reason: string, raw: unknown): Promise<SettleResult> {
  const [row] = await services.db
    .update(payments)
    .set({ status, failureReason: reason, gatewayResponse: raw, updatedAt: sql`now()`, lastCheckedAt: sql`now()` })
    .where(openGuard(payment.id))
    .returning();
  return row ? { outcome: status, payment: row } : { outcome: "already_settled", payment };
}

/**
 * Completes the payment in one batch (one round trip, one transaction): the guarded UPDATE that
 * only one settler can win, then — for a donation whose payment is now completed and which has no
 * receipt yet — the day's next DN receipt number. Both commit together, so a receipt number is
 * taken exactly once per completed donation and numbers stay gap-free. Only the winner sends the
 * receipt SMS, once the batch has committed.
 */
async function complete(services: ServiceContext, payment: PaymentRow, state: GatewayPaymentState): Promise<SettleResult> {
  const completion = services.db
      .update(payments)
      .set({
        status: "completed",
        completedAt: sql`now()`,
        updatedAt: sql`now()`,
        lastCheckedAt: sql`now()`,
        gatewayTransactionId: state.transactionId ?? null,
        gatewayResponse: state.raw,
        failureReason: null,
      })
      .from(users)
      .where(and(openGuard(payment.id), eq(users.id, payments.userId)))
      .returning({ ...getTableColumns(payments), userPhone: users.phone });
  const receipt = services.db.execute<{ receipt_number: string; project_name: string }>(sql`
    with awaiting as (
      select d.id from ${donations} d join ${payments} p on p.id = d.payment_id
      where d.payment_id = ${payment.id} and d.receipt_number is null and p.status = 'completed'
      for update of d
    ),
    receipt as (${nextDailyNumberSql("donation_receipt", "DN", new Date(), sql`exists (select 1 from awaiting)`)})
    update ${donations} d set receipt_number = (select number from receipt)
    from awaiting a, donation_projects p
    where d.id = a.id and p.id = d.project_id
    returning d.receipt_number, p.name as project_name`);
  // The receipt goes out as a notification written in the same batch: it exists if and only if
  // this settler's completion committed (completed_at = now() is this transaction's own write).
  const justCompleted = sql`p.id = ${payment.id} and p.status = 'completed' and p.completed_at = now()`;
  const paymentNotice = services.db.execute<{ id: string }>(
    notifyUsersSql(
      { type: "payment.completed", key: `payment.completed:${payment.id}`, payload: { payment_id: payment.id, amount: payment.amount, service: payment.serviceType, transaction_id: payment.transactionId, gateway_trx: state.transactionId ?? null } },
      sql`select p.user_id from ${payments} p where ${justCompleted} and not exists (select 1 from ${donations} d where d.payment_id = p.id)`,
    ),
  );
  const donationNotice = services.db.execute<{ id: string }>(
    notifyUsersSql(
      { type: "donation.completed", key: `donation.completed:${payment.id}`, payload: { payment_id: payment.id, amount: payment.amount, project: fromRow("project"), receipt_number: fromRow("receipt_number") } },
      sql`select p.user_id, d.receipt_number, dp.name as project from ${payments} p join ${donations} d on d.payment_id = p.id join donation_projects dp on dp.id = d.project_id where ${justCompleted}`,
    ),
  );
  const [[won], , { rows: paid }, { rows: donated }] = await services.db.batch([completion, receipt, paymentNotice, donationNotice]);
  if (!won) return { outcome: "already_settled", payment };
  const { userPhone: _phone, ...completed } = won;
  await dispatchNotifications(services, [...paid, ...donated].map((r) => r.id));
  return { outcome: "completed", payment: completed };
}

const bn = (s: string) => s.replace(/\d/g, (d) => "০১২৩৪৫৬৭৮৯"[Number(d)]!);

export function paymentReceiptText(p: PaymentRow): string {
  const trx = p.gatewayTransactionId ? `, TrxID ${p.gatewayTransactionId}` : "";
  return `Clean Care: আপনার ৳${bn(p.amount)} পেমেন্ট (${p.serviceType}) সম্পন্ন হয়েছে। লেনদেন নং ${p.transactionId}${trx}। ধন্যবাদ।`;
}

export function donationReceiptText(p: PaymentRow, receiptNumber: string, project: string): string {
  return `Clean Care: "${project}" প্রকল্পে ৳${bn(p.amount)} অনুদানের জন্য ধন্যবাদ। রসিদ নং ${receiptNumber}।`;
}
