/**
 * Consumer of the `notifications` queue: `deliver` messages send inbox rows by push/SMS,
 * `audience` messages expand an audience event one page at a time. Each message is acked or
 * retried on its own; a deferred delivery (quiet hours, a provider's Retry-After) is retried then.
 */
import { withServiceContext } from "../src/context";
import { deliverNotifications, expandAudience } from "../src/modules/notifications/delivery.service";
import type { NotificationJob } from "../src/modules/notifications/notify";

const MAX_DELAY_SECONDS = 12 * 3600; // the queue's limit

function isJob(body: unknown): body is NotificationJob {
  const b = body as NotificationJob;
  if (typeof b !== "object" || b === null) return false;
  if (b.kind === "deliver") return Array.isArray(b.ids) && b.ids.every((id) => typeof id === "string" && /^[0-9a-f-]{36}$/i.test(id));
  return b.kind === "audience" && typeof b.id === "string" && /^[0-9a-f-]{36}$/i.test(b.id);
}

export const consumeNotifications = (batch: MessageBatch<unknown>, env: Env) =>
  withServiceContext(env, async (services) => {
    for (const msg of batch.messages) {
      if (!isJob(msg.body)) {
        console.error(JSON.stringify({ level: "error", msg: "malformed notification job dropped", id: msg.id }));
        msg.ack();
        continue;
      }
      try {
        if (msg.body.kind === "audience") {
          await expandAudience(services, msg.body.id);
          msg.ack();
        } else {
          const outcome = await deliverNotifications(services, msg.body.ids);
          if (outcome.retryInSeconds === undefined) msg.ack();
          else msg.retry({ delaySeconds: Math.min(MAX_DELAY_SECONDS, Math.max(1, outcome.retryInSeconds)) });
        }
      } catch (err) {
        console.warn(JSON.stringify({ level: "warn", msg: "notification job will be retried", id: msg.id, attempts: msg.attempts, error: err instanceof Error ? err.message : String(err) }));
        msg.retry({ delaySeconds: Math.min(300, 5 * 2 ** Math.max(0, msg.attempts - 1)) });
      }
    }
  });
