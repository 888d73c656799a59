/**
 * Gallery uploads for tests: raw bodies (bytes or a stream) through the worker's own fetch, media
 * files recognised by their bytes, and the orphan check — an R2 object under gallery/ that neither
 * an item nor a pending row accounts for.
 */
import { createExecutionContext, env } from "cloudflare:test";
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import worker from "../../src/index";
import { withServices } from "./factories";
import { BASE, type ApiResponse } from "./http";

export const tag = () => `g${crypto.randomUUID().slice(0, 8)}`;
const MiB = 1024 * 1024;

export async function uploadRaw(token: string | undefined, query: Record<string, string>, body: BodyInit | null, headers: Record<string, string> = {}): Promise<ApiResponse> {
  const h: Record<string, string> = { "content-type": "application/octet-stream", ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  const init: RequestInit & { duplex?: string } = { method: "POST", headers: h, body };
  const request = new Request(`${BASE}/api/v1/gallery?${new URLSearchParams(query)}`, init);
  const res = await worker.fetch!(request as Parameters<NonNullable<typeof worker.fetch>>[0], env as Env, createExecutionContext());
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export async function upload(token: string, query: Record<string, string>, bytes: Uint8Array) {
  const res = await uploadRaw(token, query, bytes);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; url: string; [k: string]: any };
}

/** GET of a media URL, raw bytes. */
export async function getMedia(url: string, headers: Record<string, string> = {}) {
  const res = await worker.fetch!(new Request(url, { headers }) as Parameters<NonNullable<typeof worker.fetch>>[0], env as Env, createExecutionContext());
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

const fill = (bytes: Uint8Array, from: number) => {
  for (let i = from; i < bytes.length; i++) bytes[i] = (i * 31 + 7) % 251;
  return bytes;
};

/** A PNG signature and IHDR chunk of the given size, then filler. */
export function png(width: number, height: number, size = 512): Uint8Array {
  const b = new Uint8Array(size);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  new DataView(b.buffer).setUint32(16, width);
  new DataView(b.buffer).setUint32(20, height);
  return fill(b, 24);
}

/** A JPEG with an APP0 segment and a SOF0 carrying its size. */
export function jpeg(width: number, height: number, size = 512): Uint8Array {
  const b = new Uint8Array(size);
  b.set([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
  b.set([0xff, 0xc0, 0, 17, 8, height >> 8, height & 255, width >> 8, width & 255, 3], 20);
  return fill(b, 30);
}

export function mp4Head(brand = "isom"): Uint8Array {
  return new Uint8Array([0, 0, 0, 0x18, ...new TextEncoder().encode(`ftyp${brand}`), 0, 0, 2, 0, ...new TextEncoder().encode("isomiso2")]);
}

export function mp4(size: number): Uint8Array {
  const b = new Uint8Array(size);
  b.set(mp4Head());
  return fill(b, 24);
}

export function webm(size: number, docType = "webm"): Uint8Array {
  const b = new Uint8Array(size);
  b.set([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84, ...new TextEncoder().encode(docType)]);
  return fill(b, 16 + docType.length);
}

/** A body that streams `total` bytes starting with `head`, in 256 KiB chunks, never holding it all. */
export function streamOf(head: Uint8Array, total: number, options: { failAfter?: number; onChunk?: (sent: number) => Promise<void> } = {}): ReadableStream<Uint8Array> {
  const chunk = fill(new Uint8Array(256 * 1024), 0);
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (options.failAfter !== undefined && sent >= options.failAfter) {
        controller.error(new Error("client went away"));
        return;
      }
      if (sent >= total) {
        controller.close();
        return;
      }
      const n = Math.min(chunk.length, total - sent);
      const out = chunk.slice(0, n);
      if (sent === 0) out.set(head.subarray(0, Math.min(head.length, n)));
      sent += n;
      controller.enqueue(out);
      await options.onChunk?.(sent);
    },
  });
}

/** The byte at position i of a streamOf() body (for checking ranges). */
export function streamByte(head: Uint8Array, i: number): number {
  if (i < head.length) return head[i]!;
  const j = i % (256 * 1024);
  return (j * 31 + 7) % 251;
}

export const MB = MiB;

/** R2 objects under gallery/ that no item and no pending row accounts for. */
export async function orphans(): Promise<string[]> {
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.MEDIA.list({ prefix: "gallery/", cursor });
    keys.push(...page.objects.map((o) => o.key));
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  if (!keys.length) return [];
  return withServices(async ({ db }) => {
    const { rows } = await db.execute<{ k: string }>(sql`
      select k from unnest(${`{${keys.map((k) => `"${k}"`).join(",")}}`}::text[]) as k
      where not exists (select 1 from gallery_items g where g.object_key = k)
        and not exists (select 1 from gallery_pending_objects p where p.object_key = k or k like p.object_key || '.%')`);
    return rows.map((r) => r.k);
  });
}

export async function itemsTitled(title: string): Promise<number> {
  return withServices(async ({ db }) => (await db.execute<{ n: number }>(sql`select count(*)::int as n from gallery_items where title = ${title}`)).rows[0]!.n);
}

export async function pendingBy(userId: string): Promise<number> {
  return withServices(async ({ db }) => (await db.execute<{ n: number }>(sql`select count(*)::int as n from gallery_pending_objects where created_by = ${userId}`)).rows[0]!.n);
}
