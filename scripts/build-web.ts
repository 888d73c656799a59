/**
 * `npm run build:web`: builds the static assets the Worker serves (wrangler.toml [assets]) into
 * web-dist/ (git-ignored):
 *   web-dist/admin/                 the staff dashboard (web/admin, Vite + Preact), base /admin/
 *   web-dist/docs-assets/scalar/    Scalar's standalone API-reference bundle, copied from
 *                                   node_modules/@scalar/api-reference, for /api/v1/docs
 * Run by `npm run dev`, `npm test`, `npm run build` and `npm run serve` first, so a fresh clone
 * needs only `npm install`.
 */
import { copyFileSync, mkdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { build } from "vite";

const REPO = resolve(import.meta.dirname, "..");
const OUT = join(REPO, "web-dist");
const started = Date.now();

// Not removed first: a running `wrangler dev` watches the directory and stops if it disappears
// (Vite empties web-dist/admin/ itself; the Scalar bundle is overwritten).
await build({ configFile: join(REPO, "web/vite.config.ts"), logLevel: process.env.CI ? "warn" : "info" });

const require = createRequire(import.meta.url);
const scalarOut = join(OUT, "docs-assets/scalar");
mkdirSync(scalarOut, { recursive: true });
copyFileSync(require.resolve("@scalar/api-reference/browser/standalone.js"), join(scalarOut, "standalone.js"));

const kb = (file: string) => Math.round(statSync(file).size / 1024);
console.log(`[build:web] web-dist/ built in ${((Date.now() - started) / 1000).toFixed(1)} s (scalar ${kb(join(scalarOut, "standalone.js"))} KB)`);
