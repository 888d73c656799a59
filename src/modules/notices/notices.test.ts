/**
 * The notice board, happy paths: the public list (ward scoping, filters, search, urgent first,
 * pagination), one counted view per reader, caching (ETag, 304, Cache-Control), scheduling and
 * expiry, staff edits and withdrawal with their activity-log rows, one round trip per read.
 * The database is shared with other files: every test tags its titles and searches by the tag,
 * and uses wards 811–819.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { signedIn, withServices } from "../../../test/support/factories";
import { api, roundTrips } from "../../../test/support/http";
import { inSeconds, postNotice, tag } from "../../../test/support/notices";

const admin = await signedIn({ userType: "super_admin", name: "Notice Desk" });
const titles = (res: { body: { results: Array<{ title: string }> } }) => res.body.results.map((n) => n.title);

async function activity(resourceId: string) {
  return withServices(async ({ db }) => {
    const { rows } = await db.execute<{ action: string; user_id: string }>(
      sql`select action, user_id from activity_logs where resource_type = 'notice' and resource_id = ${resourceId} order by created_at, id`,
    );
    return rows;
  });
}

describe("publishing", () => {
  it("creates a notice with defaults, its author and an activity-log row", async () => {
    const t = tag();
    const res = await api("/api/v1/notices", { token: admin.access, body: { title: `${t} জল সরবরাহ বন্ধ`, content: "আগামীকাল সকাল ১০টা পর্যন্ত", target_wards: ["812", "811", "812"] } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      title: `${t} জল সরবরাহ বন্ধ`,
      content: "আগামীকাল সকাল ১০টা পর্যন্ত",
      category: "general",
      priority: "normal",
      is_urgent: false,
      target_wards: ["811", "812"],
      expires_at: null,
      is_active: true,
      created_by: { id: admin.user.id, name: "Notice Desk" },
      view_count: 0,
    });
    expect(Date.parse(res.body.published_at)).toBeLessThanOrEqual(Date.now());
    expect(await activity(res.body.id)).toEqual([{ action: "notice.create", user_id: admin.user.id }]);
  });

  it("accepts English aliases and the listed categories; /meta/enums lists them with Bengali labels", async () => {
    const n = await postNotice(admin.access, { title: `${tag()} tax`, category: "tax", priority: "high" });
    expect(n).toMatchObject({ category: "tax", priority: "high" });
    const enums = await api("/api/v1/meta/enums");
    expect(enums.body.notice_category.map((v: { value: string }) => v.value)).toEqual(["general", "health", "sanitation", "water", "roads", "events", "emergency", "tax"]);
    expect(enums.body.notice_category.find((v: { value: string }) => v.value === "health")).toMatchObject({ en: "Health", bn: "স্বাস্থ্য" });
  });

  it("PUT/PATCH edit, DELETE withdraws (soft); each writes its activity-log row", async () => {
    const t = tag();
    const n = await postNotice(admin.access, { title: `${t} before`, target_wards: ["813"] });
    const patched = await api(`/api/v1/notices/${n.id}`, { method: "PATCH", token: admin.access, body: { title: `${t} after`, priority: "high" } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ title: `${t} after`, priority: "high", content: "বিস্তারিত তথ্য", target_wards: ["813"] });
    const put = await api(`/api/v1/notices/${n.id}`, { method: "PUT", token: admin.access, body: { category: "roads" } });
    expect(put.body).toMatchObject({ title: `${t} after`, category: "roads" });

    expect(titles(await api(`/api/v1/notices?search=${t}&ward_number=813`))).toEqual([`${t} after`]);
    const removed = await api(`/api/v1/notices/${n.id}`, { method: "DELETE", token: admin.access });
    expect(removed.status).toBe(204);
    expect(titles(await api(`/api/v1/notices?search=${t}&ward_number=813`))).toEqual([]);
    expect((await api(`/api/v1/notices/${n.id}`)).status).toBe(404);
    const staffView = await api(`/api/v1/notices?search=${t}&include=all`, { token: admin.access });
    expect(staffView.body.results).toMatchObject([{ id: n.id, is_active: false }]);
    expect((await activity(n.id)).map((a) => a.action)).toEqual(["notice.create", "notice.update", "notice.update", "notice.delete"]);
  });
});

describe("the public list", () => {
  it("anonymous: all-ward notices, plus a ward's with ?ward_number=", async () => {
    const t = tag();
    await postNotice(admin.access, { title: `${t} city` });
    await postNotice(admin.access, { title: `${t} w814`, target_wards: ["814"] });
    await postNotice(admin.access, { title: `${t} w815`, target_wards: ["815", "816"] });
    expect(titles(await api(`/api/v1/notices?search=${t}`)).sort()).toEqual([`${t} city`]);
    expect(titles(await api(`/api/v1/notices?search=${t}&ward_number=814`)).sort()).toEqual([`${t} city`, `${t} w814`]);
    expect(titles(await api(`/api/v1/notices?search=${t}&ward_number=816`)).sort()).toEqual([`${t} city`, `${t} w815`]);
  });

  it("a signed-in citizen: all-ward notices plus their own ward's", async () => {
    const t = tag();
    const citizen = await signedIn({ wardNumber: "814" });
    await postNotice(admin.access, { title: `${t} city` });
    await postNotice(admin.access, { title: `${t} mine`, target_wards: ["814"] });
    await postNotice(admin.access, { title: `${t} other`, target_wards: ["815"] });
    const res = await api(`/api/v1/notices?search=${t}`, { token: citizen.access });
    expect(res.status).toBe(200);
    expect(titles(res).sort()).toEqual([`${t} city`, `${t} mine`]);
  });

  it("urgent first (is_urgent or priority urgent), then newest; filters; pagination", async () => {
    const t = tag();
    await postNotice(admin.access, { title: `${t} old`, published_at: inSeconds(-300), category: "health" });
    await postNotice(admin.access, { title: `${t} urgent-flag`, is_urgent: true, published_at: inSeconds(-200), target_wards: ["817"] });
    await postNotice(admin.access, { title: `${t} new`, published_at: inSeconds(-10), category: "health", priority: "low" });
    await postNotice(admin.access, { title: `${t} urgent-priority`, priority: "urgent", published_at: inSeconds(-100), target_wards: ["817"] });
    const all = await api(`/api/v1/notices?search=${t}&ward_number=817`);
    expect(titles(all)).toEqual([`${t} urgent-priority`, `${t} urgent-flag`, `${t} new`, `${t} old`]);
    expect(titles(await api(`/api/v1/notices?search=${t}&ward_number=817&category=health`))).toEqual([`${t} new`, `${t} old`]);
    expect(titles(await api(`/api/v1/notices?search=${t}&ward_number=817&priority=low`))).toEqual([`${t} new`]);
    expect(titles(await api(`/api/v1/notices?search=${t.toUpperCase()}%20URGENT&ward_number=817`))).toEqual([`${t} urgent-priority`, `${t} urgent-flag`]);

    const page2 = await api(`/api/v1/notices?search=${t}&ward_number=817&page=2&page_size=3`);
    expect(page2.body.count).toBe(4);
    expect(titles(page2)).toEqual([`${t} old`]);
    expect(page2.body.next).toBeNull();
    expect(page2.body.previous).toContain("page=1");
    const page1 = await api(`/api/v1/notices?search=${t}&ward_number=817&page_size=3`);
    expect(page1.body.next).toContain("page=2");
  });

  it("search matches content too, and LIKE wildcards are literal", async () => {
    const t = tag();
    await postNotice(admin.access, { title: `${t} a`, content: `মশা নিধন ${t}-kw 100%` });
    await postNotice(admin.access, { title: `${t} b`, content: "অন্য কিছু" });
    expect(titles(await api(`/api/v1/notices?search=${t}-kw`))).toEqual([`${t} a`]);
    expect(titles(await api(`/api/v1/notices?search=${t}%25`))).toEqual([]);
  });

  it("one database round trip, anonymous or signed in", async () => {
    const citizen = await signedIn({ wardNumber: "814" });
    const anonymous = await api("/api/v1/notices?ward_number=814");
    const signedInRes = await api("/api/v1/notices", { token: citizen.access });
    const staff = await api("/api/v1/notices?include=all", { token: admin.access });
    for (const res of [anonymous, signedInRes, staff]) {
      expect(res.status).toBe(200);
      expect(roundTrips(res)).toBe(1);
    }
  });
});

describe("scheduling and expiry", () => {
  it("a future notice is invisible to the public until its time; staff see it with include=all", async () => {
    const t = tag();
    const citizen = await signedIn({ wardNumber: "818" });
    const later = await postNotice(admin.access, { title: `${t} later`, published_at: inSeconds(3600), target_wards: ["818"] });
    const expired = await postNotice(admin.access, { title: `${t} expired`, published_at: inSeconds(-7200), expires_at: inSeconds(-3600), target_wards: ["818"] });
    const draft = await postNotice(admin.access, { title: `${t} draft`, is_active: false, target_wards: ["818"] });
    const live = await postNotice(admin.access, { title: `${t} live`, expires_at: inSeconds(3600), target_wards: ["818"] });

    expect(titles(await api(`/api/v1/notices?search=${t}&ward_number=818`))).toEqual([`${t} live`]);
    expect(titles(await api(`/api/v1/notices?search=${t}&include=all`, { token: citizen.access }))).toEqual([`${t} live`]);
    expect(titles(await api(`/api/v1/notices?search=${t}&ward_number=818&include=all`))).toEqual([`${t} live`]);
    for (const n of [later, expired, draft]) {
      expect((await api(`/api/v1/notices/${n.id}`)).status).toBe(404);
      expect((await api(`/api/v1/notices/${n.id}`, { token: citizen.access })).status).toBe(404);
      expect((await api(`/api/v1/notices/${n.id}`, { token: admin.access })).status).toBe(200);
    }
    const staff = await api(`/api/v1/notices?search=${t}&include=all`, { token: admin.access });
    expect(titles(staff).sort()).toEqual([`${t} draft`, `${t} expired`, `${t} later`, `${t} live`]);
    expect((await api(`/api/v1/notices/${live.id}`)).status).toBe(200);
  });

  it("appears once published_at passes", async () => {
    const t = tag();
    const n = await postNotice(admin.access, { title: `${t} soon`, published_at: inSeconds(1.5) });
    expect(titles(await api(`/api/v1/notices?search=${t}`))).toEqual([]);
    await new Promise((r) => setTimeout(r, 1800));
    expect(titles(await api(`/api/v1/notices?search=${t}`))).toEqual([`${t} soon`]);
    expect((await api(`/api/v1/notices/${n.id}`)).status).toBe(200);
  });
});

describe("reading one notice", () => {
  it("counts a signed-in reader once, even for 100 concurrent reads; anonymous reads are not counted", async () => {
    const n = await postNotice(admin.access, { title: `${tag()} views` });
    const reader = await signedIn();
    const reads = await Promise.all(Array.from({ length: 100 }, () => api(`/api/v1/notices/${n.id}`, { token: reader.access })));
    expect(reads.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(reads.every((r) => r.body.view_count === 1)).toBe(true);
    expect((await api(`/api/v1/notices/${n.id}`)).body.view_count).toBe(1);
    expect((await api(`/api/v1/notices/${n.id}`, { token: reader.access })).body.view_count).toBe(1);

    const second = await signedIn();
    expect((await api(`/api/v1/notices/${n.id}`, { token: second.access })).body.view_count).toBe(2);
    const rows = await withServices(async ({ db }) => (await db.execute<{ n: number }>(sql`select count(*)::int as n from notice_views where notice_id = ${n.id}`)).rows);
    expect(rows[0]!.n).toBe(2);
    const listed = await api(`/api/v1/notices?search=${encodeURIComponent(n.title)}`);
    expect(listed.body.results[0].view_count).toBe(2);
  });

  it("one database round trip, counted or not", async () => {
    const n = await postNotice(admin.access, { title: `${tag()} rt` });
    const reader = await signedIn();
    for (const res of [await api(`/api/v1/notices/${n.id}`, { token: reader.access }), await api(`/api/v1/notices/${n.id}`, { token: reader.access }), await api(`/api/v1/notices/${n.id}`)]) {
      expect(res.status).toBe(200);
      expect(roundTrips(res)).toBe(1);
    }
  });

  it("an unknown id is 404 with the envelope", async () => {
    const res = await api(`/api/v1/notices/${crypto.randomUUID()}`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe("not_found");
  });
});

describe("caching", () => {
  it("anonymous reads: public Cache-Control and an ETag; If-None-Match gives 304 until something changes", async () => {
    const t = tag();
    const n = await postNotice(admin.access, { title: `${t} cached` });
    const first = await api(`/api/v1/notices?search=${t}`);
    expect(first.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=300");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.headers.get("vary")).toContain("Authorization");

    const again = await api(`/api/v1/notices?search=${t}`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.body).toBeNull();
    expect(again.headers.get("etag")).toBe(etag);
    expect((await api(`/api/v1/notices?search=${t}`, { headers: { "if-none-match": `W/${etag}, "other"` } })).status).toBe(304);
    expect((await api(`/api/v1/notices?search=${t}`, { headers: { "if-none-match": '"stale"' } })).status).toBe(200);

    await api(`/api/v1/notices/${n.id}`, { method: "PATCH", token: admin.access, body: { content: "নতুন" } });
    const changed = await api(`/api/v1/notices?search=${t}`, { headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);

    const one = await api(`/api/v1/notices/${n.id}`);
    expect(one.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=300");
    expect((await api(`/api/v1/notices/${n.id}`, { headers: { "if-none-match": one.headers.get("etag")! } })).status).toBe(304);
  });

  it("signed-in reads are private", async () => {
    const citizen = await signedIn({ wardNumber: "819" });
    const res = await api("/api/v1/notices", { token: citizen.access });
    expect(res.headers.get("cache-control")).toBe("private, no-cache");
    expect(res.headers.get("etag")).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await api("/api/v1/notices", { token: citizen.access, headers: { "if-none-match": res.headers.get("etag")! } })).status).toBe(304);
  });
});

describe("documentation", () => {
  it("the routes are in the OpenAPI document", async () => {
    const doc = await api("/api/v1/openapi.json");
    expect(Object.keys(doc.body.paths["/api/v1/notices"]).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.body.paths["/api/v1/notices/{id}"]).sort()).toEqual(["delete", "get", "patch", "put"]);
    expect(doc.body.components.schemas.Notice.properties).toHaveProperty("view_count");
  });
});
