/**
 * The local stack shared by `npm run dev` (scripts/dev.ts: `wrangler dev`) and `npm run serve`
 * (scripts/serve.ts: the built bundle in workerd through Miniflare):
 *
 *   embedded PostgreSQL (or $DATABASE_URL) → WebSocket relay → migrations + seed → bKash sandbox →
 *   the worker runtime (given by the caller) on http://127.0.0.1:$PORT → wait for /health → banner
 *
 * Data lives under $CLEAN_CARE_DATA_DIR (default <repo>/.data): postgres/, wrangler/ (R2, queues,
 * DO storage), dev-secrets.json (JWT/OTP keys, so tokens survive restarts), postgres.log.
 * Ctrl-C (SIGINT) or SIGTERM stops the runtime, then the bKash sandbox, the relay, then Postgres,
 * and exits 0. A runtime that dies on its own calls `shutdown(1, …)`: everything is stopped, exit 1.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join, relative, resolve } from "node:path";
import { SEED_ACCOUNTS, seed } from "../seed";
import { startBkashSandbox, type BkashSandbox } from "../sandbox/bkash-sandbox";
import { startFcmSandbox, type FcmSandbox } from "../sandbox/fcm-sandbox";
import { applyMigrations } from "./migrate";
import { resolveDataDir, startPostgres, type RunningPostgres } from "./postgres";
import { startRelay, type Relay } from "./relay";

export const REPO = resolve(import.meta.dirname, "../..");
export const DATA = resolve(process.env.CLEAN_CARE_DATA_DIR || join(REPO, ".data"));
export const PORT = Number(process.env.PORT || 8787);
const DATABASE = "clean_care";
const HEALTH_TIMEOUT_MS = 120_000;

/** What the caller's worker runtime gets to start with. */
export interface RuntimeContext {
  port: number;
  dataDir: string;
  /** Variables and secrets for the worker (on top of wrangler.toml [vars]). */
  vars: Record<string, string>;
  log(msg: string): void;
  fail(msg: string): void;
  /** The one ordered shutdown path (e.g. when the runtime dies on its own). */
  shutdown(code: number, reason: string): Promise<never>;
  stopping(): boolean;
}

export interface WorkerRuntime {
  /** Called first on shutdown, before the sandbox, the relay and Postgres. */
  stop(): Promise<void>;
}

export interface StackSpec {
  /** Log prefix: "dev" → `[dev] …`. */
  name: string;
  /** The ready line: "Clean Care API is running (<title>)". */
  title: string;
  /** Runs before anything is started (e.g. building the bundle), so it fails fast. */
  prepare?(ctx: Pick<RuntimeContext, "log" | "fail">): Promise<void>;
  start(ctx: RuntimeContext): Promise<WorkerRuntime>;
  /** Banner: where a request runs the cron now (default: <api>/cdn-cgi/handler/scheduled). */
  scheduledUrl?(api: string): string;
  /** Banner: extra lines after the data dir. */
  extraLines?(): string[];
}

let db: RunningPostgres | undefined;
let relay: Relay | undefined;
let bkash: BkashSandbox | undefined;
let fcm: FcmSandbox | undefined;
let runtime: WorkerRuntime | undefined;
let stopping = false;
let tag = "stack";

const log = (msg: string) => console.log(`[${tag}] ${msg}`);
const fail = (msg: string) => console.error(`[${tag}] ERROR: ${msg}`);

// ---------------------------------------------------------------------------------------------
// Shutdown: one ordered path for signals, the runtime dying and start-up failures.

async function shutdown(code: number, reason: string): Promise<never> {
  if (stopping) return new Promise<never>(() => undefined); // a second signal: the first one is handling it
  stopping = true;
  log(`stopping (${reason})…`);
  await runtime?.stop().catch((err: unknown) => fail(`runtime stop: ${String(err)}`));
  await bkash?.close().catch((err: unknown) => fail(`bKash sandbox close: ${String(err)}`));
  await fcm?.close().catch((err: unknown) => fail(`FCM stand-in close: ${String(err)}`));
  await relay?.close().catch((err: unknown) => fail(`relay close: ${String(err)}`));
  if (db) await db.stop().catch((err: unknown) => fail(`postgres stop: ${String(err)}`));
  log(code === 0 ? "stopped cleanly" : `stopped (exit ${code})`);
  process.exit(code);
}

// The helpers below read Linux's /proc; elsewhere they throw and the safety nets they feed are off.

/** state, parent pid and process group of a process. */
function procStat(pid: number): { state: string; ppid: number; pgid: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const [state = "", ppid, pgid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return { state, ppid: Number(ppid), pgid: Number(pgid) };
}

/** All descendant pids, for SIGKILL fallbacks only. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  try {
    for (const entry of readdirSync("/proc").filter((e) => /^\d+$/.test(e))) {
      const { ppid } = procStat(Number(entry));
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    }
  } catch {
    return [];
  }
  const out: number[] = [];
  const walk = (pid: number) => (children.get(pid) ?? []).forEach((c) => (out.push(c), walk(c)));
  walk(root);
  return out;
}

/**
 * `kill <pid of npm>` makes npm (and its `sh`) exit without the signal ever reaching us, which
 * would leave Postgres and the runtime running. So: if one of our launchers (tsx, sh, npm: ancestors
 * in our process group, up to and including npm) disappears, stop as if we had been signalled.
 */
function watchLaunchers(): void {
  const launchers: number[] = [];
  try {
    const own = procStat(process.pid).pgid;
    for (let pid = process.ppid; pid > 1; ) {
      const stat = procStat(pid);
      const comm = readFileSync(`/proc/${pid}/comm`, "utf8").trim();
      if (stat.pgid !== own) break;
      if (comm.startsWith("npm")) {
        launchers.push(pid);
        break;
      }
      if (comm !== "node" && !(comm === "sh" && process.env.npm_lifecycle_event)) break; // e.g. the user's own shell script
      launchers.push(pid);
      pid = stat.ppid;
    }
  } catch {
    return;
  }
  const gone = (pid: number) => {
    try {
      return procStat(pid).state === "Z";
    } catch {
      return true;
    }
  };
  setInterval(() => {
    const dead = launchers.find(gone);
    if (dead !== undefined) void shutdown(0, `launcher process ${dead} exited`);
  }, 1000).unref();
}

export function tryKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    /* already gone */
  }
}

// ---------------------------------------------------------------------------------------------
// Pieces of the start-up.

/** Dev JWT/OTP keys: random once, then reused so that issued tokens stay valid across restarts. */
function devSecrets(): { JWT_SECRET: string; OTP_HASH_KEY: string } {
  const file = join(DATA, "dev-secrets.json");
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8")) as Partial<Record<string, string>>;
    if ((saved.JWT_SECRET?.length ?? 0) >= 32 && (saved.OTP_HASH_KEY?.length ?? 0) >= 32) {
      return { JWT_SECRET: saved.JWT_SECRET!, OTP_HASH_KEY: saved.OTP_HASH_KEY! };
    }
  }
  const fresh = { JWT_SECRET: randomBytes(32).toString("base64url"), OTP_HASH_KEY: randomBytes(32).toString("base64url") };
  writeFileSync(file, JSON.stringify(fresh, null, 2) + "\n", { mode: 0o600 });
  return fresh;
}

async function assertPortFree(port: number): Promise<void> {
  await new Promise<void>((resolvePort, reject) => {
    const server = createServer();
    server.once("error", () => reject(new Error(`port ${port} on 127.0.0.1 is in use (another \`npm run dev\` or \`npm run serve\`?). Run with PORT=<other port>.`)));
    server.listen(port, "127.0.0.1", () => server.close(() => resolvePort()));
  });
}

/** Postgres refuses a data dir another server holds; say so plainly before it prints a lock error. */
function assertDataDirFree(dataDir: string): void {
  const pidFile = join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!Number.isInteger(pid) || pid <= 0) return;
  let alive = false;
  try {
    process.kill(pid, 0);
    alive = true;
  } catch (err) {
    alive = (err as NodeJS.ErrnoException).code === "EPERM";
  }
  // A stale pid may belong to an unrelated process by now; on Linux check it is a postgres.
  if (alive && existsSync(`/proc/${pid}/comm`)) alive = readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres";
  if (alive) {
    throw new Error(
      `the database in ${dataDir} is already running (postgres pid ${pid}), probably under another \`npm run dev\` or \`npm run serve\`. ` +
        `One data dir serves one instance: stop the other one, or start this one with CLEAN_CARE_DATA_DIR=<another dir> ` +
        `(or DATABASE_URL=<that instance's DB URL>) and PORT=<another port>.`,
    );
  }
}

async function startDatabase(): Promise<{ url: string; host: string; port: number; dataDir: string | null }> {
  const external = process.env.DATABASE_URL;
  if (external) {
    const url = new URL(external);
    log(`using DATABASE_URL (${url.host}${url.pathname}); no embedded Postgres started`);
    return { url: external, host: url.hostname, port: Number(url.port || 5432), dataDir: null };
  }
  const { dataDir, relocated } = resolveDataDir(join(DATA, "postgres"));
  if (relocated) log(`running as root and the postgres user cannot reach ${join(DATA, "postgres")}; database data lives in ${dataDir}`);
  assertDataDirFree(dataDir);
  const logFile = join(DATA, "postgres.log");
  const recent: string[] = [];
  const started = Date.now();
  db = await startPostgres({
    dataDir,
    database: DATABASE,
    persistent: true,
    log: (line) => {
      appendFileSync(logFile, line + "\n");
      recent.push(line);
      if (recent.length > 30) recent.shift();
    },
  }).catch((err: unknown) => {
    console.error(recent.join("\n"));
    throw err;
  });
  log(`PostgreSQL ready in ${Date.now() - started} ms (data: ${dataDir}, log: ${logFile})`);
  return { url: db.url, host: db.host, port: db.port, dataDir };
}

async function waitForHealth(url: string): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (stopping) return new Promise<void>(() => undefined);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (res.status === 200) return;
      last = `${res.status} ${(await res.text()).slice(0, 300)}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not answer 200 within ${HEALTH_TIMEOUT_MS / 1000} s (last: ${last})`);
}

// ---------------------------------------------------------------------------------------------

async function main(spec: StackSpec): Promise<void> {
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void shutdown(0, signal));
  watchLaunchers();

  mkdirSync(DATA, { recursive: true });
  await assertPortFree(PORT);
  await spec.prepare?.({ log, fail });
  const database = await startDatabase();
  // The relay reads its own settings (e.g. DB_LATENCY_MS, an artificial delay per round trip) from
  // the environment: `DB_LATENCY_MS=40 npm run serve` needs nothing passed here.
  relay = await startRelay({ host: database.host, port: database.port });
  await applyMigrations(database.url).catch((err: unknown) => {
    // drizzle's message is only "Failed query: <sql>"; the reason is in `cause`.
    const cause = (err as { cause?: { message?: string; code?: string } }).cause;
    const hint =
      cause?.code === "42P07" && database.dataDir
        ? `\n  The database in ${database.dataDir} was migrated with an older migrations/ (was a migration rewritten?).` +
          `\n  Dev data is disposable: stop, delete ${database.dataDir} and start again.`
        : "";
    throw new Error(`migrations failed: ${cause?.message ?? (err instanceof Error ? err.message.split("\n")[0] : String(err))}${hint}`);
  });
  const seeded = await seed(database.url);
  log(`migrations applied; seed: ${seeded.usersCreated} user(s) created${seeded.wardsCreated === null ? "" : `, ${seeded.wardsCreated} ward(s)`}`);

  // The local bKash Tokenized Checkout: the real payment adapter talks to it (scripts/sandbox/).
  bkash = await startBkashSandbox({ port: Number(process.env.BKASH_SANDBOX_PORT || 0) });
  // The local FCM HTTP v1 (token endpoint + messages:send): the real push adapter talks to it.
  fcm = await startFcmSandbox({ port: Number(process.env.FCM_SANDBOX_PORT || 0) });
  const secrets = devSecrets();
  runtime = await spec.start({
    port: PORT,
    dataDir: DATA,
    vars: {
      ENVIRONMENT: "development",
      SMS_PROVIDER: "outbox",
      DATABASE_URL: database.url,
      DB_RELAY_URL: relay.address,
      JWT_SECRET: secrets.JWT_SECRET,
      OTP_HASH_KEY: secrets.OTP_HASH_KEY,
      ...bkash.workerVars(),
      ...fcm.workerVars(),
      // `info` (the default) logs every request as JSON; `LOG_LEVEL=warn npm run serve` for quiet benchmarks.
      ...(process.env.LOG_LEVEL ? { LOG_LEVEL: process.env.LOG_LEVEL } : {}),
    },
    log,
    fail,
    shutdown,
    stopping: () => stopping,
  });

  const api = `http://127.0.0.1:${PORT}`;
  await waitForHealth(`${api}/health`);
  const dataShown = relative(process.cwd(), DATA).startsWith("..") ? DATA : relative(process.cwd(), DATA) || ".";
  const lines = [
    "",
    `Clean Care API is running (${spec.title})`,
    `  API           ${api}/api/v1   (also ${api}/api)`,
    `  Health        ${api}/health`,
    `  Dashboard     ${api}/admin/   (staff: +8801700000002 / CleanCare@2026)`,
    `  Docs          ${api}/api/v1/docs`,
    `  OpenAPI       ${api}/api/v1/openapi.json`,
    `  SMS outbox    ${api}/api/v1/dev/sms?phone=%2B8801711000001`,
    `  bKash sandbox ${bkash.url}/__control   (run reconciliation now: curl '${spec.scheduledUrl?.(api) ?? `${api}/cdn-cgi/handler/scheduled`}')`,
    `  FCM stand-in  ${fcm.url}/__control/messages   (pushes per user: ${api}/api/v1/dev/push?user_id=…)`,
    `  DB URL        ${database.url}`,
    `  DB relay      http://${relay.address}/sql and ws://${relay.address}/v1  (DB_RELAY_URL=${relay.address}; DB_LATENCY_MS=${Number(process.env.DB_LATENCY_MS) || 0} ms per round trip)`,
    `  Data dir      ${dataShown}${database.dataDir ? `  (postgres: ${database.dataDir})` : ""}`,
    ...(spec.extraLines?.() ?? []),
    "  Accounts (dev only):",
    ...SEED_ACCOUNTS.map((a) => `    ${a.phone}  ${a.userType.padEnd(11)}  ${a.password}`),
    `  Seed again:   DATABASE_URL='${database.url}' npm run db:seed`,
    "  Ctrl-C stops everything.",
    "",
  ];
  console.log(lines.join("\n"));
}

/**
 * `npm run build:web`: the static assets (web-dist/: the staff dashboard and the docs' Scalar
 * bundle) that wrangler.toml [assets] serves; its output is shown only if it fails.
 */
export async function buildWeb(ctx: Pick<RuntimeContext, "log">): Promise<void> {
  const started = Date.now();
  const child = spawn("npm", ["run", "--silent", "build:web"], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "true" } });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d));
  child.stderr.on("data", (d: Buffer) => (output += d));
  const code = await new Promise<number | null>((resolveExit) => child.on("exit", resolveExit));
  if (code !== 0) throw new Error(`npm run build:web failed (exit ${code}):\n${output}`);
  ctx.log(`static assets built (web-dist/) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Starts the whole stack around the given worker runtime; exits the process when it stops. */
export function runStack(spec: StackSpec): void {
  tag = spec.name;
  main(spec).catch((err: unknown) => {
    fail(err instanceof Error ? err.message : String(err));
    void shutdown(1, "start-up failed");
  });
}
