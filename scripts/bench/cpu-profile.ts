/**
 * `tsx scripts/bench/cpu-profile.ts [seconds]`: a CPU profile of the worker's isolate (its Durable
 * Objects included) under `INSPECTOR_PORT=9229 npm run serve`, summarised as self time per function.
 * Run it while a bench is loading the server to see where the worker's CPU goes.
 */
import WebSocket from "ws";

const PORT = Number(process.env.INSPECTOR_PORT ?? 9229);
const SECONDS = Number(process.argv[2] ?? 4);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const targets = (await (await fetch(`http://127.0.0.1:${PORT}/json`)).json()) as { webSocketDebuggerUrl: string; title: string }[];
const target = targets.find((t) => t.title.includes("core:user:")) ?? targets[0];
if (!target) throw new Error(`no inspector target on port ${PORT}`);
const ws = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((r) => ws.once("open", r));
let nextId = 1;
const pending = new Map<number, (v: any) => void>();
ws.on("message", (data) => {
  const msg = JSON.parse(String(data));
  if (msg.id && pending.has(msg.id)) pending.get(msg.id)!(msg.result);
});
const call = (method: string, params: object = {}) =>
  new Promise<any>((resolve) => {
    const id = nextId++;
    pending.set(id, resolve);
    ws.send(JSON.stringify({ id, method, params }));
  });

await call("Profiler.enable");
await call("Profiler.setSamplingInterval", { interval: 200 });
await call("Profiler.start");
await new Promise((r) => setTimeout(r, SECONDS * 1000));
const { profile } = (await call("Profiler.stop")) as { profile: { nodes: ProfileNode[]; samples: number[]; startTime: number; endTime: number } };
ws.close();

const byFunction = new Map<string, number>();
const hits = new Map<number, number>();
for (const s of profile.samples) hits.set(s, (hits.get(s) ?? 0) + 1);
for (const node of profile.nodes) {
  const n = hits.get(node.id) ?? 0;
  if (!n) continue;
  const f = node.callFrame;
  const key = `${f.functionName || "(anonymous)"} ${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + n);
}
const total = profile.samples.length;
const idle = [...byFunction].filter(([k]) => k.startsWith("(idle)")).reduce((a, [, n]) => a + n, 0);
console.log(`${total} samples over ${((profile.endTime - profile.startTime) / 1e6).toFixed(1)} s; busy ${(((total - idle) / total) * 100).toFixed(1)} %`);
for (const [key, n] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${((n / total) * 100).toFixed(1).padStart(5)} %  ${key}`);
