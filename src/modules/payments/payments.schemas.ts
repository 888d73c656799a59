/** The payment object (contract §7) and the request fields shared by payments and donations. */
import { z } from "@hono/zod-openapi";
import type { PaymentRefundRow, PaymentRow } from "../../db/types";
import { canonicalEnumValue, enumCatalog } from "../../lib/enums";

export const PAYMENT_METHODS = enumCatalog.payment_method.map((v) => v.value) as [string, ...string[]];
export const PAYMENT_STATUSES = enumCatalog.payment_status.map((v) => v.value) as [string, ...string[]];

/** A payment method by stored value or English alias ("bKash" → "bkash"); unknown ones are a 400. */
export const paymentMethodSchema = z
  .string()
  .transform((value, ctx) => {
    const method = canonicalEnumValue("payment_method", value);
    if (!method) {
      ctx.addIssue({ code: "custom", message: `Unknown payment method. Use one of: ${PAYMENT_METHODS.join(", ")}.` });
      return z.NEVER;
    }
    return method;
  })
  .openapi({ type: "string", enum: PAYMENT_METHODS, example: "bkash" });

export const paymentSchema = z
  .object({
    id: z.string().uuid(),
    user_id: z.string().uuid(),
    service_type: z.string().openapi({ example: "holding_tax" }),
    amount: z.string().openapi({ example: "500.00" }),
    payment_method: z.enum(PAYMENT_METHODS),
    phone_number: z.string().openapi({ example: "+8801712345678" }),
    transaction_id: z.string().openapi({ example: "TXN20261122K7Q2M9XD", description: "Ours; the gateway's merchant invoice number" }),
    gateway_transaction_id: z.string().nullable().openapi({ description: "The gateway's transaction id (bKash TrxID) once paid" }),
    status: z.enum(PAYMENT_STATUSES),
    failure_reason: z.string().nullable(),
    refunded_amount: z.string().openapi({ example: "0.00", description: "Sum of completed refunds" }),
    created_at: z.string(),
    updated_at: z.string(),
    completed_at: z.string().nullable(),
  })
  .openapi("Payment");

export type PaymentDto = z.infer<typeof paymentSchema>;

export function toPaymentDto(p: PaymentRow): PaymentDto {
  return {
    id: p.id,
    user_id: p.userId,
    service_type: p.serviceType,
    amount: p.amount,
    payment_method: p.paymentMethod,
    phone_number: p.phoneNumber,
    transaction_id: p.transactionId,
    gateway_transaction_id: p.gatewayTransactionId,
    status: p.status,
    failure_reason: p.failureReason,
    refunded_amount: p.refundedAmount,
    created_at: p.createdAt.toISOString(),
    updated_at: p.updatedAt.toISOString(),
    completed_at: p.completedAt ? p.completedAt.toISOString() : null,
  };
}

/** What `POST /payments/process` and `POST /donations` answer: where to send the customer. */
export const paymentStartedSchema = z
  .object({
    payment_id: z.string().uuid(),
    transaction_id: z.string(),
    status: z.literal("processing"),
    payment_url: z.string().openapi({ description: "Open this page to pay" }),
    bkash_url: z.string().optional().openapi({ description: "Same as payment_url, for bKash payments (seed clients read it)" }),
  })
  .openapi("PaymentStarted");

export const refundSchema = z
  .object({
    id: z.string().uuid(),
    payment_id: z.string().uuid(),
    amount: z.string().openapi({ example: "100.00" }),
    reason: z.string(),
    status: z.enum(["pending", "completed", "failed"]),
    gateway_refund_id: z.string().nullable(),
    failure_reason: z.string().nullable(),
    created_at: z.string(),
    completed_at: z.string().nullable(),
  })
  .openapi("Refund");

export function toRefundDto(r: PaymentRefundRow): z.infer<typeof refundSchema> {
  return {
    id: r.id,
    payment_id: r.paymentId,
    amount: r.amount,
    reason: r.reason,
    status: r.status as "pending" | "completed" | "failed",
    gateway_refund_id: r.gatewayRefundId,
    failure_reason: r.failureReason,
    created_at: r.createdAt.toISOString(),
    completed_at: r.completedAt ? r.completedAt.toISOString() : null,
  };
}

/** The answer to starting a payment (payments and donations alike): where the app sends the payer. */
export function startedPaymentBody(payment: Pick<PaymentRow, "id" | "transactionId" | "paymentMethod">, paymentUrl: string) {
  return {
    payment_id: payment.id,
    transaction_id: payment.transactionId,
    status: "processing" as const,
    payment_url: paymentUrl,
    ...(payment.paymentMethod === "bkash" ? { bkash_url: paymentUrl } : {}),
  };
}
