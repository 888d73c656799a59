/** HarfBuzz in the Worker: Bengali reordering, conjuncts and marks, and script runs in mixed lines. */
import { describe, expect, it } from "vitest";
import { HarfBuzz, scriptRuns } from "../../lib/pdf/shaper";
import { workerAssets } from "../../lib/pdf/worker-assets";

const font = new HarfBuzz(workerAssets.harfbuzz).loadFont(workerAssets.regular);
const nominal = (ch: string) => font.nominalGlyph(ch.codePointAt(0)!)!;
const ids = (text: string) => font.shape(text).map((g) => g.id);

describe("shaping Bengali with HarfBuzz (wasm, no run-time compilation)", () => {
  it("puts pre-base vowel signs before their consonant and splits ো around it", () => {
    // The sign comes first (in whichever form the font substitutes), the consonant second.
    const ki = ids("কি");
    expect(ki).toHaveLength(2);
    expect(ki[1]).toBe(nominal("ক"));
    expect(ki[0]).not.toBe(nominal("ক"));
    const mo = ids("মো"); // ো = ে + া: one part before ম, one after
    expect(mo).toHaveLength(3);
    expect(mo[1]).toBe(nominal("ম"));
    expect(mo[2]).toBe(nominal("া"));
    expect(font.shape("কি").map((g) => g.cluster)).toEqual([0, 0]);
  });

  it("forms conjuncts: ক্ষ is one ligature glyph, not ক + ্ + ষ", () => {
    const glyphs = ids("ক্ষ");
    expect(glyphs).toHaveLength(1);
    expect(glyphs[0]).not.toBe(nominal("ক"));
    const naive = ["ক", "্", "ষ"].map(nominal);
    expect(ids("স্ত্রী")).not.toEqual(expect.arrayContaining(naive));
  });

  it("shapes each script run on its own: Bengali after Latin is still reordered", () => {
    expect(scriptRuns("Ward 7 · তৈরি (ঢাকা)")).toEqual([
      { start: 0, text: "Ward 7 · " },
      { start: 9, text: "তৈরি (ঢাকা)" },
    ]);
    const mixed = font.shape("Made তৈরি");
    expect(mixed.slice(5).map((g) => g.id)).toEqual(ids("তৈরি"));
    expect(mixed.slice(5).map((g) => g.cluster)).toEqual(font.shape("তৈরি").map((g) => g.cluster + 5));
    expect(ids("তৈরি")[1]).toBe(nominal("ত")); // ৈ moved before ত
  });

  it("every glyph has an advance the PDF's width table can use", () => {
    for (const g of font.shape("অভিযোগ প্রতিবেদন 12,480")) expect(font.advance(g.id)).toBeGreaterThanOrEqual(0);
    expect(font.upem).toBe(1000);
  });
});
