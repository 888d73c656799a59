/** Hostile or mistaken input gets a clear 4xx, and nothing is half-written: no row, no R2 object. */
import { env } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { fileComplaint, validComplaint } from "../../../test/support/complaints";
import { signedIn, withServices } from "../../../test/support/factories";
import { file, form, pdfBytes, pngBytes } from "../../../test/support/files";
import { api } from "../../../test/support/http";

async function ownedCount(userId: string) {
  return withServices(async ({ db }) => {
    const { rows } = await db.execute<{ complaints: number; images: number }>(sql`
      select (select count(*)::int from complaints where user_id = ${userId}) as complaints,
             (select count(*)::int from complaint_images i join complaints c on c.id = i.complaint_id where c.user_id = ${userId}) as images`);
    return rows[0]!;
  });
}
const objectCount = async () => (await env.MEDIA.list({ prefix: "complaints/" })).objects.length;
const multipart = (images: File[], overrides: Record<string, string> = {}) =>
  form({ title: "T", description: "D", category: "roads", location: "L", ...overrides, images });

describe("creating with bad input", () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["latitude 91", { latitude: 91 }, "latitude"],
    ["longitude -181", { longitude: -181 }, "longitude"],
    ["latitude without longitude", { longitude: undefined }, "longitude"],
    ["unknown category", { category: "potholes" }, "category"],
    ["unknown priority", { priority: "urgent!" }, "priority"],
    ["a 201-character title", { title: "x".repeat(201) }, "title"],
    ["an empty title", { title: "   " }, "title"],
    ["a missing description", { description: undefined }, "description"],
    ["a 256-character location", { location: "l".repeat(256) }, "location"],
    ["a bad ward", { ward_number: "ward 5" }, "ward_number"],
    ["an unknown field", { status: "সমাধান হয়েছে" }, "non_field_errors"],
  ];
  it.each(cases)("%s → 400 naming the field, nothing stored", async (_name, overrides, field) => {
    const citizen = await signedIn();
    const res = await api("/api/v1/complaints", { token: citizen.access, body: validComplaint(overrides) });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_error");
    expect(res.body.details[field]).toBeDefined();
    expect((await ownedCount(citizen.user.id)).complaints).toBe(0);
  });

  it("a sixth photo → 400, and neither row nor object is written", async () => {
    const citizen = await signedIn();
    const before = await objectCount();
    const res = await api("/api/v1/complaints", { token: citizen.access, body: multipart(Array.from({ length: 6 }, (_, i) => file(pngBytes(), `${i}.png`))) });
    expect(res.status).toBe(400);
    expect(res.body.details.images).toHaveLength(1);
    expect(await ownedCount(citizen.user.id)).toEqual({ complaints: 0, images: 0 });
    expect(await objectCount()).toBe(before);
  });

  it("a 6 MB photo → 413, nothing written", async () => {
    const citizen = await signedIn();
    const before = await objectCount();
    const res = await api("/api/v1/complaints", { token: citizen.access, body: multipart([file(pngBytes(), "ok.png"), file(pngBytes(6 * 1024 * 1024), "big.png")]) });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe("payload_too_large");
    expect(await ownedCount(citizen.user.id)).toEqual({ complaints: 0, images: 0 });
    expect(await objectCount()).toBe(before);
  });

  it("a PDF renamed .jpg → 415, nothing written", async () => {
    const citizen = await signedIn();
    const before = await objectCount();
    const res = await api("/api/v1/complaints", { token: citizen.access, body: multipart([file(pdfBytes(), "photo.jpg", "image/jpeg")]) });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe("unsupported_media_type");
    expect(await ownedCount(citizen.user.id)).toEqual({ complaints: 0, images: 0 });
    expect(await objectCount()).toBe(before);
  });

  it("an empty multipart form → 400 naming the required fields", async () => {
    const citizen = await signedIn();
    const res = await api("/api/v1/complaints", { token: citizen.access, body: new FormData() });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.details)).toEqual(expect.arrayContaining(["title", "description", "category", "location"]));
  });

  it("no body or a text body → 4xx, never 500", async () => {
    const citizen = await signedIn();
    expect((await api("/api/v1/complaints", { method: "POST", token: citizen.access })).status).toBe(415);
    expect((await api("/api/v1/complaints", { token: citizen.access, body: "hello", headers: { "content-type": "text/plain" } })).status).toBe(415);
    expect((await api("/api/v1/complaints", { token: citizen.access, body: "{", headers: { "content-type": "application/json" } })).body.code).toBe("invalid_json");
  });
});

describe("other routes with bad input", () => {
  it("a non-UUID id is 404 on every route that takes one", async () => {
    const admin = await signedIn({ userType: "admin" });
    const t = admin.access;
    const responses = await Promise.all([
      api("/api/v1/complaints/123", { token: t }),
      api("/api/v1/complaints/123", { method: "PATCH", token: t, body: { title: "x" } }),
      api("/api/v1/complaints/123", { method: "DELETE", token: t }),
      api("/api/v1/complaints/123/updates", { token: t }),
      api("/api/v1/complaints/123/update_status", { token: t, body: { new_status: "cancelled" } }),
      api("/api/v1/complaints/123/images/456", { token: t }),
      api("/api/v1/complaints/track/NOT-A-NUMBER", { token: t }),
      api(`/api/v1/complaints/${crypto.randomUUID()}`, { token: t }),
    ]);
    for (const res of responses) {
      expect(res.status).toBe(404);
      expect(res.body.code).toBe("not_found");
    }
  });

  it("bad list and nearby parameters → 400", async () => {
    const citizen = await signedIn();
    for (const query of ["ordering=title", "page=0", "page_size=101", "status=done", "assigned_to=me"]) {
      expect((await api(`/api/v1/complaints?${query}`, { token: citizen.access })).status).toBe(400);
    }
    for (const query of ["latitude=91&longitude=90&category=roads", "latitude=23&longitude=90", "latitude=23&longitude=90&category=roads&radius_m=0"]) {
      expect((await api(`/api/v1/complaints/nearby?${query}`, { token: citizen.access })).status).toBe(400);
    }
  });

  it("a page past the end is empty, not an error", async () => {
    const citizen = await signedIn();
    await fileComplaint(citizen.access);
    const res = await api("/api/v1/complaints?page=99", { token: citizen.access });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ count: 1, results: [], next: null });
  });

  it("rating out of range, assigning a citizen, missing status → 400", async () => {
    const citizen = await signedIn();
    const admin = await signedIn({ userType: "admin" });
    const c = await fileComplaint(citizen.access);
    expect((await api(`/api/v1/complaints/${c.id}/rate`, { token: citizen.access, body: { rating: 6 } })).status).toBe(400);
    const assign = await api(`/api/v1/complaints/${c.id}/assign`, { token: admin.access, body: { assigned_to: citizen.user.id } });
    expect(assign.status).toBe(400);
    expect(assign.body.details.assigned_to).toHaveLength(1);
    expect((await api(`/api/v1/complaints/${c.id}/assign`, { token: admin.access, body: { assigned_to: crypto.randomUUID() } })).status).toBe(400);
    expect((await api(`/api/v1/complaints/${c.id}/update_status`, { token: admin.access, body: { comment: "no status" } })).status).toBe(400);
  });
});
