/**
 * `npm run serve`: the production-like runtime, offline. The same stack as `npm run dev`
 * (scripts/lib/stack.ts: embedded PostgreSQL or $DATABASE_URL, relay, migrations, seed, bKash
 * sandbox, the same worker variables and secrets), but the worker is
 *
 *   the bundle `npm run build` makes (dist/index.js), run in workerd through Miniflare's API with
 *   the bindings of wrangler.toml — no `wrangler dev` proxy layers, no live reload, no inspector,
 *   and $PORT is a socket of the worker itself (not Miniflare's entry/router worker).
 *
 * Everything is read from wrangler.toml (wrangler's own parser): name, compatibility date/flags,
 * [vars], R2 buckets, queue producers/consumers (batch size/timeout, retries, dead-letter queues),
 * Durable Objects (SQLite-backed per [[migrations]]) and [triggers] crons. Miniflare does not fire
 * crons, so a timer here calls the worker's `scheduled` handler at each matching minute (UTC).
 * Storage (R2, queues, DOs) is the same folder `npm run dev` uses: <data dir>/wrangler/v3.
 *
 *   PORT (default 8787), CLEAN_CARE_DATA_DIR, DATABASE_URL: as for `npm run dev`.
 *   DB_LATENCY_MS: read by the relay (an artificial delay per database round trip).
 */
import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import type { Readable } from "node:stream";
import { Log, LogLevel, Miniflare, type WorkerOptions } from "miniflare";
import { parseCron } from "./lib/cron";
import { REPO, runStack, type RuntimeContext } from "./lib/stack";

const BUNDLE = join(REPO, "dist", "index.js");

/** The parts of wrangler's parsed config serve reads (its own types are not shipped with wrangler). */
interface Config {
  name: string;
  compatibility_date: string;
  compatibility_flags: string[];
  vars: Record<string, string>;
  r2_buckets: { binding: string; bucket_name?: string }[];
  queues: {
    producers?: { binding: string; queue: string; delivery_delay?: number }[];
    consumers?: { queue: string; max_batch_size?: number; max_batch_timeout?: number; max_retries?: number; dead_letter_queue?: string; retry_delay?: number }[];
  };
  durable_objects: { bindings: { name: string; class_name: string; script_name?: string }[] };
  migrations: { new_sqlite_classes?: string[] }[];
  triggers: { crons?: string[] };
  assets?: { directory?: string; binding?: string };
  rules?: { type: string; globs: string[]; fallthrough?: boolean }[];
}

/** Miniflare types `getWorker()` with workers-types, which this project does not install. */
interface ScheduledFetcher {
  scheduled(options: { scheduledTime?: Date; cron?: string }): Promise<{ outcome: string; noRetry: boolean }>;
}

/** `npm run build` (wrangler deploy --dry-run --outdir dist); its output is shown only if it fails. */
async function build(ctx: Pick<RuntimeContext, "log">): Promise<void> {
  const started = Date.now();
  const child = spawn("npm", ["run", "--silent", "build"], {
    cwd: REPO,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`npm run build failed (exit ${code}):\n${output}`);
  const size = (statSync(BUNDLE).size / 1024 / 1024).toFixed(1);
  ctx.log(`built ${relative(process.cwd(), BUNDLE)} (${size} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Binding kinds serve maps; anything else in wrangler.toml must fail loudly, not silently go missing. */
const UNMAPPED = [
  "kv_namespaces", "d1_databases", "services", "hyperdrive", "analytics_engine_datasets", "vectorize", "workflows",
  "send_email", "dispatch_namespaces", "mtls_certificates", "pipelines", "secrets_store_secrets", "wasm_modules",
  "text_blobs", "data_blobs", "ai", "browser", "images", "version_metadata", "containers", "tail_consumers",
] as const;

function workerOptions(config: Config, vars: Record<string, string>): WorkerOptions {
  const present = UNMAPPED.filter((key) => {
    const value = (config as unknown as Record<string, unknown>)[key];
    return Array.isArray(value) ? value.length > 0 : value !== undefined && value !== null && !(typeof value === "object" && Object.keys(value).length === 0);
  });
  if (present.length) throw new Error(`wrangler.toml has bindings scripts/serve.ts does not map yet: ${present.join(", ")}`);
  const sqliteClasses = new Set(config.migrations.flatMap((m) => m.new_sqlite_classes ?? []));
  return {
    name: config.name,
    modules: true,
    scriptPath: BUNDLE,
    // The bundle imports its non-JS modules (HarfBuzz's .wasm, the report fonts) by file, as
    // wrangler's [[rules]] say; Miniflare needs the same rules to load them.
    modulesRules: [
      { type: "CompiledWasm", include: ["**/*.wasm"] },
      ...(config.rules ?? []).map((r) => ({ type: r.type as "Data" | "Text" | "CompiledWasm", include: r.globs, fallthrough: r.fallthrough })),
    ],
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags,
    // Like `wrangler dev --var`: the stack's variables and secrets override wrangler.toml [vars].
    bindings: { ...config.vars, ...vars },
    r2Buckets: Object.fromEntries(config.r2_buckets.map((b) => [b.binding, b.bucket_name ?? b.binding])),
    queueProducers: Object.fromEntries((config.queues.producers ?? []).map((p) => [p.binding, { queueName: p.queue, deliveryDelay: p.delivery_delay }])),
    queueConsumers: Object.fromEntries(
      (config.queues.consumers ?? []).map((c) => [
        c.queue,
        {
          maxBatchSize: c.max_batch_size,
          maxBatchTimeout: c.max_batch_timeout,
          maxRetries: c.max_retries,
          deadLetterQueue: c.dead_letter_queue,
          retryDelay: c.retry_delay,
        },
      ]),
    ),
    // Static assets through the ASSETS binding: this port is the worker's own socket (no asset
    // router in front), so the worker serves /admin/* and /docs-assets/* itself (src/static-assets.ts).
    // Every request runs the worker first (it serves /admin/* and /docs-assets/* from the binding),
    // so Miniflare's asset router never answers an API path by itself.
    ...(config.assets?.directory
      ? { assets: { directory: resolve(REPO, config.assets.directory), binding: config.assets.binding, routerConfig: { has_user_worker: true, invoke_user_worker_ahead_of_assets: true } } }
      : {}),
    durableObjects: Object.fromEntries(
      config.durable_objects.bindings.map((d) => [d.name, { className: d.class_name, scriptName: d.script_name, useSQLite: sqliteClasses.has(d.class_name) }]),
    ),
  };
}

/** Fires `scheduled` for every cron of wrangler.toml at each matching UTC minute, like Cloudflare. */
function startCronTimer(mf: Miniflare, crons: string[], ctx: RuntimeContext): () => void {
  const jobs = crons.map((cron) => ({ cron, matches: parseCron(cron) }));
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    const next = Math.floor(Date.now() / 60_000 + 1) * 60_000;
    timer = setTimeout(() => void tick(next), next - Date.now() + 5);
  };
  const tick = async (minute: number) => {
    schedule();
    for (const job of jobs.filter((j) => j.matches(new Date(minute)))) {
      const started = Date.now();
      try {
        const worker = (await mf.getWorker()) as unknown as ScheduledFetcher;
        const result = await worker.scheduled({ scheduledTime: new Date(minute), cron: job.cron });
        const took = `${Date.now() - started} ms`;
        if (result.outcome === "ok") ctx.log(`cron "${job.cron}" → ok (${took})`);
        else ctx.fail(`cron "${job.cron}" → ${result.outcome} (${took})`);
      } catch (err) {
        if (!ctx.stopping()) ctx.fail(`cron "${job.cron}": ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };
  if (jobs.length) schedule();
  return () => clearTimeout(timer);
}

/**
 * Loading wrangler and constructing Miniflare both add SIGINT/SIGTERM listeners that call
 * process.exit() at once, which would skip the stack's ordered shutdown (runtime, relay, then
 * Postgres). Those are removed again; Miniflare's `exit` listener (dispose workerd when the process
 * exits anyway) stays.
 */
async function withoutSignalExit<T>(create: () => T | Promise<T>): Promise<T> {
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const created = await create();
  for (const s of signals) for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
  return created;
}

let crons: string[] = [];
let entryUrl = "";

runStack({
  name: "serve",
  title: "production-like: dist/index.js in workerd via Miniflare, offline",
  prepare: build,
  async start(ctx) {
    const { unstable_readConfig } = await withoutSignalExit(() => import("wrangler"));
    const config = unstable_readConfig({ config: join(REPO, "wrangler.toml") }) as unknown as Config;
    crons = config.triggers.crons ?? [];
    const worker = workerOptions(config, ctx.vars);
    // The API port is a socket of the worker itself, as in production: Miniflare's entry worker
    // (its router for dev features, on a random port here) costs ~300 µs CPU per request.
    worker.unsafeDirectSockets = [{ host: "127.0.0.1", port: ctx.port }];
    const mf = await withoutSignalExit(
      () =>
        new Miniflare({
          host: "127.0.0.1",
          port: 0,
          defaultPersistRoot: join(ctx.dataDir, "wrangler", "v3"), // what `wrangler dev --persist-to <data>/wrangler` uses
          cf: false, // the fixed fallback request.cf: nothing fetched from Cloudflare
          liveReload: false,
          logRequests: false, // the worker's own access log (LOG_LEVEL=info) is the request log
          unsafeTriggerHandlers: true, // <entry>/cdn-cgi/handler/scheduled runs the cron now, as under `wrangler dev`
          log: new Log(LogLevel.WARN),
          // INSPECTOR_PORT=9229 npm run serve: Chrome DevTools (or scripts/bench/cpu-profile.ts) can profile the worker.
          ...(process.env.INSPECTOR_PORT ? { inspectorPort: Number(process.env.INSPECTOR_PORT) } : {}),
          // The worker's console straight through, chunk by chunk (Miniflare's default splits lines
          // and console.logs each: Node CPU per request that production does not spend).
          handleRuntimeStdio: (stdout: Readable, stderr: Readable) => {
            stdout.pipe(process.stdout);
            stderr.pipe(process.stderr);
          },
          workers: [worker],
        }),
    );
    entryUrl = new URL(await mf.ready).origin;
    const stopCron = startCronTimer(mf, crons, ctx);
    return {
      stop: async () => {
        stopCron();
        await mf.dispose();
      },
    };
  },
  scheduledUrl: () => `${entryUrl}/cdn-cgi/handler/scheduled`,
  extraLines: () => [`  Cron          ${crons.join(", ") || "none"} (UTC) → the worker's scheduled(), from a timer in this process`],
});
