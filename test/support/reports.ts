/** Report test helpers: seeded complaints in a ward of their own, waiting for the consumer, downloads. */
import { createExecutionContext, env } from "cloudflare:test";
import { sql } from "drizzle-orm";
import worker from "../../src/index";
import { STATUS } from "../../src/modules/complaints/status-machine";
import { withServices } from "./factories";
import { api, BASE } from "./http";

export async function waitForReport(taskId: string, token: string, timeoutMs = 20_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await api(`/api/v1/dashboard/reports/${taskId}`, { token });
    if (res.body.status !== "processing") return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`report still processing after ${timeoutMs} ms`);
}

/** Downloads through the worker with the token: status, headers and the raw bytes. */
export async function downloadBytes(url: string, token: string) {
  const res = await worker.fetch!(new Request(url.replace(/^https?:\/\/[^/]+/, BASE), { headers: { authorization: `Bearer ${token}` } }) as never, env as Env, createExecutionContext());
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

export const CATEGORIES_BN = ["পরিচ্ছন্নতা", "বর্জ্য ব্যবস্থাপনা", "পানি সরবরাহ", "রাস্তাঘাট", "বিদ্যুৎ"];
export const PRIORITIES_BN = ["উচ্চ", "মধ্যম", "নিম্ন"];
export const STATUSES = [STATUS.submitted, STATUS.inProgress, STATUS.resolved, STATUS.resolved, STATUS.cancelled];

export interface SeededComplaint {
  tn: string;
  ward: string;
  title: string;
  category: string;
  priority: string;
  status: string;
  created: number;
  resolutionH: number | null;
  rating: number | null;
}

function rng(seed: number) {
  return () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

let sequence = Math.floor(Math.random() * 5_000_000);

/** `n` complaints in `ward`, created at whole minutes within the `days` Dhaka days from `startDay`. */
export function generateComplaints(n: number, ward: string, startDay: string, days: number, seed = 12): SeededComplaint[] {
  const next = rng(seed);
  const start = Date.parse(`${startDay}T00:00:00Z`) - 6 * 3_600_000;
  return Array.from({ length: n }, () => {
    const status = STATUSES[Math.floor(next() * STATUSES.length)]!;
    const resolved = status === STATUS.resolved;
    const created = start + Math.floor(next() * days * 24 * 60) * 60_000;
    return {
      // The real shape (CC + Dhaka day + a number), unique across this isolate's seeds.
      tn: `CC${new Date(created + 6 * 3_600_000).toISOString().slice(0, 10).replaceAll("-", "")}${String(sequence++).padStart(7, "0")}`,
      ward,
      title: `নর্দমা উপচে পড়ছে, রাস্তায় ময়লা — ক্ষেত্র ${sequence}`,
      category: CATEGORIES_BN[Math.floor(next() * CATEGORIES_BN.length)]!,
      priority: PRIORITIES_BN[Math.floor(next() * PRIORITIES_BN.length)]!,
      status,
      created,
      resolutionH: resolved ? 1 + Math.floor(next() * 200) / 4 : null,
      rating: resolved && next() < 0.7 ? 1 + Math.floor(next() * 5) : null,
    };
  });
}

export async function insertComplaints(userId: string, rows: SeededComplaint[]): Promise<void> {
  await withServices(async ({ db }) => {
    for (let i = 0; i < rows.length; i += 2000) {
      await db.execute(sql`
        insert into complaints (tracking_number, user_id, title, description, category, priority, status, location, ward_number, created_at, updated_at, resolved_at, rating)
        select r.tn, ${userId}::uuid, r.title, 'seeded for the report test', r.category, r.priority, r.status, 'Dhaka', r.ward,
               to_timestamp(r.created / 1000.0), to_timestamp(r.created / 1000.0),
               case when r."resolutionH" is null then null else to_timestamp(r.created / 1000.0) + make_interval(secs => r."resolutionH" * 3600) end,
               r.rating
        from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + 2000))}::jsonb)
          as r(tn text, ward text, title text, category text, priority text, status text, created bigint, "resolutionH" float8, rating int)`);
    }
  });
}

export const countBy = <T>(rows: T[], key: (r: T) => string) => rows.reduce<Record<string, number>>((acc, r) => ((acc[key(r)] = (acc[key(r)] ?? 0) + 1), acc), {});
export const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
