// Variables that exist only in the test worker (see vitest.config.ts).
declare namespace Cloudflare {
  interface Env {
    FAKE_SMS_GATEWAY_URL: string;
    /** Control of the relay the `outage` project's worker uses (test/node/outage-relay.ts). */
    OUTAGE_CONTROL_URL: string;
  }
}
