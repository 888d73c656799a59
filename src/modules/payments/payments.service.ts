/** Starting payments, reading them, and verifying one on demand (contract §7). */
import type { AuthUser } from "../../lib/tokens";
import { and, asc, count, desc, eq, ilike, or, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { ServiceContext } from "../../context";
import { fromSqlRow } from "../../db/rows";
import { payableServices, payments } from "../../db/schema";
import type { PaymentRow, UserRow } from "../../db/types";
import { dhakaDayStamp } from "../../lib/dhaka-time";
import { ApiError, validationError } from "../../lib/errors";
import { pageLimits, type PageRequest } from "../../lib/pagination";
import { gatewayFor } from "../../providers/payments";
import { GatewayUnavailableError, type PaymentGateway } from "../../providers/payments/gateway";
import { inStaffWards } from "../admin/staff-scope";
import { isStaff } from "../users/users.service";
import { acceptingService, acceptsSql, resolvedServiceCode, SERVICE_NOT_FOUND_DETAIL } from "./payable-services.service";
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
 * Asks the gateway to create the payment, then records it — with the gateway's payment id, and
 * whatever `related` adds (a donation's row) — in one batch: one database round trip, atomic.
 * An unavailable method is refused before anything happens. If the gateway refuses or does not
 * answer, the payment is recorded as failed (a session it may have created anyway is never shown
 * to anyone and expires). The ids are made here, so the gateway's log rows (written after the
 * answer) can refer to the payment.
 *
 * `serviceType` must be a catalogue code (payments.service_type references payable_services), and
 * the INSERT only happens while the catalogue still `accepts` the payment (its row is `s`): the
 * catalogue as the database has it now is the authority, whatever a cache said before the
 * gateway call. Nothing stored → `CatalogueRefusedError`.
 */
export async function startPayment(
  services: ServiceContext,
  user: AuthUser,
  input: NewPayment,
  callbackUrl: string,
  options: { related?: (paymentId: string) => BatchItem<"pg">[]; accepts?: SQL } = {},
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
  const insert = services.db.execute<Record<string, unknown>>(sql`
    insert into ${payments} (id, user_id, service_type, amount, payment_method, phone_number, transaction_id, status, gateway_payment_id, gateway_response)
    select ${values.id}::uuid, ${values.userId}::uuid, s.code, ${values.amount}::numeric(12, 2), ${values.paymentMethod}, ${values.phoneNumber},
           ${values.transactionId}, 'processing', ${created.payment.gatewayPaymentId}, ${JSON.stringify(created.payment.raw ?? null)}::jsonb
    from ${payableServices} s
    where s.code = ${values.serviceType} and ${options.accepts ?? sql`true`}
    returning *`);
  const [{ rows }] = await services.db.batch([insert, ...(options.related?.(values.id) ?? [])]);
  if (!rows[0]) throw new CatalogueRefusedError();
  return { payment: fromSqlRow(payments, rows[0]), paymentUrl: created.payment.redirectUrl };
}

/** The catalogue, as the database has it at the INSERT, no longer accepts the payment (it changed meanwhile). */
export class CatalogueRefusedError extends Error {
  constructor() {
    super("the payable-services catalogue refused the payment");
    this.name = "CatalogueRefusedError";
  }
}

/**
 * `POST /payments/process`: a city fee. `serviceType` is what the client sent — a code, the English
 * name in any case and spacing, or the Bengali name. The service and its fee rule are checked
 * before the gateway is asked anything, against this isolate's copy of the catalogue (read from the
 * database at most once a minute, and again whenever that copy would refuse), and again by the
 * INSERT itself: so the request costs one round trip, a refusal names its reason — 400 on
 * `service_type` (unknown, inactive, donation) or on `amount` (with the rule in words) — and a
 * payment is only ever stored under the catalogue's current rules.
 */
export async function startServicePayment(services: ServiceContext, user: AuthUser, input: NewPayment, callbackUrl: string): Promise<StartedPayment> {
  gatewayFor(services, input.method); // an unavailable method is refused first (422)
  const service = await acceptingService(services, input.serviceType, input.amount);
  try {
    return await startPayment(services, user, { ...input, serviceType: service.code }, callbackUrl, { accepts: acceptsSql(input.amount) });
  } catch (err) {
    if (!(err instanceof CatalogueRefusedError)) throw err;
    await acceptingService(services, input.serviceType, input.amount, true); // throws the current reason
    throw validationError({ service_type: [SERVICE_NOT_FOUND_DETAIL] }, "payment_service_unknown");
  }
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
  else {
    conditions.push(staffMayReadPayment(viewer));
    if (filters.user_id) conditions.push(eq(payments.userId, filters.user_id));
  }
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

/** Staff read payments of payers in the wards they hold `payments.read` for (a payment's ward is its payer's). */
function staffMayReadPayment(viewer: AuthUser): SQL {
  return inStaffWards(viewer, "payments", "read", sql`(select u.ward_number from users u where u.id = ${payments.userId})`);
}

/** The owner and staff who may read it may see a payment; anyone else is told it does not exist. */
export async function getVisiblePayment(services: ServiceContext, viewer: AuthUser, id: string): Promise<PaymentRow> {
  const visible = isStaff(viewer) ? or(eq(payments.userId, viewer.id), staffMayReadPayment(viewer)) : eq(payments.userId, viewer.id);
  const [row] = await services.db.select().from(payments).where(and(eq(payments.id, id), visible)).limit(1);
  if (!row) throw new ApiError("not_found");
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
