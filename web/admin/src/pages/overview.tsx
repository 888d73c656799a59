/** Overview: the headline KPIs (/dashboard/kpi) and charts from the other dashboard endpoints. */
import { useState } from "preact/hooks";
import { get, qs } from "../api";
import { Bars, TimeChart } from "../charts";
import { num } from "../i18n";
import { label, useAppState } from "../state";
import { Card, Status, useData } from "../ui";

function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); d <= new Date(`${to}T00:00:00Z`) && out.length < 400; d.setUTCDate(d.getUTCDate() + 1)) out.push(d.toISOString().slice(0, 10));
  return out;
}

export function Overview() {
  const { t, lang } = useAppState();
  const [range, setRange] = useState({ from: "", to: "", ward_number: "" });
  const [form, setForm] = useState(range);
  const query = qs(range);
  const { data, error, loading } = useData(
    () =>
      Promise.all([
        get(`/dashboard/kpi${query}`),
        get(`/dashboard/complaints-stats${query}`),
        get(`/dashboard/service-time${query}`),
        get(`/dashboard/satisfaction${query}`),
        get(`/dashboard/financial${query}`),
      ]),
    [query],
  );
  const [kpi, stats, service, satisfaction, financial] = data ?? [];
  const days = kpi ? daysBetween(kpi.range.from, kpi.range.to) : [];
  const statuses = stats ? Object.keys(stats.by_status) : [];
  const perDay = (stats?.series ?? []) as { period: string; by_status: Record<string, number> }[];
  const revenue = (financial?.series ?? []) as { period: string; amount: string }[];
  const card = (key: string, title: string, value: string) => (
    <div class="kpi" data-kpi={key}>
      <span class="kpi-title">{title}</span>
      <span class="kpi-value" data-testid={`kpi-${key}`}>{value}</span>
    </div>
  );
  return (
    <div>
      <h1>{t.overview}</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setRange(form);
        }}
      >
        <label>{t.from}<input type="date" value={form.from} onInput={(e) => setForm({ ...form, from: e.currentTarget.value })} /></label>
        <label>{t.to}<input type="date" value={form.to} onInput={(e) => setForm({ ...form, to: e.currentTarget.value })} /></label>
        <label>{t.ward}<input inputMode="numeric" size={4} value={form.ward_number} placeholder={t.allWards} onInput={(e) => setForm({ ...form, ward_number: e.currentTarget.value })} /></label>
        <button type="submit">{t.apply}</button>
      </form>
      <Status loading={loading && !data} error={error} />
      {kpi && (
        <>
          <p class="muted" data-testid="range">{num(kpi.range.from, lang)} — {num(kpi.range.to, lang)}</p>
          <div class="kpis" data-testid="kpis">
            {card("complaints.total", t.kpiTotal, num(kpi.complaints.total, lang))}
            {card("complaints.open", t.kpiOpen, num(kpi.complaints.open, lang))}
            {card("complaints.resolved", t.kpiResolved, num(kpi.complaints.resolved, lang))}
            {card("complaints.resolution_rate", t.kpiResolutionRate, kpi.complaints.resolution_rate === null ? "—" : `${num(Math.round(kpi.complaints.resolution_rate * 1000) / 10, lang)}%`)}
            {card("response_hours.median", t.kpiResponseMedian, num(kpi.response_hours.median, lang, 1))}
            {card("resolution_hours.median", t.kpiResolutionMedian, num(kpi.resolution_hours.median, lang, 1))}
            {card("satisfaction.average", t.kpiSatisfaction, num(kpi.satisfaction.average, lang, 2))}
            {card("revenue.completed_amount", t.kpiRevenue, num(kpi.revenue.completed_amount, lang))}
            {card("new_citizens", t.kpiNewCitizens, num(kpi.new_citizens, lang))}
          </div>
          <div class="grid2">
            <Card title={t.chartPerDay} testid="chart-per-day">
              {perDay.length ? (
                <TimeChart
                  bars
                  days={days}
                  series={statuses.map((st) => ({ label: label("complaint_status", st), values: days.map((d) => perDay.find((p) => p.period.slice(0, 10) === d)?.by_status[st] ?? 0) }))}
                />
              ) : (
                <p class="muted">{t.noData}</p>
              )}
            </Card>
            <Card title={t.chartResolution} testid="chart-resolution">
              {Object.keys(service.by_category).length ? (
                <Bars rows={Object.entries(service.by_category as Record<string, { resolution_median_hours: number | null }>).map(([c, f]) => ({ label: label("complaint_category", c), value: f.resolution_median_hours ?? 0, text: num(f.resolution_median_hours, lang, 1) }))} />
              ) : (
                <p class="muted">{t.noData}</p>
              )}
            </Card>
            <Card title={t.chartSatisfaction} testid="chart-satisfaction">
              <Bars rows={["5", "4", "3", "2", "1"].map((r) => ({ label: "★".repeat(Number(r)), value: satisfaction.distribution[r] ?? 0, text: num(satisfaction.distribution[r] ?? 0, lang) }))} />
            </Card>
            <Card title={t.chartRevenue} testid="chart-revenue">
              {revenue.length ? (
                <TimeChart days={days} series={[{ label: "BDT", values: days.map((d) => Number(revenue.find((p) => p.period.slice(0, 10) === d)?.amount ?? 0)) }]} />
              ) : (
                <p class="muted">{t.noData}</p>
              )}
            </Card>
          </div>
        </>
      )}
    </div>
  );
}
