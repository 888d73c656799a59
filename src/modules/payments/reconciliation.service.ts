/**
 * Reconciliation: the safety net under the callback queue. A cron trigger (wrangler.toml) asks the
 * gateway about payments left unsettled for 15 minutes — lost callbacks, dead-lettered ones, a
 * customer who closed the browser — and settles them exactly as a callback would. Each payment is
 * checked at most once per 15 minutes (payments.last_checked_at), a bounded number per run.
 */
import { and, asc, inArray, isNull, lt, or, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { payments } from "../../db/schema";
import { GatewayUnavailableError } from "../../providers/payments/gateway";
import { OPEN_STATUSES, PaymentStillOpenError, settlePayment, type SettleOutcome } from "./settlement.service";

export const RECONCILE_AFTER_MINUTES = 15;

export interface ReconcileReport {
  checked: number;
  outcomes: Partial<Record<SettleOutcome, number>>;
  /** The gateway did not answer (or an execute went unanswered): checked again next run. */
  unavailable: number;
  errors: number;
}

export async function reconcileStalePayments(services: ServiceContext, options: { limit?: number; concurrency?: number } = {}): Promise<ReconcileReport> {
  const limit = options.limit ?? 50;
  const stale = sql`now() - make_interval(mins => ${RECONCILE_AFTER_MINUTES})`;
  const due = await services.db
    .select()
    .from(payments)
    .where(and(inArray(payments.status, [...OPEN_STATUSES]), lt(payments.createdAt, stale), or(isNull(payments.lastCheckedAt), lt(payments.lastCheckedAt, stale))))
    .orderBy(sql`${payments.lastCheckedAt} asc nulls first`, asc(payments.createdAt))
    .limit(limit);

  const report: ReconcileReport = { checked: due.length, outcomes: {}, unavailable: 0, errors: 0 };
  const queue = [...due];
  const worker = async () => {
    for (let payment = queue.shift(); payment; payment = queue.shift()) {
      try {
        const { outcome } = await settlePayment(services, payment, "check", `reconcile:${crypto.randomUUID()}`);
        report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1;
      } catch (err) {
        if (err instanceof GatewayUnavailableError || err instanceof PaymentStillOpenError) report.unavailable++;
        else {
          report.errors++;
          console.error(JSON.stringify({ level: "error", msg: "reconciliation failed for a payment", payment_id: payment.id, error: String(err) }));
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 4, due.length) }, worker));
  if (report.checked > 0) console.log(JSON.stringify({ level: "info", msg: "payment reconciliation", ...report }));
  return report;
}
