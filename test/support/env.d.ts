// Variables that exist only in the test worker (see vitest.config.ts).
declare namespace Cloudflare {
  interface Env {
    FAKE_SMS_GATEWAY_URL: string;
    /** Origin of the bKash sandbox (scripts/sandbox/bkash-sandbox.ts), for its /__control endpoints. */
    BKASH_SANDBOX_URL: string;
  }
}
