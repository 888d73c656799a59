/**
 * Renders the PDF report from sample figures (Bengali categories, statuses and titles) to
 * `<out>.pdf`, then rasterises its pages with pdf.js to `<out>-p<N>.png` — to look at, since a PDF
 * can be valid and still show broken Bengali. Also prints the text pdf.js extracts from page 1
 * (through the ToUnicode map). Usage: `npx tsx scripts/report/render-pdf.ts [/tmp/report]`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { ReportSummary } from "../../src/modules/dashboard/report-types";
import { renderReportPdf } from "../../src/modules/dashboard/report-pdf";

const require = createRequire(import.meta.url);
const out = process.argv[2] ?? "/tmp/clean-care-report";
const assets = {
  harfbuzz: new (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object } }).WebAssembly.Module(readFileSync(require.resolve("harfbuzzjs/dist/harfbuzz.wasm"))),
  regular: new Uint8Array(readFileSync(require.resolve("@expo-google-fonts/noto-sans-bengali/400Regular/NotoSansBengali_400Regular.ttf"))),
  bold: new Uint8Array(readFileSync(require.resolve("@expo-google-fonts/noto-sans-bengali/700Bold/NotoSansBengali_700Bold.ttf"))),
};

const figures = (total: number, resolved: number) => ({
  total,
  resolved,
  open: Math.round((total - resolved) * 0.8),
  cancelled: total - resolved - Math.round((total - resolved) * 0.8),
  resolution_rate: Math.round((resolved / total) * 10_000) / 10_000,
  average_rating: 3.74,
  median_resolution_hours: 31.5,
});
const titles = [
  "নর্দমা উপচে পড়ছে, রাস্তায় ময়লা জমেছে",
  "ক্ষেত্রফল অনুযায়ী বর্জ্য সংগ্রহ হচ্ছে না — স্কুলের সামনে",
  "পানির পাইপ ফেটে গেছে, কিশোরগঞ্জ রোড",
  "রাস্তার বাতি তিন দিন ধরে বন্ধ (স্ট্রিট লাইট)",
  "ডাস্টবিন পূর্ণ, দুর্গন্ধ ছড়াচ্ছে; শ্রীমঙ্গল লেন",
];
const categories = ["পরিচ্ছন্নতা", "বর্জ্য ব্যবস্থাপনা", "পানি সরবরাহ", "রাস্তাঘাট", "বিদ্যুৎ", "অন্যান্য"];
const summary: ReportSummary = {
  ...figures(12_480, 7_310),
  rated: 4_902,
  by_status: [
    { status: "সমাধান হয়েছে", total: 7310 },
    { status: "প্রক্রিয়াধীন", total: 2710 },
    { status: "জমা দেওয়া হয়েছে", total: 1426 },
    { status: "বাতিল", total: 1034 },
  ],
  by_priority: [
    { priority: "মধ্যম", total: 6240 },
    { priority: "উচ্চ", total: 3620 },
    { priority: "নিম্ন", total: 2620 },
  ],
  by_category: categories.map((category, i) => ({ category, ...figures(3000 - i * 400, 1800 - i * 250) })),
  by_ward: Array.from({ length: 12 }, (_, i) => ({ ward_number: String(i + 1), ...figures(1200 - i * 37, 700 - i * 20) })),
  by_day: Array.from({ length: 31 }, (_, i) => ({ day: `2026-10-${String(i + 1).padStart(2, "0")}`, total: 300 + Math.round(150 * Math.sin(i / 3)) + (i % 7) * 12, resolved: 180 + Math.round(90 * Math.sin(i / 3)) })),
  latest: Array.from({ length: 40 }, (_, i) => ({
    id: String(i),
    tracking_number: `CC2026103${String(1000 + i)}`,
    created_at: new Date(Date.UTC(2026, 9, 31, 12, 0) - i * 2_700_000).toISOString(),
    category: categories[i % categories.length]!,
    priority: "মধ্যম",
    status: ["জমা দেওয়া হয়েছে", "প্রক্রিয়াধীন", "সমাধান হয়েছে"][i % 3]!,
    ward_number: String((i % 12) + 1),
    title: titles[i % titles.length]!,
    resolved_at: null,
    rating: null,
  })),
};

const started = performance.now();
const pdf = renderReportPdf(summary, { periodStart: "2026-10-01", periodEnd: "2026-10-31", ward: null, generatedAt: new Date() }, assets);
console.log(`pdf: ${pdf.length} bytes in ${Math.round(performance.now() - started)} ms → ${out}.pdf`);
writeFileSync(`${out}.pdf`, pdf);

const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
console.log(`pages: ${doc.numPages}`);
const first = await doc.getPage(1);
const text = await first.getTextContent();
console.log("page 1 text:", text.items.map((i) => ("str" in i ? i.str : "")).join(" | ").slice(0, 600));
const { createCanvas } = await import("@napi-rs/canvas");
for (let p = 1; p <= doc.numPages; p++) {
  const page = await doc.getPage(p);
  const viewport = page.getViewport({ scale: Number(process.env.RENDER_SCALE ?? 1.6) });
  const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
  await page.render({ canvas: canvas as never, canvasContext: canvas.getContext("2d") as never, viewport }).promise;
  writeFileSync(`${out}-p${p}.png`, canvas.toBuffer("image/png"));
  console.log(`rendered ${out}-p${p}.png`);
}
