/** Consumer of the `payment-callbacks` queue and of its dead-letter queue. */
import { withServiceContext } from "../src/context";
import { recordCallbackDeadLetters, settleCallbackBatch } from "../src/modules/payments/callbacks.service";

export const consumePaymentCallbacks = (batch: MessageBatch<unknown>, env: Env) => withServiceContext(env, (services) => settleCallbackBatch(services, batch));

export const consumePaymentCallbackDeadLetters = (batch: MessageBatch<unknown>, env: Env) =>
  withServiceContext(env, (services) => recordCallbackDeadLetters(services, batch));
