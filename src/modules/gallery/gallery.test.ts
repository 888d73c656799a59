/**
 * The gallery, happy paths and bad input: raw-body uploads recognised by bytes (dimensions read
 * from image headers), large videos streamed into R2 by multipart upload, public streaming with
 * long caching, ETag/304 and HTTP Range (206/416), the public list and detail (one round trip,
 * cacheable), edits and deletes with their activity-log rows — and after every refusal or failure
 * nothing written: no item, no pending row, no R2 object left behind.
 */
import { env } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { signedIn, withServices } from "../../../test/support/factories";
import { api, roundTrips } from "../../../test/support/http";
import { getMedia, itemsTitled, jpeg, MB, mp4, mp4Head, orphans, pendingBy, png, streamByte, streamOf, tag, upload, uploadRaw, webm } from "../../../test/support/gallery";
import { pdfBytes } from "../../../test/support/files";
import { sweepGalleryObjects } from "./gallery.service";

const admin = await signedIn({ userType: "super_admin", name: "Gallery Desk" });

async function activity(id: string) {
  return withServices(async ({ db }) => {
    const { rows } = await db.execute<{ action: string }>(sql`select action from activity_logs where resource_type = 'gallery_item' and resource_id = ${id} order by created_at, id`);
    return rows.map((r) => r.action);
  });
}

describe("upload and streaming", () => {
  it("stores a PNG recognised by bytes (whatever the declared type) with its size in pixels, and streams it back", async () => {
    const t = tag();
    const bytes = png(640, 480, 2048);
    const res = await uploadRaw(admin.access, { title: `${t} নদীর পাড়`, category: "cleaning_drive", description: "আগে ও পরে" }, bytes, { "content-type": "image/jpeg" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      title: `${t} নদীর পাড়`,
      description: "আগে ও পরে",
      category: "cleaning_drive",
      media_type: "image",
      content_type: "image/png",
      file_size: 2048,
      width: 640,
      height: 480,
      created_by: { id: admin.user.id, name: "Gallery Desk" },
    });
    expect(res.body.url).toMatch(/^http:\/\/api\.test\/api\/v1\/gallery\/media\/[0-9a-f-]{36}\.png$/);
    expect(res.body.thumbnail_url).toBe(res.body.url);
    expect(await activity(res.body.id)).toEqual(["gallery.create"]);
    expect(await pendingBy(admin.user.id)).toBe(0);

    const got = await getMedia(res.body.url);
    expect(got.status).toBe(200);
    expect(got.bytes).toEqual(bytes);
    expect(got.headers.get("content-type")).toBe("image/png");
    expect(got.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(got.headers.get("accept-ranges")).toBe("bytes");
    expect(got.headers.get("content-length")).toBe("2048");
    const etag = got.headers.get("etag")!;
    expect(etag).toMatch(/^"/);
    expect((await getMedia(res.body.url, { "if-none-match": etag })).status).toBe(304);
  });

  it("reads JPEG dimensions from the SOF segment; WebM and MP4 are videos", async () => {
    const j = await upload(admin.access, { title: `${tag()} jpeg` }, jpeg(1920, 1080));
    expect(j).toMatchObject({ content_type: "image/jpeg", width: 1920, height: 1080, category: "general" });
    const w = await upload(admin.access, { title: `${tag()} webm`, width: "1280", height: "720" }, webm(4096));
    expect(w).toMatchObject({ media_type: "video", content_type: "video/webm", width: 1280, height: 720, thumbnail_url: null });
    expect(w.url).toMatch(/\.webm$/);
  });

  it("answers Range requests with 206 and Content-Range, 416 outside the file, and the whole file for several ranges", async () => {
    const bytes = mp4(10_000);
    const item = await upload(admin.access, { title: `${tag()} range` }, bytes);
    const range = async (value: string) => getMedia(item.url, { range: value });
    const first = await range("bytes=0-9");
    expect(first.status).toBe(206);
    expect(first.headers.get("content-range")).toBe("bytes 0-9/10000");
    expect(first.headers.get("content-length")).toBe("10");
    expect(first.bytes).toEqual(bytes.slice(0, 10));
    const open = await range("bytes=9990-");
    expect(open.headers.get("content-range")).toBe("bytes 9990-9999/10000");
    expect(open.bytes).toEqual(bytes.slice(9990));
    const suffix = await range("bytes=-5");
    expect(suffix.headers.get("content-range")).toBe("bytes 9995-9999/10000");
    expect(suffix.bytes).toEqual(bytes.slice(9995));
    const clipped = await range("bytes=9000-20000");
    expect(clipped.headers.get("content-range")).toBe("bytes 9000-9999/10000");
    const outside = await range("bytes=10000-");
    expect(outside.status).toBe(416);
    expect(outside.headers.get("content-range")).toBe("bytes */10000");
    expect(JSON.parse(new TextDecoder().decode(outside.bytes)).code).toBe("range_not_satisfiable");
    const several = await range("bytes=0-1,5-6");
    expect(several.status).toBe(200);
    expect(several.bytes.length).toBe(10_000);
  });

  it("streams an 11 MB video into R2 as a multipart upload, and a seek across a part boundary returns the right bytes", async () => {
    const head = mp4Head();
    const total = 11 * MB + 12_345;
    const res = await uploadRaw(admin.access, { title: `${tag()} big video` }, streamOf(head, total), { "content-type": "video/mp4" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ media_type: "video", content_type: "video/mp4", file_size: total });
    const key = `gallery/${res.body.url.split("/").pop()}`;
    const object = await env.MEDIA.head(key);
    expect(object!.size).toBe(total);
    const boundary = 5 * MB;
    const seek = await getMedia(res.body.url, { range: `bytes=${boundary - 4}-${boundary + 3}` });
    expect(seek.status).toBe(206);
    expect([...seek.bytes]).toEqual(Array.from({ length: 8 }, (_, i) => streamByte(head, boundary - 4 + i)));
    const tail = await getMedia(res.body.url, { range: "bytes=-3" });
    expect([...tail.bytes]).toEqual([0, 1, 2].map((i) => streamByte(head, total - 3 + i)));
  });
});

describe("list, detail, edit, delete", () => {
  it("lists newest first with filters and pagination, cacheable, in one round trip; detail too", async () => {
    const cat = tag();
    const a = await upload(admin.access, { title: `${cat} a`, category: cat }, png(10, 10));
    const b = await upload(admin.access, { title: `${cat} b`, category: cat }, mp4(1000));
    const c = await upload(admin.access, { title: `${cat} c`, category: cat }, jpeg(5, 5));
    const res = await api(`/api/v1/gallery?category=${cat}`);
    expect(res.status).toBe(200);
    expect(res.body.count).toBe(3);
    expect(res.body.results.map((i: { id: string }) => i.id)).toEqual([c.id, b.id, a.id]);
    expect(roundTrips(res)).toBe(1);
    expect(res.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=300");
    expect((await api(`/api/v1/gallery?category=${cat}`, { headers: { "if-none-match": res.headers.get("etag")! } })).status).toBe(304);
    const videos = await api(`/api/v1/gallery?category=${cat}&media_type=video`);
    expect(videos.body.results.map((i: { id: string }) => i.id)).toEqual([b.id]);
    const page = await api(`/api/v1/gallery?category=${cat}&page=2&page_size=2`);
    expect(page.body.results.map((i: { id: string }) => i.id)).toEqual([a.id]);
    const one = await api(`/api/v1/gallery/${a.id}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ id: a.id, title: `${cat} a` });
    expect(roundTrips(one)).toBe(1);
    expect((await api(`/api/v1/gallery/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it("edits metadata and deletes the item with its R2 object; each writes its activity-log row", async () => {
    const item = await upload(admin.access, { title: `${tag()} edit` }, png(3, 3));
    const patched = await api(`/api/v1/gallery/${item.id}`, { method: "PATCH", token: admin.access, body: { title: "নতুন শিরোনাম", category: "Events" } });
    expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    expect(patched.body).toMatchObject({ title: "নতুন শিরোনাম", category: "events", url: item.url });
    expect((await api(`/api/v1/gallery/${item.id}`, { method: "DELETE", token: admin.access })).status).toBe(204);
    expect((await api(`/api/v1/gallery/${item.id}`)).status).toBe(404);
    expect((await getMedia(item.url)).status).toBe(404);
    expect(await env.MEDIA.head(`gallery/${item.url.split("/").pop()}`)).toBeNull();
    expect(await activity(item.id)).toEqual(["gallery.create", "gallery.update", "gallery.delete"]);
    expect(await pendingBy(admin.user.id)).toBe(0);
    expect(await orphans()).toEqual([]);
  });
});

describe("bad input writes nothing and leaves no object", () => {
  const refusals: Array<[string, () => BodyInit, number, Record<string, string>?]> = [
    ["a PDF", () => pdfBytes(2048), 415],
    ["HEIC stills in an ISO-BMFF box", () => mp4Head("heic"), 415],
    ["Matroska that is not WebM", () => webm(2048, "matroska"), 415],
    ["an empty body", () => new Uint8Array(0), 400],
    ["a multipart form", () => new FormData(), 415, { "content-type": "multipart/form-data; boundary=x" }],
    ["an image over 10 MB", () => streamOf(png(1, 1), 10 * MB + 1), 413],
    ["a video over 100 MB (stopped while streaming)", () => streamOf(mp4Head(), 100 * MB + 1), 413],
    ["an upload cut off half way (after a 5 MiB part went to R2)", () => streamOf(mp4Head(), 20 * MB, { failAfter: 6 * MB }), 400],
  ];
  for (const [what, body, status, headers] of refusals) {
    it(`${what} → ${status}`, async () => {
      const title = `${tag()} refused`;
      const res = await uploadRaw(admin.access, { title }, body(), headers);
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(typeof res.body.code).toBe("string");
      expect(await itemsTitled(title)).toBe(0);
      expect(await pendingBy(admin.user.id)).toBe(0);
      expect(await orphans()).toEqual([]);
    });
  }

  it("metadata is checked before any byte is read", async () => {
    for (const [query, field] of [[{}, "title"], [{ title: "x", category: "no spaces" }, "category"], [{ title: "x", width: "0" }, "width"]] as const) {
      const res = await uploadRaw(admin.access, query as Record<string, string>, png(2, 2));
      expect(res.status).toBe(400);
      expect(res.body.details).toHaveProperty(field);
    }
    expect(await orphans()).toEqual([]);
  });

  it("a grant withdrawn while the file streams: 403, and the stored object is deleted again", async () => {
    const editor = await signedIn({ userType: "admin", permissions: [{ permission_type: "gallery", can_create: true }] });
    const title = `${tag()} revoked`;
    const body = streamOf(mp4Head(), 6 * MB, {
      onChunk: async (sent) => {
        if (sent === 1 * MB) await withServices(({ db }) => db.execute(sql`delete from admin_permissions where user_id = ${editor.user.id}`));
      },
    });
    const res = await uploadRaw(editor.access, { title }, body);
    expect(res.status).toBe(403);
    expect(await itemsTitled(title)).toBe(0);
    expect(await pendingBy(editor.user.id)).toBe(0);
    expect(await orphans()).toEqual([]);
  });

  it("the cron sweep deletes objects of dead uploads and of deletes R2 did not confirm", async () => {
    const dead = `gallery/${crypto.randomUUID()}`;
    const undeleted = `gallery/${crypto.randomUUID()}.png`;
    await env.MEDIA.put(`${dead}.mp4`, mp4(100));
    await env.MEDIA.put(undeleted, png(1, 1));
    await withServices(({ db }) =>
      db.execute(sql`insert into gallery_pending_objects (object_key, reason, created_at) values (${dead}, 'upload', now() - interval '2 hours'), (${undeleted}, 'delete', now())`),
    );
    const fresh = `gallery/${crypto.randomUUID()}`;
    await withServices(({ db }) => db.execute(sql`insert into gallery_pending_objects (object_key, reason) values (${fresh}, 'upload')`));
    expect(await withServices((services) => sweepGalleryObjects(services))).toBeGreaterThanOrEqual(2);
    expect(await env.MEDIA.head(`${dead}.mp4`)).toBeNull();
    expect(await env.MEDIA.head(undeleted)).toBeNull();
    const left = await withServices(async ({ db }) => (await db.execute<{ object_key: string }>(sql`select object_key from gallery_pending_objects where object_key in (${dead}, ${undeleted}, ${fresh})`)).rows);
    expect(left.map((r) => r.object_key)).toEqual([fresh]); // an upload in flight is left alone
    await withServices(({ db }) => db.execute(sql`delete from gallery_pending_objects where object_key = ${fresh}`));
  });
});
