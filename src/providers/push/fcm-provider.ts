/**
 * Firebase Cloud Messaging HTTP v1: `POST {FCM_API_URL}/v1/projects/{project_id}/messages:send` with
 * an OAuth access token for the service account. The token comes from the PushAuth Durable Object
 * (durable-objects/push-auth.ts), which signs the JWT assertion, exchanges it at the account's
 * `token_uri` and shares the answer with every request and consumer until shortly before it
 * expires. Production and local differ only in FCM_API_URL and the service account (whose
 * `token_uri` points at the stand-in locally).
 */
import { PushSendError, type PushMessage, type PushProvider } from "./push-provider";

interface FcmErrorBody {
  error?: { code?: number; status?: string; message?: string; details?: Array<{ "@type"?: string; errorCode?: string }> };
}

export class FcmProvider implements PushProvider {
  readonly name = "fcm";

  constructor(
    private readonly apiUrl: string,
    private readonly projectId: string,
    /** The shared access token (the PushAuth object, or anything with the same method). */
    private readonly auth: { accessToken(rejected?: string): Promise<string> },
    private readonly timeoutMs = 10_000,
  ) {}

  async send(message: PushMessage): Promise<string> {
    let token = await this.auth.accessToken();
    let res = await this.post(message, token);
    if (res.status === 401) {
      // The token was revoked or expired early: one fresh token, one more try.
      token = await this.auth.accessToken(token);
      res = await this.post(message, token);
    }
    if (res.ok) return ((await res.json()) as { name: string }).name;
    const body = (await res.json().catch(() => ({}))) as FcmErrorBody;
    const code = body.error?.details?.find((d) => d.errorCode)?.errorCode ?? body.error?.status ?? `HTTP ${res.status}`;
    if (code === "UNREGISTERED" || (res.status === 400 && code === "INVALID_ARGUMENT") || res.status === 404) {
      throw new PushSendError("invalid_token", `fcm: ${code}`);
    }
    const retryAfter = Number(res.headers.get("retry-after"));
    throw new PushSendError("retry", `fcm: ${code}`, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined);
  }

  private async post(message: PushMessage, accessToken: string): Promise<Response> {
    try {
      return await fetch(`${this.apiUrl}/v1/projects/${this.projectId}/messages:send`, {
        method: "POST",
        headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify({
          message: {
            token: message.token,
            notification: { title: message.title, body: message.body },
            data: message.data,
            android: { priority: message.urgent ? "high" : "normal", notification: { channel_id: message.urgent ? "emergency" : "default" } },
            apns: { headers: { "apns-priority": message.urgent ? "10" : "5" }, payload: { aps: { sound: "default", ...(message.urgent ? { "interruption-level": "time-sensitive" } : {}) } } },
          },
        }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new PushSendError("retry", `fcm: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}
