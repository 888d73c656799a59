/**
 * "No malformed request to any route returns a 5xx": walks every operation in the generated
 * OpenAPI document and sends it hostile input — malformed JSON, wrong JSON types, oversized and
 * odd strings, bad path parameters — as anonymous and as a super_admin. Every answer must be a
 * 4xx (or a 2xx where the input happens to be acceptable) with the JSON error envelope.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { signedIn } from "../support/factories";
import { api } from "../support/http";

interface Operation {
  method: string;
  path: string;
}

// The walk is built from the live document at collection time, so every operation gets tests of
// its own: a slow machine spends seconds per test, never minutes, and a failure names the route.
const doc = await api("/api/v1/openapi.json");
const operations: Operation[] = Object.entries(doc.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
  Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path })),
);
const writes = operations.filter((o) => ["POST", "PUT", "PATCH", "DELETE"].includes(o.method));
const name = (op: Operation) => `${op.method} ${op.path}`;

let staffToken = "";
beforeAll(async () => {
  staffToken = (await signedIn({ userType: "super_admin" })).access;
});

const badParams = ["not-a-uuid", "00000000-0000-0000-0000-000000000000", "%00", "..%2F..", "' or 1=1 --", "x".repeat(300)];
const badBodies: Array<[string, string]> = [
  ["malformed JSON", '{"phone": "017'],
  ["a JSON array", "[1,2,3]"],
  ["JSON null", "null"],
  ["a JSON string", '"hello"'],
  ["wrong types everywhere", JSON.stringify({ phone: 42, password: {}, name: [], title: 7, amount: "lots", latitude: "north", page: -1, id: null })],
  ["huge strings", JSON.stringify({ name: "ন".repeat(20_000), title: "x".repeat(20_000), description: "y".repeat(20_000) })],
  ["prototype pollution", '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}}'],
];

function fill(path: string, value: string) {
  // Open311's `{format}` gets a real format, so the hostile values reach its handlers.
  return path.replace("{format}", "json").replace(/\{[^}]+\}/g, encodeURIComponent(value).replace(/%25/g, "%"));
}

/** Open311 GeoReport v2 (/open311/…) answers errors in its specification's shape: `[{code, description}]`. */
const isOpen311 = (path: string) => path.startsWith("/open311/");

function expectClientError(res: { status: number; body: any }, what: string, path = "") {
  expect(res.status, what).toBeLessThan(500);
  if (res.status >= 400) {
    if (isOpen311(path)) {
      expect(Array.isArray(res.body) && res.body.length > 0, `${what}: Open311 error list`).toBe(true);
      expect(res.body[0].code, `${what}: Open311 error list`).toBe(res.status);
      expect(typeof res.body[0].description, `${what}: Open311 error list`).toBe("string");
    } else {
      expect(typeof res.body?.code, `${what}: envelope`).toBe("string");
      expect(typeof res.body?.error, `${what}: envelope`).toBe("string");
    }
    expect(JSON.stringify(res.body), `${what}: no stack trace`).not.toMatch(/at .*\.(ts|js):\d+/);
  }
}

describe("every route in the OpenAPI document", () => {
  it("is documented (sanity: the walk covers the API)", () => {
    expect(operations.length).toBeGreaterThan(30);
  });

  describe.each(writes.map((op) => [name(op), op] as const))("%s", (_name, op) => {
    it.each(badBodies)("answers %s with a 4xx envelope, signed in or not", async (what, body) => {
      for (const token of [undefined, staffToken]) {
        const path = fill(op.path, crypto.randomUUID());
        const res = await api(path, { method: op.method, token, body, headers: { "content-type": "application/json" } });
        expectClientError(res, `${name(op)} with ${what} (${token ? "staff" : "anonymous"})`, path);
      }
    });
  });

  describe.each(operations.map((op) => [name(op), op] as const))("%s", (_name, op) => {
    it("answers bad path parameters and junk query strings with a 4xx envelope", async () => {
      for (const value of op.path.includes("{") ? badParams : [""]) {
        const path = `${fill(op.path, value)}?page=-1&page_size=abc&ordering=;drop&latitude=NaN&search=${"%".repeat(3)}`;
        const res = await api(path, { method: op.method, token: staffToken });
        expectClientError(res, `${op.method} ${path.slice(0, 80)}`, path);
      }
    });
  });

  describe.each(operations.filter((o) => o.method === "POST").map((op) => [name(op), op] as const))("%s", (_name, op) => {
    it("answers an empty or wrongly-typed multipart body with a 4xx envelope", async () => {
      const form = new FormData();
      form.append("images", "not a file");
      form.append("avatar", "not a file");
      form.append("latitude", "ninety");
      const path = fill(op.path, crypto.randomUUID());
      const res = await api(path, { method: "POST", token: staffToken, body: form });
      expectClientError(res, `multipart ${op.path}`, path);
    });
  });
});
