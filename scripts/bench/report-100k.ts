/**
 * `npm run bench:report`: runs test/bench/report-100k.bench.ts (vitest, inside workerd, against the
 * suite's throwaway Postgres) and, between its BENCH start/end markers, samples the workerd
 * processes this run started (descendants of the vitest process, from /proc): peak resident memory
 * and CPU seconds used during each build.
 */
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

const child = spawn("npx", ["vitest", "run", "--project", "bench-report"], { env: { ...process.env, BENCH_REPORT: "1" }, stdio: ["ignore", "pipe", "inherit"] });
const TICK = 100; // USER_HZ: /proc CPU times are in 1/100 s on Linux

function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      parents.set(Number(name), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [p, parent] of parents) if (parent === pid) (found.push(p), walk(p));
  };
  walk(root);
  return found;
}

function workerd(): { rssKb: number; cpuTicks: number } {
  let rssKb = 0;
  let cpuTicks = 0;
  for (const pid of descendants(child.pid!)) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() !== "workerd") continue;
      rssKb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8").slice(readFileSync(`/proc/${pid}/stat`, "utf8").lastIndexOf(")") + 2).split(" ");
      cpuTicks += Number(stat[11]) + Number(stat[12]); // utime + stime
    } catch {
      // gone
    }
  }
  return { rssKb, cpuTicks };
}

let current: { format: string; startRss: number; peakRss: number; startCpu: number } | null = null;
const sampler = setInterval(() => {
  if (current) current.peakRss = Math.max(current.peakRss, workerd().rssKb);
}, 50);

let buffer = "";
child.stdout.on("data", (data: Buffer) => {
  process.stdout.write(data);
  buffer += data.toString();
  let newline: number;
  while ((newline = buffer.indexOf("\n")) >= 0) {
    const line = buffer.slice(0, newline);
    buffer = buffer.slice(newline + 1);
    const start = /BENCH start (\w+)/.exec(line);
    const end = /BENCH end (\w+) (\{.*\})/.exec(line);
    if (start) {
      const now = workerd();
      current = { format: start[1]!, startRss: now.rssKb, peakRss: now.rssKb, startCpu: now.cpuTicks };
    } else if (end && current) {
      const now = workerd();
      const figures = JSON.parse(end[2]!);
      console.log(
        `\n>>> ${current.format}: ${figures.rows} rows in ${(figures.ms / 1000).toFixed(2)} s, ${(figures.bytes / 1e6).toFixed(2)} MB file, ` +
          `at most ${(figures.peak_buffered_bytes / 1e6).toFixed(2)} MB of it buffered; workerd CPU ${((now.cpuTicks - current.startCpu) / TICK).toFixed(2)} s, ` +
          `RSS ${Math.round(current.startRss / 1024)} → peak ${Math.round(current.peakRss / 1024)} MB (+${Math.round((current.peakRss - current.startRss) / 1024)} MB)\n`,
      );
      current = null;
    }
  }
});
child.on("exit", (code) => {
  clearInterval(sampler);
  process.exit(code ?? 1);
});
