/**
 * Reports as XLSX and PDF, built by the queue consumer from complaints seeded in wards 710–719 (this
 * file's own). Expected figures are computed here from the generated rows, not by the report code.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { unzlibSync } from "fflate";
import * as XLSX from "xlsx";
import { signedIn } from "../../../test/support/factories";
import { api } from "../../../test/support/http";
import { countBy, downloadBytes, generateComplaints, insertComplaints, round, type SeededComplaint, waitForReport } from "../../../test/support/reports";
import { HarfBuzz } from "../../lib/pdf/shaper";
import { workerAssets } from "../../lib/pdf/worker-assets";
import { STATUS } from "../complaints/status-machine";

const WARD = "710";
const OTHER_WARD = "711";
let rows: SeededComplaint[];
let boss: Awaited<ReturnType<typeof signedIn>>;

beforeAll(async () => {
  boss = await signedIn({ userType: "super_admin" });
  const citizen = await signedIn();
  rows = generateComplaints(1500, WARD, "2025-03-01", 31, 7);
  // Ward 711 and the days around March must stay out of a ward-710 March 2025 report.
  const noise = [...generateComplaints(50, OTHER_WARD, "2025-03-01", 31, 8), ...generateComplaints(20, WARD, "2025-04-01", 5, 9), ...generateComplaints(20, WARD, "2025-02-22", 6, 10)];
  await insertComplaints(citizen.user.id, [...rows, ...noise]);
});

async function generate(format: string, token = boss.access) {
  const queued = await api("/api/v1/dashboard/reports/generate", { token, body: { report_type: "monthly", period: "2025-03", format, ward_number: WARD } });
  expect(queued.status, JSON.stringify(queued.body)).toBe(202);
  expect(queued.body).toMatchObject({ format, status: "processing", period_start: "2025-03-01", period_end: "2025-03-31" });
  const done = await waitForReport(queued.body.task_id, token);
  expect(done, JSON.stringify(done)).toMatchObject({ status: "completed", row_count: rows.length, format });
  return done;
}

const dhakaDay = (ms: number) => new Date(ms + 6 * 3_600_000).toISOString().slice(0, 10);
/** Excel serial (Dhaka wall clock) of an instant. */
const serial = (ms: number) => (ms + 6 * 3_600_000) / 86_400_000 + 25_569;

describe("XLSX reports", () => {
  it("a real workbook: Summary, Complaints, By ward, By category; numbers as numbers; Bengali intact", async () => {
    const done = await generate("xlsx");
    const file = await downloadBytes(done.download_url, boss.access);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(file.headers.get("content-disposition")).toMatch(/^attachment; filename="clean-care-2025-03-01-2025-03-31-ward-710\.xlsx"/);
    expect([...file.bytes.slice(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]); // a zip

    const book = XLSX.read(file.bytes, { type: "array", cellNF: true });
    expect(book.SheetNames).toEqual(["Summary", "Complaints", "By ward", "By category"]);

    // Complaints: one row per complaint, in order, with numeric dates, ward and rating.
    const list = book.Sheets.Complaints!;
    const listed = XLSX.utils.sheet_to_json<any[]>(list, { header: 1, raw: true });
    expect(listed[0]).toEqual(["tracking_number", "created_at", "category", "priority", "status", "ward_number", "title", "resolved_at", "rating"]);
    expect(listed).toHaveLength(rows.length + 1);
    const byTn = new Map(rows.map((r) => [r.tn, r]));
    for (let i = 1; i < listed.length; i++) {
      const [tn, created, category, priority, status, ward, title, resolved, rating] = listed[i]!;
      const r = byTn.get(tn)!;
      expect(r, tn).toBeDefined();
      expect(created).toBeCloseTo(serial(r.created), 6);
      expect([category, priority, status, ward, title]).toEqual([r.category, r.priority, r.status, 710, r.title]);
      if (r.resolutionH === null) expect(resolved).toBeUndefined();
      else expect(resolved).toBeCloseTo(serial(r.created + r.resolutionH * 3_600_000), 6);
      expect(rating ?? null).toBe(r.rating);
    }
    const sortedCreated = listed.slice(1).map((l) => l[1] as number);
    expect(sortedCreated).toEqual([...sortedCreated].sort((a, b) => a - b));
    expect(list.B2.t).toBe("n"); // a date is a number with a date format…
    expect(list.B2.z).toMatch(/yyyy/);
    expect(list.F2.t).toBe("n"); // …and so is the ward

    // Summary: the headline figures and the status / priority / day tables.
    const summary = XLSX.utils.sheet_to_json<any[]>(book.Sheets.Summary!, { header: 1, raw: true });
    const value = (label: string) => summary.find((l) => l[0] === label)?.[1];
    const resolved = rows.filter((r) => r.status === STATUS.resolved);
    const rated = rows.filter((r) => r.rating !== null);
    expect(value("Complaints")).toBe(rows.length);
    expect(value("Resolved")).toBe(resolved.length);
    expect(value("Open")).toBe(rows.filter((r) => r.status === STATUS.submitted || r.status === STATUS.inProgress).length);
    expect(value("Cancelled")).toBe(rows.filter((r) => r.status === STATUS.cancelled).length);
    expect(value("Resolution rate")).toBe(round(resolved.length / rows.length, 4));
    expect(value("Rated")).toBe(rated.length);
    expect(value("Average rating")).toBe(round(rated.reduce((a, r) => a + r.rating!, 0) / rated.length, 2));
    for (const [status, n] of Object.entries(countBy(rows, (r) => r.status))) expect(value(status), status).toBe(n);
    for (const [priority, n] of Object.entries(countBy(rows, (r) => r.priority))) expect(value(priority), priority).toBe(n);
    const perDay = countBy(rows, (r) => dhakaDay(r.created));
    for (const [day, n] of Object.entries(perDay)) expect(value(day), day).toBe(n);
    expect(summary.filter((l) => /^2025-\d\d-\d\d$/.test(String(l[0]))).map((l) => l[0])).toEqual(Object.keys(perDay).sort());

    // By ward and by category.
    const wards = XLSX.utils.sheet_to_json<any>(book.Sheets["By ward"]!, { raw: true });
    expect(wards).toEqual([expect.objectContaining({ Ward: 710, Total: rows.length, Resolved: resolved.length })]);
    const categories = XLSX.utils.sheet_to_json<any>(book.Sheets["By category"]!, { raw: true });
    const expected = countBy(rows, (r) => r.category);
    expect(Object.fromEntries(categories.map((c) => [c.Category, c.Total]))).toEqual(expected);
    for (const c of categories) {
      const mine = rows.filter((r) => r.category === c.Category);
      const mineResolved = mine.filter((r) => r.status === STATUS.resolved);
      expect(c.Resolved).toBe(mineResolved.length);
      expect(c["Resolution rate"]).toBe(round(mineResolved.length / mine.length, 4));
      expect(typeof c.Total).toBe("number");
    }
  });

  it("an admin's XLSX holds only the wards they may read", async () => {
    const admin = await signedIn({
      userType: "admin",
      permissions: [
        { permission_type: "complaints", ward_numbers: [OTHER_WARD], can_read: true },
        { permission_type: "reports", ward_numbers: [WARD], can_create: true },
      ],
    });
    const queued = await api("/api/v1/dashboard/reports/generate", { token: admin.access, body: { report_type: "monthly", period: "2025-03", format: "xlsx", ward_number: WARD } });
    const done = await waitForReport(queued.body.task_id, admin.access);
    expect(done).toMatchObject({ status: "completed", row_count: 0 });
    const book = XLSX.read((await downloadBytes(done.download_url, admin.access)).bytes, { type: "array" });
    expect(XLSX.utils.sheet_to_json(book.Sheets.Complaints!, { header: 1 })).toHaveLength(1); // the header only
  });
});

/** The PDF's drawn lines: each text() is a marked-content span whose ActualText is the line's text. */
function pdfLines(bytes: Uint8Array): { text: string; glyphs: number[] }[] {
  const raw = new TextDecoder("latin1").decode(bytes);
  const lines: { text: string; glyphs: number[] }[] = [];
  for (const match of raw.matchAll(/<< \/Length (\d+) \/Filter \/FlateDecode >>\nstream\n/g)) {
    const start = match.index! + match[0].length;
    const content = new TextDecoder().decode(unzlibSync(bytes.slice(start, start + Number(match[1]))));
    for (const span of content.matchAll(/\/Span << \/ActualText <FEFF([0-9a-fA-F]*)> >> BDC([\s\S]*?)EMC/g)) {
      const hex = span[1]!;
      const text = String.fromCharCode(...Array.from({ length: hex.length / 4 }, (_, i) => parseInt(hex.slice(i * 4, i * 4 + 4), 16)));
      lines.push({ text, glyphs: [...span[2]!.matchAll(/<([0-9a-f]{4})>/g)].map((m) => parseInt(m[1]!, 16)) });
    }
  }
  return lines;
}

describe("PDF reports", () => {
  it("a valid PDF: summary figures, tables, the newest complaints; Bengali drawn as shaped glyphs", async () => {
    const done = await generate("pdf");
    const file = await downloadBytes(done.download_url, boss.access);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toBe("application/pdf");
    const raw = new TextDecoder("latin1").decode(file.bytes);
    expect(raw.startsWith("%PDF-1.7\n")).toBe(true);
    expect(raw.endsWith("%%EOF\n")).toBe(true);

    // The cross-reference table points at every object.
    const xrefAt = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(raw)![1]);
    expect(raw.slice(xrefAt, xrefAt + 5)).toBe("xref\n");
    const [, count] = /^xref\n0 (\d+)\n/.exec(raw.slice(xrefAt))!;
    const entries = raw.slice(xrefAt).split("\n").slice(3, 2 + Number(count));
    entries.forEach((entry, i) => expect(raw.slice(Number(entry.slice(0, 10))).startsWith(`${i + 1} 0 obj\n`), `object ${i + 1}`).toBe(true));
    // Pages, and the Bengali font embedded whole (regular and bold).
    const pages = Number(/\/Type \/Pages \/Kids \[[^\]]*\] \/Count (\d+)/.exec(raw)![1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(raw.match(/\/Type \/Page \/Parent/g)).toHaveLength(pages);
    expect(raw.match(/\/FontFile2 \d+ 0 R/g)).toHaveLength(2);
    expect(raw).toContain(`/Length1 ${workerAssets.regular.byteLength}`);

    const lines = pdfLines(file.bytes);
    const texts = new Set(lines.map((l) => l.text));
    expect(texts).toContain("1,500"); // the headline total…
    expect(texts).toContain(`2025-03-01 – 2025-03-31 · ওয়ার্ড ${WARD} · Ward ${WARD}`);
    const resolved = rows.filter((r) => r.status === STATUS.resolved).length;
    expect(texts).toContain(resolved.toLocaleString("en-US"));
    // …every category and status with its count (table cells are lines of their own)…
    for (const [category, n] of Object.entries(countBy(rows, (r) => r.category))) {
      expect(texts, category).toContain(category);
      expect(texts).toContain(n.toLocaleString("en-US"));
    }
    for (const status of new Set(rows.map((r) => r.status))) expect(texts).toContain(status);
    // …and the 40 newest complaints by tracking number.
    const newest = [...rows].sort((a, b) => b.created - a.created).slice(0, 40);
    for (const r of newest) expect(texts, r.tn).toContain(r.tn);
    expect(texts).toContain(`সাম্প্রতিক অভিযোগ · Newest complaints (40 of 1,500)`);

    // Bengali is shaped: in "মোট অভিযোগ" the first part of ো is drawn before ম, not after.
    const font = new HarfBuzz(workerAssets.harfbuzz).loadFont(workerAssets.bold);
    const mot = lines.find((l) => l.text === "মোট অভিযোগ")!;
    expect(mot).toBeDefined();
    expect(mot.glyphs[1]).toBe(font.nominalGlyph("ম".codePointAt(0)!));
    expect(mot.glyphs[0]).not.toBe(font.nominalGlyph("ম".codePointAt(0)!));
    expect(mot.glyphs[2]).toBe(font.nominalGlyph("া".codePointAt(0)!));
  });
});
