/**
 * `npm run bench`: load against a running `npm run dev` (loopback only).
 *
 *   BASE_URL            default http://127.0.0.1:8787
 *   BENCH_CONCURRENCY   workers per scenario, default 8
 *   BENCH_SECONDS       duration per scenario, default 10
 *   BENCH_SCENARIOS     comma-separated subset, default all (in registry order)
 *
 * Each worker runs one request at a time, in a loop, until the time is up. Per scenario it prints
 * requests, req/s, p50/p99 latency, errors, and the average number of SQL statements per request
 * from the dev-only `Server-Timing: db;dur=<ms>;desc="<n> queries"` header.
 *
 * To add a scenario (complaints list/create, payments, …) append to SCENARIOS: `setup` runs once
 * per worker, untimed (log in, create fixtures), and `request` is the one timed request.
 */

import { paymentScenarios } from "./bench-payments";

const BASE_URL = (process.env.BASE_URL ?? "http://127.0.0.1:8787").replace(/\/+$/, "");
const CONCURRENCY = positiveInt("BENCH_CONCURRENCY", 8);
const SECONDS = positiveInt("BENCH_SECONDS", 10);
// Seeded by scripts/seed.ts. The login throttle counts an attempt *before* checking the password
// (and clears it on success), so more than 5 logins in flight for one phone get 429: the login
// scenario spreads its workers over the three seeded citizens (8 workers → at most 3 per phone).
const CITIZENS = ["+8801711000001", "+8801711000002", "+8801711000003"].map((phone) => ({ phone, password: "Citizen@2026" }));

// ---------------------------------------------------------------------------------------------
// HTTP: one helper that every scenario uses, so the runner sees every status and Server-Timing.

interface Reply {
  status: number;
  body: any;
  /** SQL statements the worker ran for this request, from Server-Timing (undefined if absent). */
  statements?: number;
}

async function http(method: string, path: string, options: { json?: unknown; form?: FormData; token?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.json !== undefined) headers["content-type"] = "application/json";
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const res = await fetch(BASE_URL + path, {
    method,
    headers,
    body: options.form ?? (options.json === undefined ? undefined : JSON.stringify(options.json)),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let body: any;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  const timing = res.headers.get("server-timing")?.match(/db;dur=[\d.]+;desc="(\d+) queries"/);
  return { status: res.status, body, statements: timing ? Number(timing[1]) : undefined };
}

/** Throws unless the status is the expected one (an error for the table, or a failed setup). */
function must(reply: Reply, status: number, what: string): Reply {
  if (reply.status !== status) throw new Error(`${what}: ${reply.status} ${JSON.stringify(reply.body).slice(0, 200)}`);
  return reply;
}

async function login(citizen = CITIZENS[0]!): Promise<{ access: string; refresh: string }> {
  const r = must(await http("POST", "/api/v1/auth/login", { json: citizen }), 200, "login as seeded citizen");
  return { access: r.body.access_token, refresh: r.body.refresh_token };
}

/** A small PNG-signed file: the API recognises images by their first bytes. */
function photo(name: string): File {
  const bytes = new Uint8Array(4096);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new File([bytes], name, { type: "image/png" });
}

const complaintJson = (n: number) => ({
  title: `Bench complaint ${n}`,
  description: "Garbage has not been collected this week.",
  category: "waste_management",
  location: "Dhanmondi, Dhaka",
  latitude: 23.74 + (n % 100) / 10_000,
  longitude: 90.37 + (n % 100) / 10_000,
});

/**
 * Makes sure the bench citizen has at least 20 complaints with two photos each, so the list
 * scenario reads full pages with photos and people (created once; later runs reuse them).
 */
async function ensureComplaintsWithPhotos(token: string): Promise<void> {
  const existing = must(await http("GET", "/api/v1/complaints?search=Bench%20photos&page_size=1", { token }), 200, "count bench complaints");
  for (let n = existing.body.count; n < 20; n++) {
    const form = new FormData();
    for (const [key, value] of Object.entries({ ...complaintJson(n), title: `Bench photos ${n}` })) form.append(key, String(value));
    form.append("images", photo("a.png"));
    form.append("images", photo("b.png"));
    must(await http("POST", "/api/v1/complaints", { form, token }), 201, "create a complaint with photos");
  }
}

// ---------------------------------------------------------------------------------------------
// The registry.

interface Scenario<State> {
  name: string;
  description: string;
  /** Once per worker (0-based index), not timed. Workers are set up one after another. */
  setup(worker: number): Promise<State>;
  /** The timed request. Must return the reply of exactly one HTTP call; throw (via must) on a wrong status. */
  request(state: State): Promise<Reply>;
}

/** Keeps each scenario's State type checked while the registry holds them side by side. */
const scenario = <S>(s: Scenario<S>): Scenario<unknown> => s as Scenario<unknown>;

const SCENARIOS: Scenario<unknown>[] = [
  scenario({
    name: "login",
    description: "POST /api/v1/auth/login (PBKDF2 100k + token pair)",
    setup: async (worker) => CITIZENS[worker % CITIZENS.length]!,
    request: async (citizen) => must(await http("POST", "/api/v1/auth/login", { json: citizen }), 200, "login"),
  }),
  scenario({
    name: "me",
    description: "GET /api/v1/auth/me with a Bearer token",
    setup: () => login(),
    request: async (s) => must(await http("GET", "/api/v1/auth/me", { token: s.access }), 200, "me"),
  }),
  scenario({
    name: "refresh",
    description: "POST /api/v1/auth/refresh; each worker follows its own rotation chain",
    setup: () => login(),
    request: async (s) => {
      // Rotation: only the newest refresh token of a chain is valid (reusing an old one kills the family).
      const r = must(await http("POST", "/api/v1/auth/refresh", { json: { refresh: s.refresh } }), 200, "refresh");
      s.refresh = r.body.refresh;
      return r;
    },
  }),
  scenario({
    name: "complaints-list",
    description: "GET /api/v1/complaints?page_size=20 (a full page, each with 2 photos, owner and assignee)",
    setup: async (worker) => {
      const session = await login(CITIZENS[1]!);
      if (worker === 0) await ensureComplaintsWithPhotos(session.access);
      return session;
    },
    request: async (s) => must(await http("GET", "/api/v1/complaints?page_size=20", { token: s.access }), 200, "list complaints"),
  }),
  scenario({
    name: "complaints-create",
    description: "POST /api/v1/complaints (JSON; tracking number, history, duplicate search)",
    setup: async (worker) => ({ ...(await login(CITIZENS[2]!)), n: worker * 1_000_000 }),
    request: async (s) => must(await http("POST", "/api/v1/complaints", { json: complaintJson(s.n++), token: s.access }), 201, "create complaint"),
  }),
  // Needs the worker pointed at the bKash sandbox (docs/payments.md).
  ...paymentScenarios({ http, must, login: () => login() }).map(scenario),
];

// ---------------------------------------------------------------------------------------------
// The runner.

interface Result {
  name: string;
  requests: number;
  errors: number;
  latencies: number[];
  statements: number[];
  seconds: number;
  firstError?: string;
}

async function runScenario(s: Scenario<unknown>): Promise<Result> {
  const result: Result = { name: s.name, requests: 0, errors: 0, latencies: [], statements: [], seconds: 0 };
  const states: unknown[] = [];
  for (let worker = 0; worker < CONCURRENCY; worker++) states.push(await s.setup(worker)); // sequential: see CITIZENS
  const begun = performance.now();
  const deadline = begun + SECONDS * 1000;
  await Promise.all(
    states.map(async (state) => {
      while (performance.now() < deadline) {
        const started = performance.now();
        try {
          const reply = await s.request(state);
          result.latencies.push(performance.now() - started);
          if (reply.statements !== undefined) result.statements.push(reply.statements);
        } catch (err) {
          result.errors++;
          result.firstError ??= err instanceof Error ? err.message : String(err);
        }
        result.requests++;
      }
    }),
  );
  result.seconds = (performance.now() - begun) / 1000; // the last requests finish after the deadline
  return result;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`bench: ${name} must be a positive integer (got ${raw})`);
    process.exit(2);
  }
  return value;
}

function assertLoopback(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "[::1]", "::1"].includes(host)) {
    console.error(`bench: BASE_URL must be a loopback address (got ${host}); this tool only loads a local dev server.`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  assertLoopback(BASE_URL);
  const wanted = process.env.BENCH_SCENARIOS?.split(",").map((n) => n.trim()).filter(Boolean);
  const unknown = wanted?.filter((n) => !SCENARIOS.some((s) => s.name === n)) ?? [];
  if (unknown.length) {
    console.error(`bench: unknown scenario(s) ${unknown.join(", ")}; known: ${SCENARIOS.map((s) => s.name).join(", ")}`);
    process.exit(2);
  }
  const health = await http("GET", "/health").catch((err: unknown) => {
    console.error(`bench: no dev server at ${BASE_URL} (${err instanceof Error ? err.message : String(err)}). Start it with \`npm run dev\`.`);
    process.exit(2);
  });
  must(health, 200, "GET /health");

  const selected = SCENARIOS.filter((s) => !wanted || wanted.includes(s.name));
  console.log(`bench: ${BASE_URL}, ${CONCURRENCY} concurrent, ${SECONDS} s per scenario: ${selected.map((s) => s.name).join(", ")}`);
  const rows: string[][] = [["scenario", "requests", "req/s", "p50 ms", "p99 ms", "errors", "SQL/req"]];
  const errors: string[] = [];
  for (const s of selected) {
    process.stdout.write(`  ${s.name}: ${s.description} … `);
    const r = await runScenario(s).catch((err: unknown) => {
      errors.push(`${s.name}: setup failed: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    });
    if (!r) {
      console.log("setup failed");
      rows.push([s.name, "-", "-", "-", "-", "setup", "-"]);
      continue;
    }
    console.log("done");
    const sorted = [...r.latencies].sort((a, b) => a - b);
    const sql = r.statements.length ? (r.statements.reduce((a, b) => a + b, 0) / r.statements.length).toFixed(1) : "-";
    rows.push([s.name, String(r.requests), (r.requests / r.seconds).toFixed(1), percentile(sorted, 50).toFixed(1), percentile(sorted, 99).toFixed(1), String(r.errors), sql]);
    if (r.firstError) errors.push(`${s.name}: ${r.errors} error(s), first: ${r.firstError}`);
  }

  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  console.log();
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  "));
    if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
  for (const e of errors) console.log(`\n${e}`);
  process.exit(errors.length ? 1 : 0);
}

void main();
