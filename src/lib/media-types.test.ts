import { describe, expect, it } from "vitest";
import { pdfBytes, pngBytes } from "../../test/support/files";
import { extensionFor, sniffDocument, sniffImage } from "./media-types";

/** The start of a ZIP whose first local file headers name the given entries (names are stored plainly). */
function zipWith(...names: string[]): Uint8Array {
  const parts: number[] = [];
  for (const name of names) {
    const bytes = [...new TextEncoder().encode(name)];
    // local file header signature, then 22 bytes of fields, name length, extra length, name
    parts.push(0x50, 0x4b, 0x03, 0x04, ...new Array(22).fill(0), bytes.length & 0xff, bytes.length >> 8, 0, 0, ...bytes, ...new Array(16).fill(0x20));
  }
  return new Uint8Array(parts);
}

describe("sniffDocument", () => {
  it("recognises PDF, Word and Excel by content", () => {
    expect(sniffDocument(pdfBytes())).toBe("application/pdf");
    expect(sniffDocument(zipWith("[Content_Types].xml", "_rels/.rels", "word/document.xml"))).toBe(
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    );
    expect(sniffDocument(zipWith("[Content_Types].xml", "xl/workbook.xml"))).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(extensionFor("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).toBe("xlsx");
  });

  it("refuses any other ZIP, images, old binary Office files and text", () => {
    expect(sniffDocument(zipWith("payload.exe"))).toBeNull();
    expect(sniffDocument(zipWith("[Content_Types].xml", "ppt/presentation.xml"))).toBeNull();
    expect(sniffDocument(pngBytes())).toBeNull();
    expect(sniffDocument(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toBeNull();
    expect(sniffDocument(new TextEncoder().encode("%PD"))).toBeNull();
    expect(sniffImage(pdfBytes())).toBeNull();
  });
});
