/**
 * Security matrix: citizen A (owner), citizen B, admin, super_admin and anonymous against every
 * complaint route. B must not learn that A's complaint exists (404); anonymous gets 401; citizens
 * get 403 on staff routes.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { fileComplaint } from "../../../test/support/complaints";
import { signedIn, type SignedInUser } from "../../../test/support/factories";
import { file, form, pngBytes } from "../../../test/support/files";
import { api, BASE } from "../../../test/support/http";

let owner: SignedInUser;
let stranger: SignedInUser;
let admin: SignedInUser;
let superAdmin: SignedInUser;
let complaint: any;
let imagePath: string;

beforeAll(async () => {
  [owner, stranger, admin, superAdmin] = await Promise.all([
    signedIn(),
    signedIn(),
    signedIn({ userType: "admin" }),
    signedIn({ userType: "super_admin" }),
  ]);
  complaint = await fileComplaint(owner.access);
  const withImage = await api(`/api/v1/complaints/${complaint.id}/images`, { token: owner.access, body: form({ images: file(pngBytes(), "x.png") }) });
  imagePath = withImage.body.images[0].url.replace(BASE, "");
});

type Who = "owner" | "stranger" | "admin" | "super_admin" | "anonymous";
const token = (who: Who) =>
  ({ owner: owner.access, stranger: stranger.access, admin: admin.access, super_admin: superAdmin.access, anonymous: undefined })[who];

// Read-only routes: [path builder, expected status per viewer]
const reads: Array<[string, () => string, Record<Who, number>]> = [
  ["retrieve", () => `/api/v1/complaints/${complaint.id}`, { owner: 200, stranger: 404, admin: 200, super_admin: 200, anonymous: 401 }],
  ["track", () => `/api/v1/complaints/track/${complaint.tracking_number}`, { owner: 200, stranger: 404, admin: 200, super_admin: 200, anonymous: 401 }],
  ["history", () => `/api/v1/complaints/${complaint.id}/updates`, { owner: 200, stranger: 404, admin: 200, super_admin: 200, anonymous: 401 }],
  ["photo", () => imagePath, { owner: 200, stranger: 404, admin: 200, super_admin: 200, anonymous: 401 }],
  ["statistics", () => "/api/v1/complaints/statistics", { owner: 403, stranger: 403, admin: 200, super_admin: 200, anonymous: 401 }],
  ["list", () => "/api/v1/complaints", { owner: 200, stranger: 200, admin: 200, super_admin: 200, anonymous: 401 }],
  ["nearby", () => "/api/v1/complaints/nearby?latitude=23.75&longitude=90.38&category=roads", { owner: 200, stranger: 200, admin: 200, super_admin: 200, anonymous: 401 }],
];

describe.each(reads)("GET %s", (_name, path, expected) => {
  it.each(Object.keys(expected) as Who[])("as %s", async (who) => {
    const res = await api(path(), { token: token(who) });
    expect(res.status).toBe(expected[who]);
    if (res.status >= 400) expect(res.body.code).toBe({ 401: "unauthorized", 403: "forbidden", 404: "not_found" }[res.status as 401 | 403 | 404]);
  });
});

it("the stranger's list does not contain the owner's complaint; staff lists do", async () => {
  const search = `?search=${complaint.tracking_number}`;
  expect((await api(`/api/v1/complaints${search}`, { token: stranger.access })).body.count).toBe(0);
  expect((await api(`/api/v1/complaints${search}`, { token: admin.access })).body.count).toBe(1);
});

describe("writes by someone who may not", () => {
  it("a stranger cannot edit, delete, add photos, delete photos, change status, rate or assign (404 throughout)", async () => {
    const t = stranger.access;
    const id = complaint.id;
    const attempts = [
      api(`/api/v1/complaints/${id}`, { method: "PATCH", token: t, body: { title: "hijack" } }),
      api(`/api/v1/complaints/${id}`, { method: "DELETE", token: t }),
      api(`/api/v1/complaints/${id}/images`, { token: t, body: form({ images: file(pngBytes(), "y.png") }) }),
      api(imagePath, { method: "DELETE", token: t }),
      api(`/api/v1/complaints/${id}/update_status`, { token: t, body: { new_status: "cancelled" } }),
      api(`/api/v1/complaints/${id}/rate`, { token: t, body: { rating: 1 } }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(404);
    expect((await api(`/api/v1/complaints/${id}/assign`, { token: t, body: { assigned_to: admin.user.id } })).status).toBe(403);
    const after = await api(`/api/v1/complaints/${id}`, { token: owner.access });
    expect(after.body.title).toBe(complaint.title);
    expect(after.body.images).toHaveLength(1);
    expect(after.body.status).toBe("জমা দেওয়া হয়েছে");
  });

  it("the owner cannot move status forward or assign (403) — only cancel", async () => {
    expect((await api(`/api/v1/complaints/${complaint.id}/update_status`, { token: owner.access, body: { new_status: "in_progress" } })).status).toBe(403);
    expect((await api(`/api/v1/complaints/${complaint.id}/assign`, { token: owner.access, body: { assigned_to: owner.user.id } })).status).toBe(403);
  });

  it("staff cannot rate a complaint that is not theirs (403)", async () => {
    expect((await api(`/api/v1/complaints/${complaint.id}/rate`, { token: admin.access, body: { rating: 5 } })).status).toBe(403);
  });

  it("anonymous writes are 401", async () => {
    expect((await api("/api/v1/complaints", { body: { title: "x" } })).status).toBe(401);
    expect((await api(`/api/v1/complaints/${complaint.id}`, { method: "DELETE" })).status).toBe(401);
    expect((await api(`/api/v1/complaints/${complaint.id}/update_status`, { body: { new_status: "cancelled" } })).status).toBe(401);
  });
});
