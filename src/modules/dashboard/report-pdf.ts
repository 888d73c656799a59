/**
 * The PDF report: a summary, not a listing — headline figures, a complaints-per-day chart, tables
 * by status, priority, category and ward, and the newest complaints (PDF_LATEST_ROWS of them). Its
 * size depends on the number of wards and days, never on the number of complaints (the full list is
 * what CSV and XLSX are for). Labels are bilingual; Bengali text is shaped by HarfBuzz.
 */
import { A4, type PdfDocument, type Rgb } from "../../lib/pdf/document";
import { newDocument, type PdfAssets } from "../../lib/pdf/toolkit";
import type { GroupFigures, ReportSummary } from "./report-types";

export const PDF_LATEST_ROWS = 40;

export interface PdfMeta {
  periodStart: string;
  periodEnd: string;
  ward: string | null;
  generatedAt: Date;
}

const MARGIN = 40;
const BOLD = "NotoSansBengali-Bold";
const GREEN: Rgb = [0.04, 0.42, 0.29];
const LIGHT_GREEN: Rgb = [0.55, 0.78, 0.66];
const INK: Rgb = [0.13, 0.15, 0.17];
const MUTED: Rgb = [0.42, 0.45, 0.48];
const RULE: Rgb = [0.82, 0.84, 0.86];
const BAND: Rgb = [0.95, 0.97, 0.96];
const WHITE: Rgb = [1, 1, 1];

const int = (n: number) => n.toLocaleString("en-US");
const percent = (rate: number | null) => (rate === null ? "—" : `${(rate * 100).toFixed(1)}%`);
const fixed = (n: number | null, digits = 2) => (n === null ? "—" : n.toFixed(digits));
const dhakaDateTime = (value: string | Date) => new Date(new Date(value).getTime() + 6 * 3_600_000).toISOString().slice(0, 16).replace("T", " ");

interface Column {
  title: string;
  width: number;
  align?: "left" | "right";
}

/** A top-down cursor over pages: `y` is the next free line's top, in PDF points. */
class Layout {
  y = A4.height - MARGIN;
  constructor(readonly doc: PdfDocument) {}

  /** Makes room for `height` points, starting a page if needed; true if it did. */
  room(height: number): boolean {
    if (this.y - height >= MARGIN + 24) return false;
    this.doc.addPage();
    this.y = A4.height - MARGIN;
    return true;
  }

  /** A section title, kept on the same page as the first rows under it. */
  heading(text: string): void {
    this.room(34 + 17 * 3);
    this.y -= 22;
    this.doc.text(text, MARGIN, this.y, { font: BOLD, size: 12.5, color: GREEN });
    this.y -= 8;
    this.doc.line(MARGIN, this.y, A4.width - MARGIN, this.y, LIGHT_GREEN, 0.8);
    this.y -= 4;
  }

  table(columns: Column[], rows: string[][], x = MARGIN): void {
    const rowHeight = 17;
    const size = 9;
    const header = () => {
      this.doc.rect(x, this.y - rowHeight, columns.reduce((a, c) => a + c.width, 0), rowHeight, GREEN);
      let cx = x;
      for (const c of columns) {
        const tx = c.align === "right" ? cx + c.width - 5 : cx + 5;
        this.doc.text(this.doc.fit(c.title, c.width - 8, { font: BOLD, size }), tx, this.y - 12, { font: BOLD, size, color: WHITE, align: c.align ?? "left" });
        cx += c.width;
      }
      this.y -= rowHeight;
    };
    this.room(rowHeight * 2);
    header();
    rows.forEach((row, i) => {
      if (this.room(rowHeight)) header();
      if (i % 2 === 1) this.doc.rect(x, this.y - rowHeight, columns.reduce((a, c) => a + c.width, 0), rowHeight, BAND);
      let cx = x;
      columns.forEach((c, j) => {
        const value = this.doc.fit(row[j] ?? "", c.width - 8, { size });
        this.doc.text(value, c.align === "right" ? cx + c.width - 5 : cx + 5, this.y - 12, { size, color: INK, align: c.align ?? "left" });
        cx += c.width;
      });
      this.y -= rowHeight;
    });
    if (rows.length === 0) {
      this.doc.text("—", x + 5, this.y - 12, { size, color: MUTED });
      this.y -= rowHeight;
    }
  }
}

function kpis(layout: Layout, summary: ReportSummary): void {
  const boxes: [string, string, string][] = [
    ["মোট অভিযোগ", "Complaints", int(summary.total)],
    ["সমাধান হয়েছে", `Resolved · ${percent(summary.resolution_rate)}`, int(summary.resolved)],
    ["চলমান", "Open", int(summary.open)],
    ["বাতিল", "Cancelled", int(summary.cancelled)],
    ["গড় রেটিং", `Average rating · ${int(summary.rated)} rated`, fixed(summary.average_rating)],
    ["সমাধানের সময় (মধ্যমা)", "Median hours to resolve", fixed(summary.median_resolution_hours, 1)],
  ];
  const gap = 8;
  const width = (A4.width - 2 * MARGIN - 2 * gap) / 3;
  const height = 52;
  const { doc } = layout;
  boxes.forEach(([bn, en, value], i) => {
    const col = i % 3;
    const row = Math.floor(i / 3);
    const x = MARGIN + col * (width + gap);
    const top = layout.y - row * (height + gap);
    doc.rect(x, top - height, width, height, BAND);
    doc.rect(x, top - height, 3, height, GREEN);
    doc.text(bn, x + 10, top - 15, { font: BOLD, size: 9.5, color: INK });
    doc.text(value, x + width - 10, top - 36, { font: BOLD, size: 17, color: GREEN, align: "right" });
    doc.text(doc.fit(en, width - 20, { size: 7.5 }), x + 10, top - 44, { size: 7.5, color: MUTED });
  });
  layout.y -= 2 * height + gap;
}

/** A rounded-up axis maximum: 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10ⁿ. */
function niceMax(value: number): number {
  if (value <= 5) return 5;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map((m) => m * power).find((m) => m >= value)!;
}

function chart(layout: Layout, summary: ReportSummary, meta: PdfMeta): void {
  const { doc } = layout;
  layout.heading("দৈনিক অভিযোগ · Complaints per day");
  const height = 150;
  layout.room(height + 30);
  const left = MARGIN + 30;
  const right = A4.width - MARGIN;
  const top = layout.y - 10;
  const bottom = top - height;
  // Every day of the period gets a slot, with or without complaints.
  const start = Date.parse(`${meta.periodStart}T00:00:00Z`);
  const days = Math.round((Date.parse(`${meta.periodEnd}T00:00:00Z`) - start) / 86_400_000) + 1;
  const byDay = new Map(summary.by_day.map((d) => [d.day, d]));
  const max = niceMax(Math.max(0, ...summary.by_day.map((d) => d.total)));
  for (const tick of [0, max / 2, max]) {
    const ty = bottom + (tick / max) * height;
    doc.line(left, ty, right, ty, RULE, 0.4);
    doc.text(int(tick), left - 5, ty - 3, { size: 7.5, color: MUTED, align: "right" });
  }
  const slot = (right - left) / days;
  const barWidth = Math.max(0.6, slot * 0.7);
  const labelEvery = Math.max(1, Math.ceil(days / 16));
  for (let i = 0; i < days; i++) {
    const day = new Date(start + i * 86_400_000).toISOString().slice(0, 10);
    const point = byDay.get(day);
    const x = left + i * slot + (slot - barWidth) / 2;
    if (point) {
      doc.rect(x, bottom, barWidth, (point.total / max) * height, LIGHT_GREEN);
      if (point.resolved > 0) doc.rect(x, bottom, barWidth, (point.resolved / max) * height, GREEN);
    }
    if (i % labelEvery === 0) doc.text(days > 62 ? day.slice(5) : day.slice(8), left + i * slot + slot / 2, bottom - 10, { size: 7, color: MUTED, align: "center" });
  }
  doc.line(left, bottom, right, bottom, MUTED, 0.6);
  const legendY = bottom - 24;
  doc.rect(left, legendY, 8, 8, LIGHT_GREEN);
  doc.text("মোট · all complaints", left + 12, legendY + 1, { size: 8, color: INK });
  doc.rect(left + 120, legendY, 8, 8, GREEN);
  doc.text("সমাধান হয়েছে · resolved", left + 132, legendY + 1, { size: 8, color: INK });
  layout.y = legendY - 8;
}

const figureRow = (g: GroupFigures) => [int(g.total), int(g.resolved), int(g.open), percent(g.resolution_rate), fixed(g.average_rating), fixed(g.median_resolution_hours, 1)];
const figureColumns: Column[] = [
  { title: "মোট", width: 52, align: "right" },
  { title: "সমাধান", width: 58, align: "right" },
  { title: "চলমান", width: 52, align: "right" },
  { title: "হার · rate", width: 62, align: "right" },
  { title: "রেটিং", width: 50, align: "right" },
  { title: "ঘণ্টা · hours", width: 66, align: "right" },
];

/** Renders the report; `assets` are the Worker's (lib/pdf/worker-assets: wasm import, font bytes) or, in scripts, read from files. */
export function renderReportPdf(summary: ReportSummary, meta: PdfMeta, assets: PdfAssets): Uint8Array {
  const doc = newDocument(assets, { title: `Clean Care Bangladesh — complaints ${meta.periodStart} – ${meta.periodEnd}`, author: "Clean Care Bangladesh" });
  const layout = new Layout(doc);

  // Title band.
  doc.rect(0, A4.height - 92, A4.width, 92, GREEN);
  doc.text("ক্লিন কেয়ার বাংলাদেশ · Clean Care Bangladesh", MARGIN, A4.height - 38, { font: BOLD, size: 18, color: WHITE });
  doc.text("অভিযোগ প্রতিবেদন · Complaints report", MARGIN, A4.height - 60, { size: 12, color: WHITE });
  const scope = meta.ward ? `ওয়ার্ড ${meta.ward} · Ward ${meta.ward}` : "সকল ওয়ার্ড · All wards in scope";
  doc.text(`${meta.periodStart} – ${meta.periodEnd} · ${scope}`, MARGIN, A4.height - 79, { size: 9.5, color: WHITE });
  layout.y = A4.height - 92 - 18;

  kpis(layout, summary);
  chart(layout, summary, meta);

  layout.heading("অবস্থা ও অগ্রাধিকার · By status and priority");
  const top = layout.y;
  const share = (n: number) => (summary.total ? percent(n / summary.total) : "—");
  layout.table(
    [
      { title: "অবস্থা · status", width: 130 },
      { title: "সংখ্যা", width: 60, align: "right" },
      { title: "অংশ", width: 60, align: "right" },
    ],
    summary.by_status.map((s) => [s.status, int(s.total), share(s.total)]),
  );
  const afterStatus = layout.y;
  layout.y = top;
  layout.table(
    [
      { title: "অগ্রাধিকার · priority", width: 130 },
      { title: "সংখ্যা", width: 60, align: "right" },
      { title: "অংশ", width: 60, align: "right" },
    ],
    summary.by_priority.map((p) => [p.priority, int(p.total), share(p.total)]),
    MARGIN + 265,
  );
  layout.y = Math.min(layout.y, afterStatus);

  layout.heading("বিভাগ অনুযায়ী · By category");
  layout.table([{ title: "বিভাগ · category", width: 175 }, ...figureColumns], summary.by_category.map((c) => [c.category, ...figureRow(c)]));

  layout.heading("ওয়ার্ড অনুযায়ী · By ward");
  layout.table([{ title: "ওয়ার্ড · ward", width: 175 }, ...figureColumns], summary.by_ward.map((w) => [w.ward_number ?? "—", ...figureRow(w)]));

  layout.heading(`সাম্প্রতিক অভিযোগ · Newest complaints (${Math.min(summary.latest.length, PDF_LATEST_ROWS)} of ${int(summary.total)})`);
  layout.table(
    [
      { title: "ট্র্যাকিং · tracking", width: 100 },
      { title: "তারিখ · filed", width: 90 },
      { title: "বিভাগ", width: 74 },
      { title: "অবস্থা", width: 80 },
      { title: "শিরোনাম · title", width: 171 },
    ],
    summary.latest.slice(0, PDF_LATEST_ROWS).map((c) => [c.tracking_number, dhakaDateTime(c.created_at), c.category, c.status, c.title]),
  );
  layout.y -= 14;
  layout.room(30);
  doc.text("সম্পূর্ণ তালিকার জন্য CSV বা XLSX প্রতিবেদন নিন · For every complaint, request the CSV or XLSX report.", MARGIN, layout.y, { size: 8.5, color: MUTED });

  const pages = doc.pageCount;
  const footer = `Clean Care Bangladesh · তৈরি ${dhakaDateTime(meta.generatedAt)} (ঢাকা)`;
  for (let p = 1; p <= pages; p++) {
    doc.usePage(p);
    doc.line(MARGIN, MARGIN, A4.width - MARGIN, MARGIN, RULE, 0.5);
    doc.text(footer, MARGIN, MARGIN - 14, { size: 7.5, color: MUTED });
    doc.text(`পৃষ্ঠা ${p} / ${pages} · page ${p} of ${pages}`, A4.width - MARGIN, MARGIN - 14, { size: 7.5, color: MUTED, align: "right" });
  }
  return doc.save();
}
