/**
 * R2 helpers. Object keys are random (a UUID under a folder), so a URL reveals nothing guessable
 * about who uploaded what; access control happens in the routes that stream objects back.
 */
import { ApiError } from "../lib/errors";
import { extensionFor, IMAGE_EXTENSIONS, sniffImage, type ImageType, type MediaType } from "../lib/media-types";

export interface StoredImage {
  key: string;
  contentType: ImageType;
  size: number;
  name: string;
}

/** Validates an uploaded file as an image within `maxBytes` (413 / 415 otherwise) and returns its bytes. */
export function readImageUpload(file: unknown, maxBytes: number, field: string): Promise<{ bytes: Uint8Array; type: ImageType; name: string }> {
  return readUpload(file, maxBytes, field, sniffImage, "Attach an image file.");
}

/**
 * Validates an uploaded file within `maxBytes` and recognises it with `sniff` (by content): 413 when
 * too large, 415 when `sniff` does not recognise it, 400 when missing or empty.
 */
export async function readUpload<T extends MediaType>(
  file: unknown,
  maxBytes: number,
  field: string,
  sniff: (bytes: Uint8Array) => T | null,
  missingMessage = "Attach a file.",
): Promise<{ bytes: Uint8Array; type: T; name: string }> {
  if (!(file instanceof File)) throw new ApiError("validation_error", "validation_error", { [field]: [missingMessage] });
  if (file.size > maxBytes) throw new ApiError("payload_too_large");
  if (file.size === 0) throw new ApiError("validation_error", "validation_error", { [field]: ["The file is empty."] });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const type = sniff(bytes);
  if (!type) throw new ApiError("unsupported_media_type");
  return { bytes, type, name: file.name.slice(0, 255) || `file.${extensionFor(type)}` };
}

export async function putImage(bucket: R2Bucket, folder: string, image: { bytes: Uint8Array; type: ImageType; name: string }): Promise<StoredImage> {
  const key = `${folder}/${crypto.randomUUID()}.${IMAGE_EXTENSIONS[image.type]}`;
  await bucket.put(key, image.bytes, { httpMetadata: { contentType: image.type } });
  return { key, contentType: image.type, size: image.bytes.byteLength, name: image.name };
}

/** Stores bytes under `<folder>/<random uuid>.<ext>`; the original name is kept as metadata. */
export async function putObject(bucket: R2Bucket, folder: string, upload: { bytes: Uint8Array; type: MediaType; name: string }): Promise<{ key: string; file: string }> {
  const file = `${crypto.randomUUID()}.${extensionFor(upload.type)}`;
  const key = `${folder}/${file}`;
  await bucket.put(key, upload.bytes, { httpMetadata: { contentType: upload.type }, customMetadata: { name: upload.name } });
  return { key, file };
}

/** Streams an R2 object back with its type and the given caching policy; 404 when it is gone. */
export async function streamObject(bucket: R2Bucket, key: string, cacheControl: string, disposition?: "inline" | "attachment"): Promise<Response> {
  const object = await bucket.get(key);
  if (!object) throw new ApiError("not_found");
  const headers = new Headers();
  object.writeHttpMetadata(headers);
  if (disposition) headers.set("content-disposition", contentDisposition(disposition, object.customMetadata?.name));
  headers.set("etag", object.httpEtag);
  headers.set("cache-control", cacheControl);
  headers.set("x-content-type-options", "nosniff");
  headers.set("content-length", String(object.size));
  return new Response(object.body, { headers });
}

/** RFC 6266 Content-Disposition with an ASCII fallback and the UTF-8 name (Bengali file names). */
function contentDisposition(kind: "inline" | "attachment", name: string | undefined): string {
  if (!name) return kind;
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
