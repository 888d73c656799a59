/** Reports: POST /dashboard/reports/generate, poll GET /dashboard/reports/{task_id}, then the signed download link. */
import { useEffect, useState } from "preact/hooks";
import { api, download, get } from "../api";
import { num } from "../i18n";
import { useAppState } from "../state";
import { Card, errorText } from "../ui";

const TYPES = ["daily", "weekly", "monthly", "quarterly", "yearly"];
const FORMATS = ["csv", "xlsx", "pdf"];

export function Reports() {
  const { t, lang } = useAppState();
  const [type, setType] = useState("monthly");
  const [format, setFormat] = useState("csv");
  const [tasks, setTasks] = useState<any[]>([]);
  const [msg, setMsg] = useState<string | null>(null);
  const pending = tasks.filter((x) => x.status === "processing").map((x) => x.task_id).join(",");
  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(async () => {
      for (const id of pending.split(",")) {
        const task = await get(`/dashboard/reports/${id}`).catch(() => null);
        if (task) setTasks((list) => list.map((x) => (x.task_id === id ? task : x)));
      }
    }, 1000);
    return () => clearInterval(timer);
  }, [pending]);
  return (
    <div>
      <h1>{t.reports}</h1>
      <Card>
        <form
          class="filters"
          onSubmit={async (e) => {
            e.preventDefault();
            setMsg(null);
            try {
              const task = await api("POST", "/dashboard/reports/generate", { report_type: type, format });
              setTasks((list) => [task, ...list]);
            } catch (err) {
              setMsg(errorText(err));
            }
          }}
        >
          <label>{t.reportType}<select name="report_type" value={type} onChange={(e) => setType(e.currentTarget.value)}>{TYPES.map((x) => <option value={x}>{x}</option>)}</select></label>
          <label>{t.format}<select name="format" value={format} onChange={(e) => setFormat(e.currentTarget.value)}>{FORMATS.map((x) => <option value={x}>{x.toUpperCase()}</option>)}</select></label>
          <button type="submit" data-testid="generate-report">{t.generate}</button>
        </form>
        {msg && <p class="error">{msg}</p>}
      </Card>
      {tasks.length > 0 && (
        <div class="table-wrap">
          <table data-testid="reports-table">
            <thead><tr><th>{t.reportType}</th><th>{t.format}</th><th>{t.from}</th><th>{t.to}</th><th>{t.rows}</th><th>{t.status}</th></tr></thead>
            <tbody>
              {tasks.map((x) => (
                <tr data-id={x.task_id} data-status={x.status}>
                  <td>{x.report_type}</td>
                  <td>{x.format.toUpperCase()}</td>
                  <td>{x.period_start}</td>
                  <td>{x.period_end}</td>
                  <td>{num(x.row_count, lang)}</td>
                  <td>
                    {x.status === "processing" && t.processing}
                    {x.status === "completed" && x.download_url && (
                      <button
                        data-testid="download-report"
                        data-url={x.download_url}
                        data-bytes={x.bytes}
                        onClick={() =>
                          download(x.download_url, `report-${x.report_type}-${x.period_start}.${x.format}`).then(
                            (bytes) => setTasks((list) => list.map((y) => (y.task_id === x.task_id ? { ...y, bytes } : y))),
                            (err) => setMsg(errorText(err)),
                          )
                        }
                      >
                        {t.download}
                      </button>
                    )}
                    {x.status === "failed" && `${t.failed}: ${x.failure_reason ?? ""}`}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
