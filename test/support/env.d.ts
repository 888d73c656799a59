// Variables that exist only in the test worker (see vitest.config.ts).
declare namespace Cloudflare {
  interface Env {
    FAKE_SMS_GATEWAY_URL: string;
  }
}
