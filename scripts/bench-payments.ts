/**
 * Payment benchmarks against a running `npm run serve` or `npm run dev` whose worker points at the bKash sandbox
 * (scripts/sandbox/bkash-sandbox.ts; see docs/payments.md).
 *
 * - `paymentScenarios(tools)`: scenarios for the registry in scripts/bench.ts:
 *     payments-process  POST /payments/process (insert, token from cache, bKash create, update, log)
 *     payments-settle   one callback per request, timed until GET /payments/{id} shows it settled:
 *                       payments settled per second with BENCH_CONNECTIONS callbacks in flight
 * - `benchCallbackBurst()`: N callbacks fired at once, timed until the queue consumer has settled
 *   them all — the settlement throughput of the queue against the sandbox.
 *
 * Run the burst alone: `npx tsx scripts/bench-payments.ts` (BASE_URL, BENCH_PAYMENTS=200,
 * BENCH_PHONE/BENCH_PASSWORD, default the seeded citizen +8801711000002).
 */
import { pathToFileURL } from "node:url";
import { http, must } from "./bench/http";

export interface BenchReply {
  status: number;
  body: any;
  statements?: number;
}

/** What scripts/bench.ts already has: its HTTP helper, status check and seeded-citizen login. */
export interface BenchTools {
  http(method: string, path: string, options?: { json?: unknown; token?: string }): Promise<BenchReply>;
  must(reply: BenchReply, status: number, what: string): BenchReply;
  login(): Promise<{ access: string }>;
}

export interface BenchScenario<State> {
  name: string;
  description: string;
  setup(worker: number): Promise<State>;
  request(state: State): Promise<BenchReply>;
}

const PAYMENTS_PER_SETTLE_WORKER = 60;

const paymentBody = (n: number) => ({ service_type: "holding_tax", amount: `${100 + (n % 900)}.00`, payment_method: "bkash" });

/** Pays at the sandbox's checkout page as the customer would; returns our callback URL it redirects to. */
async function payAtSandbox(paymentUrl: string): Promise<string> {
  const res = await fetch(`${paymentUrl}?action=success`, { redirect: "manual", signal: AbortSignal.timeout(30_000) });
  const location = res.headers.get("location");
  if (res.status !== 302 || !location) throw new Error(`sandbox checkout: ${res.status} (is the worker pointed at the bKash sandbox?)`);
  return location;
}

async function waitSettled(tools: BenchTools, token: string, paymentId: string, timeoutMs = 60_000): Promise<BenchReply> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const reply = tools.must(await tools.http("GET", `/api/v1/payments/${paymentId}`, { token }), 200, "read payment");
    if (reply.body.status !== "processing") {
      if (reply.body.status !== "completed") throw new Error(`payment ${paymentId} settled as ${reply.body.status}`);
      return reply;
    }
    if (Date.now() > deadline) throw new Error(`payment ${paymentId} not settled within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100)); // gentle: polling must not become the load being measured
  }
}

/** Starts `count` payments and pays each at the sandbox (not timed): their callbacks are ready to fire. */
async function readyToSettle(tools: BenchTools, token: string, count: number, parallel = 8): Promise<{ id: string; callback: string }[]> {
  const ready: { id: string; callback: string }[] = [];
  let n = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (n < count) {
        const i = n++;
        const started = tools.must(await tools.http("POST", "/api/v1/payments/process", { json: paymentBody(i), token }), 201, "start a payment");
        ready.push({ id: started.body.payment_id, callback: await payAtSandbox(started.body.payment_url) });
      }
    }),
  );
  return ready;
}

export function paymentScenarios(tools: BenchTools): BenchScenario<any>[] {
  return [
    {
      name: "payments-process",
      description: "POST /api/v1/payments/process (bKash create at the sandbox)",
      setup: async (worker) => ({ ...(await tools.login()), n: worker * 1_000_000 }),
      request: async (s: { access: string; n: number }) =>
        tools.must(await tools.http("POST", "/api/v1/payments/process", { json: paymentBody(s.n++), token: s.access }), 201, "start a payment"),
    },
    {
      name: "payments-settle",
      description: `callback → queue → execute → completed, timed until GET shows it (${PAYMENTS_PER_SETTLE_WORKER} prepared per worker)`,
      setup: async () => {
        const { access } = await tools.login();
        return { access, ready: await readyToSettle(tools, access, PAYMENTS_PER_SETTLE_WORKER, 4) };
      },
      request: async (s: { access: string; ready: { id: string; callback: string }[] }) => {
        const next = s.ready.pop();
        if (!next) throw new Error(`ran out of prepared payments (raise PAYMENTS_PER_SETTLE_WORKER)`);
        const callback = await fetch(next.callback, { redirect: "manual" });
        if (callback.status !== 302) throw new Error(`callback answered ${callback.status}`);
        return waitSettled(tools, s.access, next.id);
      },
    },
  ];
}

export interface BurstResult {
  payments: number;
  prepareSeconds: number;
  callbackSeconds: number;
  settleSeconds: number;
  settledPerSecond: number;
}

/**
 * Fires the callbacks of `payments` prepared payments at once (64 in flight) and waits until none of
 * them is `processing`: settled/s = payments / time from the first callback to the last settlement.
 */
export async function benchCallbackBurst(tools: BenchTools, payments = 200): Promise<BurstResult> {
  const { access } = await tools.login();
  const t0 = performance.now();
  const ready = await readyToSettle(tools, access, payments);
  const before = tools.must(await tools.http("GET", "/api/v1/payments/history?status=processing&page_size=1", { token: access }), 200, "count processing").body
    .count as number;
  const t1 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < ready.length) {
        const res = await fetch(ready[next++]!.callback, { redirect: "manual" });
        if (res.status !== 302) throw new Error(`callback answered ${res.status}`);
      }
    }),
  );
  const t2 = performance.now();
  // Every prepared payment is processing until settled: wait for the count to drop by `payments`.
  const processing = async () =>
    tools.must(await tools.http("GET", "/api/v1/payments/history?status=processing&page_size=1", { token: access }), 200, "count processing").body.count as number;
  const target = Math.max(0, before - payments);
  while ((await processing()) > target) {
    if (performance.now() - t2 > 300_000) throw new Error(`payments still processing after 5 minutes`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const t3 = performance.now();
  return {
    payments,
    prepareSeconds: (t1 - t0) / 1000,
    callbackSeconds: (t2 - t1) / 1000,
    settleSeconds: (t3 - t1) / 1000,
    settledPerSecond: payments / ((t3 - t1) / 1000),
  };
}

// ---------------------------------------------------------------------------------------------
// Standalone: the burst measurement.

function standaloneTools(phone: string, password: string): BenchTools {
  const login = async () => ({ access: must(await http("POST", "/api/v1/auth/login", { json: { phone, password } }), 200, "login").body.access_token as string });
  return { http, must, login };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const tools = standaloneTools(process.env.BENCH_PHONE ?? "+8801711000002", process.env.BENCH_PASSWORD ?? "Citizen@2026");
  const payments = Number(process.env.BENCH_PAYMENTS ?? 200);
  benchCallbackBurst(tools, payments).then(
    (r) => {
      console.log(
        `payments-burst: ${r.payments} payments prepared in ${r.prepareSeconds.toFixed(1)} s; callbacks sent in ${r.callbackSeconds.toFixed(2)} s; ` +
          `all settled ${r.settleSeconds.toFixed(2)} s after the first callback → ${r.settledPerSecond.toFixed(1)} settled/s`,
      );
    },
    (err: unknown) => {
      console.error(`bench-payments: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
