/**
 * Runs in Node before the suite: a throwaway embedded PostgreSQL (fresh data dir, migrated), the
 * relay in front of it (WebSocket and SQL over HTTP; and a second, pausable one for the outage tests), a fake SSL
 * Wireless gateway and the bKash sandbox. Their addresses
 * are provided to the workerd side through `inject`.
 */
import { mkdtempSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../scripts/lib/migrate";
import { startPostgres } from "../../scripts/lib/postgres";
import { startRelay } from "../../scripts/lib/relay";
import { startBkashSandbox } from "../../scripts/sandbox/bkash-sandbox";
import { startFcmSandbox } from "../../scripts/sandbox/fcm-sandbox";
import { startFakeSslWireless } from "./fake-sslwireless";
import { startOutageRelay } from "./outage-relay";
import { filterRuntimeNoise } from "./runtime-noise";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    relayAddress: string;
    fakeSmsGatewayUrl: string;
    bkashSandboxUrl: string;
    bkashVars: Record<string, string>;
    fcmSandboxUrl: string;
    fcmVars: Record<string, string>;
    /** A relay to the same database that a test may cut off (chat outage test; see outage-relay.ts). */
    outageRelayAddress: string;
    outageControlUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const noise = [filterRuntimeNoise(process.stderr), filterRuntimeNoise(process.stdout)];
  // /tmp is world-traversable, so this works as root too (Postgres then runs as `postgres`).
  const base = mkdtempSync(join(tmpdir(), "clean-care-test-"));
  chmodSync(base, 0o755);
  const logs: string[] = [];
  const db = await startPostgres({ dataDir: join(base, "pg"), database: "clean_care_test", persistent: false, fast: true, log: (l) => logs.push(l) }).catch(
    (err) => {
      console.error(logs.join("\n"));
      throw err;
    },
  );
  await applyMigrations(db.url);
  const relay = await startRelay({ host: db.host, port: db.port });
  const sms = await startFakeSslWireless();
  const bkash = await startBkashSandbox();
  const fcm = await startFcmSandbox();
  const outage = await startOutageRelay({ host: db.host, port: db.port });

  project.provide("databaseUrl", db.url);
  project.provide("relayAddress", relay.address);
  project.provide("fakeSmsGatewayUrl", sms.url);
  project.provide("bkashSandboxUrl", bkash.url);
  project.provide("bkashVars", bkash.workerVars());
  project.provide("fcmSandboxUrl", fcm.url);
  project.provide("fcmVars", fcm.workerVars());
  project.provide("outageRelayAddress", outage.relayAddress);
  project.provide("outageControlUrl", outage.controlUrl);

  return async () => {
    await outage.close();
    await bkash.close();
    await fcm.close();
    await sms.close();
    await relay.close();
    await db.stop();
    const dropped = noise.reduce((sum, filter) => sum + filter.dropped(), 0);
    noise.forEach((filter) => filter.restore());
    if (dropped > 0) console.log(`(${dropped} lines of expected runtime noise — sockets closed, database cut off, objects evicted by tests — were hidden; SHOW_RUNTIME_NOISE=1 shows them)`);
  };
}
