/**
 * `npm run bench:chat`: live-chat fan-out against a running `npm run dev` or `npm run serve`
 * (loopback only).
 *
 *   BASE_URL        default http://127.0.0.1:8787
 *   BENCH_SOCKETS   sockets in the one room, default 200
 *   BENCH_RATE      messages per second each socket sends: one round at that rate. Without it the
 *                   bench sweeps the rate (below).
 *   BENCH_SECONDS   how long each round sends, default 10 for one round, 4 per sweep round
 *   BENCH_P99_MS    the sweep's fan-out p99 target, default 50
 *
 * One support room; the seeded citizen opens it and the sockets alternate between the citizen and
 * the seeded super_admin (staff may join any support room; a room links a citizen with staff, so
 * more people are modelled as more devices/tabs). Every socket sends at a steady rate, each with
 * its own phase; every message carries a client_msg_id. Per round:
 *   - fan-out latency p50/p99: send → the last of all sockets has it (and per single delivery);
 *   - ack latency p50/p99: send → `ack` (the message is durable in the room and copied to Postgres);
 *   - messages/s offered and deliveries/s received;
 *   - the Postgres check: after the round, Postgres holds every acknowledged message exactly once
 *     (dev-only POST /api/v1/dev/chat/rooms/{id}/sync, which also runs the copy now).
 * The sweep doubles the per-socket rate from 0.125/s until fan-out p99 reaches the target (or a
 * message is lost, or the flood limit of 10/s), then bisects between the last rate under the target
 * and the first over it, and prints the highest offered rate whose p99 stayed under it.
 * Exit code 1 if any message was lost, duplicated or undelivered.
 */
import WebSocket from "ws";
import { FrameLedger, runRound, type RoomSync, type RoundResult } from "./bench/chat-round";

const BASE_URL = (process.env.BASE_URL ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
const SOCKETS = positive("BENCH_SOCKETS", 200);
const FIXED_RATE = process.env.BENCH_RATE ? positive("BENCH_RATE", 1) : null;
const SECONDS = positive("BENCH_SECONDS", FIXED_RATE ? 10 : 4);
const TARGET_P99_MS = positive("BENCH_P99_MS", 50);
const CONNECT_PARALLEL = 20;
const FLOOD_LIMIT_PER_SOCKET = 10;
const BISECT_STEPS = 3;

const CITIZEN = { phone: "+8801711000001", password: "Citizen@2026" };
const STAFF = { phone: "+8801700000001", password: "CleanCare@2026" };

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got "${raw}")`);
  return value;
}

const host = new URL(BASE_URL).hostname;
if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) throw new Error(`BASE_URL must be loopback (got ${BASE_URL}): this benchmark floods a server`);
if (FIXED_RATE && FIXED_RATE > FLOOD_LIMIT_PER_SOCKET) console.warn(`BENCH_RATE ${FIXED_RATE}/s is above the per-socket flood limit (10/s): expect rate_limited errors`);

async function http(method: string, path: string, json?: unknown, token?: string): Promise<any> {
  const res = await fetch(BASE_URL + path, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: json === undefined ? undefined : JSON.stringify(json),
    signal: AbortSignal.timeout(60_000),
  });
  const body = await res.json().catch(() => undefined);
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
  return body;
}

const login = async (who: { phone: string; password: string }) => (await http("POST", "/api/v1/auth/login", who)).access_token as string;
const ms = (v: number) => `${v.toFixed(1)} ms`;
const ok = (r: RoundResult) => r.exactlyOnce && r.undelivered === 0 && r.unanswered === 0;
const underTarget = (r: RoundResult) => ok(r) && r.refused === 0 && r.fanout.p99 < TARGET_P99_MS;

function printRound(r: RoundResult, sockets: number): void {
  const rows: [string, string][] = [
    ["sockets", String(sockets)],
    ["messages sent / acknowledged / refused", `${r.sent} / ${r.acked} / ${r.refused}`],
    ["messages never answered (lost)", String(r.unanswered)],
    ["error frames", r.errors.size ? [...r.errors].map(([code, n]) => `${code}×${n}`).join(", ") : "none"],
    ["send rate (offered)", `${r.offeredPerSecond.toFixed(1)} msg/s`],
    ["deliveries (expected)", `${r.deliveries} (${r.expectedDeliveries})`],
    ["deliveries/s", r.deliveriesPerSecond.toFixed(0)],
    ["fan-out latency p50 / p99 (send → every socket)", `${ms(r.fanout.p50)} / ${ms(r.fanout.p99)}`],
    ["single delivery latency p50 / p99", `${ms(r.single.p50)} / ${ms(r.single.p99)}`],
    ["ack latency p50 / p99 (durable, and in Postgres)", `${ms(r.ack.p50)} / ${ms(r.ack.p99)}`],
    ["messages not delivered to every socket", String(r.undelivered)],
    ["acknowledged but missing / duplicated / unexpected in Postgres", `${r.postgres.missing} / ${r.postgres.duplicated} / ${r.postgres.unexpected}`],
    ["room log: pending copy / copy failures", `${r.postgres.pending} / ${r.postgres.failures}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join("\n"));
}

const sweepLine = (r: RoundResult, sockets: number) =>
  `  ${(r.rate * sockets).toFixed(0).padStart(6)} msg/s (${r.rate.toFixed(3)}/socket)  ` +
  `fan-out p50 ${ms(r.fanout.p50).padStart(9)} p99 ${ms(r.fanout.p99).padStart(9)}  ack p99 ${ms(r.ack.p99).padStart(9)}  ` +
  `${r.deliveriesPerSecond.toFixed(0).padStart(6)} deliveries/s  ${ok(r) ? (r.refused ? `${r.refused} refused` : "exactly once") : "LOST/DUPLICATED"}`;

async function main(): Promise<void> {
  const [citizen, staff] = [await login(CITIZEN), await login(STAFF)];
  const room = await http("POST", "/api/v1/chat/rooms", { type: "support", title: `bench ${new Date().toISOString()}` }, citizen);
  const wsUrl = `${BASE_URL.replace(/^http/, "ws")}/ws/chat/${room.id}`;
  const ledger = new FrameLedger();
  const sync = () => http("POST", `/api/v1/dev/chat/rooms/${room.id}/sync?include_ids=true`) as Promise<RoomSync>;

  const open = async (i: number): Promise<WebSocket> => {
    // No permessage-deflate: measure the room, not compression.
    const ws = new WebSocket(`${wsUrl}?token=${i % 2 === 0 ? citizen : staff}`, { perMessageDeflate: false });
    ledger.listen(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
      ws.once("unexpected-response", (_req, res) => reject(new Error(`socket ${i} refused: ${res.statusCode}`)));
    });
    return ws;
  };
  const connectStarted = performance.now();
  const sockets: WebSocket[] = [];
  for (let i = 0; i < SOCKETS; i += CONNECT_PARALLEL) {
    sockets.push(...(await Promise.all(Array.from({ length: Math.min(CONNECT_PARALLEL, SOCKETS - i) }, (_, k) => open(i + k)))));
  }
  console.log(`connected ${sockets.length} sockets to one room at ${BASE_URL} in ${ms(performance.now() - connectStarted)}`);

  let round = 0;
  const measure = (rate: number) => runRound(sockets, ledger, { rate, seconds: SECONDS, tag: `r${round++}` }, sync);
  let allOk = true;
  try {
    if (FIXED_RATE) {
      console.log(`one round: ${FIXED_RATE} msg/s per socket for ${SECONDS} s`);
      const r = await measure(FIXED_RATE);
      printRound(r, sockets.length);
      allOk = ok(r);
    } else {
      console.log(`sweep: ${SECONDS} s per round, target fan-out p99 < ${TARGET_P99_MS} ms`);
      const results: RoundResult[] = [];
      const run = async (rate: number) => {
        const r = await measure(rate);
        results.push(r);
        allOk &&= ok(r);
        console.log(sweepLine(r, sockets.length));
        return r;
      };
      let good: number | null = null;
      let bad: number | null = null;
      for (let rate = 0.125; rate <= FLOOD_LIMIT_PER_SOCKET; rate *= 2) {
        if (underTarget(await run(rate))) good = rate;
        else {
          bad = rate;
          break;
        }
      }
      if (good !== null && bad !== null) {
        let [low, high] = [good, bad];
        for (let step = 0; step < BISECT_STEPS; step++) {
          const mid: number = (low + high) / 2;
          if (underTarget(await run(mid))) low = mid;
          else high = mid;
        }
        [good, bad] = [low, high];
      }
      const best = results.filter((r) => r.rate === good).at(-1);
      console.log(
        best
          ? `highest offered rate with fan-out p99 < ${TARGET_P99_MS} ms: ${(best.rate * sockets.length).toFixed(0)} msg/s ` +
              `(${best.rate.toFixed(3)} per socket, ${(best.rate * sockets.length * sockets.length).toFixed(0)} deliveries/s offered), ` +
              `p50 ${ms(best.fanout.p50)}, p99 ${ms(best.fanout.p99)}${bad === null ? " (the flood limit, not the room, stopped the sweep)" : ""}`
          : `no rate met fan-out p99 < ${TARGET_P99_MS} ms (the lowest tried: ${(0.125 * sockets.length).toFixed(0)} msg/s)`,
      );
    }
  } finally {
    for (const ws of sockets) ws.close(1000, "bench done");
  }
  console.log(allOk ? "OK: every acknowledged message delivered to every socket and in Postgres exactly once" : "FAILED: see the counts above");
  process.exitCode = allOk ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
