/**
 * Gallery media recognised by their bytes (never by name or declared type): JPEG/PNG/WebP images
 * (≤ 10 MB) and MP4/WebM videos (≤ 100 MB); image dimensions read from the header.
 */
import { sniffImage } from "../../lib/media-types";

export type GalleryType = "image/jpeg" | "image/png" | "image/webp" | "video/mp4" | "video/webm";

export const MB = 1024 * 1024;
export const IMAGE_MAX_BYTES = 10 * MB;
export const VIDEO_MAX_BYTES = 100 * MB;
/** Bytes read before deciding what a file is (and, for images, its size in pixels). */
export const SNIFF_BYTES = 64 * 1024;

export const EXTENSIONS: Record<GalleryType, string> = {
  "image/jpeg": "jpg",
  "image/png": "png",
  "image/webp": "webp",
  "video/mp4": "mp4",
  "video/webm": "webm",
};
export const CONTENT_TYPE_BY_EXTENSION = Object.fromEntries(Object.entries(EXTENSIONS).map(([type, ext]) => [ext, type])) as Record<string, GalleryType>;

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, Math.min(to, bytes.length)));
/** ISO-BMFF brands that are not video (HEIF/AVIF stills, audio-only M4A). */
const NOT_VIDEO_BRANDS = new Set(["heic", "heix", "mif1", "msf1", "avif", "avis", "M4A ", "M4B "]);

export function sniffVideo(bytes: Uint8Array): "video/mp4" | "video/webm" | null {
  if (bytes.length >= 12 && ascii(bytes, 4, 8) === "ftyp" && !NOT_VIDEO_BRANDS.has(ascii(bytes, 8, 12))) return "video/mp4";
  // EBML header whose DocType is "webm" (plain Matroska is refused).
  if (bytes.length >= 4 && bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3 && ascii(bytes, 4, 64).includes("webm")) return "video/webm";
  return null;
}

export function sniffGallery(bytes: Uint8Array): GalleryType | null {
  return sniffImage(bytes) ?? sniffVideo(bytes);
}

export const maxBytesFor = (type: GalleryType) => (type.startsWith("image/") ? IMAGE_MAX_BYTES : VIDEO_MAX_BYTES);
export const mediaTypeOf = (type: GalleryType): "image" | "video" => (type.startsWith("image/") ? "image" : "video");

const sane = (n: number) => (Number.isInteger(n) && n > 0 && n <= 65_535 ? n : null);

/** Width and height from a PNG IHDR, a JPEG SOF segment or a WebP VP8/VP8L/VP8X chunk (null when not found in the head). */
export function imageDimensions(type: GalleryType, b: Uint8Array): { width: number | null; height: number | null } {
  const none = { width: null, height: null };
  const be16 = (i: number) => (b[i]! << 8) | b[i + 1]!;
  const le16 = (i: number) => b[i]! | (b[i + 1]! << 8);
  const le24 = (i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
  if (type === "image/png" && b.length >= 24 && ascii(b, 12, 16) === "IHDR") {
    const w = ((b[16]! << 24) >>> 0) + (b[17]! << 16) + (b[18]! << 8) + b[19]!;
    const h = ((b[20]! << 24) >>> 0) + (b[21]! << 16) + (b[22]! << 8) + b[23]!;
    return { width: sane(w), height: sane(h) };
  }
  if (type === "image/jpeg") {
    let i = 2;
    while (i + 9 < b.length && b[i] === 0xff) {
      const marker = b[i + 1]!;
      if (marker === 0xff) {
        i++;
        continue;
      }
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return { width: sane(be16(i + 7)), height: sane(be16(i + 5)) };
      if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
        i += 2;
        continue;
      }
      i += 2 + be16(i + 2);
    }
    return none;
  }
  if (type === "image/webp" && b.length >= 30) {
    const chunk = ascii(b, 12, 16);
    if (chunk === "VP8X") return { width: sane(1 + le24(24)), height: sane(1 + le24(27)) };
    if (chunk === "VP8 " && b[23] === 0x9d && b[24] === 0x01 && b[25] === 0x2a) return { width: sane(le16(26) & 0x3fff), height: sane(le16(28) & 0x3fff) };
    if (chunk === "VP8L" && b[20] === 0x2f) {
      const [b0, b1, b2, b3] = [b[21]!, b[22]!, b[23]!, b[24]!];
      return { width: sane(1 + (((b1 & 0x3f) << 8) | b0)), height: sane(1 + (((b3 & 0x0f) << 10) | (b2 << 2) | ((b1 & 0xc0) >> 6))) };
    }
  }
  return none;
}
