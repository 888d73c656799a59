/**
 * The contract's cross-cutting conventions (api-contract.md §1): the error envelope, languages,
 * request ids, the /api alias and trailing slashes, CORS, the OpenAPI document and the docs page.
 */
import { SELF, createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { enumCatalog } from "../../src/lib/enums";
import { JSON_BODY_LIMIT } from "../../src/middleware/body-limit";

const BASE = "http://api.test";
const LOGIN = `${BASE}/api/v1/auth/login`;
const STACK_TRACE = /\n\s+at |\.ts:\d+|\.js:\d+|node_modules|stack/i;

function expectEnvelope(body: any, code: string) {
  expect(body.code).toBe(code);
  expect(typeof body.error).toBe("string");
  expect(body.error.length).toBeGreaterThan(0);
}

describe("error envelope", () => {
  it("answers an unknown route with a JSON 404 not_found, not an HTML page", async () => {
    const res = await SELF.fetch(`${BASE}/api/v1/no-such-route`);
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body = await res.json<any>();
    expect(body).toEqual({ error: "Not found.", code: "not_found" });
  });

  it("rejects malformed JSON with 400 invalid_json", async () => {
    const res = await SELF.fetch(LOGIN, { method: "POST", headers: { "Content-Type": "application/json" }, body: '{"phone": "01712345678", ' });
    expect(res.status).toBe(400);
    const body = await res.json<any>();
    expectEnvelope(body, "invalid_json");
    expect(body.error).toBe("The request body is not valid JSON.");
  });

  it("rejects a JSON body over 64 KB with 413 payload_too_large (with Content-Length)", async () => {
    const big = JSON.stringify({ phone: "01712345678", password: "x".repeat(JSON_BODY_LIMIT) });
    const res = await SELF.fetch(LOGIN, { method: "POST", headers: { "Content-Type": "application/json" }, body: big });
    expect(res.status).toBe(413);
    expectEnvelope(await res.json<any>(), "payload_too_large");
  });

  it("rejects an oversized chunked body (no Content-Length) with 413 too", async () => {
    const chunk = new TextEncoder().encode("x".repeat(16 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(new TextEncoder().encode('{"phone":"01712345678","password":"'));
        if (sent++ < 6) controller.enqueue(chunk);
        else {
          controller.enqueue(new TextEncoder().encode('"}'));
          controller.close();
        }
      },
    });
    const res = await SELF.fetch(LOGIN, { method: "POST", headers: { "Content-Type": "application/json" }, body: stream });
    expect(res.status).toBe(413);
    expectEnvelope(await res.json<any>(), "payload_too_large");
  });

  it("does not reject a JSON body just under the limit as too large", async () => {
    const body = JSON.stringify({ phone: "not-a-phone", password: "x".repeat(JSON_BODY_LIMIT - 100) });
    expect(body.length).toBeLessThanOrEqual(JSON_BODY_LIMIT);
    const res = await SELF.fetch(LOGIN, { method: "POST", headers: { "Content-Type": "application/json" }, body });
    expect(res.status).toBe(400);
    const json = await res.json<any>();
    expectEnvelope(json, "validation_error");
    expect(json.details.phone).toBeInstanceOf(Array);
  });

  it("speaks Bengali when asked with Accept-Language: bn (and bn-BD)", async () => {
    for (const lang of ["bn", "bn-BD,en;q=0.5"]) {
      const res = await SELF.fetch(`${BASE}/api/v1/no-such-route`, { headers: { "Accept-Language": lang } });
      expect(res.status).toBe(404);
      expect(await res.json<any>()).toEqual({ error: "খুঁজে পাওয়া যায়নি।", code: "not_found" });
    }
    const res = await SELF.fetch(LOGIN, { method: "POST", headers: { "Content-Type": "application/json", "Accept-Language": "bn" }, body: "{" });
    expect(await res.json<any>()).toEqual({ error: "অনুরোধের বডি সঠিক JSON নয়।", code: "invalid_json" });
  });

  it("answers an unexpected failure with 500 internal_error and no stack trace", async () => {
    // A worker whose configuration is broken throws inside the middleware: the client must still get the envelope.
    const app = createApp();
    const ctx = createExecutionContext();
    const res = await app.fetch(new Request(`${BASE}/api/v1/meta/enums`), { ...env, JWT_SECRET: "too-short" } as Env, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(500);
    expect(res.headers.get("x-request-id")).toBeTruthy();
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: "Something went wrong on our side.", code: "internal_error" });
    expect(text).not.toMatch(STACK_TRACE);
    expect(text).not.toMatch(/JWT_SECRET/);
  });

  it("never includes a stack trace in error responses", async () => {
    const responses = await Promise.all([
      SELF.fetch(`${BASE}/api/v1/no-such-route`),
      SELF.fetch(LOGIN, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{oops" }),
      SELF.fetch(`${BASE}/api/v1/dev/sms?phone=123`),
    ]);
    for (const res of responses) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      const text = await res.text();
      expect(text).not.toMatch(STACK_TRACE);
      expect(Object.keys(JSON.parse(text)).sort()).toEqual(expect.arrayContaining(["code", "error"]));
    }
  });
});

describe("request ids", () => {
  it("puts an X-Request-Id on every response, success or error", async () => {
    const urls = [`${BASE}/health`, `${BASE}/api/v1/meta/enums`, `${BASE}/api/v1/nope`, `${BASE}/api/v1/docs`, `${BASE}/api/v1/openapi.json`];
    const ids = new Set<string>();
    for (const url of urls) {
      const res = await SELF.fetch(url);
      await res.arrayBuffer();
      const id = res.headers.get("x-request-id");
      expect(id, url).toMatch(/^[\w.-]{8,64}$/);
      ids.add(id!);
    }
    expect(ids.size).toBe(urls.length);
    const preflight = await SELF.fetch(LOGIN, {
      method: "OPTIONS",
      headers: { Origin: "https://app.cleancare.test", "Access-Control-Request-Method": "POST" },
    });
    expect(preflight.headers.get("x-request-id")).toBeTruthy();
  });

  it("echoes a valid supplied X-Request-Id and replaces an invalid one", async () => {
    const supplied = `trace-${crypto.randomUUID()}`;
    const ok = await SELF.fetch(`${BASE}/api/v1/nope`, { headers: { "X-Request-Id": supplied } });
    expect(ok.headers.get("x-request-id")).toBe(supplied);

    const bad = "bad id with spaces <script>";
    const replaced = await SELF.fetch(`${BASE}/api/v1/meta/enums`, { headers: { "X-Request-Id": bad } });
    expect(replaced.headers.get("x-request-id")).not.toBe(bad);
    expect(replaced.headers.get("x-request-id")).toMatch(/^[\w.-]{8,64}$/);
  });
});

describe("/api alias and trailing slashes", () => {
  it("serves /api/v1/meta/enums, /api/meta/enums and /api/meta/enums/ identically", async () => {
    const bodies: string[] = [];
    for (const path of ["/api/v1/meta/enums", "/api/meta/enums", "/api/meta/enums/", "/api/v1/meta/enums/"]) {
      const res = await SELF.fetch(`${BASE}${path}`);
      expect(res.status, path).toBe(200);
      bodies.push(await res.text());
    }
    expect(new Set(bodies).size).toBe(1);
  });

  it("applies the alias to POST routes too (the seed clients call /api/auth/login/)", async () => {
    const res = await SELF.fetch(`${BASE}/api/auth/login/`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{" });
    expect(res.status).toBe(400);
    expectEnvelope(await res.json<any>(), "invalid_json");
  });
});

describe("GET /meta/enums", () => {
  it("lists all 16 enumerations with Bengali and English labels", async () => {
    const res = await SELF.fetch(`${BASE}/api/v1/meta/enums`);
    const body = await res.json<Record<string, { value: string; en: string; bn: string; alias: string }[]>>();
    expect(Object.keys(body).sort()).toEqual(
      [
        "chat_message_type",
        "calendar_category",
        "complaint_category",
        "complaint_priority",
        "complaint_status",
        "emergency_status",
        "emergency_type",
        "notice_category",
        "notice_priority",
        "otp_purpose",
        "payment_method",
        "payment_status",
        "user_type",
        "waste_type",
        "pickup_status",
        "sts_status",
      ].sort(),
    );
    for (const [name, values] of Object.entries(body)) {
      expect(values.length, name).toBeGreaterThan(0);
      for (const v of values) {
        expect(v.en, `${name}.${v.value}`).toMatch(/\S/);
        expect(v.bn, `${name}.${v.value}`).toMatch(/[\u0980-\u09FF]/); // Bengali script
        expect(v.alias).toMatch(/^[a-z_]+$/);
      }
    }
    expect(body.complaint_status!.map((v) => v.alias)).toEqual(["submitted", "in_progress", "resolved", "cancelled"]);
    expect(body.complaint_priority!.find((v) => v.alias === "medium")!.value).toBe("মধ্যম");
    expect(body).toEqual(JSON.parse(JSON.stringify(enumCatalog)));
  });
});

describe("CORS", () => {
  it("echoes an allowed origin and exposes X-Request-Id", async () => {
    const res = await SELF.fetch(`${BASE}/api/v1/meta/enums`, { headers: { Origin: "https://app.cleancare.test" } });
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.cleancare.test");
    expect(res.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("x-request-id");
  });

  it("puts CORS headers on error responses too, so the web app can read the envelope", async () => {
    const headers = { Origin: "https://app.cleancare.test", "Content-Type": "application/json" };
    const responses = [
      await SELF.fetch(`${BASE}/api/v1/no-such-route`, { headers }),
      await SELF.fetch(LOGIN, { method: "POST", headers, body: "{" }),
      await SELF.fetch(LOGIN, { method: "POST", headers, body: JSON.stringify({ password: "x".repeat(JSON_BODY_LIMIT) }) }),
    ];
    expect(responses.map((r) => r.status)).toEqual([404, 400, 413]);
    for (const res of responses) {
      expect(res.headers.get("access-control-allow-origin")).toBe("https://app.cleancare.test");
      expect(res.headers.get("x-request-id")).toBeTruthy();
      await res.arrayBuffer();
    }
  });

  it("does not allow another origin", async () => {
    const res = await SELF.fetch(`${BASE}/api/v1/meta/enums`, { headers: { Origin: "https://evil.example" } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("answers a preflight with 204 and the allowed methods and headers", async () => {
    const res = await SELF.fetch(LOGIN, {
      method: "OPTIONS",
      headers: {
        Origin: "https://app.cleancare.test",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.cleancare.test");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
  });
});

describe("API documentation", () => {
  it("serves an OpenAPI 3.1 document listing the platform routes", async () => {
    const res = await SELF.fetch(`${BASE}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = await res.json<any>();
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(doc.info.title).toBeTruthy();
    for (const path of ["/api/v1/health", "/api/v1/meta/enums", "/api/v1/dev/sms"]) {
      expect(doc.paths[path]?.get, path).toBeDefined();
    }
    expect(doc.paths["/api/v1/dev/sms"].get.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: "phone", in: "query" })]));
    expect(doc.paths["/api/v1/docs"]).toBeUndefined();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("serves the interactive reference page (Scalar, self-hosted) under a strict CSP", async () => {
    for (const path of ["/api/v1/docs", "/api/docs/"]) {
      const res = await SELF.fetch(`${BASE}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self' 'unsafe-inline'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).not.toMatch(/https?:|\*/);
      const html = await res.text();
      expect(html).toMatch(/^<!doctype html>/i);
      expect(html).toContain('<script src="/docs-assets/scalar/standalone.js"></script>');
      expect(html).toContain('"url":"/api/v1/openapi.json"');
      expect(html).toContain('"withDefaultFonts":false');
      expect(html).toContain('"persistAuth":true');
      // Offline: no external scripts, styles, fonts or images.
      expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
      expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
    }
    // The Scalar bundle itself comes from this Worker's static assets.
    const bundle = await SELF.fetch(`${BASE}/docs-assets/scalar/standalone.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toMatch(/javascript/);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
  });

});
