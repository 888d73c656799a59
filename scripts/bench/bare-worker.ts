/**
 * A bare worker in workerd through Miniflare, as `npm run serve` runs the real one (same
 * compatibility date, no bindings, its own socket, no request logging): the runtime's own floor,
 * to compare with the API's no-SQL floor (GET /api/v1/meta/enums).
 *
 *   npx tsx scripts/bench/bare-worker.ts           # http://127.0.0.1:8797 (BARE_PORT), Ctrl-C stops
 *   BASE_URL=http://127.0.0.1:8797 BENCH_SCENARIOS=floor npm run bench
 *
 * It answers every path with a small JSON document, so the bench's /health check and floor work.
 * It also prints the URL of the same worker behind Miniflare's entry worker (what `npm run serve`
 * avoids), to measure that layer's cost.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Log, LogLevel, Miniflare } from "miniflare";

const REPO = join(import.meta.dirname, "../..");
const PORT = Number(process.env.BARE_PORT || 8797);
const compatibilityDate = readFileSync(join(REPO, "wrangler.toml"), "utf8").match(/^compatibility_date\s*=\s*"([^"]+)"/m)?.[1];

const script = `export default {
  fetch(request) {
    return Response.json({ status: "ok", path: new URL(request.url).pathname, labels: [{ value: "a", en: "A", bn: "ক" }] });
  },
};`;

const mf = new Miniflare({
  host: "127.0.0.1",
  port: 0,
  cf: false,
  liveReload: false,
  logRequests: false,
  log: new Log(LogLevel.WARN),
  workers: [{ name: "bare", modules: true, script, compatibilityDate, unsafeDirectSockets: [{ host: "127.0.0.1", port: PORT }] }],
});
const entry = await mf.ready;
console.log(`bare worker on http://127.0.0.1:${PORT} (compatibility_date ${compatibilityDate}); behind Miniflare's entry worker: ${entry.origin}; Ctrl-C stops`);
