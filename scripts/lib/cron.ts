/**
 * A minimal cron matcher for `npm run serve` (Miniflare does not fire `[triggers] crons` by itself):
 * five fields (minute hour day-of-month month day-of-week, UTC like Cloudflare), each `*`, a number,
 * a range `a-b`, a step `*\/n` or `a-b/n`, or a comma list of those; month and weekday names
 * (JAN…DEC, SUN…SAT). Cloudflare's extensions (L, W, #) are refused rather than guessed.
 */
const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"] },
  { name: "day of week", min: 0, max: 7, names: ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] },
] as const;

export type CronMatcher = (at: Date) => boolean;

export function parseCron(expression: string): CronMatcher {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron "${expression}": expected 5 fields, got ${parts.length}`);
  const sets = parts.map((part, i) => {
    const field = FIELDS[i]!;
    const names: readonly string[] = "names" in field ? field.names : [];
    const value = (s: string) => {
      const named = names.indexOf(s.toUpperCase());
      const n = named >= 0 ? named + (field.min === 1 ? 1 : 0) : /^\d+$/.test(s) ? Number(s) : NaN;
      if (!(n >= field.min && n <= field.max)) throw new Error(`cron "${expression}": bad ${field.name} "${s}"`);
      return n;
    };
    const set = new Set<number>();
    for (const item of part.split(",")) {
      const [range = "", stepText] = item.split("/");
      const step = stepText === undefined ? 1 : Number(stepText);
      if (!Number.isInteger(step) || step < 1) throw new Error(`cron "${expression}": bad step in "${item}"`);
      const [from, to] = range === "*" ? [field.min, field.max] : range.includes("-") ? range.split("-").map(value) : [value(range), stepText ? field.max : value(range)];
      for (let n = from!; n <= to!; n += step) set.add(field.name === "day of week" && n === 7 ? 0 : n);
    }
    return { set, any: part === "*" };
  });
  const [minute, hour, dom, month, dow] = sets as [(typeof sets)[0], (typeof sets)[0], (typeof sets)[0], (typeof sets)[0], (typeof sets)[0]];
  return (at) => {
    // Classic cron: when both day fields are restricted, either may match.
    const dayOk =
      dom.any || dow.any ? dom.set.has(at.getUTCDate()) && dow.set.has(at.getUTCDay()) : dom.set.has(at.getUTCDate()) || dow.set.has(at.getUTCDay());
    return minute.set.has(at.getUTCMinutes()) && hour.set.has(at.getUTCHours()) && month.set.has(at.getUTCMonth() + 1) && dayOk;
  };
}
