/**
 * Refunds (staff): full or partial, any number of them up to what was paid, through the gateway.
 *
 * A refund is first reserved as a `pending` row under a lock on the payment, so concurrent requests
 * can never together exceed the amount; then the gateway is asked, outside any transaction. While
 * one refund of a payment is pending, others wait (409). A refund whose gateway answer was lost stays
 * pending until the next refund request for that payment asks the gateway for its refund status.
 *
 * Idempotent: a repeated request with the same Idempotency-Key returns the refund it made; a full
 * refund (no amount) of a payment that is already fully refunded changes nothing and succeeds.
 */
import type { AuthUser } from "../../lib/tokens";
import { and, eq, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { fromSqlRow } from "../../db/rows";
import { paymentRefunds, payments } from "../../db/schema";
import type { PaymentRefundRow, PaymentRow, UserRow } from "../../db/types";
import { ApiError, validationError } from "../../lib/errors";
import { formatPaisa, toPaisa } from "../../lib/money";
import { gatewayFor } from "../../providers/payments";
import { GatewayUnavailableError } from "../../providers/payments/gateway";
import { logActivityFrom } from "../admin/activity-log";
import { inStaffWards } from "../admin/staff-scope";

export interface RefundInput {
  paymentId: string;
  /** Two-place decimal; omitted = everything not refunded yet. */
  amount?: string;
  reason: string;
  idempotencyKey?: string;
}

export interface RefundResult {
  payment: PaymentRow;
  /** Undefined when nothing was left to refund (an idempotent repeat of a full refund). */
  refund?: PaymentRefundRow;
}

const unavailable = () => new ApiError("service_unavailable", "payment_gateway_unavailable");

export async function refundPayment(services: ServiceContext, actor: AuthUser, input: RefundInput): Promise<RefundResult> {
  let reserved = await reserve(services, actor, input);
  if ("replay" in reserved) return replay(services, reserved.replay);
  if ("stale" in reserved) {
    // A refund whose answer was lost long ago blocks this one: find out what became of it first.
    await resolvePending(services, reserved.stale);
    reserved = await reserve(services, actor, input);
    if ("replay" in reserved) return replay(services, reserved.replay);
    if ("stale" in reserved) throw new ApiError("conflict", "refund_in_progress");
  }
  if (!reserved.refund) return { payment: reserved.payment };
  return askGateway(services, reserved.payment, reserved.refund);
}

/**
 * The same Idempotency-Key again: the refund as it stands. A pending one is either still in flight
 * (409, try again shortly) or lost its answer long ago (looked up at the gateway first).
 */
async function replay(services: ServiceContext, refund: PaymentRefundRow): Promise<RefundResult> {
  let settled = refund;
  if (refund.status === "pending") {
    if (Date.now() - refund.createdAt.getTime() < 2 * services.config.PAYMENT_GATEWAY_TIMEOUT_MS) throw new ApiError("conflict", "refund_in_progress");
    settled = await resolvePending(services, refund);
  }
  const [payment] = await services.db.select().from(payments).where(eq(payments.id, refund.paymentId));
  return { payment: payment!, refund: settled };
}

type Reservation = { payment: PaymentRow; refund?: PaymentRefundRow } | { stale: PaymentRefundRow } | { replay: PaymentRefundRow };

async function reserve(services: ServiceContext, actor: AuthUser, input: RefundInput): Promise<Reservation> {
  const staleSeconds = (2 * services.config.PAYMENT_GATEWAY_TIMEOUT_MS) / 1000;
  return services.interactive(async (tx) => {
    // The lock and the permission check in one statement: refunding is `payments.update` in the
    // payer's ward (without `payments.read` there: 404; with read only: 403).
    const { rows: locked } = await tx.execute<Record<string, unknown> & { can_read: boolean; can_update: boolean }>(sql`
      select p.*, ${inStaffWards(actor, "payments", "read", sql`u.ward_number`)} as can_read,
             ${inStaffWards(actor, "payments", "update", sql`u.ward_number`)} as can_update
      from payments p join users u on u.id = p.user_id
      where p.id = ${input.paymentId}
      for update of p`);
    if (!locked[0]?.can_read) throw new ApiError("not_found");
    if (!locked[0].can_update) throw new ApiError("forbidden");
    const payment = fromSqlRow(payments, locked[0]);
    if (input.idempotencyKey) {
      // Checked under the lock, so two requests with one key cannot both refund.
      const [previous] = await tx
        .select()
        .from(paymentRefunds)
        .where(and(eq(paymentRefunds.paymentId, payment.id), eq(paymentRefunds.idempotencyKey, input.idempotencyKey)))
        .limit(1);
      if (previous) return { replay: previous };
    }
    const [pending] = await tx
      .select({ refund: paymentRefunds, stale: sql<boolean>`${paymentRefunds.createdAt} < now() - make_interval(secs => ${staleSeconds})` })
      .from(paymentRefunds)
      .where(and(eq(paymentRefunds.paymentId, payment.id), eq(paymentRefunds.status, "pending")))
      .limit(1);
    if (pending) {
      if (pending.stale) return { stale: pending.refund };
      throw new ApiError("conflict", "refund_in_progress");
    }
    if (payment.status === "refunded" && input.amount === undefined) return { payment };
    if (payment.status !== "completed" && payment.status !== "refunded") throw new ApiError("conflict", "payment_not_refundable");

    const refundable = toPaisa(payment.amount)! - toPaisa(payment.refundedAmount)!;
    const wanted = input.amount === undefined ? refundable : toPaisa(input.amount)!;
    if (wanted > refundable) {
      throw validationError({ amount: [`At most ${formatPaisa(refundable)} of ${payment.amount} can still be refunded.`] });
    }
    const [refund] = await tx
      .insert(paymentRefunds)
      .values({ paymentId: payment.id, amount: formatPaisa(wanted), reason: input.reason, idempotencyKey: input.idempotencyKey, requestedBy: actor.id })
      .returning();
    // The staff action is logged in the transaction that reserves the refund.
    await tx.execute(
      logActivityFrom(services, actor.id, sql`(select ${refund!.id}::uuid as id) r`, {
        action: "payment.refund",
        resourceType: "payment",
        resourceId: sql`${payment.id}::text`,
        details: sql`jsonb_build_object('refund_id', r.id, 'amount', ${formatPaisa(wanted)}::text, 'reason', ${input.reason ?? null}::text)`,
      }),
    );
    return { payment, refund };
  });
}

async function askGateway(services: ServiceContext, payment: PaymentRow, refund: PaymentRefundRow): Promise<RefundResult> {
  const gateway = gatewayFor(services, payment.paymentMethod);
  let answer;
  try {
    answer = await gateway.refund(
      { gatewayPaymentId: payment.gatewayPaymentId!, transactionId: payment.gatewayTransactionId!, amount: refund.amount, reason: refund.reason, reference: refund.id },
      { paymentId: payment.id },
    );
  } catch (err) {
    if (err instanceof GatewayUnavailableError) throw unavailable(); // stays pending; resolved on the next request
    throw err;
  }
  if (!answer.ok) {
    await fail(services, refund, `The gateway declined: ${answer.rejection.code} ${answer.rejection.message}`);
    throw new ApiError("payment_declined");
  }
  return completeRefund(services, refund, answer.refund.refundId);
}

/** Marks the refund completed and adds it to the payment, which becomes `refunded` once fully refunded. */
async function completeRefund(services: ServiceContext, refund: PaymentRefundRow, gatewayRefundId: string): Promise<RefundResult> {
  return services.interactive(async (tx) => {
    const [done] = await tx
      .update(paymentRefunds)
      .set({ status: "completed", gatewayRefundId, completedAt: sql`now()` })
      .where(and(eq(paymentRefunds.id, refund.id), eq(paymentRefunds.status, "pending")))
      .returning();
    const [payment] = done
      ? await tx
          .update(payments)
          .set({
            refundedAmount: sql`${payments.refundedAmount} + ${refund.amount}::numeric`,
            status: sql`case when ${payments.refundedAmount} + ${refund.amount}::numeric >= ${payments.amount} then 'refunded' else ${payments.status} end`,
            updatedAt: sql`now()`,
          })
          .where(eq(payments.id, refund.paymentId))
          .returning()
      : await tx.select().from(payments).where(eq(payments.id, refund.paymentId));
    const [current] = done ? [done] : await tx.select().from(paymentRefunds).where(eq(paymentRefunds.id, refund.id));
    return { payment: payment!, refund: current };
  });
}

async function fail(services: ServiceContext, refund: PaymentRefundRow, reason: string): Promise<PaymentRefundRow> {
  const [row] = await services.db
    .update(paymentRefunds)
    .set({ status: "failed", failureReason: reason })
    .where(and(eq(paymentRefunds.id, refund.id), eq(paymentRefunds.status, "pending")))
    .returning();
  return row ?? refund;
}

/**
 * A pending refund whose answer we never got: the gateway's refund status tells whether it went
 * through — its latest refund is ours if we have not recorded that refund id yet and the amounts agree.
 */
async function resolvePending(services: ServiceContext, refund: PaymentRefundRow): Promise<PaymentRefundRow> {
  const [payment] = await services.db.select().from(payments).where(eq(payments.id, refund.paymentId));
  const gateway = gatewayFor(services, payment!.paymentMethod);
  let answer;
  try {
    answer = await gateway.refundStatus(payment!.gatewayPaymentId!, payment!.gatewayTransactionId!, { paymentId: payment!.id });
  } catch (err) {
    if (err instanceof GatewayUnavailableError) throw unavailable();
    throw err;
  }
  if (answer.ok && toPaisa(answer.refund.amount) === toPaisa(refund.amount)) {
    const [known] = await services.db
      .select({ id: paymentRefunds.id })
      .from(paymentRefunds)
      .where(and(eq(paymentRefunds.paymentId, refund.paymentId), eq(paymentRefunds.gatewayRefundId, answer.refund.refundId)))
      .limit(1);
    if (!known) return (await completeRefund(services, refund, answer.refund.refundId)).refund!;
  }
  return fail(services, refund, "The gateway has no record of this refund.");
}
