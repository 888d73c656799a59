/** Starting payments, reading them, and verifying one on demand (contract §7). */
import type { AuthUser } from "../../lib/tokens";
import { and, asc, count, desc, eq, ilike, or, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import type { BatchItem } from "drizzle-orm/batch";
import { payments } from "../../db/schema";
import type { PaymentRow, UserRow } from "../../db/types";
import { dhakaDayStamp } from "../../lib/dhaka-time";
import { ApiError } from "../../lib/errors";
import { pageLimits, type PageRequest } from "../../lib/pagination";
import { gatewayFor } from "../../providers/payments";
import { GatewayUnavailableError } from "../../providers/payments/gateway";
import { isStaff } from "../users/users.service";
import { OPEN_STATUSES, PaymentStillOpenError, settlePayment } from "./settlement.service";

export interface NewPayment {
  serviceType: string;
  /** Two-place decimal string (validated by amountSchema). */
  amount: string;
  method: string;
  /** +8801XXXXXXXXX */
  phone: string;
}

export interface StartedPayment {
  payment: PaymentRow;
  paymentUrl: string;
}

/** Where the gateway sends the customer back to; bKash appends ?paymentID=…&status=…. */
export function callbackUrl(origin: string, gateway: string): string {
  return `${origin}/api/v1/payments/${gateway}/callback`;
}

const ID_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // no 0/O, 1/I: read out over the phone

/** `TXN<Dhaka YYYYMMDD><8 random>`: unique (checked by the database), sortable by day, speakable. */
export function newTransactionId(now = new Date()): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join("");
  return `TXN${dhakaDayStamp(now)}${random}`;
}

/**
 * Asks the gateway to create the payment, then records it — with the gateway's payment id, and
 * whatever `related` adds (a donation's row) — in one batch: one database round trip, atomic.
 * An unavailable method is refused before anything happens. If the gateway refuses or does not
 * answer, the payment is recorded as failed (a session it may have created anyway is never shown
 * to anyone and expires). The ids are made here, so the gateway's log rows (written after the
 * answer) and the callback can refer to the payment before or after it is stored.
 */
export async function startPayment(
  services: ServiceContext,
  user: AuthUser,
  input: NewPayment,
  callbackUrl: string,
  related?: (paymentId: string) => BatchItem<"pg">[],
): Promise<StartedPayment> {
  const gateway = gatewayFor(services, input.method);
  const values = {
    id: crypto.randomUUID(),
    userId: user.id,
    serviceType: input.serviceType,
    amount: input.amount,
    paymentMethod: input.method,
    phoneNumber: input.phone,
    transactionId: newTransactionId(),
  };
  const recordFailure = (reason: string) => services.db.insert(payments).values({ ...values, status: "failed", failureReason: reason });
  let created;
  try {
    created = await gateway.create(
      { amount: values.amount, invoiceNumber: values.transactionId, payerPhone: values.phoneNumber, callbackUrl },
      { paymentId: values.id },
    );
  } catch (err) {
    if (!(err instanceof GatewayUnavailableError)) throw err;
    await recordFailure(`The gateway did not answer: ${err.message}`);
    throw new ApiError("service_unavailable", "payment_gateway_unavailable");
  }
  if (!created.ok) {
    await recordFailure(`The gateway declined: ${created.rejection.code} ${created.rejection.message}`);
    throw new ApiError("payment_declined");
  }
  const insert = services.db
    .insert(payments)
    .values({ ...values, status: "processing", gatewayPaymentId: created.payment.gatewayPaymentId, gatewayResponse: created.payment.raw })
    .returning();
  const [[row]] = await services.db.batch([insert, ...(related?.(values.id) ?? [])]);
  return { payment: row!, paymentUrl: created.payment.redirectUrl };
}

export interface PaymentFilters {
  status?: string;
  payment_method?: string;
  service_type?: string;
  user_id?: string;
  search?: string;
  ordering?: "created_at" | "-created_at" | "amount" | "-amount";
}

const ORDERINGS = {
  created_at: [asc(payments.createdAt), asc(payments.id)],
  "-created_at": [desc(payments.createdAt), desc(payments.id)],
  amount: [asc(payments.amount), desc(payments.createdAt)],
  "-amount": [desc(payments.amount), desc(payments.createdAt)],
};

/**
 * A page of payments: the viewer's own, or — for staff, unless `ownOnly` — everyone's. Two
 * statements whatever the page holds (rows and count, run side by side).
 */
export async function listPayments(services: ServiceContext, viewer: AuthUser, filters: PaymentFilters, page: PageRequest, ownOnly: boolean) {
  const conditions: SQL[] = [];
  if (ownOnly || !isStaff(viewer)) conditions.push(eq(payments.userId, viewer.id));
  else if (filters.user_id) conditions.push(eq(payments.userId, filters.user_id));
  if (filters.status) conditions.push(eq(payments.status, filters.status));
  if (filters.payment_method) conditions.push(eq(payments.paymentMethod, filters.payment_method));
  if (filters.service_type) conditions.push(eq(payments.serviceType, filters.service_type));
  if (filters.search) {
    const pattern = `%${filters.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    conditions.push(or(ilike(payments.transactionId, pattern), ilike(payments.phoneNumber, pattern), ilike(payments.gatewayTransactionId, pattern))!);
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const { limit, offset } = pageLimits(page);
  const [rows, [total]] = await services.db.batch([
    services.db
      .select()
      .from(payments)
      .where(where)
      .orderBy(...ORDERINGS[filters.ordering ?? "-created_at"])
      .limit(limit)
      .offset(offset),
    services.db.select({ n: count() }).from(payments).where(where),
  ]);
  return { rows, count: total?.n ?? 0 };
}

/** The owner and staff may see a payment; anyone else is told it does not exist. */
export async function getVisiblePayment(services: ServiceContext, viewer: AuthUser, id: string): Promise<PaymentRow> {
  const [row] = await services.db.select().from(payments).where(eq(payments.id, id)).limit(1);
  if (!row || (row.userId !== viewer.id && !isStaff(viewer))) throw new ApiError("not_found");
  return row;
}

/** `POST /payments/verify`: ask the gateway now and settle if it has an answer. */
export async function verifyPayment(services: ServiceContext, viewer: AuthUser, id: string): Promise<PaymentRow> {
  const payment = await getVisiblePayment(services, viewer, id);
  if (!(OPEN_STATUSES as readonly string[]).includes(payment.status)) return payment; // settled states are final
  try {
    const result = await settlePayment(services, payment, "check", `verify:${crypto.randomUUID()}`);
    // Settled by someone else while we asked: show what they wrote.
    return result.outcome === "already_settled" ? getVisiblePayment(services, viewer, id) : result.payment;
  } catch (err) {
    if (err instanceof PaymentStillOpenError) return payment;
    if (err instanceof GatewayUnavailableError) throw new ApiError("service_unavailable", "payment_gateway_unavailable");
    throw err;
  }
}
