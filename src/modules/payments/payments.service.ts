/** Starting payments, reading them, and verifying one on demand (contract §7). */
import { and, asc, count, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import type { Transaction } from "../../db/client";
import { fromSqlRow } from "../../db/rows";
import { payableServices, payments } from "../../db/schema";
import type { PaymentRow, UserRow } from "../../db/types";
import { dhakaDayStamp } from "../../lib/dhaka-time";
import { ApiError, validationError } from "../../lib/errors";
import { pageLimits, type PageRequest } from "../../lib/pagination";
import { gatewayFor } from "../../providers/payments";
import { GatewayUnavailableError, type PaymentGateway } from "../../providers/payments/gateway";
import { isStaff } from "../users/users.service";
import { feeRuleText, resolvedServiceCode, SERVICE_NOT_FOUND_DETAIL, serviceMatch } from "./payable-services.service";
import { DONATION_SERVICE_TYPE, OPEN_STATUSES, PaymentStillOpenError, settlePayment } from "./settlement.service";

export interface NewPayment {
  /** A catalogue code (startPayment), or what the client sent (startServicePayment). */
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
 * Records the payment, asks the gateway to create it and stores the gateway's payment id. An
 * unavailable method is refused before anything is written. `onCreated` runs in the transaction
 * that inserts the payment (donations add their row there). `serviceType` must be a catalogue code
 * (payments.service_type references payable_services); city fees go through `startServicePayment`.
 *
 * No transaction spans the gateway call: if the gateway refuses or does not answer, the payment is
 * marked failed (a session it may have created anyway is never shown to anyone and expires).
 */
export async function startPayment(
  services: ServiceContext,
  user: UserRow,
  input: NewPayment,
  callbackUrl: string,
  onCreated?: (tx: Transaction, payment: PaymentRow) => Promise<void>,
): Promise<StartedPayment> {
  const gateway = gatewayFor(services, input.method);
  const values = {
    userId: user.id,
    serviceType: input.serviceType,
    amount: input.amount,
    paymentMethod: input.method,
    phoneNumber: input.phone,
    transactionId: newTransactionId(),
  };
  const payment = onCreated
    ? await services.db.transaction(async (tx) => {
        const [row] = await tx.insert(payments).values(values).returning();
        await onCreated(tx, row!);
        return row!;
      })
    : (await services.db.insert(payments).values(values).returning())[0]!;
  return openAtGateway(services, gateway, payment, callbackUrl);
}

/**
 * `POST /payments/process`: a city fee. `serviceType` is what the client sent — a code, the English
 * name in any case and spacing, or the Bengali name. One statement finds the service, checks that it
 * is active, not the donation entry, and that the amount fits its fee rule, and inserts the payment
 * with the service's code; when it inserts nothing, the service it found (if any) says why:
 * 400 on `service_type` (unknown, inactive, donation) or on `amount` (with the rule in words).
 */
export async function startServicePayment(services: ServiceContext, user: UserRow, input: NewPayment, callbackUrl: string): Promise<StartedPayment> {
  const gateway = gatewayFor(services, input.method);
  const { where, order } = serviceMatch(input.serviceType);
  const amount = sql`${input.amount}::numeric(12, 2)`;
  const { rows } = await services.db.execute<Record<string, unknown>>(sql`
    with service as (
      select * from ${payableServices} where ${where} order by ${order} limit 1
    ), created as (
      insert into payments (user_id, service_type, amount, payment_method, phone_number, transaction_id)
      select ${user.id}::uuid, s.code, ${amount}, ${input.method}, ${input.phone}, ${newTransactionId()}
      from service s
      where s.is_active and s.code <> ${DONATION_SERVICE_TYPE}
        and case s.fee_type
              when 'fixed' then ${amount} = s.fixed_amount
              when 'range' then ${amount} between s.min_amount and s.max_amount
              else true
            end
      returning *
    )
    select s.code as svc_code, s.name_bn as svc_name_bn, s.name_en as svc_name_en, s.fee_type as svc_fee_type,
           s.fixed_amount as svc_fixed_amount, s.min_amount as svc_min_amount, s.max_amount as svc_max_amount,
           s.is_active as svc_is_active, s.sort_order as svc_sort_order, s.created_at as svc_created_at,
           s.updated_at as svc_updated_at, c.*
    from service s left join created c on true`);
  const row = rows[0];
  if (!row) throw validationError({ service_type: [SERVICE_NOT_FOUND_DETAIL] }, "payment_service_unknown");
  if (row.id == null) {
    const service = fromSqlRow(payableServices, row, "svc_");
    if (service.code === DONATION_SERVICE_TYPE) throw validationError({ service_type: ["Donations are made through POST /donations."] });
    if (!service.isActive) {
      throw validationError({ service_type: [`${service.nameEn} cannot be paid online at the moment.`] }, "payment_service_inactive");
    }
    throw validationError({ amount: [feeRuleText(service)] }, "payment_amount_not_allowed");
  }
  return openAtGateway(services, gateway, fromSqlRow(payments, row), callbackUrl);
}

/** Asks the gateway to create the recorded payment; `processing` with the gateway's page, or `failed` with why. */
async function openAtGateway(services: ServiceContext, gateway: PaymentGateway, payment: PaymentRow, callbackUrl: string): Promise<StartedPayment> {
  const fail = (reason: string) =>
    services.db.update(payments).set({ status: "failed", failureReason: reason, updatedAt: new Date() }).where(eq(payments.id, payment.id));
  let created;
  try {
    created = await gateway.create(
      { amount: payment.amount, invoiceNumber: payment.transactionId, payerPhone: payment.phoneNumber, callbackUrl },
      { paymentId: payment.id },
    );
  } catch (err) {
    if (!(err instanceof GatewayUnavailableError)) throw err;
    await fail(`The gateway did not answer: ${err.message}`);
    throw new ApiError("service_unavailable", "payment_gateway_unavailable");
  }
  if (!created.ok) {
    await fail(`The gateway declined: ${created.rejection.code} ${created.rejection.message}`);
    throw new ApiError("payment_declined");
  }
  const [row] = await services.db
    .update(payments)
    .set({ status: "processing", gatewayPaymentId: created.payment.gatewayPaymentId, gatewayResponse: created.payment.raw, updatedAt: new Date() })
    .where(and(eq(payments.id, payment.id), eq(payments.status, "pending")))
    .returning();
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
export async function listPayments(services: ServiceContext, viewer: UserRow, filters: PaymentFilters, page: PageRequest, ownOnly: boolean) {
  const conditions: SQL[] = [];
  if (ownOnly || !isStaff(viewer)) conditions.push(eq(payments.userId, viewer.id));
  else if (filters.user_id) conditions.push(eq(payments.userId, filters.user_id));
  if (filters.status) conditions.push(eq(payments.status, filters.status));
  if (filters.payment_method) conditions.push(eq(payments.paymentMethod, filters.payment_method));
  // The code, English or Bengali name, resolved inside the list's own statements (no extra round trip).
  if (filters.service_type) conditions.push(eq(payments.serviceType, resolvedServiceCode(filters.service_type)));
  if (filters.search) {
    const pattern = `%${filters.search.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    conditions.push(or(ilike(payments.transactionId, pattern), ilike(payments.phoneNumber, pattern), ilike(payments.gatewayTransactionId, pattern))!);
  }
  const where = conditions.length ? and(...conditions) : undefined;
  const { limit, offset } = pageLimits(page);
  const [rows, [total]] = await Promise.all([
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
export async function getVisiblePayment(services: ServiceContext, viewer: UserRow, id: string): Promise<PaymentRow> {
  const [row] = await services.db.select().from(payments).where(eq(payments.id, id)).limit(1);
  if (!row || (row.userId !== viewer.id && !isStaff(viewer))) throw new ApiError("not_found");
  return row;
}

/** `POST /payments/verify`: ask the gateway now and settle if it has an answer. */
export async function verifyPayment(services: ServiceContext, viewer: UserRow, id: string): Promise<PaymentRow> {
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
