/** Quiet hours are Dhaka wall-clock times (UTC+06:00, no DST); a window may wrap past midnight. */
const DAY_S = 24 * 3600;

const secondsOf = (time: string) => {
  const [h = "0", m = "0", s = "0"] = time.split(":");
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
};

/** Seconds until the quiet window ends if `now` is inside it, else 0. */
export function quietSecondsLeft(start: string | null, end: string | null, now: Date = new Date()): number {
  if (!start || !end) return 0;
  const t = (Math.floor(now.getTime() / 1000) + 6 * 3600) % DAY_S;
  const a = secondsOf(start);
  const b = secondsOf(end);
  if (a === b) return 0;
  const inside = a < b ? t >= a && t < b : t >= a || t < b;
  if (!inside) return 0;
  return (b - t + DAY_S) % DAY_S;
}
