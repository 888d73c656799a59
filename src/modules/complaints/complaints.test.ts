/** The citizen's journey and staff handling, happy paths (contract §5). */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { fileComplaint, randomPoint, validComplaint } from "../../../test/support/complaints";
import { signedIn, waitForSms } from "../../../test/support/factories";
import { file, form, jpegBytes, pngBytes, webpBytes } from "../../../test/support/files";
import { api, BASE, roundTrips, statementCount } from "../../../test/support/http";
import { dhakaDayStamp } from "../../lib/dhaka-time";

const path = (url: string) => url.replace(BASE, "");

describe("filing a complaint", () => {
  it("from JSON: English aliases in, Bengali values out, a tracking number of today's Dhaka date", async () => {
    const citizen = await signedIn({ wardNumber: "14" });
    const res = await api("/api/v1/complaints", { token: citizen.access, body: validComplaint({ priority: "high", ...randomPoint() }) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      category: "রাস্তাঘাট",
      priority: "উচ্চ",
      status: "জমা দেওয়া হয়েছে",
      ward_number: "14", // taken from the citizen's profile when not given
      user: { id: citizen.user.id, name: citizen.user.name },
      assigned_to: null,
      images: [],
      rating: null,
      resolved_at: null,
      possible_duplicates: [],
    });
    expect(res.body.tracking_number).toMatch(new RegExp(`^CC${dhakaDayStamp()}\\d{4,}$`));
    expect(res.body.latitude).toBeCloseTo(res.body.latitude, 6);
    expect(statementCount(res)).toBe(4); // auth, the atomic insert, the read-back, the duplicate search
  });

  it("priority defaults to medium", async () => {
    const citizen = await signedIn();
    const created = await fileComplaint(citizen.access, { category: "পরিচ্ছন্নতা" });
    expect(created.priority).toBe("মধ্যম");
    expect(created.category).toBe("পরিচ্ছন্নতা");
  });

  it("from multipart with photos: stored in R2, streamed back to the owner with the right type", async () => {
    const citizen = await signedIn();
    const body = form({
      title: "Garbage pile",
      description: "Not collected for a week",
      category: "waste_management",
      location: "Mirpur 10",
      latitude: "23.8069",
      longitude: "90.3687",
      images: [file(pngBytes(), "a.png"), file(jpegBytes(), "b.jpg"), file(webpBytes(), "c.webp")],
    });
    const res = await api("/api/v1/complaints", { token: citizen.access, body });
    expect(res.status).toBe(201);
    expect(res.body.category).toBe("বর্জ্য ব্যবস্থাপনা");
    expect(res.body.latitude).toBeCloseTo(23.8069, 4);
    expect(res.body.images.map((i: any) => i.content_type)).toEqual(["image/png", "image/jpeg", "image/webp"]);
    expect(res.body.images[0]).toMatchObject({ image_name: "a.png", file_size: 256 });

    const photo = await api(path(res.body.images[1].url), { token: citizen.access });
    expect(photo.status).toBe(200);
    expect(photo.headers.get("content-type")).toBe("image/jpeg");
    expect(photo.headers.get("cache-control")).toMatch(/^private/);
    expect((await env.MEDIA.list({ prefix: "complaints/" })).objects.length).toBeGreaterThanOrEqual(3);
  });

  it("carries possible duplicates: open complaints of the same category within 200 m, nearest first", async () => {
    const a = await signedIn();
    const b = await signedIn();
    const p = randomPoint();
    const far = await fileComplaint(a.access, { latitude: p.latitude + 0.0015, longitude: p.longitude }); // ~167 m
    const near = await fileComplaint(a.access, { latitude: p.latitude + 0.0005, longitude: p.longitude }); // ~56 m
    await fileComplaint(a.access, { latitude: p.latitude + 0.01, longitude: p.longitude }); // ~1.1 km
    await fileComplaint(a.access, { ...p, category: "electricity" }); // other category
    const created = await fileComplaint(b.access, p);
    expect(created.possible_duplicates.map((d: any) => d.id)).toEqual([near.id, far.id]);
    expect(created.possible_duplicates[0].distance_m).toBeGreaterThan(45);
    expect(created.possible_duplicates[0].distance_m).toBeLessThan(65);

    const nearby = await api(`/api/v1/complaints/nearby?latitude=${p.latitude}&longitude=${p.longitude}&category=roads&radius_m=100`, { token: b.access });
    expect(nearby.status).toBe(200);
    expect(nearby.body.results.map((d: any) => d.id)).toEqual([created.id, near.id]);
    // Other citizens' complaints appear without their owner or tracking number.
    expect(nearby.body.results[1]).not.toHaveProperty("user");
    expect(nearby.body.results[1]).not.toHaveProperty("tracking_number");
  });
});

describe("reading complaints", () => {
  it("retrieve by id and by tracking number", async () => {
    const citizen = await signedIn();
    const created = await fileComplaint(citizen.access);
    const byId = await api(`/api/v1/complaints/${created.id}`, { token: citizen.access });
    const byTracking = await api(`/api/v1/complaints/track/${created.tracking_number}`, { token: citizen.access });
    expect(byId.status).toBe(200);
    expect(byTracking.status).toBe(200);
    expect(byTracking.body).toEqual(byId.body);
  });

  it("citizens list only their own; staff list all; filters, search, ordering and pagination", async () => {
    const citizen = await signedIn();
    const other = await signedIn();
    const admin = await signedIn({ userType: "admin" });
    const tag = crypto.randomUUID().slice(0, 8);
    const ward = String(200 + Math.floor(Math.random() * 799));
    const low = await fileComplaint(citizen.access, { title: `Low ${tag}`, priority: "low", ward_number: ward });
    const high = await fileComplaint(citizen.access, { title: `High ${tag}`, priority: "high", ward_number: ward, category: "water_supply" });
    const medium = await fileComplaint(citizen.access, { title: `Medium ${tag}`, ward_number: ward });
    await fileComplaint(other.access, { title: `Other ${tag}`, ward_number: ward });

    const own = await api(`/api/v1/complaints?search=${tag}`, { token: citizen.access });
    expect(own.body.count).toBe(3);
    expect(own.body.results.map((c: any) => c.id)).toEqual([medium.id, high.id, low.id]); // newest first

    const all = await api(`/api/v1/complaints?search=${tag}`, { token: admin.access });
    expect(all.body.count).toBe(4);

    const byPriority = await api(`/api/v1/complaints?ward_number=${ward}&ordering=-priority&page_size=2`, { token: citizen.access });
    expect(byPriority.body.results.map((c: any) => c.id)).toEqual([high.id, medium.id]);
    expect(byPriority.body.next).toContain("page=2");
    const page2 = await api(path(byPriority.body.next), { token: citizen.access });
    expect(page2.body.results.map((c: any) => c.id)).toEqual([low.id]);
    expect(page2.body.previous).toContain("page=1");

    const filtered = await api(`/api/v1/complaints?ward_number=${ward}&category=পানি সরবরাহ&priority=high`, { token: admin.access });
    expect(filtered.body.results.map((c: any) => c.id)).toEqual([high.id]);
    const byTracking = await api(`/api/v1/complaints?search=${low.tracking_number}`, { token: admin.access });
    expect(byTracking.body.results.map((c: any) => c.id)).toEqual([low.id]);
  });

  it("a page costs the same number of statements whatever its size (no per-row queries)", async () => {
    const citizen = await signedIn();
    for (let i = 0; i < 6; i++) {
      const body = form({ ...validComplaint(), latitude: "23.7", longitude: "90.4", images: [file(pngBytes(), "p.png"), file(jpegBytes(), "j.jpg")] } as any);
      expect((await api("/api/v1/complaints", { token: citizen.access, body })).status).toBe(201);
    }
    const one = await api("/api/v1/complaints?page_size=1", { token: citizen.access });
    const six = await api("/api/v1/complaints?page_size=20", { token: citizen.access });
    expect(six.body.results).toHaveLength(6);
    expect(six.body.results.every((c: any) => c.images.length === 2)).toBe(true);
    expect(statementCount(one)).toBe(3); // user check + rows (with people and photos) + count
    expect(statementCount(six)).toBe(3);
    expect(roundTrips(one)).toBe(1); // …all in one batch
    expect(roundTrips(six)).toBe(1);
  });
});

describe("staff handling", () => {
  it("in progress → resolved with history, resolved_at, an SMS to the owner each time; then the owner rates it once", async () => {
    const citizen = await signedIn();
    const admin = await signedIn({ userType: "admin", name: "Officer Rahman" });
    const created = await fileComplaint(citizen.access);

    const assigned = await api(`/api/v1/complaints/${created.id}/assign`, { token: admin.access, body: { assigned_to: admin.user.id } });
    expect(assigned.status).toBe(200);
    expect(assigned.body.assigned_to).toEqual({ id: admin.user.id, name: "Officer Rahman" });

    const started = await api(`/api/v1/complaints/${created.id}/update_status`, { token: admin.access, body: { new_status: "in_progress", comment: "Team sent" } });
    expect(started.status).toBe(200);
    expect(started.body.status).toBe("প্রক্রিয়াধীন");
    // One round trip: the user check, the guarded update + history, the complaint as it now is,
    // and the owner's notification (the outbox row, in the same transaction).
    expect(roundTrips(started)).toBe(1);
    expect(statementCount(started)).toBe(4);
    const resolved = await api(`/api/v1/complaints/${created.id}/update_status`, { token: admin.access, body: { status: "সমাধান হয়েছে" } });
    expect(resolved.body.status).toBe("সমাধান হয়েছে");
    expect(resolved.body.resolved_at).not.toBeNull();

    const history = await api(`/api/v1/complaints/${created.id}/updates`, { token: citizen.access });
    expect(history.body.map((h: any) => [h.old_status, h.new_status])).toEqual([
      [null, "জমা দেওয়া হয়েছে"],
      ["জমা দেওয়া হয়েছে", "প্রক্রিয়াধীন"],
      ["প্রক্রিয়াধীন", "সমাধান হয়েছে"],
    ]);
    expect(history.body[1]).toMatchObject({ comment: "Team sent", updated_by: { id: admin.user.id, name: "Officer Rahman" } });

    const sms = await waitForSms(citizen.user.phone, 2);
    expect(sms).toContain(created.tracking_number);
    expect(sms).toContain("সমাধান হয়েছে");

    const rated = await api(`/api/v1/complaints/${created.id}/rate`, { token: citizen.access, body: { rating: 5, feedback: "Quick work" } });
    expect(rated.status).toBe(200);
    expect(rated.body).toMatchObject({ rating: 5, feedback: "Quick work" });
    expect((await api(`/api/v1/complaints/${created.id}/rate`, { token: citizen.access, body: { rating: 1 } })).status).toBe(409);
  });

  it("statistics count by status, category, priority and ward, with the average rating", async () => {
    const admin = await signedIn({ userType: "super_admin" });
    const before = await api("/api/v1/complaints/statistics", { token: admin.access });
    const citizen = await signedIn();
    await fileComplaint(citizen.access, { category: "electricity", priority: "high", ward_number: "75" });
    const after = await api("/api/v1/complaints/statistics", { token: admin.access });
    expect(after.status).toBe(200);
    expect(after.body.total).toBe(before.body.total + 1);
    expect(after.body.by_category["বিদ্যুৎ"]).toBe((before.body.by_category["বিদ্যুৎ"] ?? 0) + 1);
    expect(after.body.by_priority["উচ্চ"]).toBe((before.body.by_priority["উচ্চ"] ?? 0) + 1);
    expect(after.body.by_ward["75"]).toBe((before.body.by_ward["75"] ?? 0) + 1);
    expect(after.body.by_status["জমা দেওয়া হয়েছে"]).toBe((before.body.by_status["জমা দেওয়া হয়েছে"] ?? 0) + 1);
  });

  it("owner edits while submitted; staff edit any time; edits are refused once work started", async () => {
    const citizen = await signedIn();
    const admin = await signedIn({ userType: "admin" });
    const created = await fileComplaint(citizen.access);
    const edited = await api(`/api/v1/complaints/${created.id}`, { method: "PATCH", token: citizen.access, body: { title: "Updated title", category: "other" } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ title: "Updated title", category: "অন্যান্য" });
    await api(`/api/v1/complaints/${created.id}/update_status`, { token: admin.access, body: { new_status: "in_progress" } });
    expect((await api(`/api/v1/complaints/${created.id}`, { method: "PUT", token: citizen.access, body: { title: "Late edit" } })).status).toBe(409);
    expect((await api(`/api/v1/complaints/${created.id}`, { method: "PUT", token: admin.access, body: { priority: "high" } })).body.priority).toBe("উচ্চ");
  });

  it("deleting a complaint or one photo leaves no object behind in R2", async () => {
    const citizen = await signedIn();
    const res = await api("/api/v1/complaints", {
      token: citizen.access,
      body: form({ ...validComplaint(), latitude: "23.7", longitude: "90.4", images: [file(pngBytes(), "1.png"), file(pngBytes(), "2.png")] } as any),
    });
    const [first, second] = res.body.images;
    const keysBefore = new Set((await env.MEDIA.list({ prefix: "complaints/" })).objects.map((o) => o.key));

    expect((await api(path(first.url), { method: "DELETE", token: citizen.access })).status).toBe(204);
    expect((await api(path(first.url), { token: citizen.access })).status).toBe(404);
    const afterOne = new Set((await env.MEDIA.list({ prefix: "complaints/" })).objects.map((o) => o.key));
    expect(afterOne.size).toBe(keysBefore.size - 1);

    expect((await api(`/api/v1/complaints/${res.body.id}`, { method: "DELETE", token: citizen.access })).status).toBe(204);
    expect((await api(`/api/v1/complaints/${res.body.id}`, { token: citizen.access })).status).toBe(404);
    expect((await api(path(second.url), { token: citizen.access })).status).toBe(404);
    const afterAll = new Set((await env.MEDIA.list({ prefix: "complaints/" })).objects.map((o) => o.key));
    expect(afterAll.size).toBe(keysBefore.size - 2);
  });

  it("photos can be added later, up to five in all", async () => {
    const citizen = await signedIn();
    const created = await fileComplaint(citizen.access);
    const added = await api(`/api/v1/complaints/${created.id}/images`, { token: citizen.access, body: form({ images: [file(pngBytes(), "1.png"), file(pngBytes(), "2.png")] }) });
    expect(added.status).toBe(201);
    expect(added.body.images).toHaveLength(2);
    const more = await api(`/api/v1/complaints/${created.id}/images`, { token: citizen.access, body: form({ images: [1, 2, 3].map((n) => file(jpegBytes(), `${n}.jpg`)) }) });
    expect(more.body.images).toHaveLength(5);
  });
});
