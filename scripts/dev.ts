/**
 * `npm run dev`: the whole stack on this machine, offline.
 *
 *   embedded PostgreSQL (or $DATABASE_URL) → relay (SQL over HTTP and WebSocket, scripts/lib/relay.ts)
 *   → `wrangler dev` (the worker, with the Neon driver pointed at the relay) on
 *   http://127.0.0.1:$PORT, plus the local bKash sandbox (scripts/sandbox/) that the payment
 *   adapter talks to
 *
 * The stack (Postgres, relay, migrations, seed, sandbox, banner, ordered shutdown) is shared with
 * `npm run serve` in scripts/lib/stack.ts; this file only runs `wrangler dev` in it (live reload,
 * dev proxy, inspector), after `npm run build:web` (the static assets: web-dist/). Data lives under $CLEAN_CARE_DATA_DIR (default <repo>/.data).
 * Ctrl-C (SIGINT) or SIGTERM stops wrangler, then the relay, then Postgres, and exits 0. If
 * wrangler dies on its own everything is stopped and the exit code is 1.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { freePort } from "./lib/ports";
import { buildWeb, descendants, REPO, runStack, tryKill, type RuntimeContext } from "./lib/stack";

function startWrangler(ctx: RuntimeContext, inspectorPort: number): ChildProcess {
  const args = ["dev", "--ip", "127.0.0.1", "--port", String(ctx.port), "--inspector-port", String(inspectorPort)];
  args.push("--persist-to", join(ctx.dataDir, "wrangler"), "--show-interactive-dev-session=false");
  // --var KEY:VALUE splits at the first ':' only (wrangler's collectKeyValues), so URLs are safe.
  for (const [key, value] of Object.entries(ctx.vars)) args.push("--var", `${key}:${value}`);
  const child = spawn(join(REPO, "node_modules/.bin/wrangler"), args, {
    cwd: REPO,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, CI: "true", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
  });
  child.on("exit", (code, signal) => {
    if (ctx.stopping()) return;
    // On a terminal Ctrl-C wrangler gets the SIGINT too and may exit a moment before our handler
    // runs: give the signal a chance to arrive before calling it a crash.
    setTimeout(() => {
      if (!ctx.stopping()) void ctx.shutdown(1, `wrangler exited on its own (${signal ?? `code ${code}`})`);
    }, 500);
  });
  return child;
}

/** SIGTERM to wrangler (its launcher forwards it and workerd is torn down); SIGKILL the tree after 10 s. */
async function stopWrangler(child: ChildProcess, ctx: RuntimeContext): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), 10_000).unref());
  if ((await Promise.race([exited, timer])) === "timeout") {
    ctx.fail("wrangler did not stop within 10 s; killing it and its children");
    for (const pid of [...descendants(child.pid!), child.pid!]) tryKill(pid, "SIGKILL");
    await exited;
  }
}

runStack({
  name: "dev",
  title: "development, offline",
  // The static assets wrangler.toml [assets] serves (the staff dashboard, the docs' Scalar bundle).
  prepare: (ctx) => buildWeb(ctx),
  async start(ctx) {
    // A free inspector port: a second instance would otherwise collide on the default one.
    const wrangler = startWrangler(ctx, await freePort());
    return { stop: () => stopWrangler(wrangler, ctx) };
  },
});
