/**
 * `npm run dev` for the black-box runners (test/e2e, test/browser): started on a given port with a
 * throwaway data dir, in its own process group so that every process under it stops at once.
 * Node-side only (not loaded into workerd).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdtempSync, openSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(import.meta.dirname, "../..");
/** Cold start: initdb + migrations + wrangler's first build. */
export const START_TIMEOUT_MS = 180_000;

export interface DevServer {
  child: ChildProcess;
  logFile: string;
  dataDir: string;
}

export function startDevServer(port: number, prefix: string): DevServer {
  // 0755: as root, Postgres runs as the `postgres` user, which must be able to enter this folder.
  const dataDir = mkdtempSync(join(tmpdir(), `clean-care-${prefix}-`));
  chmodSync(dataDir, 0o755);
  const logFile = join(dataDir, "dev.log");
  const out = openSync(logFile, "a");
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), CLEAN_CARE_DATA_DIR: dataDir, CI: "true" };
  delete env.DATABASE_URL; // always our own throwaway database
  const child = spawn("npm", ["run", "dev"], { cwd: REPO, env, detached: true, stdio: ["ignore", out, out] });
  return { child, logFile, dataDir };
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGINT the whole group (as Ctrl-C would), then SIGKILL whatever is left after 20 s. True if it stopped by itself. */
export async function stopDevServer(server: DevServer): Promise<boolean> {
  const pgid = server.child.pid;
  if (!pgid || !groupAlive(pgid)) return true;
  process.kill(-pgid, "SIGINT");
  const deadline = Date.now() + 20_000;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  if (!groupAlive(pgid)) return true;
  process.kill(-pgid, "SIGKILL");
  return false;
}

/** Waits for `${base}/health` to answer 200 (fails early if the server we started exited). */
export async function waitForHealth(base: string, server: DevServer | null): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server && server.child.exitCode !== null) throw new Error(`npm run dev exited with code ${server.child.exitCode} before /health answered`);
    try {
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(3000) });
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`/health did not answer 200 within ${START_TIMEOUT_MS / 1000} s`);
}
