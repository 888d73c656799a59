/** Push delivery behind one interface: FCM HTTP v1 in production and locally (its stand-in). */

export interface PushMessage {
  token: string;
  title: string;
  body: string;
  /** FCM data values must be strings. */
  data: Record<string, string>;
  /** Emergencies: high priority on Android, time-sensitive on iOS. */
  urgent: boolean;
}

export type PushFailure =
  /** The device is gone (UNREGISTERED) or the token is not one (INVALID_ARGUMENT): remove it. */
  | "invalid_token"
  /** Try again later (QUOTA_EXCEEDED, UNAVAILABLE, 5xx, network), after `retryAfterSeconds` if given. */
  | "retry";

export class PushSendError extends Error {
  constructor(
    readonly failure: PushFailure,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = "PushSendError";
  }
}

export interface PushProvider {
  readonly name: string;
  /** Resolves with the provider's message id; throws PushSendError. */
  send(message: PushMessage): Promise<string>;
}
