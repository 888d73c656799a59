/**
 * Charts: uPlot (canvas, ~50 KB, no dependencies) for time series; plain CSS bars for figures by
 * category, which need no axes library at all.
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { useEffect, useRef } from "preact/hooks";

export const PALETTE = ["#2f6fdb", "#e0a100", "#0a7d4f", "#c93636", "#8a5cc2", "#666"];

export interface Series {
  label: string;
  values: (number | null)[];
}

const DAY = 86_400;

/** `12-03` for the Dhaka day starting at `seconds` (the x values are Dhaka midnights). */
const dhakaDayLabel = (seconds: number) => new Date((seconds + 6 * 3600) * 1000).toISOString().slice(5, 10);

/**
 * A time series chart; `days` are YYYY-MM-DD (Dhaka days), one tick per day (or per 2, 7, 30 days
 * when they do not fit). With `bars`, the series are stacked: each bar is drawn at the running
 * total, largest first, so the one drawn over it leaves its own share visible; the legend shows
 * each series' own value, not the running total.
 */
export function TimeChart(props: { days: string[]; series: Series[]; bars?: boolean; testid?: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el || !props.days.length) return;
    const xs = props.days.map((d) => Date.parse(`${d}T00:00:00+06:00`) / 1000);
    const width = Math.max(260, el.clientWidth || 500);
    const raw = props.series.map((s) => s.values.map((v) => v ?? 0));
    // Running totals for stacking, then drawn from the top of the stack down.
    const totals = props.bars ? raw.map((_, i) => raw[0]!.map((_, x) => raw.slice(0, i + 1).reduce((sum, r) => sum + (r[x] ?? 0), 0))) : raw;
    const order = props.bars ? [...props.series.keys()].reverse() : [...props.series.keys()];
    const opts: uPlot.Options = {
      width,
      height: 220,
      legend: { show: true },
      // Ticks on Dhaka midnights whatever the browser's zone, so each bar sits on its day's tick.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), "Asia/Dhaka"),
      scales: { x: { time: true, range: (_u, min, max) => [min - DAY / 2, max + DAY / 2] }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] } },
      axes: [{ incrs: [DAY, 2 * DAY, 7 * DAY, 30 * DAY], values: (_u, splits) => splits.map(dhakaDayLabel) }, { size: 50 }],
      series: [
        { value: (_u, v) => (v == null ? "--" : dhakaDayLabel(v)) },
        ...order.map((i) => ({
          label: props.series[i]!.label,
          stroke: PALETTE[i % PALETTE.length],
          fill: props.bars ? PALETTE[i % PALETTE.length] + "cc" : undefined,
          width: props.bars ? 1 : 2,
          points: { show: !props.bars, size: 6 },
          value: (_u: uPlot, _v: number | null, _si: number, x: number | null) => (x == null ? "--" : String(raw[i]![x] ?? 0)),
          ...(props.bars ? { paths: uPlot.paths.bars!({ size: [0.6, 40] }) } : {}),
        })),
      ],
    };
    const plot = new uPlot(opts, [xs, ...order.map((i) => totals[i]!)] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(260, el.clientWidth), height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [JSON.stringify(props)]);
  return <div class="chart" ref={host} data-testid={props.testid} />;
}

/** Horizontal bars: label, value (shown as text, so it can be read and checked). */
export function Bars(props: { rows: { label: string; value: number; text?: string }[]; testid?: string }) {
  const max = Math.max(1, ...props.rows.map((r) => r.value));
  return (
    <div class="bars" data-testid={props.testid}>
      {props.rows.map((r, i) => (
        <div class="bar-row">
          <span class="bar-label">{r.label}</span>
          <span class="bar-track"><span class="bar" style={{ width: `${(100 * r.value) / max}%`, background: PALETTE[i % PALETTE.length] }} /></span>
          <span class="bar-value">{r.text ?? r.value}</span>
        </div>
      ))}
    </div>
  );
}
