/**
 * The interactive API reference served at GET /api/v1/docs: Scalar's API reference
 * (`@scalar/api-reference`, its standalone browser bundle), self-hosted by this Worker from static
 * assets at /docs-assets/scalar/ (copied from node_modules by `npm run build:web`), so the page works
 * offline. It renders /api/v1/openapi.json with every schema and example and a "try it" client that
 * sends requests from the browser to this origin (bearer token under Authentication, kept in
 * localStorage by `persistAuth`). Scalar's default web fonts, proxy and telemetry are switched off;
 * the CSP lets the page load scripts, styles and fonts only from this origin and talk only to it.
 */
export const OPENAPI_PATH = "/api/v1/openapi.json";
export const SCALAR_BUNDLE = "/docs-assets/scalar/standalone.js";

export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** Scalar's configuration (https://github.com/scalar/scalar, api-reference-configuration). */
const config = {
  url: OPENAPI_PATH,
  theme: "default",
  layout: "modern",
  withDefaultFonts: false,
  telemetry: false,
  persistAuth: true,
  hideClientButton: false,
  showDeveloperTools: "never",
  documentDownloadType: "json",
  authentication: { preferredSecurityScheme: "bearerAuth" },
  // The hosted AI agent and its API registry search live on scalar.com: off (offline, no CDN).
  agent: { disabled: true },
  metaData: { title: "Clean Care Bangladesh API — reference" },
};

export const docsPageHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Clean Care Bangladesh API — reference</title>
<style>body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}.boot{padding:24px;color:#5b6475}</style>
</head>
<body>
<div id="app"><p class="boot">Loading the API reference…</p></div>
<script src="${SCALAR_BUNDLE}"></script>
<script>
  // The Scalar bundle (self-hosted) defines window.Scalar; the token entered under Authentication
  // persists in localStorage for the next visit.
  Scalar.createApiReference("#app", ${JSON.stringify(config)});
</script>
</body>
</html>
`;
