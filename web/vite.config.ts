/**
 * The staff dashboard (web/admin): Vite + Preact, built into web-dist/admin/ and served by the
 * Worker as static assets under /admin/ (wrangler.toml [assets]). Everything it needs — the
 * Noto Sans Bengali webfont, uPlot, Leaflet and its CSS, the ward outlines — is bundled: no CDN.
 */
import { resolve } from "node:path";
import { defineConfig } from "vite";

export default defineConfig({
  root: resolve(import.meta.dirname, "admin"),
  base: "/admin/",
  publicDir: false,
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: resolve(import.meta.dirname, "../web-dist/admin"),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 800,
  },
});
