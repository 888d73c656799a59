/**
 * Streams a raw request body into R2 without holding the file: the first 64 KiB decide what it is
 * (by bytes) and its limit; a file that fits in one part is one `put`, a larger one a multipart
 * upload of fixed 5 MiB parts (R2: every part but the last the same size, ≥ 5 MiB), so at most one
 * part is buffered. Past its limit (10 MB image, 100 MB video) it stops reading: 413. On any
 * failure the multipart upload is aborted, so nothing is left in R2. The object's key is chosen
 * (by `keyFor`) once the type is known.
 */
import { ApiError } from "../../lib/errors";
import { imageDimensions, maxBytesFor, SNIFF_BYTES, sniffGallery, VIDEO_MAX_BYTES, type GalleryType } from "./gallery.media";

export const PART_BYTES = 5 * 1024 * 1024;

export interface StreamedObject {
  type: GalleryType;
  size: number;
  width: number | null;
  height: number | null;
  parts: number;
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.byteLength === total) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** A FIFO of chunks from which fixed-size parts are cut. */
class Buffered {
  chunks: Uint8Array[] = [];
  bytes = 0;
  push(chunk: Uint8Array) {
    this.chunks.push(chunk);
    this.bytes += chunk.byteLength;
  }
  take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const head = this.chunks[0]!;
      const need = n - at;
      if (head.byteLength <= need) {
        out.set(head, at);
        at += head.byteLength;
        this.chunks.shift();
      } else {
        out.set(head.subarray(0, need), at);
        this.chunks[0] = head.subarray(need);
        at += need;
      }
    }
    this.bytes -= n;
    return out;
  }
  all(): Uint8Array {
    const out = concat(this.chunks, this.bytes);
    this.chunks = [];
    this.bytes = 0;
    return out;
  }
}

export async function streamIntoR2(bucket: R2Bucket, keyFor: (type: GalleryType) => string, body: ReadableStream<Uint8Array> | null, declaredLength: number | null): Promise<StreamedObject> {
  if (!body) throw new ApiError("validation_error", "validation_error", { file: ["Send the file's bytes as the request body."] });
  if (declaredLength !== null && declaredLength > VIDEO_MAX_BYTES) throw new ApiError("payload_too_large");
  const reader = body.getReader();
  const buffered = new Buffered();
  let done = false;
  const read = async () => {
    const next = await reader.read().catch(() => {
      throw new ApiError("validation_error", "validation_error", { file: ["The upload was interrupted."] });
    });
    if (next.done) done = true;
    else if (next.value.byteLength) buffered.push(next.value);
  };
  let upload: R2MultipartUpload | undefined;
  try {
    while (!done && buffered.bytes < SNIFF_BYTES) await read();
    if (buffered.bytes === 0) throw new ApiError("validation_error", "validation_error", { file: ["The file is empty."] });
    const head = concat(buffered.chunks, buffered.bytes);
    buffered.chunks = [head];
    const type = sniffGallery(head);
    if (!type) throw new ApiError("unsupported_media_type");
    const limit = maxBytesFor(type);
    if (declaredLength !== null && declaredLength > limit) throw new ApiError("payload_too_large");
    const { width, height } = type.startsWith("image/") ? imageDimensions(type, head) : { width: null, height: null };
    const httpMetadata = { contentType: type, cacheControl: "public, max-age=31536000, immutable" };
    const key = keyFor(type);

    let total = buffered.bytes;
    const uploaded: R2UploadedPart[] = [];
    while (!done) {
      await read();
      total = uploaded.length * PART_BYTES + buffered.bytes;
      if (total > limit) throw new ApiError("payload_too_large");
      while (buffered.bytes > PART_BYTES) {
        // More than one part's worth: this part is not the last one.
        upload ??= await bucket.createMultipartUpload(key, { httpMetadata });
        uploaded.push(await upload.uploadPart(uploaded.length + 1, buffered.take(PART_BYTES)));
      }
    }
    total = uploaded.length * PART_BYTES + buffered.bytes;
    if (total > limit) throw new ApiError("payload_too_large");
    if (!upload) {
      await bucket.put(key, buffered.all(), { httpMetadata });
      return { type, size: total, width, height, parts: 1 };
    }
    uploaded.push(await upload.uploadPart(uploaded.length + 1, buffered.all()));
    await upload.complete(uploaded);
    return { type, size: total, width, height, parts: uploaded.length };
  } catch (err) {
    await reader.cancel().catch(() => undefined);
    if (upload) await upload.abort().catch(() => undefined);
    throw err;
  }
}
