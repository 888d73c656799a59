/** The seam between our SMS queue consumer and whoever actually delivers text messages. */
export interface OutgoingSms {
  /** Our idempotency key: the queue message id, passed to the provider (SSL Wireless `csms_id`). */
  csmsId: string;
  /** Stored format, +8801XXXXXXXXX. */
  phone: string;
  text: string;
}

export interface SmsProvider {
  readonly name: string;
  /** Resolves once the provider accepted the message; throws SmsSendError otherwise. */
  send(sms: OutgoingSms): Promise<void>;
}

/** `permanent` failures (bad number, bad credentials) are not retried; transient ones are. */
export class SmsSendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = "SmsSendError";
  }
}
