/**
 * Emergencies, live from the desk socket GET /ws/emergency (token in the `bearer, <token>`
 * subprotocol, so it stays out of URLs and logs): the snapshot of open emergencies, then
 * created/updated events; reconnects with `?since=` so nothing is missed. Responding goes through
 * POST /emergency/{id}/respond.
 */
import { useEffect, useState } from "preact/hooks";
import { api, currentToken, refresh } from "../api";
import { label, useAppState } from "../state";
import { Card, errorText, fmtDate } from "../ui";

const NEXT: Record<string, string> = { "জমা দেওয়া হয়েছে": "প্রক্রিয়াধীন", "প্রক্রিয়াধীন": "সমাধান হয়েছে" };

export function Emergencies() {
  const { t, lang } = useAppState();
  const [items, setItems] = useState<Record<string, any>>({});
  const [conn, setConn] = useState<"connecting" | "live" | "down">("connecting");
  const [msg, setMsg] = useState<string | null>(null);
  useEffect(() => {
    let ws: WebSocket | null = null;
    let stopped = false;
    let since: string | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const open = async () => {
      if (stopped) return;
      if (!currentToken()) await refresh();
      const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/emergency${since ? `?since=${encodeURIComponent(since)}` : ""}`;
      ws = new WebSocket(url, ["bearer", currentToken() ?? ""]);
      setConn("connecting");
      ws.onopen = () => setConn("live");
      ws.onmessage = (ev) => {
        const frame = JSON.parse(String(ev.data));
        const seen = (e: any) => (since = !since || e.updated_at > since ? e.updated_at : since);
        if (frame.type === "emergency.snapshot") {
          setItems((old) => ({ ...(since ? old : {}), ...Object.fromEntries(frame.emergencies.map((e: any) => (seen(e), [e.id, e]))) }));
        } else if (frame.type === "emergency.created" || frame.type === "emergency.updated") {
          seen(frame.emergency);
          setItems((old) => ({ ...old, [frame.emergency.id]: frame.emergency }));
        }
      };
      ws.onclose = (ev) => {
        setConn("down");
        if (stopped) return;
        // 4001: the token expired; refresh first.
        const wait = ev.code === 4001 ? refresh().then(() => undefined) : Promise.resolve();
        void wait.then(() => (timer = setTimeout(open, 2000)));
      };
    };
    void open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      ws?.close();
    };
  }, []);
  const list = Object.values(items)
    .filter((e) => e.status !== "সমাধান হয়েছে")
    .sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
  return (
    <div>
      <h1>{t.emergencies} <span class={`live ${conn}`} data-testid="desk-state" data-state={conn}>{conn === "live" ? `● ${t.live}` : conn === "connecting" ? t.connecting : t.disconnected}</span></h1>
      {msg && <p class="error">{msg}</p>}
      <Card>
        {list.length === 0 ? (
          <p class="muted">{t.noEmergencies}</p>
        ) : (
          <div class="table-wrap">
            <table data-testid="emergencies-table">
              <thead><tr><th>{t.type}</th><th>{t.description}</th><th>{t.location}</th><th>{t.status}</th><th>{t.created}</th><th /></tr></thead>
              <tbody>
                {list.map((e) => (
                  <tr data-id={e.id}>
                    <td>{label("emergency_type", e.emergency_type)}</td>
                    <td>{e.description}</td>
                    <td>{e.location}</td>
                    <td>{label("emergency_status", e.status)}</td>
                    <td>{fmtDate(e.created_at, lang)}</td>
                    <td>
                      {NEXT[e.status] && (
                        <button onClick={() => api("POST", `/emergency/${e.id}/respond`, { status: NEXT[e.status] }).then(() => setMsg(null), (err) => setMsg(errorText(err)))}>
                          {t.respond}: {label("emergency_status", NEXT[e.status])}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
    </div>
  );
}
