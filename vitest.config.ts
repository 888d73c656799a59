/**
 * The suite runs inside workerd (vitest-pool-workers) with the real bindings from wrangler.toml
 * (R2, Queues, Durable Objects, local), against a real PostgreSQL reached through the Neon driver
 * and the local relay. test/node/global-setup.ts starts the database, relay, the fake SMS gateway and
 * the bKash sandbox in Node and provides their addresses; they become the worker's variables here.
 */
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      main: "./src/index.ts",
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: {
          ENVIRONMENT: "development",
          LOG_LEVEL: "warn",
          DATABASE_URL: inject("databaseUrl"),
          DB_RELAY_URL: inject("relayAddress"),
          JWT_SECRET: "test-jwt-secret-0123456789abcdef0123456789",
          OTP_HASH_KEY: "test-otp-key-0123456789abcdef0123456789ab",
          SMS_PROVIDER: "outbox",
          FAKE_SMS_GATEWAY_URL: inject("fakeSmsGatewayUrl"),
          CORS_ORIGINS: "https://app.cleancare.test",
          ...inject("bkashVars"),
          BKASH_SANDBOX_URL: inject("bkashSandboxUrl"),
          // Short, so that "slow gateway" tests time out quickly; real bKash calls get 30 s.
          PAYMENT_GATEWAY_TIMEOUT_MS: "2500",
          PAYMENT_RETURN_URL: "cleancare://payments/result",
        },
      },
    })),
  ],
  test: {
    globalSetup: ["./test/node/global-setup.ts"],
    include: ["src/**/*.test.ts", "queues/**/*.test.ts", "durable-objects/**/*.test.ts", "test/**/*.test.ts"],
    exclude: ["test/e2e/**", "node_modules/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
