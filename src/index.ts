/**
 * The Worker entry: `fetch` serves the REST API, `queue` dispatches each batch to the consumer of
 * its queue, and the Durable Object classes are re-exported for their bindings.
 */
import { consumeSms, consumeSmsDeadLetters } from "../queues/sms";
import { createApp, normalizeRequest } from "./app";

export { ChatRoom } from "../durable-objects/chat-room";

const app = createApp();

/** Queue name → consumer. Names match wrangler.toml (production and local alike). */
const consumers: Record<string, (batch: MessageBatch<unknown>, env: Env, ctx: ExecutionContext) => Promise<void>> = {
  "clean-care-sms": consumeSms,
  "clean-care-sms-dlq": consumeSmsDeadLetters,
};

export default {
  fetch(request, env, ctx) {
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
} satisfies ExportedHandler<Env>;
