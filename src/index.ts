/**
 * The Worker entry: `fetch` serves the REST API (and the static assets' fallbacks, src/static-assets.ts), `queue` dispatches each batch to the consumer of
 * its queue, `scheduled` runs the cron jobs (payment reconciliation, due notice broadcasts), and the Durable Object classes
 * are re-exported for their bindings.
 */
import { consumePaymentCallbackDeadLetters, consumePaymentCallbacks } from "../queues/payment-callbacks";
import { consumeNoticeBroadcasts } from "../queues/notices";
import { consumeNotifications } from "../queues/notifications";
import { consumeReports } from "../queues/reports";
import { consumeSms, consumeSmsDeadLetters } from "../queues/sms";
import { createApp, normalizeRequest } from "./app";
import { withServiceContext } from "./context";
import { isAssetPath, serveAsset } from "./static-assets";
import { sweepGalleryObjects } from "./modules/gallery/gallery.service";
import { releaseDueNoticeBroadcasts } from "./modules/notices/notice-broadcast.service";
import { sweepUndelivered } from "./modules/notifications/delivery.service";
import { reconcileStalePayments } from "./modules/payments/reconciliation.service";

export { ChatRoom } from "../durable-objects/chat-room";
export { EmergencyDesk } from "../durable-objects/emergency-desk";
export { PushAuth } from "../durable-objects/push-auth";

const app = createApp();

/** Queue name → consumer. Names match wrangler.toml (production and local alike). */
const consumers: Record<string, (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => Promise<void>> = {
  "clean-care-sms": consumeSms,
  "clean-care-sms-dlq": consumeSmsDeadLetters,
  "clean-care-payment-callbacks": consumePaymentCallbacks,
  "clean-care-payment-callbacks-dlq": consumePaymentCallbackDeadLetters,
  "clean-care-reports": consumeReports,
  "clean-care-notices": consumeNoticeBroadcasts,
  "clean-care-notifications": consumeNotifications,
};

export default {
  fetch(request, env, ctx) {
    if (isAssetPath(new URL(request.url).pathname)) return serveAsset(request, env);
    return app.fetch(normalizeRequest(request), env, ctx);
  },
  async queue(batch, env, ctx) {
    const consume = consumers[batch.queue];
    if (!consume) {
      console.error(JSON.stringify({ level: "error", msg: "no consumer for queue", queue: batch.queue }));
      batch.retryAll();
      return;
    }
    await consume(batch, env, ctx);
  },
  /**
   * Every cron trigger in wrangler.toml: payment reconciliation, the release of scheduled urgent
   * notices' broadcasts, and the notification outbox's sweep (rows whose queue nudge was lost). Independent jobs: one failing does not stop the other (both are reported).
   */
  async scheduled(_controller, env) {
    const results = await Promise.allSettled([
      withServiceContext(env, (services) => reconcileStalePayments(services)),
      withServiceContext(env, (services) => releaseDueNoticeBroadcasts(services)),
      withServiceContext(env, (services) => sweepUndelivered(services)),
      withServiceContext(env, (services) => sweepGalleryObjects(services)),
    ]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
    if (failed) throw failed.reason;
  },
} satisfies ExportedHandler<Env>;
