/** HarfBuzz and the report fonts, set up once per isolate and shared by every PDF built in it. */
import { type EmbeddedFontSource, PdfDocument } from "./document";
import { HarfBuzz, type WasmModule } from "./shaper";

export interface PdfAssets {
  harfbuzz: WasmModule;
  regular: Uint8Array;
  bold: Uint8Array;
}

let cached: { assets: PdfAssets; fonts: EmbeddedFontSource[] } | null = null;

function fonts(assets: PdfAssets): EmbeddedFontSource[] {
  if (cached?.assets !== assets) {
    const hb = new HarfBuzz(assets.harfbuzz);
    cached = {
      assets,
      fonts: [
        { name: "NotoSansBengali-Regular", bytes: assets.regular, shaper: hb.loadFont(assets.regular) },
        { name: "NotoSansBengali-Bold", bytes: assets.bold, shaper: hb.loadFont(assets.bold) },
      ],
    };
  }
  return cached.fonts;
}

/** A new document with the fonts `NotoSansBengali-Regular` (the default) and `NotoSansBengali-Bold`. */
export function newDocument(assets: PdfAssets, info: { title: string; author?: string }): PdfDocument {
  return new PdfDocument(fonts(assets), info);
}
