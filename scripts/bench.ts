/**
 * `npm run bench`: load against a running `npm run serve` or `npm run dev` (loopback only).
 *
 *   BASE_URL              default http://127.0.0.1:8787 (either server)
 *   BENCH_CONNECTIONS     connections, each with one request in flight, default 16
 *   BENCH_SECONDS         timed duration per scenario, default 5
 *   BENCH_WARMUP_SECONDS  untimed load before each scenario's timing, default 1
 *   BENCH_MAX_REQUESTS    cap per scenario (timed part), default 100000
 *   BENCH_SCENARIOS       comma-separated subset (default: all but opt-in ones); the floor always
 *                         runs (BENCH_SCENARIOS=floor: only the floor)
 *   BENCH_STATUS_MOVES    status changes the status-change scenario prepares, default 2000
 *
 * Per scenario: req/s, that as a share of the floor (GET /api/v1/meta/enums: no SQL, no auth, run
 * first in the same run on the same server), p50/p99 latency, SQL statements, database round trips
 * and database milliseconds per request (from the development-only `Server-Timing: db;dur=<ms>;
 * desc="<n> statements, <m> round trips"` header, or the older `desc="<n> queries"`), and errors.
 * Scenarios and their untimed set-up data live in scripts/bench/ (scenarios.ts, fixtures.ts).
 */
import { BASE_URL, http, must } from "./bench/http";
import { EXHAUSTED, FLOOR, SCENARIOS, type Scenario } from "./bench/scenarios";

const CONNECTIONS = positiveInt("BENCH_CONNECTIONS", 16);
const SECONDS = positiveNumber("BENCH_SECONDS", 5);
const WARMUP_SECONDS = positiveNumber("BENCH_WARMUP_SECONDS", 1, true);
const MAX_REQUESTS = positiveInt("BENCH_MAX_REQUESTS", 100_000);

interface Result {
  requests: number;
  errors: number;
  latencies: number[];
  statements: number[];
  roundTrips: number[];
  dbMs: number[];
  seconds: number;
  exhausted: boolean;
  firstError?: string;
}

/** Every connection loops one request at a time until the deadline, the cap, or EXHAUSTED. */
async function load(s: Scenario, states: unknown[], seconds: number, record: boolean): Promise<Result> {
  const r: Result = { requests: 0, errors: 0, latencies: [], statements: [], roundTrips: [], dbMs: [], seconds: 0, exhausted: false };
  const begun = performance.now();
  const deadline = begun + seconds * 1000;
  await Promise.all(
    states.map(async (state) => {
      while (performance.now() < deadline && r.requests < MAX_REQUESTS && !r.exhausted) {
        const started = performance.now();
        try {
          const reply = await s.request(state);
          if (reply === EXHAUSTED) {
            r.exhausted = true;
            break;
          }
          if (record) {
            r.latencies.push(performance.now() - started);
            if (reply.statements !== undefined) r.statements.push(reply.statements);
            if (reply.roundTrips !== undefined) r.roundTrips.push(reply.roundTrips);
            if (reply.dbMs !== undefined) r.dbMs.push(reply.dbMs);
          }
        } catch (err) {
          r.errors++;
          r.firstError ??= err instanceof Error ? err.message : String(err);
        }
        r.requests++;
      }
    }),
  );
  r.seconds = (performance.now() - begun) / 1000; // the last requests finish after the deadline
  return r;
}

async function run(s: Scenario): Promise<Result> {
  const states = await s.setup(CONNECTIONS);
  if (WARMUP_SECONDS > 0) await load(s, states, WARMUP_SECONDS, false);
  return load(s, states, SECONDS, true);
}

const average = (xs: number[], digits = 1) => (xs.length ? (xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(digits) : "-");

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function positiveNumber(name: string, fallback: number, zeroOk = false): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !zeroOk)) {
    console.error(`bench: ${name} must be a positive number (got ${raw})`);
    process.exit(2);
  }
  return value;
}

function positiveInt(name: string, fallback: number): number {
  const value = positiveNumber(name, fallback);
  if (!Number.isInteger(value)) {
    console.error(`bench: ${name} must be a whole number (got ${value})`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const wanted = process.env.BENCH_SCENARIOS?.split(",").map((n) => n.trim()).filter(Boolean);
  const unknown = wanted?.filter((n) => ![FLOOR, ...SCENARIOS].some((s) => s.name === n)) ?? [];
  if (unknown.length) {
    console.error(`bench: unknown scenario(s) ${unknown.join(", ")}; known: ${[FLOOR, ...SCENARIOS].map((s) => s.name).join(", ")}`);
    process.exit(2);
  }
  const health = await http("GET", "/health").catch((err: unknown) => {
    console.error(`bench: no server at ${BASE_URL} (${err instanceof Error ? err.message : String(err)}). Start \`npm run serve\` or \`npm run dev\`.`);
    process.exit(2);
  });
  must(health, 200, "GET /health");

  const selected = [FLOOR, ...SCENARIOS.filter((s) => (wanted ? wanted.includes(s.name) : !s.optIn))];
  console.log(`bench: ${BASE_URL}, ${CONNECTIONS} connections, ${WARMUP_SECONDS} s warm-up + ${SECONDS} s per scenario: ${selected.map((s) => s.name).join(", ")}`);
  const rows: string[][] = [["scenario", "req/s", "% of floor", "p50 ms", "p99 ms", "SQL/req", "trips/req", "db ms/req", "errors", "requests"]];
  const notes: string[] = [];
  let floor: number | undefined;
  for (const s of selected) {
    process.stdout.write(`  ${s.name}: ${s.description} … `);
    const started = performance.now();
    const r = await run(s).catch((err: unknown) => {
      notes.push(`${s.name}: set-up failed: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    });
    if (!r) {
      console.log("set-up failed");
      rows.push([s.name, "-", "-", "-", "-", "-", "-", "-", "set-up", "-"]);
      continue;
    }
    console.log(`done (${((performance.now() - started) / 1000).toFixed(1)} s with set-up)`);
    const rate = r.requests / r.seconds;
    if (s === FLOOR) floor = rate;
    const sorted = [...r.latencies].sort((a, b) => a - b);
    const share = floor ? `${((100 * rate) / floor).toFixed(rate < floor / 100 ? 2 : 1)}%` : "-";
    rows.push([s.name, rate.toFixed(1), share, percentile(sorted, 50).toFixed(1), percentile(sorted, 99).toFixed(1), average(r.statements), average(r.roundTrips), average(r.dbMs), String(r.errors), String(r.requests)]);
    if (r.firstError) notes.push(`${s.name}: ${r.errors} error(s), first: ${r.firstError}`);
    if (r.exhausted) notes.push(`${s.name}: its prepared work ran out after ${r.seconds.toFixed(1)} s (raise BENCH_STATUS_MOVES for longer runs)`);
  }

  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  console.log();
  for (const [i, row] of rows.entries()) {
    console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  "));
    if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
  if (!rows.slice(1).some((row) => row[5] !== "-")) notes.push("no Server-Timing db figures: they are sent only when ENVIRONMENT=development");
  for (const note of notes) console.log(`\n${note}`);
  process.exit(notes.some((n) => /error|failed/.test(n)) ? 1 : 0);
}

void main();
