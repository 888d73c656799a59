/** Consumer of the `sms` queue and of its dead-letter queue. */
import { withServiceContext } from "../src/context";
import { deliverSmsBatch, recordDeadLetters } from "../src/modules/sms/sms.service";

export const consumeSms = (batch: MessageBatch<unknown>, env: Env) => withServiceContext(env, (services) => deliverSmsBatch(services, batch));

export const consumeSmsDeadLetters = (batch: MessageBatch<unknown>, env: Env) =>
  withServiceContext(env, (services) => recordDeadLetters(services, batch));
