/** Complaints: the list with the API's filters, search and paging; a detail view with photos, history, assign and status moves. */
import { useEffect, useState } from "preact/hooks";
import { api, blobUrl, get, qs } from "../api";
import { num } from "../i18n";
import { label, navigate, useAppState } from "../state";
import { Card, errorText, fmtDate, Link, Status, useData } from "../ui";

/** The API's workflow (src/modules/complaints/status-machine.ts): only these moves are offered. */
export const STATUS = { submitted: "জমা দেওয়া হয়েছে", inProgress: "প্রক্রিয়াধীন", resolved: "সমাধান হয়েছে", cancelled: "বাতিল" } as const;
export const MOVES: Record<string, string[]> = {
  [STATUS.submitted]: [STATUS.inProgress, STATUS.cancelled],
  [STATUS.inProgress]: [STATUS.resolved, STATUS.cancelled],
  [STATUS.resolved]: [],
  [STATUS.cancelled]: [],
};
const PAGE_SIZE = 20;
const FILTERS = ["status", "category", "priority", "ward_number", "search", "page"] as const;

function EnumSelect(props: { kind: string; value: string; onChange: (v: string) => void; name: string }) {
  const { t, enums } = useAppState();
  return (
    <select name={props.name} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
      <option value="">{t.any}</option>
      {(enums[props.kind] ?? []).map((e) => <option value={e.value}>{label(props.kind, e.value)}</option>)}
    </select>
  );
}

export function StatusBadge({ value }: { value: string }) {
  const key = Object.entries(STATUS).find(([, v]) => v === value)?.[0] ?? "other";
  return <span class={`badge st-${key}`} data-status={value}>{label("complaint_status", value)}</span>;
}

export function Complaints() {
  const { t, lang, route } = useAppState();
  const params = new URLSearchParams(route.split("?")[1] ?? "");
  const filters = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ""])) as Record<(typeof FILTERS)[number], string>;
  const [form, setForm] = useState(filters);
  useEffect(() => setForm(filters), [route]);
  const page = Number(filters.page || 1);
  const query = qs({ ...filters, page, page_size: PAGE_SIZE });
  const { data, error, loading } = useData(() => get(`/complaints${query}`), [query]);
  const go = (f: Record<string, string>) => navigate(`/complaints${qs(f)}`);
  const pages = data ? Math.max(1, Math.ceil(data.count / PAGE_SIZE)) : 1;
  return (
    <div>
      <h1>{t.complaints}</h1>
      <form
        class="filters"
        data-testid="complaint-filters"
        onSubmit={(e) => {
          e.preventDefault();
          go({ ...form, page: "" });
        }}
      >
        <label>{t.search}<input name="search" value={form.search} onInput={(e) => setForm({ ...form, search: e.currentTarget.value })} /></label>
        <label>{t.status}<EnumSelect name="status" kind="complaint_status" value={form.status} onChange={(v) => setForm({ ...form, status: v })} /></label>
        <label>{t.category}<EnumSelect name="category" kind="complaint_category" value={form.category} onChange={(v) => setForm({ ...form, category: v })} /></label>
        <label>{t.priority}<EnumSelect name="priority" kind="complaint_priority" value={form.priority} onChange={(v) => setForm({ ...form, priority: v })} /></label>
        <label>{t.ward}<input name="ward_number" size={4} value={form.ward_number} onInput={(e) => setForm({ ...form, ward_number: e.currentTarget.value })} /></label>
        <button type="submit" data-testid="apply-filters">{t.apply}</button>
      </form>
      <Status loading={loading && !data} error={error} />
      {data && (
        <>
          <div class="table-wrap">
            <table data-testid="complaints-table">
              <thead>
                <tr><th>{t.tracking}</th><th>{t.title}</th><th>{t.category}</th><th>{t.priority}</th><th>{t.status}</th><th>{t.ward}</th><th>{t.created}</th></tr>
              </thead>
              <tbody>
                {data.results.map((c: any) => (
                  <tr data-id={c.id}>
                    <td><Link to={`/complaints/${c.id}`} testid="complaint-link">{c.tracking_number}</Link></td>
                    <td>{c.title}</td>
                    <td>{label("complaint_category", c.category)}</td>
                    <td>{label("complaint_priority", c.priority)}</td>
                    <td><StatusBadge value={c.status} /></td>
                    <td>{num(c.ward_number, lang)}</td>
                    <td>{fmtDate(c.created_at, lang)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div class="pager">
            <button disabled={page <= 1} onClick={() => go({ ...filters, page: String(page - 1) })}>{t.previous}</button>
            <span data-testid="page-info" data-count={data.count}>{t.pageOf(page, pages, data.count)}</span>
            <button disabled={!data.next} onClick={() => go({ ...filters, page: String(page + 1) })}>{t.next}</button>
          </div>
        </>
      )}
    </div>
  );
}

function Photo({ url, name }: { url: string; name: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let u: string | null = null;
    blobUrl(url).then((x) => setSrc((u = x))).catch(() => setSrc(null));
    return () => void (u && URL.revokeObjectURL(u));
  }, [url]);
  return src ? <a href={src} target="_blank"><img src={src} alt={name} class="photo" /></a> : <span class="photo placeholder">{name}</span>;
}

export function ComplaintDetail({ id }: { id: string }) {
  const { t, lang, user } = useAppState();
  const { data, error, loading, reload } = useData(() => Promise.all([get(`/complaints/${id}`), get(`/complaints/${id}/updates`)]), [id]);
  const staff = useData(async () => {
    const lists = await Promise.all(["admin", "super_admin", "service_provider"].map((ut) => get(`/users${qs({ user_type: ut, page_size: 100 })}`).catch(() => ({ results: [] }))));
    return lists.flatMap((l: any) => l.results as { id: string; name: string; user_type: string }[]);
  }, []);
  const [comment, setComment] = useState("");
  const [assignee, setAssignee] = useState("");
  const [msg, setMsg] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [c, updates] = data ?? [];
  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    setMsg(null);
    try {
      await fn();
      setComment("");
      setMsg(t.saved);
      reload();
    } catch (e) {
      setMsg(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div>
      <p><Link to="/complaints">← {t.back}</Link></p>
      <Status loading={loading && !data} error={error} />
      {c && (
        <div class="grid2">
          <Card title={`${c.tracking_number} · ${c.title}`} testid="complaint-detail">
            <dl class="facts">
              <dt>{t.status}</dt><dd data-testid="detail-status"><StatusBadge value={c.status} /></dd>
              <dt>{t.category}</dt><dd>{label("complaint_category", c.category)}</dd>
              <dt>{t.priority}</dt><dd>{label("complaint_priority", c.priority)}</dd>
              <dt>{t.ward}</dt><dd>{num(c.ward_number, lang)}</dd>
              <dt>{t.location}</dt><dd>{c.location} {c.latitude !== null && <span class="muted">({c.latitude}, {c.longitude})</span>}</dd>
              <dt>{t.reporter}</dt><dd>{c.user?.name}</dd>
              <dt>{t.assigned}</dt><dd data-testid="detail-assignee">{c.assigned_to?.name ?? t.nobody}</dd>
              <dt>{t.created}</dt><dd>{fmtDate(c.created_at, lang)}</dd>
              {c.rating !== null && (<><dt>{t.rating}</dt><dd>{"★".repeat(c.rating)} {c.feedback}</dd></>)}
            </dl>
            <h3>{t.description}</h3>
            <p class="pre">{c.description}</p>
            <h3>{t.photos}</h3>
            <div class="photos">{c.images.length ? c.images.map((i: any) => <Photo url={i.url} name={i.image_name} />) : <span class="muted">{t.noPhotos}</span>}</div>
          </Card>
          <div>
            <Card title={t.changeStatus} testid="status-card">
              {MOVES[c.status]?.length ? (
                <>
                  <label>{t.comment}<textarea name="comment" rows={2} value={comment} onInput={(e) => setComment(e.currentTarget.value)} /></label>
                  <div class="row">
                    {MOVES[c.status]!.map((to) => (
                      <button disabled={busy} data-move={to} onClick={() => act(() => api("POST", `/complaints/${id}/update_status`, { new_status: to, ...(comment.trim() ? { comment: comment.trim() } : {}) }))}>
                        {t.moveTo}: {label("complaint_status", to)}
                      </button>
                    ))}
                  </div>
                </>
              ) : (
                <p class="muted">{t.noMoves}</p>
              )}
              {user && (
                <div class="row assign">
                  <select name="assignee" value={assignee} onChange={(e) => setAssignee(e.currentTarget.value)}>
                    <option value="">{t.assigned}…</option>
                    {(staff.data ?? []).map((s) => <option value={s.id}>{s.name} ({s.user_type})</option>)}
                  </select>
                  <button disabled={busy || !assignee} data-testid="assign" onClick={() => act(() => api("POST", `/complaints/${id}/assign`, { assigned_to: assignee }))}>{t.assign}</button>
                </div>
              )}
              {msg && <p class="info" data-testid="action-message">{msg}</p>}
            </Card>
            <Card title={t.history} testid="history">
              <ol class="history">
                {(updates as any[]).map((u) => (
                  <li data-new-status={u.new_status}>
                    <span>{u.old_status ? `${label("complaint_status", u.old_status)} → ` : ""}<strong>{label("complaint_status", u.new_status)}</strong></span>
                    <span class="muted"> · {u.updated_by?.name} · {fmtDate(u.created_at, lang)}</span>
                    {u.comment && <div class="pre">{u.comment}</div>}
                  </li>
                ))}
              </ol>
            </Card>
          </div>
        </div>
      )}
    </div>
  );
}
