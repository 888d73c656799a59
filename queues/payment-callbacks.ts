/** Consumer of the `payment-callbacks` queue and of its dead-letter queue. */
import { createServiceContext } from "../src/context";
import { recordCallbackDeadLetters, settleCallbackBatch } from "../src/modules/payments/callbacks.service";

export async function consumePaymentCallbacks(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const services = createServiceContext(env);
  try {
    await settleCallbackBatch(services, batch);
  } finally {
    await services.close();
  }
}

export async function consumePaymentCallbackDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const services = createServiceContext(env);
  try {
    await recordCallbackDeadLetters(services, batch);
  } finally {
    await services.close();
  }
}
