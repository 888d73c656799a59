import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";

describe("GET /health", () => {
  it("reports a healthy database", async () => {
    const res = await SELF.fetch("http://api.test/health");
    expect(res.status).toBe(200);
    const body = await res.json<any>();
    expect(body.status).toBe("healthy");
    expect(body.services.database).toBe("healthy");
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(res.headers.get("server-timing")).toMatch(/db;dur=\d+;desc="1 queries"/);
  });
});
