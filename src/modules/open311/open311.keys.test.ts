/**
 * Open311 API keys: issued by a super admin (shown once, stored as a hash), listed, revoked; a POST
 * needs a valid, unrevoked key (403 in the spec's form otherwise, before any other complaint about
 * the input) and stays within the key's per-minute limit (429 with Retry-After).
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { randomPhone, signedIn, withServices, type SignedInUser } from "../../../test/support/factories";
import { api, roundTrips } from "../../../test/support/http";
import { issueKey, post, requestFields } from "../../../test/support/open311";

let superAdmin: SignedInUser;

beforeAll(async () => {
  superAdmin = await signedIn({ userType: "super_admin" });
});

async function complaintsFor(phone: string): Promise<number> {
  const [row] = await withServices(async ({ db }) =>
    (await db.execute<{ n: number }>(sql`select count(*)::int as n from complaints c join users u on u.id = c.user_id where u.phone = ${phone}`)).rows,
  );
  return row!.n;
}

describe("the key administration API", () => {
  it("issues a key once, keeps only its hash, lists without it, logs issue and revoke", async () => {
    const res = await api("/api/v1/open311/keys", { token: superAdmin.access, body: { name: "FixMyStreet Dhaka", rate_limit: 30 } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ name: "FixMyStreet Dhaka", rate_limit: 30, revoked_at: null, last_used_at: null });
    expect(res.body.key).toMatch(/^cc311_[A-Za-z0-9_-]{43}$/);
    expect(res.body.key_prefix).toBe(res.body.key.slice(0, 12));
    expect(roundTrips(res)).toBe(1);

    const [stored] = await withServices(async ({ db }) => (await db.execute<Record<string, string>>(sql`select * from open311_api_keys where id = ${res.body.id}`)).rows);
    expect(JSON.stringify(stored)).not.toContain(res.body.key);
    expect(stored!.key_hash).toMatch(/^[0-9a-f]{64}$/);

    const list = await api("/api/v1/open311/keys?page_size=100", { token: superAdmin.access });
    expect(list.status).toBe(200);
    const listed = list.body.results.find((k: any) => k.id === res.body.id);
    expect(listed).toMatchObject({ name: "FixMyStreet Dhaka", key_prefix: res.body.key_prefix });
    expect(JSON.stringify(list.body)).not.toContain(res.body.key);
    expect(JSON.stringify(list.body)).not.toContain(stored!.key_hash);

    expect((await api(`/api/v1/open311/keys/${res.body.id}`, { method: "DELETE", token: superAdmin.access })).status).toBe(204);
    expect((await api(`/api/v1/open311/keys/${res.body.id}`, { method: "DELETE", token: superAdmin.access })).status).toBe(404);
    const after = await api("/api/v1/open311/keys?page_size=100", { token: superAdmin.access });
    expect(after.body.results.find((k: any) => k.id === res.body.id).revoked_at).not.toBeNull();
    const logs = await withServices(async ({ db }) =>
      (await db.execute<{ action: string }>(sql`select action from activity_logs where resource_id = ${res.body.id} order by created_at`)).rows,
    );
    expect(logs.map((l) => l.action)).toEqual(["open311_key.issue", "open311_key.revoke"]);
  });

  it("is for super admins only", async () => {
    const admin = await signedIn({ userType: "admin" });
    const citizen = await signedIn();
    for (const token of [admin.access, citizen.access]) {
      expect((await api("/api/v1/open311/keys", { token, body: { name: "x" } })).status).toBe(403);
      expect((await api("/api/v1/open311/keys", { token })).status).toBe(403);
      expect((await api(`/api/v1/open311/keys/${crypto.randomUUID()}`, { method: "DELETE", token })).status).toBe(403);
    }
    expect((await api("/api/v1/open311/keys")).status).toBe(401);
    const bad = await api("/api/v1/open311/keys", { token: superAdmin.access, body: { name: "", rate_limit: 0 } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("validation_error");
  });
});

describe("POST requests and its api_key", () => {
  it("missing, unknown and revoked keys are the spec's 403 in both formats, and file nothing", async () => {
    const { id, key } = await issueKey(superAdmin.access);
    const phone = randomPhone();
    const missing = await post("json", { ...requestFields("", phone), api_key: "" });
    expect(missing.status).toBe(403);
    expect(missing.json).toEqual([{ code: 403, description: "api_key was not provided -- can't proceed with create_request." }]);
    const unknown = await post("xml", requestFields("cc311_not-a-real-key", phone));
    expect(unknown.status).toBe(403);
    expect(unknown.xml).toEqual({ root: "errors", value: [{ code: "403", description: "Invalid api_key received -- can't proceed with create_request." }] });
    expect(roundTrips(unknown)).toBe(1);

    expect((await post("json", requestFields(key, phone))).status).toBe(201);
    expect((await api(`/api/v1/open311/keys/${id}`, { method: "DELETE", token: superAdmin.access })).status).toBe(204);
    const revoked = await post("json", requestFields(key, phone));
    expect(revoked.status).toBe(403);
    expect(revoked.json[0].code).toBe(403);
    expect(await complaintsFor(phone)).toBe(1);
  });

  it("a bad key answers 403 even when the input is bad too (the key is checked first, in one round trip)", async () => {
    const res = await post("json", requestFields("cc311_wrong", "", { service_code: "" }));
    expect(res.status).toBe(403);
    expect(roundTrips(res)).toBe(1);
    const { key } = await issueKey(superAdmin.access);
    const good = await post("json", requestFields(key, "", { service_code: "" }));
    expect(good.status).toBe(400);
    expect(roundTrips(good)).toBe(1);
  });

  it("the key may also come in the query string", async () => {
    const { key } = await issueKey(superAdmin.access);
    const fields = requestFields(key, randomPhone());
    delete fields.api_key;
    const res = await post("json", fields, `/open311/v2/requests.json?api_key=${encodeURIComponent(key)}`);
    expect(res.status, res.text).toBe(201);
  });

  it("is rate-limited per key: past the limit within a minute, 429 with Retry-After, other keys unaffected", async () => {
    const limited = await issueKey(superAdmin.access, { rate_limit: 3 });
    const other = await issueKey(superAdmin.access, { rate_limit: 3 });
    const phone = randomPhone();
    for (let i = 0; i < 2; i++) expect((await post("json", requestFields(limited.key, phone))).status).toBe(201);
    // Bad input counts too: every request that reaches the key is counted.
    expect((await post("json", requestFields(limited.key, phone, { service_code: "" }))).status).toBe(400);
    const json = await post("json", requestFields(limited.key, phone));
    expect(json.status, json.text).toBe(429);
    expect(json.json).toEqual([{ code: 429, description: expect.stringMatching(/Rate limit exceeded/) }]);
    const retryAfter = Number(json.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(roundTrips(json)).toBe(1);
    const xml = await post("xml", requestFields(limited.key, phone));
    expect(xml.status).toBe(429);
    expect(xml.xml!.root).toBe("errors");
    expect((await post("json", requestFields(other.key, phone))).status).toBe(201);
    expect(await complaintsFor(phone)).toBe(3);

    // A new window starts once the last one is a minute old.
    await withServices(({ db }) => db.execute(sql`update open311_api_keys set window_started_at = now() - interval '61 seconds' where id = ${limited.id}`));
    expect((await post("json", requestFields(limited.key, phone))).status).toBe(201);
    const [row] = await withServices(async ({ db }) => (await db.execute<{ window_count: number; last_used_at: Date | null }>(sql`select window_count, last_used_at from open311_api_keys where id = ${limited.id}`)).rows);
    expect(row!.window_count).toBe(1);
    expect(row!.last_used_at).not.toBeNull();
  });

  it("a phone whose account is disabled cannot file", async () => {
    const { key } = await issueKey(superAdmin.access);
    const disabled = await signedIn({ active: false });
    const res = await post("json", requestFields(key, disabled.user.phone));
    expect(res.status).toBe(400);
    expect(res.json[0].description).toMatch(/disabled/);
    expect(await complaintsFor(disabled.user.phone)).toBe(0);
  });
});
