/**
 * The Worker's side of Workers Static Assets (wrangler.toml [assets], built by `npm run build:web`):
 * the staff dashboard under /admin/ and the API reference's self-hosted Scalar bundle under
 * /docs-assets/. On Cloudflare the asset router answers existing files before the Worker runs; a
 * request still reaches the Worker for a client-side route (/admin/complaints/…, answered with the
 * dashboard's index.html so a reload or a deep link works) and wherever no router sits in front
 * (`npm run serve`), so every asset path is served through the ASSETS binding here as well.
 */
const ADMIN = "/admin";
const DOCS_ASSETS = "/docs-assets/";

export function isAssetPath(pathname: string): boolean {
  return pathname === ADMIN || pathname.startsWith(`${ADMIN}/`) || pathname.startsWith(DOCS_ASSETS);
}

export async function serveAsset(request: Request, env: Env): Promise<Response> {
  const url = new URL(request.url);
  const res = await env.ASSETS.fetch(request);
  if (res.status !== 404 || !url.pathname.startsWith(`${ADMIN}/`)) return res;
  // A file that does not exist (has an extension) stays a 404; anything else is a dashboard route.
  const last = url.pathname.slice(url.pathname.lastIndexOf("/") + 1);
  if (last.includes(".") || (request.method !== "GET" && request.method !== "HEAD")) return res;
  const index = await env.ASSETS.fetch(new Request(new URL(`${ADMIN}/`, url), { method: request.method, headers: request.headers }));
  const headers = new Headers(index.headers);
  headers.set("Cache-Control", "no-cache");
  return new Response(index.body, { status: index.status, headers });
}
