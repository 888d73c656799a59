/**
 * R2 helpers. Object keys are random (a UUID under a folder), so a URL reveals nothing guessable
 * about who uploaded what; access control happens in the routes that stream objects back.
 */
import { ApiError } from "../lib/errors";
import { IMAGE_EXTENSIONS, sniffImage, type ImageType } from "../lib/media-types";

export interface StoredImage {
  key: string;
  contentType: ImageType;
  size: number;
  name: string;
}

/** Validates an uploaded file as an image within `maxBytes` (413 / 415 otherwise) and returns its bytes. */
export async function readImageUpload(file: unknown, maxBytes: number, field: string): Promise<{ bytes: Uint8Array; type: ImageType; name: string }> {
  if (!(file instanceof File)) throw new ApiError("validation_error", "validation_error", { [field]: ["Attach an image file."] });
  if (file.size > maxBytes) throw new ApiError("payload_too_large");
  if (file.size === 0) throw new ApiError("validation_error", "validation_error", { [field]: ["The file is empty."] });
  const bytes = new Uint8Array(await file.arrayBuffer());
  const type = sniffImage(bytes);
  if (!type) throw new ApiError("unsupported_media_type");
  return { bytes, type, name: file.name.slice(0, 255) || `image.${IMAGE_EXTENSIONS[type]}` };
}

export async function putImage(bucket: R2Bucket, folder: string, image: { bytes: Uint8Array; type: ImageType; name: string }): Promise<StoredImage> {
  const key = `${folder}/${crypto.randomUUID()}.${IMAGE_EXTENSIONS[image.type]}`;
  await bucket.put(key, image.bytes, { httpMetadata: { contentType: image.type } });
  return { key, contentType: image.type, size: image.bytes.byteLength, name: image.name };
}

/** Streams an R2 object back with its type and the given caching policy; 404 when it is gone. */
export async function streamObject(bucket: R2Bucket, key: string, cacheControl: string): Promise<Response> {
  const object = await bucket.get(key);
  if (!object) throw new ApiError("not_found");
  const headers = new Headers();
  object.writeHttpMetadata(headers);
  headers.set("etag", object.httpEtag);
  headers.set("cache-control", cacheControl);
  headers.set("x-content-type-options", "nosniff");
  headers.set("content-length", String(object.size));
  return new Response(object.body, { headers });
}
