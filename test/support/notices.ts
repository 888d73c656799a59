/** Notices for tests: created through the API by a staff token, titles tagged so a test finds its own. */
import { expect } from "vitest";
import { api } from "./http";

export const tag = () => `t${crypto.randomUUID().slice(0, 8)}`;

export async function postNotice(token: string, body: Record<string, unknown>) {
  const res = await api("/api/v1/notices", { token, body: { content: "বিস্তারিত তথ্য", ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; title: string; view_count: number; [k: string]: unknown };
}

export const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
