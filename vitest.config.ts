/**
 * The suite runs inside workerd (vitest-pool-workers) with the real bindings from wrangler.toml
 * (R2, Queues, Durable Objects, local), against a real PostgreSQL reached through the Neon driver
 * and the local relay. test/node/global-setup.ts starts the database, relays, the fake SMS gateway
 * and the bKash sandbox in Node and provides their addresses; they become the worker's variables.
 *
 * Two projects run the same worker:
 *  - `workers`: every test file, through the ordinary relay;
 *  - `outage`: only `*.outage.test.ts`, through a second relay that the test cuts off and restores,
 *    so the database outage it stages is real for that worker and invisible to every other file.
 */
import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import type { inject as vitestInject } from "vitest";
import { defineConfig, type TestProjectInlineConfiguration } from "vitest/config";

const worker = (relay: "relayAddress" | "outageRelayAddress") =>
  cloudflareTest(({ inject }: { inject: typeof vitestInject }) => ({
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
        ...inject("bkashVars"),
        BKASH_SANDBOX_URL: inject("bkashSandboxUrl"),
        ...inject("fcmVars"),
        FCM_SANDBOX_URL: inject("fcmSandboxUrl"),
        // Short, so that "slow gateway" tests time out quickly; real bKash calls get 30 s.
        PAYMENT_GATEWAY_TIMEOUT_MS: "2500",
        PAYMENT_RETURN_URL: "cleancare://payments/result",
      },
    },
  }));

const OUTAGE_TESTS = "**/*.outage.test.ts";
/** `npm run bench:report` (BENCH_REPORT=1): only the opt-in report benchmark, nothing else. */
const BENCH_REPORT = process.env.BENCH_REPORT === "1";

const benchProject: TestProjectInlineConfiguration = {
  extends: true,
  plugins: [worker("relayAddress")],
  test: { name: "bench-report", include: ["test/bench/report-100k.bench.ts"], testTimeout: 600_000, hookTimeout: 600_000 },
};

export default defineConfig({
  test: {
    globalSetup: ["./test/node/global-setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: BENCH_REPORT
      ? [benchProject]
      : [
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
              // These files share one relay and each cuts it off: one at a time, or one test's outage
              // (or its resume) would land in the middle of another's.
              fileParallelism: false,
              exclude: ["node_modules/**"],
            },
          },
        ],
  },
});
