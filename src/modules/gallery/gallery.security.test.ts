/**
 * Who may change the gallery: every role × upload/edit/delete. Items belong to the whole city, so
 * a change needs the `gallery` permission without a ward limit; a ward-limited grant is refused.
 * Refusals write nothing: no item, no edit, no activity-log row, no pending row, no R2 object.
 * Reads and media are public.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { signedIn, withServices, type UserOptions } from "../../../test/support/factories";
import { api } from "../../../test/support/http";
import { getMedia, itemsTitled, orphans, png, tag, upload, uploadRaw } from "../../../test/support/gallery";

const superAdmin = await signedIn({ userType: "super_admin" });

const grant = (wards: string[], can: { c?: boolean; u?: boolean; d?: boolean }) => [
  { permission_type: "gallery" as const, ward_numbers: wards, can_read: true, can_create: can.c ?? false, can_update: can.u ?? false, can_delete: can.d ?? false },
];

interface Actor {
  name: string;
  user?: UserOptions;
  anonymous?: boolean;
  allows: { create: boolean; update: boolean; delete: boolean };
}
const NONE = { create: false, update: false, delete: false };
const ALL = { create: true, update: true, delete: true };
const ACTORS: Actor[] = [
  { name: "anonymous", anonymous: true, allows: NONE },
  { name: "citizen", user: { userType: "citizen" }, allows: NONE },
  { name: "service provider", user: { userType: "service_provider" }, allows: NONE },
  { name: "admin without a gallery grant", user: { userType: "admin", permissions: [{ permission_type: "calendar", can_create: true, can_update: true, can_delete: true }] }, allows: NONE },
  { name: "admin with a ward-limited gallery grant", user: { userType: "admin", permissions: grant(["251"], { c: true, u: true, d: true }) }, allows: NONE },
  { name: "admin who may only upload", user: { userType: "admin", permissions: grant([], { c: true }) }, allows: { create: true, update: false, delete: false } },
  { name: "admin managing the gallery", user: { userType: "admin", permissions: grant([], { c: true, u: true, d: true }) }, allows: ALL },
  { name: "super admin", user: { userType: "super_admin" }, allows: ALL },
];

const want = (actor: Actor, action: keyof Actor["allows"], ok: number) => (actor.anonymous ? 401 : actor.allows[action] ? ok : 403);

async function state(id: string) {
  return withServices(async ({ db }) => {
    const { rows } = await db.execute<{ title: string | null; logs: number }>(sql`
      select (select title from gallery_items where id = ${id}) as title,
             (select count(*)::int from activity_logs where resource_type = 'gallery_item' and resource_id = ${id}) as logs`);
    return rows[0]!;
  });
}

describe("role × route", async () => {
  for (const actor of ACTORS) {
    describe(actor.name, async () => {
      const session = actor.anonymous ? undefined : await signedIn(actor.user);
      const token = session?.access;

      it(`POST /gallery → ${want(actor, "create", 201)}`, async () => {
        const title = `${tag()} up`;
        const res = await uploadRaw(token, { title }, png(4, 4));
        expect(res.status, JSON.stringify(res.body)).toBe(want(actor, "create", 201));
        expect(await itemsTitled(title)).toBe(res.status === 201 ? 1 : 0);
        expect(await orphans()).toEqual([]);
      });

      it(`PATCH /gallery/{id} → ${want(actor, "update", 200)}`, async () => {
        const item = await upload(superAdmin.access, { title: `${tag()} edit` }, png(4, 4));
        const res = await api(`/api/v1/gallery/${item.id}`, { method: "PATCH", token, body: { title: `${item.title} edited` } });
        expect(res.status).toBe(want(actor, "update", 200));
        const s = await state(item.id);
        expect(s.title).toBe(res.status === 200 ? `${item.title} edited` : item.title);
        expect(s.logs).toBe(res.status === 200 ? 2 : 1);
      });

      it(`DELETE /gallery/{id} → ${want(actor, "delete", 204)}`, async () => {
        const item = await upload(superAdmin.access, { title: `${tag()} delete` }, png(4, 4));
        const res = await api(`/api/v1/gallery/${item.id}`, { method: "DELETE", token });
        expect(res.status).toBe(want(actor, "delete", 204));
        expect((await getMedia(item.url)).status).toBe(res.status === 204 ? 404 : 200);
        expect((await state(item.id)).logs).toBe(res.status === 204 ? 2 : 1);
      });

      it("reads and media are public", async () => {
        const item = await upload(superAdmin.access, { title: `${tag()} read` }, png(4, 4));
        expect((await api(`/api/v1/gallery/${item.id}`, { token })).status).toBe(200);
        expect((await api("/api/v1/gallery", { token })).status).toBe(200);
        expect((await getMedia(item.url)).status).toBe(200);
      });
    });
  }
});

describe("bad edits", () => {
  it("refuse unknown fields and bad values with 400, changing nothing", async () => {
    const item = await upload(superAdmin.access, { title: `${tag()} bad` }, png(4, 4));
    for (const body of [{ title: "" }, { category: "two words" }, { url: "http://evil" }, { title: 7 }]) {
      const res = await api(`/api/v1/gallery/${item.id}`, { method: "PATCH", token: superAdmin.access, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect((await state(item.id)).title).toBe(item.title);
  });

  it("a media path that is not an item's file is 404", async () => {
    for (const path of ["/api/v1/gallery/media/..%2F..%2Fcomplaints%2Fx.png", `/api/v1/gallery/media/${crypto.randomUUID()}.png`, "/api/v1/gallery/media/x.exe"]) {
      expect((await api(path)).status, path).toBe(404);
    }
  });
});
