/**
 * The suite runs inside workerd (vitest-pool-workers) with the real bindings from wrangler.toml
 * (R2, Queues, Durable Objects, local), against a real PostgreSQL reached through the Neon driver
 * and the local relay. test/node/global-setup.ts starts the database, relays and the fake SMS
 * gateway in Node and provides their addresses; they become the worker's variables here.
 *
 * Two projects run the same worker:
 *  - `workers`: every test file, through the ordinary relay;
 *  - `outage`: only `*.outage.test.ts`, through a second relay that the test cuts off and restores,
 *    so the database outage it stages is real for that worker and invisible to every other file.
 */
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

type Inject = (key: "databaseUrl" | "relayAddress" | "fakeSmsGatewayUrl" | "outageRelayAddress" | "outageControlUrl") => string;

const worker = (relay: "relayAddress" | "outageRelayAddress") =>
  cloudflareTest(({ inject }: { inject: Inject }) => ({
    main: "./src/index.ts",
    wrangler: { configPath: "./wrangler.toml" },
    miniflare: {
      bindings: {
        ENVIRONMENT: "development",
        LOG_LEVEL: "warn",
        DATABASE_URL: inject("databaseUrl"),
        DB_RELAY_URL: inject(relay),
        JWT_SECRET: "test-jwt-secret-0123456789abcdef0123456789",
        OTP_HASH_KEY: "test-otp-key-0123456789abcdef0123456789ab",
        SMS_PROVIDER: "outbox",
        FAKE_SMS_GATEWAY_URL: inject("fakeSmsGatewayUrl"),
        OUTAGE_CONTROL_URL: inject("outageControlUrl"),
        CORS_ORIGINS: "https://app.cleancare.test",
      },
    },
  }));

const OUTAGE_TESTS = "**/*.outage.test.ts";

export default defineConfig({
  test: {
    globalSetup: ["./test/node/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        plugins: [worker("relayAddress")],
        test: {
          name: "workers",
          include: ["src/**/*.test.ts", "queues/**/*.test.ts", "durable-objects/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["test/e2e/**", "node_modules/**", OUTAGE_TESTS],
        },
      },
      {
        extends: true,
        plugins: [worker("outageRelayAddress")],
        test: {
          name: "outage",
          include: [OUTAGE_TESTS],
          exclude: ["node_modules/**"],
        },
      },
    ],
  },
});
