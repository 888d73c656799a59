// Variables that exist only in the test worker (see vitest.config.ts).
declare namespace Cloudflare {
  interface Env {
    FAKE_SMS_GATEWAY_URL: string;
    /** Origin of the bKash sandbox (scripts/sandbox/bkash-sandbox.ts), for its /__control endpoints. */
    BKASH_SANDBOX_URL: string;
    /** Set from the sandbox by vitest.config.ts (in production: `wrangler secret put`, see docs/payments.md). */
    BKASH_BASE_URL?: string;
    BKASH_APP_KEY?: string;
    BKASH_APP_SECRET?: string;
    BKASH_USERNAME?: string;
    BKASH_PASSWORD?: string;
    /** Origin of the FCM stand-in (scripts/sandbox/fcm-sandbox.ts), for its /__control endpoints. */
    FCM_SANDBOX_URL: string;
    FCM_SERVICE_ACCOUNT?: string;
    FCM_API_URL?: string;
    /** Control of the relay the `outage` project's worker uses (test/node/outage-relay.ts). */
    OUTAGE_CONTROL_URL: string;
  }
}
