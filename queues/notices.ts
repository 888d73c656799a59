/** Consumer of the `notices` queue: up to PAGES_PER_MESSAGE keyset pages of an urgent notice's broadcast per message. */
import { withServiceContext } from "../src/context";
import { BROADCAST_PAGE_SIZE, PAGES_PER_MESSAGE, broadcastNoticePage, isNoticeBroadcastJob } from "../src/modules/notices/notice-broadcast.service";

export async function consumeNoticeBroadcasts(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    if (!isNoticeBroadcastJob(message.body)) {
      console.error(JSON.stringify({ level: "error", msg: "malformed notice broadcast job dropped", id: message.id }));
      message.ack();
      continue;
    }
    const job = message.body;
    try {
      await withServiceContext(env, (services) => broadcastNoticePage(services, job, BROADCAST_PAGE_SIZE, PAGES_PER_MESSAGE));
      message.ack();
    } catch (err) {
      console.warn(JSON.stringify({ level: "warn", msg: "notice broadcast page failed", notice_id: job.notice_id, attempts: message.attempts, error: String(err).slice(0, 200) }));
      message.retry({ delaySeconds: Math.min(300, 5 * 2 ** Math.max(0, message.attempts - 1)) });
    }
  }
}
