/**
 * GET /docs (mounted under /api/v1): the interactive API reference. A plain route, not an OpenAPI
 * operation, so it does not list itself in openapi.json. The page loads Scalar's bundle from this Worker's static assets (works offline);
 * the CSP lets it run only its own inline script and style and talk only to this origin.
 */
import { createRouter } from "../../router";
import { DOCS_CSP, docsPageHtml } from "./docs-page";

export const docsRouter = createRouter();

docsRouter.get("/docs", (c) =>
  c.body(docsPageHtml, 200, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": DOCS_CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
  }),
);
