/**
 * Recognises uploads by their bytes (magic numbers), never by name or declared type: a PDF renamed
 * `photo.jpg` is still a PDF.
 */
export type ImageType = "image/jpeg" | "image/png" | "image/webp";

export const IMAGE_EXTENSIONS: Record<ImageType, string> = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" };

export function sniffImage(bytes: Uint8Array): ImageType | null {
  const at = (i: number) => bytes[i];
  if (bytes.length >= 3 && at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return "image/jpeg";
  if (bytes.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => at(i) === b)) return "image/png";
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  return null;
}

export type DocumentType =
  | "application/pdf"
  | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
  | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

export const DOCUMENT_EXTENSIONS: Record<DocumentType, string> = {
  "application/pdf": "pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
};

const latin1 = new TextDecoder("latin1");

/**
 * PDF by its `%PDF-` header; Word/Excel (OOXML) as a ZIP whose entry names — stored uncompressed in
 * each local file header — include `[Content_Types].xml` and the part that names the format. Any
 * other ZIP (or an old binary .doc/.xls, whose container cannot be told apart cheaply) is refused.
 */
export function sniffDocument(bytes: Uint8Array): DocumentType | null {
  if (bytes.length >= 5 && latin1.decode(bytes.subarray(0, 5)) === "%PDF-") return "application/pdf";
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    const text = latin1.decode(bytes);
    if (!text.includes("[Content_Types].xml")) return null;
    if (text.includes("word/document.xml")) return "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
    if (text.includes("xl/workbook.xml")) return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  return null;
}

export type MediaType = ImageType | DocumentType;

export function extensionFor(type: MediaType): string {
  return (IMAGE_EXTENSIONS as Record<string, string>)[type] ?? DOCUMENT_EXTENSIONS[type as DocumentType];
}

export function isImageType(type: string): type is ImageType {
  return type in IMAGE_EXTENSIONS;
}
