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

/** A time series chart; `days` are YYYY-MM-DD (Dhaka days). */
export function TimeChart(props: { days: string[]; series: Series[]; bars?: boolean; testid?: string }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = host.current;
    if (!el || !props.days.length) return;
    const xs = props.days.map((d) => Date.parse(`${d}T00:00:00+06:00`) / 1000);
    const width = Math.max(260, el.clientWidth || 500);
    const opts: uPlot.Options = {
      width,
      height: 220,
      legend: { show: true },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] } },
      axes: [{}, { size: 50 }],
      series: [
        {},
        ...props.series.map((s, i) => ({
          label: s.label,
          stroke: PALETTE[i % PALETTE.length],
          fill: props.bars ? PALETTE[i % PALETTE.length] + "55" : undefined,
          width: 2,
          points: { show: true, size: 6 },
          ...(props.bars ? { paths: uPlot.paths.bars!({ size: [0.6, 40] }) } : {}),
        })),
      ],
    };
    const plot = new uPlot(opts, [xs, ...props.series.map((s) => s.values)] as uPlot.AlignedData, el);
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
