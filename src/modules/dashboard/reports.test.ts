/** Reports: requested, built by the queue consumer into R2, downloaded by their requester with an expiring link. */
import { describe, expect, it } from "vitest";
import { createExecutionContext, env } from "cloudflare:test";
import { fileComplaint } from "../../../test/support/complaints";
import { signedIn } from "../../../test/support/factories";
import { api, BASE } from "../../../test/support/http";
import { dhakaDate } from "../../lib/dhaka-time";
import worker from "../../index";
import { csvLine, PartSink } from "./reports.service";

async function waitForReport(taskId: string, token: string): Promise<any> {
  for (let i = 0; i < 100; i++) {
    const res = await api(`/api/v1/dashboard/reports/${taskId}`, { token });
    if (res.body.status !== "processing") return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("report still processing after 10 s");
}

/** Downloads through the worker with the token; returns the status and the raw text (BOM kept). */
async function download(url: string, token: string) {
  const res = await worker.fetch!(new Request(url.replace(/^https?:\/\/[^/]+/, BASE), { headers: { authorization: `Bearer ${token}` } }) as never, env as Env, createExecutionContext());
  return { status: res.status, headers: res.headers, text: new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(await res.arrayBuffer()) };
}

describe("reports", () => {
  it("a daily CSV of the ward's complaints: UTF-8 with BOM, Bengali intact, quoted per RFC 4180", async () => {
    const citizen = await signedIn();
    const ward = String(80 + Math.floor(Math.random() * 9));
    const tricky = await fileComplaint(citizen.access, { ward_number: ward, title: 'ড্রেন "বন্ধ", পানি জমে আছে' });
    await fileComplaint(citizen.access, { ward_number: ward });
    const admin = await signedIn({
      userType: "admin",
      permissions: [
        { permission_type: "complaints", ward_numbers: [ward], can_read: true },
        { permission_type: "reports", ward_numbers: [ward], can_create: true },
      ],
    });
    // Without `reports.create` for the ward: 403, and no task.
    const noGrant = await signedIn({ userType: "admin", permissions: [{ permission_type: "complaints", ward_numbers: [ward], can_read: true }] });
    const refused = await api("/api/v1/dashboard/reports/generate", { token: noGrant.access, body: { report_type: "daily", format: "csv", ward_number: ward } });
    expect([refused.status, refused.body.code]).toEqual([403, "forbidden"]);

    const queued = await api("/api/v1/dashboard/reports/generate", { token: admin.access, body: { report_type: "daily", format: "csv", ward_number: ward } });
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ status: "processing", period_start: dhakaDate(), period_end: dhakaDate(), download_url: null });
    const done = await waitForReport(queued.body.task_id, admin.access);
    expect(done).toMatchObject({ status: "completed", row_count: 2 });
    const log = await api(`/api/v1/activity-log?resource_id=${queued.body.task_id}`, { token: (await signedIn({ userType: "super_admin" })).access });
    expect(log.body.results.map((r: { action: string; user_id: string }) => [r.action, r.user_id])).toEqual([["report.generate", admin.user.id]]);

    const file = await download(done.download_url, admin.access);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(file.headers.get("content-disposition")).toMatch(/^attachment/);
    expect(file.text.startsWith("\uFEFFtracking_number,created_at,")).toBe(true);
    const lines = file.text.slice(1).split("\r\n");
    expect(lines).toHaveLength(4); // header, two rows, the final CRLF
    expect(lines.some((l) => l.startsWith(`${tricky.tracking_number},`) && l.includes('"ড্রেন ""বন্ধ"", পানি জমে আছে"'))).toBe(true);
  });

  it("only the requester (or a super admin) may read or download it; a tampered or expired link is refused", async () => {
    const admin = await signedIn({ userType: "admin" });
    const other = await signedIn({ userType: "admin" });
    const boss = await signedIn({ userType: "super_admin" });
    const queued = await api("/api/v1/dashboard/reports/generate", { token: admin.access, body: { report_type: "monthly" } });
    const done = await waitForReport(queued.body.task_id, admin.access);
    expect(done.status).toBe("completed");
    expect((await api(`/api/v1/dashboard/reports/${done.task_id}`, { token: other.access })).status).toBe(404);
    expect((await download(done.download_url, other.access)).status).toBe(404);
    expect((await download(done.download_url, boss.access)).status).toBe(200);
    const tampered = done.download_url.replace(/signature=([0-9a-f])/, (_: string, c: string) => `signature=${c === "0" ? "1" : "0"}`);
    expect((await download(tampered, admin.access)).status).toBe(403);
    const later = done.download_url.replace(/expires=(\d+)/, (_: string, e: string) => `expires=${Number(e) + 1}`);
    expect((await download(later, admin.access)).status).toBe(403);
    const citizen = await signedIn();
    expect((await api("/api/v1/dashboard/reports/generate", { token: citizen.access, body: { report_type: "daily" } })).status).toBe(403);
  });

  it("bad requests are 400: unknown type, a period in the wrong shape, an unsupported format", async () => {
    const admin = await signedIn({ userType: "admin" });
    for (const body of [{ report_type: "hourly" }, { report_type: "monthly", period: "2026-13" }, { report_type: "quarterly", period: "2026-Q5" }, { report_type: "daily", format: "docx" }]) {
      expect((await api("/api/v1/dashboard/reports/generate", { token: admin.access, body })).status, JSON.stringify(body)).toBe(400);
    }
  });

  it("csvLine quotes exactly what RFC 4180 needs", () => {
    expect(csvLine(["a", 'b"c', "d,e", "f\r\ng", null, 5])).toBe('a,"b""c","d,e","f\r\ng",,5\r\n');
  });
});

describe("the multipart sink", () => {
  it("cuts any chunks into equal parts (R2 refuses unequal non-trailing parts), the last one short", async () => {
    const uploaded: Uint8Array[] = [];
    let completed: R2UploadedPart[] | null = null;
    const sink = new PartSink(
      {
        uploadPart: async (n: number, body: unknown) => (uploaded.push(body as Uint8Array), { partNumber: n, etag: `e${n}` }),
        complete: async (parts: R2UploadedPart[]) => ((completed = parts), null as never),
      },
      1000,
    );
    const written: number[] = [];
    let next = 7;
    for (let i = 0; i < 60; i++) {
      const chunk = new Uint8Array(1 + (i * 37) % 290).map(() => (next = (next * 31 + 11) % 251));
      written.push(...chunk);
      sink.write(chunk);
      if (i % 5 === 0) await sink.drain();
    }
    await sink.complete();
    expect(uploaded.slice(0, -1).every((p) => p.length === 1000)).toBe(true);
    expect(uploaded.at(-1)!.length).toBe(written.length % 1000 || 1000);
    expect(uploaded.flatMap((p) => [...p])).toEqual(written);
    expect(completed!.map((p) => p.partNumber)).toEqual(uploaded.map((_, i) => i + 1));
    expect(sink.written).toBe(written.length);
  });
});
