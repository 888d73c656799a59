/** Profiles, staff user management and profile pictures (contract §4). */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createUser, DEFAULT_PASSWORD, randomPhone, signedIn } from "../../../test/support/factories";
import { file, form, jpegBytes, pdfBytes, pngBytes, webpBytes } from "../../../test/support/files";
import { api, BASE, statementCount } from "../../../test/support/http";

const avatarKey = (url: string) => url.replace(`${BASE}/api/v1/media/`, "");

describe("own profile", () => {
  it("reads and updates the profile with PUT and PATCH", async () => {
    const { access, user } = await signedIn();
    const read = await api("/api/v1/users/profile", { token: access });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: user.id, phone: user.phone, user_type: "citizen" });
    expect(statementCount(read)).toBe(1); // the auth lookup is the only query

    const put = await api("/api/v1/users/profile", { method: "PUT", token: access, body: { name: "নতুন নাম", address: "Mirpur 10", ward_number: "7", nid: "1234567890" } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: "নতুন নাম", address: "Mirpur 10", ward_number: "7", nid: "1234567890" });

    const patch = await api("/api/v1/users/profile", { method: "PATCH", token: access, body: { email: "me@example.com" } });
    expect(patch.status).toBe(200);
    expect(patch.body).toMatchObject({ name: "নতুন নাম", email: "me@example.com" });
  });

  it("cannot change its own role, phone or verification through the profile", async () => {
    const { access } = await signedIn();
    for (const body of [{ user_type: "super_admin" }, { phone: randomPhone() }, { is_verified: false }]) {
      const res = await api("/api/v1/users/profile", { method: "PATCH", token: access, body });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe("validation_error");
    }
    expect((await api("/api/v1/users/profile", { token: access })).body.user_type).toBe("citizen");
  });

  it("rejects an email another account uses", async () => {
    const email = `taken-${crypto.randomUUID().slice(0, 8)}@example.com`;
    const a = await signedIn();
    const b = await signedIn();
    expect((await api("/api/v1/users/profile", { method: "PATCH", token: a.access, body: { email } })).status).toBe(200);
    const res = await api("/api/v1/users/profile", { method: "PATCH", token: b.access, body: { email } });
    expect(res.status).toBe(400);
    expect(res.body.details.email).toHaveLength(1);
  });

  it("requires sign-in", async () => {
    expect((await api("/api/v1/users/profile")).status).toBe(401);
    expect((await api("/api/v1/users/profile", { method: "PATCH", body: { name: "x" } })).status).toBe(401);
  });
});

describe("profile picture", () => {
  it.each([
    ["png", pngBytes(), "image/png"],
    ["jpeg", jpegBytes(), "image/jpeg"],
    ["webp", webpBytes(), "image/webp"],
  ])("stores a %s in R2 and serves it back", async (_kind, bytes, type) => {
    const { access } = await signedIn();
    const res = await api("/api/v1/users/profile/avatar", { token: access, body: form({ avatar: file(bytes, "me.bin") }) });
    expect(res.status).toBe(200);
    const url: string = res.body.profile_picture_url;
    expect(url).toMatch(/^http:\/\/api\.test\/api\/v1\/media\/avatars\/[0-9a-f-]{36}\.(jpg|png|webp)$/);
    const served = await api(url.replace(BASE, ""));
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe(type);
    expect(served.headers.get("cache-control")).toContain("immutable");
    expect(await env.MEDIA.head(avatarKey(url))).not.toBeNull();
  });

  it("replacing the picture deletes the old object", async () => {
    const { access } = await signedIn();
    const first = await api("/api/v1/users/profile/avatar", { token: access, body: form({ avatar: file(pngBytes(), "a.png") }) });
    const second = await api("/api/v1/users/profile/avatar", { token: access, body: form({ avatar: file(jpegBytes(), "b.jpg") }) });
    expect(second.status).toBe(200);
    expect(await env.MEDIA.head(avatarKey(first.body.profile_picture_url))).toBeNull();
    expect(await env.MEDIA.head(avatarKey(second.body.profile_picture_url))).not.toBeNull();
  });

  it("refuses a PDF named .jpg (415), a file over 5 MB (413), a missing file (400), and stores nothing", async () => {
    const { access } = await signedIn();
    const before = (await env.MEDIA.list({ prefix: "avatars/" })).objects.length;
    const pdf = await api("/api/v1/users/profile/avatar", { token: access, body: form({ avatar: file(pdfBytes(), "photo.jpg", "image/jpeg") }) });
    expect(pdf.status).toBe(415);
    expect(pdf.body.code).toBe("unsupported_media_type");
    const big = await api("/api/v1/users/profile/avatar", { token: access, body: form({ avatar: file(pngBytes(5 * 1024 * 1024 + 1), "big.png") }) });
    expect(big.status).toBe(413);
    const missing = await api("/api/v1/users/profile/avatar", { token: access, body: form({ other: "x" }) });
    expect(missing.status).toBe(400);
    expect(missing.body.details.avatar).toHaveLength(1);
    expect((await env.MEDIA.list({ prefix: "avatars/" })).objects.length).toBe(before);
    expect((await api("/api/v1/users/profile", { token: access })).body.profile_picture_url).toBeNull();
  });

  it("unknown media is 404", async () => {
    expect((await api(`/api/v1/media/avatars/${crypto.randomUUID()}.png`)).status).toBe(404);
    expect((await api("/api/v1/media/avatars/..%2F..%2Fsecret")).status).toBe(404);
  });
});

describe("staff user management", () => {
  it("admins list users with filters, search and pagination links", async () => {
    const admin = await signedIn({ userType: "admin" });
    const ward = String(100 + Math.floor(Math.random() * 899));
    const tag = crypto.randomUUID().slice(0, 6);
    for (let i = 0; i < 3; i++) await createUser({ wardNumber: ward, name: `Ward ${tag} ${i}` });
    await createUser({ wardNumber: ward, name: `Unverified ${tag}`, verified: false });

    const page1 = await api(`/api/v1/users?ward_number=${ward}&is_verified=true&page_size=2`, { token: admin.access });
    expect(page1.status).toBe(200);
    expect(page1.body.count).toBe(3);
    expect(page1.body.results).toHaveLength(2);
    expect(page1.body.previous).toBeNull();
    expect(page1.body.next).toContain("page=2");
    expect(statementCount(page1)).toBe(3); // auth + rows + count

    const page2 = await api(page1.body.next.replace(BASE, ""), { token: admin.access });
    expect(page2.body.results).toHaveLength(1);
    expect(page2.body.next).toBeNull();

    const search = await api(`/api/v1/users?search=${encodeURIComponent(`Unverified ${tag}`)}`, { token: admin.access });
    expect(search.body.count).toBe(1);
    expect(search.body.results[0].is_verified).toBe(false);
  });

  it("citizens cannot list users (403) and see others as 404", async () => {
    const citizen = await signedIn();
    const other = await createUser();
    expect((await api("/api/v1/users", { token: citizen.access })).status).toBe(403);
    expect((await api(`/api/v1/users/${other.id}`, { token: citizen.access })).status).toBe(404);
    expect((await api(`/api/v1/users/${other.id}`, { method: "PUT", token: citizen.access, body: { name: "x" } })).status).toBe(404);
    expect((await api(`/api/v1/users/${citizen.user.id}`, { token: citizen.access })).status).toBe(200);
  });

  it("a non-UUID id is 404, bad filters are 400", async () => {
    const admin = await signedIn({ userType: "admin" });
    expect((await api("/api/v1/users/not-a-uuid", { token: admin.access })).status).toBe(404);
    expect((await api("/api/v1/users?page_size=500", { token: admin.access })).status).toBe(400);
    expect((await api("/api/v1/users?user_type=king", { token: admin.access })).status).toBe(400);
  });

  it("only a super_admin changes roles; admins edit profiles", async () => {
    const admin = await signedIn({ userType: "admin" });
    const superAdmin = await signedIn({ userType: "super_admin" });
    const target = await createUser();
    expect((await api(`/api/v1/users/${target.id}`, { method: "PUT", token: admin.access, body: { user_type: "admin" } })).status).toBe(403);
    expect((await api(`/api/v1/users/${target.id}`, { method: "PUT", token: admin.access, body: { name: "Edited" } })).body.name).toBe("Edited");
    const promoted = await api(`/api/v1/users/${target.id}`, { method: "PUT", token: superAdmin.access, body: { user_type: "service_provider" } });
    expect(promoted.status).toBe(200);
    expect(promoted.body.user_type).toBe("service_provider");
  });

  it("super_admin deactivates a user: they are signed out and cannot sign in", async () => {
    const superAdmin = await signedIn({ userType: "super_admin" });
    const admin = await signedIn({ userType: "admin" });
    const target = await signedIn();
    expect((await api(`/api/v1/users/${target.user.id}`, { method: "DELETE", token: admin.access })).status).toBe(403);
    const res = await api(`/api/v1/users/${target.user.id}`, { method: "DELETE", token: superAdmin.access });
    expect(res.status).toBe(200);
    expect((await api("/api/v1/auth/me", { token: target.access })).status).toBe(401);
    expect((await api("/api/v1/auth/refresh", { body: { refresh: target.refresh } })).status).toBe(401);
    expect((await api("/api/v1/auth/login", { body: { phone: target.user.phone, password: DEFAULT_PASSWORD } })).status).toBe(403);
    expect((await api(`/api/v1/users/${superAdmin.user.id}`, { method: "DELETE", token: superAdmin.access })).status).toBe(409);
    expect((await api(`/api/v1/users/${crypto.randomUUID()}`, { method: "DELETE", token: superAdmin.access })).status).toBe(404);
  });
});
