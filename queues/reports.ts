/** Consumer of the `reports` queue: builds each requested report (src/modules/dashboard/reports.service.ts). */
import { withServiceContext } from "../src/context";
import { buildReport, markReportFailed, MAX_BUILD_ATTEMPTS } from "../src/modules/dashboard/reports.service";

export async function consumeReports(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const taskId = (message.body as { task_id?: unknown })?.task_id;
    if (typeof taskId !== "string" || !/^[0-9a-f-]{36}$/i.test(taskId)) {
      message.ack(); // not ours to build; nothing to retry
      continue;
    }
    try {
      await withServiceContext(env, (services) => buildReport(services, taskId));
      message.ack();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      console.error(JSON.stringify({ level: "error", msg: "report build failed", task_id: taskId, attempt: message.attempts, error: reason.slice(0, 200) }));
      if (message.attempts >= MAX_BUILD_ATTEMPTS) {
        await withServiceContext(env, (services) => markReportFailed(services, taskId, "The report could not be built; please request it again."));
        message.ack();
      } else message.retry({ delaySeconds: 2 ** message.attempts });
    }
  }
}
