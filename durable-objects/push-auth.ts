/**
 * The FCM access token, shared. One object (`idFromName("fcm")`) signs the service account's JWT
 * assertion (RS256, jose), exchanges it at the account's `token_uri` and hands the access token to
 * every caller until five minutes before it expires — so 100 sends cost one token request, not
 * 100 (tested). Concurrent callers during a refresh wait for the same exchange (single flight).
 * Why a Durable Object and not KV: KV is eventually consistent (a fresh token may not be visible
 * elsewhere for up to a minute, so several isolates would each fetch one) and it would hold a
 * credential at rest; the object keeps it in memory only, and a new one after eviction costs one
 * exchange. A caller whose send got 401 passes that token as `rejected` to force a new one.
 */
import { DurableObject } from "cloudflare:workers";
import { importPKCS8, SignJWT } from "jose";
import { readConfig } from "../src/env";

const SCOPE = "https://www.googleapis.com/auth/firebase.messaging";
const EARLY_REFRESH_MS = 5 * 60 * 1000;

export class PushAuth extends DurableObject<Env> {
  private cached: { token: string; expiresAt: number } | null = null;
  private inflight: Promise<string> | null = null;
  private exchanges = 0;

  async accessToken(rejected?: string): Promise<string> {
    const now = Date.now();
    if (this.cached && this.cached.token !== rejected && this.cached.expiresAt - EARLY_REFRESH_MS > now) return this.cached.token;
    this.inflight ??= this.exchange().finally(() => (this.inflight = null));
    return this.inflight;
  }

  /** How many token exchanges this object made (the token-caching test and benchmark read it). */
  async stats(): Promise<{ exchanges: number }> {
    return { exchanges: this.exchanges };
  }

  private async exchange(): Promise<string> {
    const account = readConfig(this.env).FCM_SERVICE_ACCOUNT;
    if (!account) throw new Error("FCM_SERVICE_ACCOUNT is not configured");
    this.exchanges++;
    const key = await importPKCS8(account.private_key, "RS256");
    const assertion = await new SignJWT({ scope: SCOPE })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", ...(account.private_key_id ? { kid: account.private_key_id } : {}) })
      .setIssuer(account.client_email)
      .setSubject(account.client_email)
      .setAudience(account.token_uri)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(key);
    const res = await fetch(account.token_uri, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer", assertion }).toString(),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`fcm token exchange: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
    const body = (await res.json()) as { access_token: string; expires_in: number };
    this.cached = { token: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 };
    return body.access_token;
  }
}
