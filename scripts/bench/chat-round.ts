/**
 * One measured round of the chat bench: sockets already in one room send at a steady rate for a
 * while; the round waits for every message to be answered and delivered, then checks Postgres.
 */
import type WebSocket from "ws";

export interface RoundResult {
  rate: number;
  sent: number;
  acked: number;
  refused: number;
  unanswered: number;
  undelivered: number;
  errors: Map<string, number>;
  offeredPerSecond: number;
  deliveries: number;
  expectedDeliveries: number;
  deliveriesPerSecond: number;
  fanout: { p50: number; p99: number };
  single: { p50: number; p99: number };
  ack: { p50: number; p99: number };
  postgres: { missing: number; duplicated: number; unexpected: number; pending: number; failures: number };
  exactlyOnce: boolean;
}

interface Sent {
  at: number;
  acked?: number;
  /** The error code the room answered instead of an ack (e.g. rate_limited under overload). */
  refused?: string;
  deliveries: number;
  lastDelivery: number;
}

const DRAIN_TIMEOUT_MS = 60_000;

/**
 * The two fields the bench needs. 40k frames/s through JSON.parse would make this process the
 * bottleneck, so `message` frames (always `{"type":"message",…,"client_msg_id":"…"}`) are read by
 * position; other frames are rare and parsed in full.
 */
export function parseFrame(text: string): { type: string; client_msg_id?: string; code?: string } {
  if (text.startsWith('{"type":"message"')) {
    const at = text.lastIndexOf('"client_msg_id":"');
    if (at >= 0) return { type: "message", client_msg_id: text.slice(at + 17, text.indexOf('"', at + 17)) };
  }
  return JSON.parse(text);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99) };
};

/** What the room's sockets report back; one listener per socket for the whole bench. */
export class FrameLedger {
  private sent = new Map<string, Sent>();
  private deliveryLatencies: number[] = [];
  readonly errors = new Map<string, number>();
  deliveries = 0;
  lastDeliveryAt = 0;

  listen(ws: WebSocket): void {
    ws.on("message", (data) => {
      const now = performance.now();
      const frame = parseFrame(String(data));
      const record = frame.client_msg_id ? this.sent.get(frame.client_msg_id) : undefined;
      if (frame.type === "message" && record) {
        record.deliveries++;
        record.lastDelivery = Math.max(record.lastDelivery, now);
        this.deliveryLatencies.push(now - record.at);
        this.deliveries++;
        this.lastDeliveryAt = now;
      } else if (frame.type === "ack" && record) {
        record.acked = now;
      } else if (frame.type === "error") {
        const code = frame.code ?? "unknown";
        this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
        if (record) record.refused = code;
      }
    });
  }

  reset(): void {
    this.sent = new Map();
    this.deliveryLatencies = [];
    this.errors.clear();
    this.deliveries = 0;
    this.lastDeliveryAt = 0;
  }

  record(clientMsgId: string): void {
    this.sent.set(clientMsgId, { at: performance.now(), deliveries: 0, lastDelivery: 0 });
  }

  entries() {
    return [...this.sent.entries()];
  }

  latencies() {
    return this.deliveryLatencies;
  }
}

export interface RoomSync {
  postgres: { client_msg_ids: (string | null)[] };
  room: { pending_messages: number; sync_failures: number };
}

/**
 * Sends for `seconds` at `rate` messages/s per socket (phases spread evenly over the first
 * interval), waits for the answers, and checks Postgres with `sync` (which copies now and returns
 * every client_msg_id there). `tag` keeps this round's client_msg_ids apart from earlier rounds'.
 */
export async function runRound(
  sockets: WebSocket[],
  ledger: FrameLedger,
  options: { rate: number; seconds: number; tag: string },
  sync: () => Promise<RoomSync>,
): Promise<RoundResult> {
  ledger.reset();
  const interval = 1000 / options.rate;
  const perSocket = Math.max(1, Math.round(options.seconds * options.rate));
  const sendStarted = performance.now();
  await Promise.all(
    sockets.map(async (ws, i) => {
      const phase = (interval * i) / sockets.length;
      for (let n = 0; n < perSocket; n++) {
        const due = sendStarted + phase + n * interval;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const clientMsgId = `${options.tag}-${i}-${n}`;
        ledger.record(clientMsgId);
        ws.send(JSON.stringify({ type: "message", message: `bench ${options.tag} ${i}.${n}`, client_msg_id: clientMsgId }));
      }
    }),
  );
  const sendEnded = performance.now();

  // Drain: every message answered (ack or refusal) and every acknowledged one at every socket (bounded).
  const drainDeadline = performance.now() + DRAIN_TIMEOUT_MS;
  const complete = () => ledger.entries().every(([, s]) => s.refused !== undefined || (s.acked !== undefined && s.deliveries >= sockets.length));
  while (!complete() && performance.now() < drainDeadline) await new Promise((r) => setTimeout(r, 50));

  const all = ledger.entries();
  const acked = all.filter(([, s]) => s.acked !== undefined);
  const refused = all.filter(([, s]) => s.refused !== undefined).length;
  const fullyDelivered = acked.filter(([, s]) => s.deliveries >= sockets.length);

  const synced = await sync();
  const pgIds = synced.postgres.client_msg_ids;
  const pgSet = new Set(pgIds);
  const mine = new Set(all.map(([id]) => id));
  const missing = acked.filter(([id]) => !pgSet.has(id)).length;
  const duplicated = pgIds.length - pgSet.size;
  const unexpected = pgIds.filter((id) => id === null || !(mine.has(id) || /^r\d+-/.test(id))).length;

  const deliverySeconds = (ledger.lastDeliveryAt - sendStarted) / 1000;
  return {
    rate: options.rate,
    sent: all.length,
    acked: acked.length,
    refused,
    unanswered: all.length - acked.length - refused,
    undelivered: acked.length - fullyDelivered.length,
    errors: new Map(ledger.errors),
    offeredPerSecond: all.length / ((sendEnded - sendStarted) / 1000 || 1),
    deliveries: ledger.deliveries,
    expectedDeliveries: acked.length * sockets.length,
    deliveriesPerSecond: ledger.deliveries / (deliverySeconds || 1),
    fanout: stats(fullyDelivered.map(([, s]) => s.lastDelivery - s.at)),
    single: stats(ledger.latencies()),
    ack: stats(acked.map(([, s]) => s.acked! - s.at)),
    postgres: { missing, duplicated, unexpected, pending: synced.room.pending_messages, failures: synced.room.sync_failures },
    exactlyOnce: missing === 0 && duplicated === 0 && unexpected === 0 && synced.room.pending_messages === 0,
  };
}
