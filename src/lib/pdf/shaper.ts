/**
 * Text shaping with HarfBuzz (harfbuzzjs's `harfbuzz.wasm`), called through its raw exports.
 *
 * Why not harfbuzzjs's own JavaScript wrapper: it loads the wasm by URL and registers a callback
 * with Emscripten's `addFunction`, which compiles a tiny wasm module at run time — Workers forbid
 * run-time wasm compilation. The wasm itself needs only five trivial imports, and shaping needs a
 * dozen exported C functions (blob, face, font, buffer, hb_shape), so they are called directly here
 * on a module compiled at deploy time (a wasm import).
 *
 * HarfBuzz does the complex-script work Bengali needs: reordering of pre-base vowel signs (ি ে ৈ),
 * split vowels (ো ৌ), conjuncts through hasant (ক্ষ, ন্ত, স্ত্র), reph (র্) and below-base forms,
 * and mark positioning (GPOS) — the result is glyph ids with advances and offsets.
 */

/** A compiled wasm module (a WebAssembly.Module; typed loosely so Node scripts typecheck without DOM/Workers types). */
export type WasmModule = object;
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
const wasm = (globalThis as unknown as { WebAssembly: { Instance: new (module: WasmModule, imports: object) => { exports: unknown } } }).WebAssembly;

export interface ShapedGlyph {
  /** Glyph id in the font. */
  id: number;
  /** UTF-16 index of the cluster's first character in the shaped text. */
  cluster: number;
  /** In font units. */
  xAdvance: number;
  xOffset: number;
  yOffset: number;
}

interface HbExports {
  memory: WasmMemory;
  __wasm_call_ctors?: () => void;
  malloc(size: number): number;
  free(ptr: number): void;
  hb_blob_create(data: number, length: number, mode: number, userData: number, destroy: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_get_upem(face: number): number;
  hb_font_create(face: number): number;
  hb_font_get_glyph_h_advance(font: number, glyph: number): number;
  hb_font_get_nominal_glyph(font: number, unicode: number, glyph: number): number;
  hb_buffer_create(): number;
  hb_buffer_destroy(buffer: number): void;
  hb_buffer_add_utf16(buffer: number, text: number, length: number, offset: number, itemLength: number): void;
  hb_buffer_guess_segment_properties(buffer: number): void;
  hb_buffer_get_length(buffer: number): number;
  hb_buffer_get_glyph_infos(buffer: number, length: number): number;
  hb_buffer_get_glyph_positions(buffer: number, length: number): number;
  hb_shape(font: number, buffer: number, features: number, numFeatures: number): void;
}

const HB_MEMORY_MODE_READONLY = 1;

export class HarfBuzz {
  private readonly hb: HbExports;

  constructor(module: WasmModule) {
    let memory: WasmMemory | undefined;
    const fail = (what: string) => () => {
      throw new Error(`harfbuzz: ${what}`);
    };
    const instance = new wasm.Instance(module, {
      wasi_snapshot_preview1: { proc_exit: fail("exit") },
      env: {
        _emscripten_runtime_keepalive_clear: () => undefined,
        _abort_js: fail("abort"),
        _setitimer_js: () => 0,
        emscripten_resize_heap: (requested: number) => {
          const needed = (requested >>> 0) - memory!.buffer.byteLength;
          try {
            memory!.grow(Math.ceil(needed / 65_536));
            return 1;
          } catch {
            return 0;
          }
        },
      },
    });
    this.hb = instance.exports as unknown as HbExports;
    memory = this.hb.memory;
    this.hb.__wasm_call_ctors?.();
  }

  /** A font for shaping, kept for the isolate's life (the bytes are copied into wasm memory once). */
  loadFont(bytes: ArrayBuffer | Uint8Array): ShapingFont {
    const data = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    const ptr = this.hb.malloc(data.byteLength);
    new Uint8Array(this.hb.memory.buffer, ptr, data.byteLength).set(data);
    const blob = this.hb.hb_blob_create(ptr, data.byteLength, HB_MEMORY_MODE_READONLY, 0, 0);
    const face = this.hb.hb_face_create(blob, 0);
    return new ShapingFont(this.hb, this.hb.hb_font_create(face), this.hb.hb_face_get_upem(face));
  }
}

export class ShapingFont {
  private readonly advances = new Map<number, number>();
  private readonly nominals = new Map<number, number | null>();

  constructor(
    private readonly hb: HbExports,
    private readonly font: number,
    /** Font units per em. */
    readonly upem: number,
  ) {}

  /** A glyph's advance width in font units (its `hmtx` width, which the PDF's W array must match). */
  advance(glyph: number): number {
    let width = this.advances.get(glyph);
    if (width === undefined) {
      width = this.hb.hb_font_get_glyph_h_advance(this.font, glyph);
      this.advances.set(glyph, width);
    }
    return width;
  }

  /** The glyph the font's cmap gives a code point (before any shaping), or null. */
  nominalGlyph(codePoint: number): number | null {
    let glyph = this.nominals.get(codePoint);
    if (glyph === undefined) {
      const out = this.hb.malloc(4);
      glyph = this.hb.hb_font_get_nominal_glyph(this.font, codePoint, out) ? new Uint32Array(this.hb.memory.buffer, out, 1)[0]! : null;
      this.hb.free(out);
      this.nominals.set(codePoint, glyph);
    }
    return glyph;
  }

  /**
   * Shapes a line: split into Bengali and other runs first (HarfBuzz guesses one script per buffer,
   * from its first letter — "Ward ৭ তৈরি" shaped whole would get Latin rules and lose its Bengali
   * reordering). Clusters are indexes into the whole line.
   */
  shape(text: string): ShapedGlyph[] {
    const glyphs: ShapedGlyph[] = [];
    for (const run of scriptRuns(text)) {
      for (const g of this.shapeRun(run.text)) glyphs.push({ ...g, cluster: g.cluster + run.start });
    }
    return glyphs;
  }

  private shapeRun(text: string): ShapedGlyph[] {
    if (text.length === 0) return [];
    const hb = this.hb;
    const textPtr = hb.malloc(text.length * 2);
    const units = new Uint16Array(hb.memory.buffer, textPtr, text.length);
    for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
    const buffer = hb.hb_buffer_create();
    try {
      hb.hb_buffer_add_utf16(buffer, textPtr, text.length, 0, text.length);
      hb.hb_buffer_guess_segment_properties(buffer);
      hb.hb_shape(this.font, buffer, 0, 0);
      const count = hb.hb_buffer_get_length(buffer);
      // hb_glyph_info_t and hb_glyph_position_t are five 32-bit words each; views made after
      // shaping, since shaping may have grown (and so replaced) the memory buffer.
      const infos = new Uint32Array(hb.memory.buffer, hb.hb_buffer_get_glyph_infos(buffer, 0), count * 5);
      const positions = new Int32Array(hb.memory.buffer, hb.hb_buffer_get_glyph_positions(buffer, 0), count * 5);
      const glyphs: ShapedGlyph[] = [];
      for (let i = 0; i < count; i++) {
        glyphs.push({ id: infos[i * 5]!, cluster: infos[i * 5 + 2]!, xAdvance: positions[i * 5]!, xOffset: positions[i * 5 + 2]!, yOffset: positions[i * 5 + 3]! });
      }
      return glyphs;
    } finally {
      hb.hb_buffer_destroy(buffer);
      hb.free(textPtr);
    }
  }
}

/** Bengali block, plus the joiners and dandas Bengali text uses. */
const BENGALI = /[\u0980-\u09FF\u200C\u200D\u0964\u0965]/;
/** Letters and marks of any script: what decides a run (spaces, digits and punctuation go along). */
const STRONG = /[\p{L}\p{M}]/u;

/** Runs of one script: neutral characters join the run before them (or the first run, at the start). */
export function scriptRuns(text: string): { start: number; text: string }[] {
  const runs: { start: number; end: number; bengali: boolean | null }[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const kind = BENGALI.test(ch) ? true : STRONG.test(ch) ? false : null;
    const last = runs[runs.length - 1];
    if (!last) runs.push({ start: i, end: i + 1, bengali: kind });
    else if (kind === null || last.bengali === null || last.bengali === kind) {
      last.end = i + 1;
      if (last.bengali === null) last.bengali = kind;
    } else runs.push({ start: i, end: i + 1, bengali: kind });
  }
  return runs.map((r) => ({ start: r.start, text: text.slice(r.start, r.end) }));
}
