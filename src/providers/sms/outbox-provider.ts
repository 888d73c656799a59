/**
 * Development provider: "sends" by recording the message in `sms_outbox`, which the dev-only
 * `GET /api/v1/dev/sms?phone=` route reads back. Idempotent by csms_id like a real gateway.
 */
import type { Database } from "../../db/client";
import { smsOutbox } from "../../db/schema";
import type { OutgoingSms, SmsProvider } from "./sms-provider";

export class OutboxSmsProvider implements SmsProvider {
  readonly name = "outbox";
  constructor(private readonly db: Database) {}

  async send(sms: OutgoingSms): Promise<void> {
    await this.db
      .insert(smsOutbox)
      .values({ csmsId: sms.csmsId, phone: sms.phone, message: sms.text })
      .onConflictDoNothing({ target: smsOutbox.csmsId });
  }
}
