/**
 * Workers Static Assets (wrangler.toml [assets], built by `npm run build:web`): the staff dashboard
 * under /admin/ with its client-side routes, while the Worker's own routes keep answering as before.
 */
import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

const BASE = "http://api.test";

describe("static assets", () => {
  it("serves the dashboard's index.html at /admin/ and for its client-side routes", async () => {
    for (const path of ["/admin/", "/admin/complaints", "/admin/complaints/0b7f6c1e-1111-4222-8333-944445555666"]) {
      const res = await SELF.fetch(`${BASE}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type"), path).toMatch(/^text\/html/);
      const html = await res.text();
      expect(html, path).toMatch(/<div id="root"><\/div>/);
      expect(html, path).toMatch(/<script type="module" crossorigin src="\/admin\/assets\/index-[\w-]+\.js"><\/script>/);
    }
  });

  it("serves the dashboard's bundle and answers 404 for a missing file, not index.html", async () => {
    const html = await (await SELF.fetch(`${BASE}/admin/`)).text();
    const script = html.match(/src="(\/admin\/assets\/index-[\w-]+\.js)"/)![1]!;
    const js = await SELF.fetch(`${BASE}${script}`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
    await js.arrayBuffer();
    const missing = await SELF.fetch(`${BASE}/admin/assets/nope-123.js`);
    expect(missing.status).toBe(404);
    await missing.arrayBuffer();
  });

  it("leaves the Worker's routes to the Worker", async () => {
    const health = await SELF.fetch(`${BASE}/health`);
    expect(health.headers.get("content-type")).toMatch(/^application\/json/);
    expect((await health.json<{ status: string }>()).status).toBeDefined();
    const notFound = await SELF.fetch(`${BASE}/api/v1/admin/`);
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toMatchObject({ code: "not_found" });
    const root = await SELF.fetch(`${BASE}/`);
    expect(root.status).toBe(404);
    expect(await root.json()).toMatchObject({ code: "not_found" });
  });
});
