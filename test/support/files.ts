/** Minimal files recognised (or not) by their magic bytes, for upload tests. */
const pad = (head: number[], size: number) => {
  const bytes = new Uint8Array(size);
  bytes.set(head);
  for (let i = head.length; i < size; i++) bytes[i] = i % 251;
  return bytes;
};

export const pngBytes = (size = 256) => pad([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], size);
export const jpegBytes = (size = 256) => pad([0xff, 0xd8, 0xff, 0xe0], size);
export const webpBytes = (size = 256) => pad([...new TextEncoder().encode("RIFF"), 0, 0, 0, 0, ...new TextEncoder().encode("WEBP")], size);
export const pdfBytes = (size = 256) => pad([...new TextEncoder().encode("%PDF-1.4\n")], size);

export function file(bytes: Uint8Array, name: string, type = "application/octet-stream"): File {
  return new File([bytes], name, { type });
}

export function form(fields: Record<string, string | File | File[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) {
    for (const v of Array.isArray(value) ? value : [value]) data.append(key, v);
  }
  return data;
}
