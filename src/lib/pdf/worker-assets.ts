/**
 * The PDF toolkit's binaries as the Worker gets them: HarfBuzz compiled at deploy time (Workers
 * cannot compile wasm at run time) and Noto Sans Bengali (OFL; it covers Latin and digits too, so
 * one family serves the whole report), imported as bytes by the `*.ttf` module rule in wrangler.toml.
 */
import harfbuzz from "harfbuzzjs/dist/harfbuzz.wasm";
import bold from "@expo-google-fonts/noto-sans-bengali/700Bold/NotoSansBengali_700Bold.ttf";
import regular from "@expo-google-fonts/noto-sans-bengali/400Regular/NotoSansBengali_400Regular.ttf";
import type { PdfAssets } from "./toolkit";

export const workerAssets: PdfAssets = { harfbuzz, regular: new Uint8Array(regular), bold: new Uint8Array(bold) };
