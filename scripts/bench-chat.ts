/**
 * `npm run bench:chat`: live-chat fan-out against a running `npm run dev` (loopback only).
 *
 *   BASE_URL        default http://127.0.0.1:8787
 *   BENCH_SOCKETS   sockets in the one room, default 200
 *   BENCH_RATE      messages per second each socket sends, steadily, default 1 (flood control allows 10)
 *   BENCH_SECONDS   how long they send, default 10
 *
 * One support room; the seeded citizen opens it and the sockets alternate between the citizen and
 * the seeded super_admin (staff may join any support room; a room links a citizen with staff, so
 * more people are modelled as more devices/tabs). Every socket sends at the steady rate, each with
 * its own phase; every message carries a client_msg_id. Reported:
 *   - fan-out latency p50/p99: send → the last of all sockets has it (and per single delivery);
 *   - ack latency p50/p99: send → `ack` (the message is durable in the room's storage);
 *   - messages/s sent and deliveries/s received;
 *   - the Postgres check: after the copy, Postgres holds every acknowledged message exactly once
 *     (dev-only POST /api/v1/dev/chat/rooms/{id}/sync, which also runs the copy now).
 * Exit code 1 if any message was lost, duplicated or undelivered.
 */
import WebSocket from "ws";

const BASE_URL = (process.env.BASE_URL ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
const SOCKETS = positive("BENCH_SOCKETS", 200);
const RATE = positive("BENCH_RATE", 1);
const SECONDS = positive("BENCH_SECONDS", 10);
const CONNECT_PARALLEL = 20;
const DRAIN_TIMEOUT_MS = 60_000;

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
if (RATE > 10) console.warn(`BENCH_RATE ${RATE}/s is above the per-socket flood limit (10/s): expect rate_limited errors`);

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

/**
 * The two fields the bench needs. 40k frames/s through JSON.parse would make this process the
 * bottleneck, so `message` frames (always `{"type":"message",…,"client_msg_id":"…"}`) are read by
 * position; other frames are rare and parsed in full.
 */
function parseFrame(text: string): { type: string; client_msg_id?: string; code?: string } {
  if (text.startsWith('{"type":"message"')) {
    const at = text.lastIndexOf('"client_msg_id":"');
    if (at >= 0) return { type: "message", client_msg_id: text.slice(at + 17, text.indexOf('"', at + 17)) };
  }
  return JSON.parse(text);
}

interface Sent {
  at: number;
  acked?: number;
  /** The error code the room answered instead of an ack (e.g. rate_limited under overload). */
  refused?: string;
  deliveries: number;
  lastDelivery: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const ms = (v: number) => `${v.toFixed(1)} ms`;

async function main(): Promise<void> {
  console.log(`chat bench: ${SOCKETS} sockets in one room, ${RATE} msg/s each for ${SECONDS} s against ${BASE_URL}`);
  const [citizen, staff] = [await login(CITIZEN), await login(STAFF)];
  const room = await http("POST", "/api/v1/chat/rooms", { type: "support", title: `bench ${new Date().toISOString()}` }, citizen);
  const wsUrl = `${BASE_URL.replace(/^http/, "ws")}/ws/chat/${room.id}`;

  const sent = new Map<string, Sent>();
  const deliveryLatencies: number[] = [];
  const errors = new Map<string, number>();
  let deliveries = 0;
  let lastDeliveryAt = 0;

  const open = async (i: number): Promise<WebSocket> => {
    // No permessage-deflate: measure the room, not compression.
    const ws = new WebSocket(`${wsUrl}?token=${i % 2 === 0 ? citizen : staff}`, { perMessageDeflate: false });
    ws.on("message", (data) => {
      const now = performance.now();
      const frame = parseFrame(String(data));
      const record = frame.client_msg_id ? sent.get(frame.client_msg_id) : undefined;
      if (frame.type === "message" && record) {
        record.deliveries++;
        record.lastDelivery = Math.max(record.lastDelivery, now);
        deliveryLatencies.push(now - record.at);
        deliveries++;
        lastDeliveryAt = now;
      } else if (frame.type === "ack" && record) {
        record.acked = now;
      } else if (frame.type === "error") {
        const code = frame.code ?? "unknown";
        errors.set(code, (errors.get(code) ?? 0) + 1);
        if (record) record.refused = code;
      }
    });
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
  console.log(`connected ${sockets.length} sockets in ${ms(performance.now() - connectStarted)}`);

  // Steady sending: each socket every 1/RATE s, phases spread evenly over the first interval.
  const interval = 1000 / RATE;
  const perSocket = Math.max(1, Math.round(SECONDS * RATE));
  const sendStarted = performance.now();
  await Promise.all(
    sockets.map(async (ws, i) => {
      const phase = (interval * i) / sockets.length;
      for (let n = 0; n < perSocket; n++) {
        const due = sendStarted + phase + n * interval;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const clientMsgId = `b${i}-${n}`;
        sent.set(clientMsgId, { at: performance.now(), deliveries: 0, lastDelivery: 0 });
        ws.send(JSON.stringify({ type: "message", message: `bench ${i}.${n}`, client_msg_id: clientMsgId }));
      }
    }),
  );
  const sendEnded = performance.now();

  // Drain: wait until every message is answered (ack or refusal) and every acknowledged one has
  // reached every socket (bounded).
  const drainDeadline = performance.now() + DRAIN_TIMEOUT_MS;
  const complete = () => [...sent.values()].every((s) => s.refused !== undefined || (s.acked !== undefined && s.deliveries >= sockets.length));
  while (!complete() && performance.now() < drainDeadline) await new Promise((r) => setTimeout(r, 100));
  const acked = [...sent.entries()].filter(([, s]) => s.acked !== undefined);
  const refused = [...sent.values()].filter((s) => s.refused !== undefined).length;
  const unanswered = sent.size - acked.length - refused;

  // Postgres: copy now and compare.
  const sync = await http("POST", `/api/v1/dev/chat/rooms/${room.id}/sync?include_ids=true`);
  const pgIds: (string | null)[] = sync.postgres.client_msg_ids;
  const pgSet = new Set(pgIds);
  const missingInPg = acked.filter(([id]) => !pgSet.has(id)).length;
  const duplicatesInPg = pgIds.length - pgSet.size;
  const unexpectedInPg = pgIds.filter((id) => id === null || !sent.has(id)).length;

  for (const ws of sockets) ws.close(1000, "bench done");

  const fanout = acked.filter(([, s]) => s.deliveries >= sockets.length).map(([, s]) => s.lastDelivery - s.at).sort((a, b) => a - b);
  const ackLatency = acked.map(([, s]) => s.acked! - s.at).sort((a, b) => a - b);
  deliveryLatencies.sort((a, b) => a - b);
  const undelivered = acked.filter(([, s]) => s.deliveries < sockets.length).length;
  const sendSeconds = (sendEnded - sendStarted) / 1000;
  const deliverySeconds = (lastDeliveryAt - sendStarted) / 1000;

  const rows: [string, string][] = [
    ["sockets", String(sockets.length)],
    ["messages sent / acknowledged / refused", `${sent.size} / ${acked.length} / ${refused}`],
    ["messages never answered (lost)", String(unanswered)],
    ["error frames", errors.size ? [...errors].map(([code, n]) => `${code}×${n}`).join(", ") : "none"],
    ["send rate (offered)", `${(sent.size / sendSeconds).toFixed(1)} msg/s`],
    ["deliveries (expected)", `${deliveries} (${acked.length * sockets.length})`],
    ["deliveries/s", `${(deliveries / deliverySeconds).toFixed(0)} (first send → last delivery, ${deliverySeconds.toFixed(1)} s)`],
    ["fan-out latency p50 / p99 (send → every socket)", `${ms(percentile(fanout, 50))} / ${ms(percentile(fanout, 99))}`],
    ["single delivery latency p50 / p99", `${ms(percentile(deliveryLatencies, 50))} / ${ms(percentile(deliveryLatencies, 99))}`],
    ["ack latency p50 / p99 (durable in the room)", `${ms(percentile(ackLatency, 50))} / ${ms(percentile(ackLatency, 99))}`],
    ["messages not delivered to every socket", String(undelivered)],
    ["Postgres rows / distinct client_msg_ids", `${sync.postgres.messages} / ${sync.postgres.distinct_client_msg_ids}`],
    ["acknowledged but missing in Postgres", String(missingInPg)],
    ["duplicated in Postgres", String(duplicatesInPg)],
    ["in Postgres but never sent", String(unexpectedInPg)],
    ["room log: pending copy / copy failures", `${sync.room.pending_messages} / ${sync.room.sync_failures}`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join("\n"));

  const exactlyOnce = missingInPg === 0 && duplicatesInPg === 0 && unexpectedInPg === 0 && sync.room.pending_messages === 0;
  const ok = exactlyOnce && undelivered === 0 && unanswered === 0;
  console.log(
    ok
      ? `OK: every acknowledged message delivered to every socket and in Postgres exactly once${refused ? ` (${refused} refused with an error frame: the room was overloaded)` : ""}`
      : "FAILED: see the counts above",
  );
  process.exitCode = ok ? 0 : 1;
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
