/** Consumer of the `sms` queue and of its dead-letter queue. */
import { createServiceContext } from "../src/context";
import { deliverSmsBatch, recordDeadLetters } from "../src/modules/sms/sms.service";

export async function consumeSms(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const services = createServiceContext(env);
  try {
    await deliverSmsBatch(services, batch);
  } finally {
    await services.close();
  }
}

export async function consumeSmsDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const services = createServiceContext(env);
  try {
    await recordDeadLetters(services, batch);
  } finally {
    await services.close();
  }
}
