/**
 * SMS leave a request only through the `sms` queue: handlers enqueue, the queue consumer sends.
 * This keeps request latency independent of the gateway and gives us retries for free.
 */
import type { ServiceContext } from "../../context";
import { smsDeadLetters } from "../../db/schema";
import { SmsSendError } from "../../providers/sms/sms-provider";
import { smsProviderFor } from "../../providers/sms";

export interface SmsJob {
  phone: string;
  text: string;
}

export async function enqueueSms(env: Env, job: SmsJob): Promise<void> {
  await env.SMS_QUEUE.send(job, { contentType: "json" });
}

/** Backoff for transient failures: 10 s, 20 s, 40 s, … capped at 10 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(600, 10 * 2 ** Math.max(0, attempts - 1));
}

function isSmsJob(body: unknown): body is SmsJob {
  return typeof body === "object" && body !== null && typeof (body as SmsJob).phone === "string" && typeof (body as SmsJob).text === "string";
}

export async function deliverSmsBatch(services: ServiceContext, batch: MessageBatch<unknown>): Promise<void> {
  const provider = smsProviderFor(services);
  for (const msg of batch.messages) {
    if (!isSmsJob(msg.body)) {
      console.error(JSON.stringify({ level: "error", msg: "malformed sms job dropped", id: msg.id }));
      msg.ack();
      continue;
    }
    try {
      await provider.send({ csmsId: msg.id, phone: msg.body.phone, text: msg.body.text });
      msg.ack();
    } catch (err) {
      const permanent = err instanceof SmsSendError && err.permanent;
      const reason = err instanceof Error ? err.message : String(err);
      console.warn(JSON.stringify({ level: "warn", msg: "sms send failed", id: msg.id, attempts: msg.attempts, permanent, reason }));
      if (permanent) {
        await recordDeadLetter(services, msg.id, msg.body, msg.attempts, `permanent: ${reason}`);
        msg.ack();
      } else {
        msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
      }
    }
  }
}

/** The dead-letter queue's consumer: every message that ran out of retries is recorded for follow-up. */
export async function recordDeadLetters(services: ServiceContext, batch: MessageBatch<unknown>): Promise<void> {
  for (const msg of batch.messages) {
    if (isSmsJob(msg.body)) await recordDeadLetter(services, msg.id, msg.body, msg.attempts, "retries exhausted");
    msg.ack();
  }
}

async function recordDeadLetter(services: ServiceContext, csmsId: string, job: SmsJob, attempts: number, reason: string) {
  await services.db
    .insert(smsDeadLetters)
    .values({ csmsId, phone: job.phone, message: job.text, attempts, reason })
    .onConflictDoNothing({ target: smsDeadLetters.csmsId });
}
