/**
 * Gateway callbacks: the route only validates and enqueues (it changes nothing); the consumer of the
 * `payment-callbacks` queue settles through settlement.service.ts, retrying gateway outages with
 * backoff. After the last retry the message goes to the dead-letter queue, whose consumer records
 * it; the payment then waits for reconciliation (reconciliation.service.ts).
 */
import { and, eq } from "drizzle-orm";
import { z } from "@hono/zod-openapi";
import type { ServiceContext } from "../../context";
import type { Queryable } from "../../db/client";
import { paymentLogs, payments } from "../../db/schema";
import type { PaymentRow } from "../../db/types";
import { OPEN_STATUSES, settlePayment } from "./settlement.service";

export const CALLBACK_STATUSES = ["success", "failure", "cancel"] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

/** The queue message: which gateway, its payment id (bKash paymentID), and what the redirect said. */
export interface PaymentCallbackJob {
  gateway: string;
  payment_id: string;
  status: CallbackStatus;
  received_at: string;
}

/** The parameters bKash appends to the callback URL. */
export const callbackParamsSchema = z.object({
  paymentID: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, "paymentID must be 1–100 letters, digits, '-' or '_'.")
    .openapi({ example: "TR0011ab12cd341765275163828" }),
  status: z.enum(CALLBACK_STATUSES),
});

export async function findPaymentByGatewayId(db: Queryable, gateway: string, gatewayPaymentId: string): Promise<PaymentRow | undefined> {
  const [row] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.paymentMethod, gateway), eq(payments.gatewayPaymentId, gatewayPaymentId)))
    .limit(1);
  return row;
}

/**
 * Hands a callback to the queue. One indexed read finds our payment id (for the app's return link);
 * a callback for a payment we never created, or one already settled, needs no verification and is
 * not enqueued (a storm of duplicate redirects after completion costs one read each).
 */
export async function receiveCallback(services: ServiceContext, gateway: string, params: { paymentID: string; status: CallbackStatus }): Promise<{ paymentId?: string }> {
  const payment = await findPaymentByGatewayId(services.db, gateway, params.paymentID);
  if (!payment) {
    console.warn(JSON.stringify({ level: "warn", msg: "callback for an unknown payment", gateway, gateway_payment_id: params.paymentID }));
    return {};
  }
  if ((OPEN_STATUSES as readonly string[]).includes(payment.status)) {
    const job: PaymentCallbackJob = { gateway, payment_id: params.paymentID, status: params.status, received_at: new Date().toISOString() };
    await services.env.PAYMENT_CALLBACK_QUEUE.send(job, { contentType: "json" });
  }
  return { paymentId: payment.id };
}

/** Backoff while the gateway is down or the payment is still moving: 5 s, 10 s, 20 s, … capped at 5 minutes. */
export function callbackRetryDelaySeconds(attempts: number): number {
  return Math.min(300, 5 * 2 ** Math.max(0, attempts - 1));
}

export function isCallbackJob(body: unknown): body is PaymentCallbackJob {
  const b = body as PaymentCallbackJob;
  return (
    typeof b === "object" &&
    b !== null &&
    typeof b.gateway === "string" &&
    typeof b.payment_id === "string" &&
    (CALLBACK_STATUSES as readonly string[]).includes(b.status)
  );
}

/** The consumer: every message of the batch is settled concurrently, and acked or retried on its own. */
export async function settleCallbackBatch(services: ServiceContext, batch: MessageBatch<unknown>): Promise<void> {
  await Promise.all(batch.messages.map((msg) => settleMessage(services, msg)));
}

async function settleMessage(services: ServiceContext, msg: Message<unknown>): Promise<void> {
  if (!isCallbackJob(msg.body)) {
    console.error(JSON.stringify({ level: "error", msg: "malformed payment callback dropped", id: msg.id }));
    msg.ack();
    return;
  }
  const job = msg.body;
  try {
    const payment = await findPaymentByGatewayId(services.db, job.gateway, job.payment_id);
    if (!payment) {
      console.warn(JSON.stringify({ level: "warn", msg: "callback for an unknown payment", gateway: job.gateway, gateway_payment_id: job.payment_id }));
      msg.ack();
      return;
    }
    // The claimant is the message id, which stays the same across redeliveries of this message.
    await settlePayment(services, payment, job.status, `callback:${msg.id}`);
    msg.ack();
  } catch (err) {
    // Gateway outage, an execute that went unanswered, a database hiccup: all worth another try.
    console.warn(
      JSON.stringify({ level: "warn", msg: "payment callback will be retried", id: msg.id, attempts: msg.attempts, gateway_payment_id: job.payment_id, reason: String(err) }),
    );
    msg.retry({ delaySeconds: callbackRetryDelaySeconds(msg.attempts) });
  }
}

/** The dead-letter consumer: records each exhausted callback in the payment log; reconciliation takes over. */
export async function recordCallbackDeadLetters(services: ServiceContext, batch: MessageBatch<unknown>): Promise<void> {
  for (const msg of batch.messages) {
    if (isCallbackJob(msg.body)) {
      const job = msg.body;
      const payment = await findPaymentByGatewayId(services.db, job.gateway, job.payment_id);
      console.error(JSON.stringify({ level: "error", msg: "payment callback dead-lettered", gateway_payment_id: job.payment_id, payment_id: payment?.id, attempts: msg.attempts }));
      await services.db.insert(paymentLogs).values({
        paymentId: payment?.id,
        gateway: job.gateway.slice(0, 20),
        operation: "callback_dead_letter",
        success: false,
        latencyMs: 0,
        request: job as unknown as Record<string, unknown>,
        error: `retries exhausted after ${msg.attempts} attempts; left to reconciliation`,
      });
    }
    msg.ack();
  }
}
