/**
 * SSL Wireless "SMS Plus" API v3 (`POST …/api/v3/send-sms`, JSON), Bangladesh's common masking gateway.
 *
 * Request:  {api_token, sid, msisdn: "8801XXXXXXXXX", sms, csms_id}
 * Response: {status: "SUCCESS"|"FAILED", status_code, error_message, smsinfo: [{sms_status, csms_id, reference_id, …}]}
 *
 * `csms_id` is unique per message on the gateway side, so a retry of a message the gateway already
 * accepted is answered with a duplicate-id error, which we treat as delivered.
 */
import { SmsSendError, type OutgoingSms, type SmsProvider } from "./sms-provider";

export interface SslWirelessConfig {
  apiUrl: string;
  apiToken: string;
  sid: string;
  timeoutMs?: number;
}

/** Gateway status codes that will fail the same way however often we retry. */
const PERMANENT_CODES = new Set([
  4001, // unauthorized (bad api_token)
  4003, // IP not whitelisted
  4025, // invalid msisdn
  4029, // invalid / unapproved sid
  4030, // message body empty or too long
]);
/** The gateway already has a message with this csms_id: our earlier attempt got through. */
const DUPLICATE_CSMS_ID = 4022;

interface SslWirelessResponse {
  status?: string;
  status_code?: number;
  error_message?: string;
}

export class SslWirelessSmsProvider implements SmsProvider {
  readonly name = "sslwireless";
  constructor(private readonly config: SslWirelessConfig) {}

  async send(sms: OutgoingSms): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.config.apiUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({
          api_token: this.config.apiToken,
          sid: this.config.sid,
          msisdn: sms.phone.replace(/^\+/, ""),
          sms: sms.text,
          csms_id: sms.csmsId,
        }),
        signal: AbortSignal.timeout(this.config.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new SmsSendError(`gateway unreachable: ${err instanceof Error ? err.message : String(err)}`, false);
    }
    if (response.status >= 500 || response.status === 429) {
      throw new SmsSendError(`gateway HTTP ${response.status}`, false);
    }
    let body: SslWirelessResponse;
    try {
      body = (await response.json()) as SslWirelessResponse;
    } catch {
      throw new SmsSendError(`gateway HTTP ${response.status} with a non-JSON body`, false);
    }
    if (body.status === "SUCCESS") return;
    const code = Number(body.status_code);
    if (code === DUPLICATE_CSMS_ID) return;
    const reason = `gateway status ${code}: ${body.error_message ?? "unknown error"}`;
    throw new SmsSendError(reason, PERMANENT_CODES.has(code) || (response.status >= 400 && response.status < 500 && response.status !== 408));
  }
}
