import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { enumCatalog } from "../../lib/enums";
import { payableServices } from "./payable-services";
import { users } from "./users";

const values = (name: keyof typeof enumCatalog) => sql.raw(enumCatalog[name].map((v) => `'${v.value}'`).join(", "));

/**
 * One row per attempt to pay (city fees and donations alike). Financial records are never deleted
 * with their user (users are deactivated, not deleted), hence `restrict` where the seeds cascaded.
 *
 * The status moves pending → processing (gateway created it) → completed | failed | cancelled, and
 * completed → refunded once refunds reach the amount. Only a pending/processing row can be settled:
 * every settling UPDATE carries that guard, which is what makes completion happen exactly once.
 */
export const payments = pgTable(
  "payments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    /** A payable_services code (`holding_tax`, `donation`, …), whatever spelling the client sent. */
    serviceType: varchar("service_type", { length: 50 })
      .notNull()
      .references(() => payableServices.code, { onDelete: "restrict" }),
    amount: numeric("amount", { precision: 12, scale: 2 }).notNull(),
    paymentMethod: varchar("payment_method", { length: 20 }).notNull(),
    /** The payer's wallet number (+8801…), sent to the gateway as payerReference. */
    phoneNumber: varchar("phone_number", { length: 20 }).notNull(),
    /** Ours: the merchant invoice number the gateway echoes back, checked on completion. */
    transactionId: varchar("transaction_id", { length: 40 }).notNull().unique(),
    /** The gateway's id of the payment session (bKash `paymentID`), used for execute/query. */
    gatewayPaymentId: varchar("gateway_payment_id", { length: 100 }),
    /** The gateway's transaction id once money moved (bKash `trxID`), needed for refunds. */
    gatewayTransactionId: varchar("gateway_transaction_id", { length: 100 }),
    status: varchar("status", { length: 20 }).notNull().default("pending"),
    /** The last gateway answer that decided something, without secrets. */
    gatewayResponse: jsonb("gateway_response"),
    failureReason: text("failure_reason"),
    refundedAmount: numeric("refunded_amount", { precision: 12, scale: 2 }).notNull().default("0"),
    /**
     * Who may call the gateway's execute: the first success callback claims it, so duplicates do not
     * execute again. A claim older than twice the gateway timeout can be taken over (the holder died).
     */
    executeClaimedBy: varchar("execute_claimed_by", { length: 64 }),
    executeClaimedAt: timestamp("execute_claimed_at", { withTimezone: true }),
    /** When the gateway was last asked about this payment; reconciliation waits 15 minutes between checks. */
    lastCheckedAt: timestamp("last_checked_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    index("idx_payments_user_created").on(t.userId, t.createdAt.desc()),
    index("idx_payments_created_at").on(t.createdAt.desc()),
    // The staff list's service filter, and the "is this service referenced?" check before deleting one.
    index("idx_payments_service_created").on(t.serviceType, t.createdAt.desc()),
    // Reconciliation scans only unsettled rows.
    index("idx_payments_unsettled").on(t.createdAt).where(sql`${t.status} in ('pending', 'processing')`),
    uniqueIndex("payments_gateway_payment_unique").on(t.paymentMethod, t.gatewayPaymentId),
    check("payments_amount_check", sql`${t.amount} > 0`),
    check("payments_refunded_amount_check", sql`${t.refundedAmount} >= 0 and ${t.refundedAmount} <= ${t.amount}`),
    check("payments_method_check", sql`${t.paymentMethod} in (${values("payment_method")})`),
    check("payments_status_check", sql`${t.status} in (${values("payment_status")})`),
    check("payments_phone_check", sql`${t.phoneNumber} ~ '^\\+8801[3-9][0-9]{8}$'`),
  ],
);

/** Every call to a payment gateway (the seeds' PAYMENT_LOG): what, how it went, how long, the answer without secrets. */
export const paymentLogs = pgTable(
  "payment_logs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Null for calls that concern no single payment (token grant/refresh). */
    paymentId: uuid("payment_id").references(() => payments.id, { onDelete: "cascade" }),
    gateway: varchar("gateway", { length: 20 }).notNull(),
    /** grant_token, refresh_token, create, execute, query, refund, refund_status; or verification (our own check). */
    operation: varchar("operation", { length: 30 }).notNull(),
    httpStatus: integer("http_status"),
    /** The gateway's own status code (bKash `statusCode`, e.g. "0000", "2062"). */
    statusCode: varchar("status_code", { length: 20 }),
    success: boolean("success").notNull(),
    latencyMs: integer("latency_ms").notNull(),
    request: jsonb("request"),
    response: jsonb("response"),
    error: text("error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("idx_payment_logs_payment_created").on(t.paymentId, t.createdAt)],
);

/**
 * Refunds of a completed payment, full or partial. A `pending` row reserves its amount while the
 * gateway is asked, so concurrent refunds can never add up to more than was paid.
 */
export const paymentRefunds = pgTable(
  "payment_refunds",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    paymentId: uuid("payment_id")
      .notNull()
      .references(() => payments.id, { onDelete: "restrict" }),
    amount: numeric("amount", { precision: 12, scale: 2 }).notNull(),
    reason: text("reason").notNull(),
    status: varchar("status", { length: 20 }).notNull().default("pending"),
    /** The client's Idempotency-Key: a repeated request with the same key returns this refund. */
    idempotencyKey: varchar("idempotency_key", { length: 100 }),
    gatewayRefundId: varchar("gateway_refund_id", { length: 100 }),
    failureReason: text("failure_reason"),
    requestedBy: uuid("requested_by")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    completedAt: timestamp("completed_at", { withTimezone: true }),
  },
  (t) => [
    index("idx_payment_refunds_payment").on(t.paymentId, t.createdAt),
    uniqueIndex("payment_refunds_idempotency_unique").on(t.paymentId, t.idempotencyKey),
    check("payment_refunds_amount_check", sql`${t.amount} > 0`),
    check("payment_refunds_status_check", sql`${t.status} in ('pending', 'completed', 'failed')`),
  ],
);

/** City projects citizens can donate to. The amount raised is summed from donations, never stored twice. */
export const donationProjects = pgTable(
  "donation_projects",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: varchar("name", { length: 200 }).notNull().unique(),
    nameBn: varchar("name_bn", { length: 200 }),
    description: text("description"),
    goalAmount: numeric("goal_amount", { precision: 12, scale: 2 }).notNull(),
    isActive: boolean("is_active").notNull().default(true),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("donation_projects_goal_check", sql`${t.goalAmount} > 0`)],
);

/**
 * A donation is a payment (service_type `donation`) plus what is particular to giving: the project,
 * a message, and the receipt number `DN<YYYYMMDD><NNNN>` given in the transaction that completes
 * the payment. Its status is the payment's.
 */
export const donations = pgTable(
  "donations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "restrict" }),
    projectId: uuid("project_id")
      .notNull()
      .references(() => donationProjects.id, { onDelete: "restrict" }),
    paymentId: uuid("payment_id")
      .notNull()
      .unique()
      .references(() => payments.id, { onDelete: "restrict" }),
    message: text("message"),
    receiptNumber: varchar("receipt_number", { length: 20 }).unique(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("idx_donations_user_created").on(t.userId, t.createdAt.desc()), index("idx_donations_project").on(t.projectId)],
);
