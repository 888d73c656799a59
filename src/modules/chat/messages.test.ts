/** Messages over REST (contract §6): send, history with a cursor, attachments in R2. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { mustConnect, openSupportRoom } from "../../../test/support/chat";
import { signedIn } from "../../../test/support/factories";
import { file, form, jpegBytes, pdfBytes, pngBytes } from "../../../test/support/files";
import { api, BASE } from "../../../test/support/http";

const path = (roomId: string, rest = "") => `/api/v1/chat/rooms/${roomId}${rest}`;
const syncRoom = (roomId: string) => api(`/api/v1/dev/chat/rooms/${roomId}/sync?include_ids=true`, { method: "POST" });

describe("REST send", () => {
  it("stores the message as the signed-in user and returns it (201); a resend returns the same one (200)", async () => {
    const citizen = await signedIn({ name: "Rahima" });
    const staff = await signedIn({ userType: "admin" });
    const roomId = await openSupportRoom(citizen.access);
    const body = { message: "নমস্কার, ময়লা নেওয়া হয়নি", client_msg_id: "app-123", sender_id: staff.user.id };
    const first = await api(path(roomId, "/messages"), { token: citizen.access, body });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ room_id: roomId, sender_id: citizen.user.id, sender_name: "Rahima", message: body.message, message_type: "text", file_url: null, client_msg_id: "app-123" });
    expect(Date.parse(first.body.created_at)).toBeGreaterThan(Date.now() - 60_000);

    const again = await api(path(roomId, "/messages"), { token: citizen.access, body });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect((await syncRoom(roomId)).body.postgres.messages).toBe(1);

    // The same key from another member is a conflict, not a way to read or overwrite theirs.
    const clash = await api(path(roomId, "/messages"), { token: staff.access, body: { message: "mine", client_msg_id: "app-123" } });
    expect(clash.status).toBe(409);
  });

  it("refuses empty, over-long and file messages that do not point at this room's attachments", async () => {
    const citizen = await signedIn();
    const roomId = await openSupportRoom(citizen.access);
    const other = await openSupportRoom(citizen.access);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ message: "" }, 400, "message"],
      [{ message: " \n " }, 400, "message"],
      [{ message: "x".repeat(4001) }, 413, "message"],
      [{ message: "hi", message_type: "video" }, 400, "message_type"],
      [{ message: "hi", file_url: `${BASE}/api/v1/chat/rooms/${roomId}/attachments/${crypto.randomUUID()}.png` }, 400, "file_url"],
      [{ message: "pic", message_type: "image", file_url: "https://evil.example/a.png" }, 400, "file_url"],
      [{ message: "pic", message_type: "image", file_url: `${BASE}/api/v1/chat/rooms/${other}/attachments/${crypto.randomUUID()}.png` }, 400, "file_url"],
      [{ message: "doc", message_type: "image", file_url: `${BASE}/api/v1/chat/rooms/${roomId}/attachments/${crypto.randomUUID()}.pdf` }, 400, "message_type"],
      [{ message: "hi", client_msg_id: "has spaces" }, 400, "client_msg_id"],
    ];
    for (const [body, status, field] of cases) {
      const res = await api(path(roomId, "/messages"), { token: citizen.access, body });
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      if (status === 400) expect(Object.keys(res.body.details)).toContain(field);
    }
    expect((await api(path(roomId, "/messages"), { token: citizen.access })).body.results).toEqual([]);
  });

  it("answers in Bengali with Accept-Language: bn", async () => {
    const citizen = await signedIn();
    const roomId = await openSupportRoom(citizen.access);
    const res = await api(path(roomId, "/messages"), { token: citizen.access, body: { message: "" }, headers: { "accept-language": "bn" } });
    expect(res.body.details.message[0]).toBe("লেখা বার্তা খালি রাখা যাবে না।");
  });

  it("rate-limits a REST sender like a socket (429 with Retry-After)", async () => {
    const citizen = await signedIn();
    const roomId = await openSupportRoom(citizen.access);
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => api(path(roomId, "/messages"), { token: citizen.access, body: { message: `m${i}` } })));
    const limited = results.filter((r) => r.status === 429);
    expect(results.filter((r) => r.status === 201).length).toBeGreaterThanOrEqual(20);
    expect(limited.length).toBeGreaterThan(0);
    expect(Number(limited[0]!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  });
});

describe("attachments", () => {
  it("an image becomes an image message, streamed back to members only", async () => {
    const citizen = await signedIn();
    const staff = await signedIn({ userType: "admin" });
    const stranger = await signedIn();
    const roomId = await openSupportRoom(citizen.access);
    const listener = await mustConnect(roomId, staff.access);

    const res = await api(path(roomId, "/attachments"), { token: citizen.access, body: form({ file: file(pngBytes(2048), "drain.png"), message: "the drain" }) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ message_type: "image", message: "the drain", sender_id: citizen.user.id });
    expect(res.body.file_url).toMatch(new RegExp(`^${BASE}/api/v1/chat/rooms/${roomId}/attachments/[0-9a-f-]{36}\\.png$`));
    expect((await listener.next("message")).file_url).toBe(res.body.file_url);

    const filePath = new URL(res.body.file_url).pathname;
    const served = await api(filePath, { token: staff.access });
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("cache-control")).toContain("private");
    expect(served.headers.get("content-disposition")).toContain("inline");
    expect((await api(filePath, { token: stranger.access })).status).toBe(404);
    expect((await api(filePath)).status).toBe(401);

    // The URL can be shared again as a message in the same room.
    const reshare = await api(path(roomId, "/messages"), { token: staff.access, body: { message: "seen", message_type: "image", file_url: res.body.file_url } });
    expect(reshare.status).toBe(201);
    listener.close();
  });

  it("a PDF renamed .jpg is a file message, downloaded as an attachment with its name", async () => {
    const citizen = await signedIn();
    const roomId = await openSupportRoom(citizen.access);
    const res = await api(path(roomId, "/attachments"), { token: citizen.access, body: form({ file: file(pdfBytes(4096), "বিল.jpg", "image/jpeg") }) });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ message_type: "file", message: "বিল.jpg" });
    expect(res.body.file_url).toMatch(/\.pdf$/);
    const served = await api(new URL(res.body.file_url).pathname, { token: citizen.access });
    expect(served.headers.get("content-type")).toBe("application/pdf");
    expect(served.headers.get("content-disposition")).toBe(`attachment; filename="___.jpg"; filename*=UTF-8''${encodeURIComponent("বিল.jpg")}`);
  });

  it("refuses unknown content (415), over 10 MB (413), no file (400), strangers (404) — and stores nothing", async () => {
    const citizen = await signedIn();
    const stranger = await signedIn();
    const roomId = await openSupportRoom(citizen.access);
    const before = (await env.MEDIA.list({ prefix: `chat/${roomId}/` })).objects.length;
    const exe = new Uint8Array(512).fill(0x4d);
    const cases: [FormData, string, number][] = [
      [form({ file: file(exe, "photo.png", "image/png") }), citizen.access, 415],
      [form({ file: file(jpegBytes(10 * 1024 * 1024 + 1), "big.jpg") }), citizen.access, 413],
      [form({ message: "no file" }), citizen.access, 400],
      [form({ file: file(pngBytes(), "a.png") }), stranger.access, 404],
    ];
    for (const [body, token, status] of cases) expect((await api(path(roomId, "/attachments"), { token, body })).status).toBe(status);
    expect((await env.MEDIA.list({ prefix: `chat/${roomId}/` })).objects.length).toBe(before);
    expect((await api(path(roomId, "/messages"), { token: citizen.access })).body.results).toEqual([]);
  });

  it("a resent upload (same client_msg_id) keeps one message and one object", async () => {
    const citizen = await signedIn();
    const roomId = await openSupportRoom(citizen.access);
    const upload = () => api(path(roomId, "/attachments"), { token: citizen.access, body: form({ file: file(jpegBytes(), "a.jpg"), client_msg_id: "up-1" }) });
    const first = await upload();
    const second = await upload();
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect((await env.MEDIA.list({ prefix: `chat/${roomId}/` })).objects).toHaveLength(1);
  });
});
