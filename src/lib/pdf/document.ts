/**
 * A small PDF 1.7 writer for reports: A4 pages, text in embedded TrueType fonts shaped by HarfBuzz,
 * filled rectangles and lines. No Node APIs (runs on Workers); streams are deflated with fflate.
 *
 * Text is drawn as glyph ids (Type0 font, Identity-H, CIDToGIDMap Identity), each placed where
 * HarfBuzz put it: advances, kerning and mark offsets (GPOS) included — which is what Bengali
 * needs and what PDF libraries that map characters to glyphs one by one get wrong. A ToUnicode CMap
 * maps every glyph back to the text of its cluster, so the text can be searched and copied.
 */
import { zlibSync } from "fflate";
import type { ShapedGlyph, ShapingFont } from "./shaper";

export const A4 = { width: 595.28, height: 841.89 };

export interface EmbeddedFontSource {
  name: string;
  bytes: Uint8Array;
  shaper: ShapingFont;
}

export type Rgb = [number, number, number];

interface FontMetrics {
  unitsPerEm: number;
  bbox: [number, number, number, number];
  ascent: number;
  descent: number;
  capHeight: number;
}

/** head / hhea / OS/2 values the font descriptor needs. */
function readMetrics(bytes: Uint8Array): FontMetrics {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, number>();
  for (let i = 0, n = view.getUint16(4); i < n; i++) {
    const at = 12 + i * 16;
    tables.set(String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!), view.getUint32(at + 8));
  }
  const head = tables.get("head")!;
  const hhea = tables.get("hhea")!;
  const os2 = tables.get("OS/2");
  const ascent = view.getInt16(hhea + 4);
  return {
    unitsPerEm: view.getUint16(head + 18),
    bbox: [view.getInt16(head + 36), view.getInt16(head + 38), view.getInt16(head + 40), view.getInt16(head + 42)],
    ascent,
    descent: view.getInt16(hhea + 6),
    capHeight: os2 !== undefined && view.getUint16(os2) >= 2 ? view.getInt16(os2 + 88) : Math.round(ascent * 0.7),
  };
}

class FontResource {
  readonly metrics: FontMetrics;
  /** Glyph id → the text it stands for (the first cluster it was seen in). */
  readonly used = new Map<number, string>();

  constructor(
    readonly resourceName: string,
    readonly source: EmbeddedFontSource,
  ) {
    this.metrics = readMetrics(source.bytes);
  }
}

const encoder = new TextEncoder();
const num = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(3).replace(/\.?0+$/, ""));
const hex4 = (n: number) => n.toString(16).padStart(4, "0");
/** UTF-16BE hex of a string (for ToUnicode). */
const utf16Hex = (text: string) => Array.from({ length: text.length }, (_, i) => hex4(text.charCodeAt(i))).join("");
/** A PDF text string (document info): UTF-16BE with BOM, hex. */
const pdfString = (text: string) => `<FEFF${utf16Hex(text)}>`;

export interface TextOptions {
  font?: string;
  size: number;
  color?: Rgb;
}

class Page {
  readonly ops: string[] = [];
  readonly fonts = new Set<FontResource>();
}

export class PdfDocument {
  private readonly fonts = new Map<string, FontResource>();
  private readonly pages: Page[] = [];
  private page!: Page;

  constructor(
    fonts: EmbeddedFontSource[],
    private readonly info: { title: string; author?: string },
  ) {
    fonts.forEach((f, i) => this.fonts.set(f.name, new FontResource(`F${i + 1}`, f)));
    this.addPage();
  }

  get pageCount(): number {
    return this.pages.length;
  }

  addPage(): void {
    this.page = new Page();
    this.pages.push(this.page);
  }

  /** Switches drawing to an earlier page (1-based), e.g. to add "page n of m" footers at the end. */
  usePage(number: number): void {
    this.page = this.pages[number - 1]!;
  }

  private font(name = [...this.fonts.keys()][0]!): FontResource {
    const font = this.fonts.get(name);
    if (!font) throw new Error(`pdf: no font ${name}`);
    return font;
  }

  /** The text's shaped width in points. */
  measure(text: string, options: TextOptions): number {
    const font = this.font(options.font);
    return (font.source.shaper.shape(text).reduce((a, g) => a + g.xAdvance, 0) * options.size) / font.source.shaper.upem;
  }

  /** Cuts text (at grapheme boundaries, so no conjunct or vowel sign is split) to fit `width`, with an ellipsis. */
  fit(text: string, width: number, options: TextOptions): string {
    if (this.measure(text, options) <= width) return text;
    const graphemes = [...new Intl.Segmenter("bn", { granularity: "grapheme" }).segment(text)].map((s) => s.segment);
    let lo = 0;
    let hi = graphemes.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.measure(graphemes.slice(0, mid).join("") + "…", options) <= width) lo = mid;
      else hi = mid - 1;
    }
    return graphemes.slice(0, lo).join("").trimEnd() + "…";
  }

  /**
   * Draws one line of text with its baseline at (x, y) (PDF points from the bottom-left), aligned
   * left, right or centre on x. Returns the width drawn.
   */
  text(text: string, x: number, y: number, options: TextOptions & { align?: "left" | "right" | "center" }): number {
    const font = this.font(options.font);
    const shaper = font.source.shaper;
    const glyphs = shaper.shape(text);
    const scale = options.size / shaper.upem;
    const width = glyphs.reduce((a, g) => a + g.xAdvance, 0) * scale;
    const startX = options.align === "right" ? x - width : options.align === "center" ? x - width / 2 : x;
    this.page.fonts.add(font);
    this.remember(font, text, glyphs);

    // Glyphs are grouped into TJ arrays; a glyph whose vertical offset differs starts a new
    // positioned group. Within a group, TJ adjustments make up the difference between the PDF's own
    // advance (the W array: hmtx widths) and HarfBuzz's placement (kerning, marks' x offsets).
    const ops: string[] = [`/Span << /ActualText ${pdfString(text)} >> BDC`, `BT /${font.resourceName} ${num(options.size)} Tf`];
    if (options.color) ops.push(`${options.color.map(num).join(" ")} rg`);
    let penX = 0; // HarfBuzz pen, font units from startX
    let group: string[] | null = null;
    let groupY = 0;
    let pdfX = 0; // where the PDF will draw the next glyph of the group, font units
    const close = () => {
      if (group) ops.push(`[${group.join("")}] TJ`);
      group = null;
    };
    for (const g of glyphs) {
      const gx = penX + g.xOffset;
      if (!group || g.yOffset !== groupY) {
        close();
        groupY = g.yOffset;
        ops.push(`1 0 0 1 ${num(startX + gx * scale)} ${num(y + g.yOffset * scale)} Tm`);
        group = [];
        pdfX = gx;
      }
      const adjust = pdfX - gx; // TJ numbers are thousandths of an em, subtracted from the position
      if (Math.abs(adjust) > 0.01) group.push(num((adjust * 1000) / shaper.upem));
      group.push(`<${hex4(g.id)}>`);
      pdfX = gx + shaper.advance(g.id);
      penX += g.xAdvance;
    }
    close();
    ops.push("ET", "EMC");
    this.page.ops.push(ops.join("\n"));
    return width;
  }

  /**
   * What each glyph stands for, for the ToUnicode map (one text per glyph id, for the whole file):
   * a glyph that is a character's own (cmap) glyph stands for that character; a ligature that is a
   * whole cluster (ক্ষ) for the cluster; the contextual forms in a longer cluster (reph, phalas,
   * half forms) for the cluster's characters not accounted for by own glyphs. Extracted text comes
   * out in visual order (ি before its consonant); the ActualText of each line has the logical text.
   */
  private remember(font: FontResource, text: string, glyphs: ShapedGlyph[]): void {
    const shaper = font.source.shaper;
    const starts = [...new Set(glyphs.map((g) => g.cluster))].sort((a, b) => a - b);
    for (const start of starts) {
      const clusterText = text.slice(start, starts.find((s) => s > start) ?? text.length);
      const members = glyphs.filter((g) => g.cluster === start);
      const chars = [...clusterText];
      const own = new Map<number, string>();
      for (const ch of chars) {
        const glyph = shaper.nominalGlyph(ch.codePointAt(0)!);
        if (glyph !== null && members.some((g) => g.id === glyph)) own.set(glyph, ch);
      }
      const rest = chars.filter((ch) => !own.has(shaper.nominalGlyph(ch.codePointAt(0)!) ?? -1)).join("");
      let restGiven = false;
      for (const g of members) {
        if (font.used.has(g.id) && font.used.get(g.id) !== "") continue;
        if (own.has(g.id)) font.used.set(g.id, own.get(g.id)!);
        else if (members.length === 1) font.used.set(g.id, clusterText);
        else {
          font.used.set(g.id, restGiven ? "" : rest);
          restGiven = true;
        }
      }
    }
  }

  rect(x: number, y: number, width: number, height: number, fill: Rgb): void {
    this.page.ops.push(`${fill.map(num).join(" ")} rg ${num(x)} ${num(y)} ${num(width)} ${num(height)} re f`);
  }

  line(x1: number, y1: number, x2: number, y2: number, color: Rgb, width = 0.5): void {
    this.page.ops.push(`${color.map(num).join(" ")} RG ${num(width)} w ${num(x1)} ${num(y1)} m ${num(x2)} ${num(y2)} l S`);
  }

  /** The finished file. */
  save(): Uint8Array {
    const objects: (string | Uint8Array)[] = []; // index + 1 = object number
    const reserve = () => objects.push("") ;
    const set = (n: number, body: string | Uint8Array) => (objects[n - 1] = body);
    const stream = (dict: string, data: Uint8Array) => {
      const packed = zlibSync(data, { level: 6 });
      const headBytes = encoder.encode(`<< ${dict ? `${dict} ` : ""}/Length ${packed.length} /Filter /FlateDecode >>\nstream\n`);
      const tail = encoder.encode("\nendstream");
      const out = new Uint8Array(headBytes.length + packed.length + tail.length);
      out.set(headBytes, 0);
      out.set(packed, headBytes.length);
      out.set(tail, headBytes.length + packed.length);
      return out;
    };

    const catalog = reserve();
    const pagesRoot = reserve();
    const infoObj = reserve();
    const fontObjects = new Map<FontResource, number>();
    for (const font of this.fonts.values()) {
      if (![...this.pages].some((p) => p.fonts.has(font))) continue;
      const { metrics, source } = font;
      const k = 1000 / metrics.unitsPerEm;
      const file = reserve();
      set(file, stream(`/Length1 ${source.bytes.length}`, source.bytes)); // TrueType, whole
      const descriptor = reserve();
      const psName = source.name.replace(/[^A-Za-z0-9-]/g, ""); // the whole font is embedded (no subset tag)
      set(
        descriptor,
        `<< /Type /FontDescriptor /FontName /${psName} /Flags 32 /FontBBox [${metrics.bbox.map((v) => num(v * k)).join(" ")}] /ItalicAngle 0 ` +
          `/Ascent ${num(metrics.ascent * k)} /Descent ${num(metrics.descent * k)} /CapHeight ${num(metrics.capHeight * k)} /StemV 80 /FontFile2 ${file} 0 R >>`,
      );
      const ids = [...font.used.keys()].sort((a, b) => a - b);
      const widths = ids.map((id) => `${id} [${num(source.shaper.advance(id) * k)}]`).join(" ");
      const cid = reserve();
      set(
        cid,
        `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /${psName} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> ` +
          `/FontDescriptor ${descriptor} 0 R /CIDToGIDMap /Identity /DW 0 /W [${widths}] >>`,
      );
      const mapped = ids.filter((id) => font.used.get(id) !== "");
      const lines: string[] = [];
      for (let i = 0; i < mapped.length; i += 100) {
        const chunk = mapped.slice(i, i + 100);
        lines.push(`${chunk.length} beginbfchar`, ...chunk.map((id) => `<${hex4(id)}> <${utf16Hex(font.used.get(id)!)}>`), "endbfchar");
      }
      const cmap = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def /CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <0000> <FFFF> endcodespacerange",
        ...lines,
        "endcmap CMapName currentdict /CMap defineresource pop end end",
      ].join("\n");
      const toUnicode = reserve();
      set(toUnicode, stream("", encoder.encode(cmap)));
      const type0 = reserve();
      set(type0, `<< /Type /Font /Subtype /Type0 /BaseFont /${psName} /Encoding /Identity-H /DescendantFonts [${cid} 0 R] /ToUnicode ${toUnicode} 0 R >>`);
      fontObjects.set(font, type0);
    }

    const pageNumbers: number[] = [];
    for (const page of this.pages) {
      const content = reserve();
      set(content, stream("", encoder.encode(page.ops.join("\n"))));
      const pageObj = reserve();
      const fontDict = [...page.fonts].map((f) => `/${f.resourceName} ${fontObjects.get(f)} 0 R`).join(" ");
      set(pageObj, `<< /Type /Page /Parent ${pagesRoot} 0 R /MediaBox [0 0 ${A4.width} ${A4.height}] /Resources << /Font << ${fontDict} >> >> /Contents ${content} 0 R >>`);
      pageNumbers.push(pageObj);
    }
    set(catalog, `<< /Type /Catalog /Pages ${pagesRoot} 0 R >>`);
    set(pagesRoot, `<< /Type /Pages /Kids [${pageNumbers.map((n) => `${n} 0 R`).join(" ")}] /Count ${pageNumbers.length} >>`);
    const created = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
    set(infoObj, `<< /Title ${pdfString(this.info.title)} /Author ${pdfString(this.info.author ?? "")} /Producer (Clean Care API) /CreationDate (D:${created}Z) >>`);

    // Header (with a binary comment, so transfer tools treat the file as binary), objects, xref.
    const chunks: Uint8Array[] = [encoder.encode("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n")];
    let offset = chunks[0]!.length;
    const offsets: number[] = [];
    objects.forEach((body, i) => {
      offsets.push(offset);
      const bytes = typeof body === "string" ? encoder.encode(body) : body;
      const parts = [encoder.encode(`${i + 1} 0 obj\n`), bytes, encoder.encode("\nendobj\n")];
      for (const p of parts) {
        chunks.push(p);
        offset += p.length;
      }
    });
    const xref = [`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`, ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`)].join("");
    chunks.push(encoder.encode(`${xref}trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${infoObj} 0 R >>\nstartxref\n${offset}\n%%EOF\n`));
    const out = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}
