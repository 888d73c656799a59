/** Notices: every notice (`?include=all`: drafts and scheduled too), create, edit, publish/unpublish. */
import { useState } from "preact/hooks";
import { api, get } from "../api";
import { label, useAppState } from "../state";
import { Card, errorText, fmtDate, Status, useData } from "../ui";

interface Draft {
  id?: string;
  title: string;
  content: string;
  category: string;
  priority: string;
  is_urgent: boolean;
  target_wards: string;
  is_active: boolean;
}
const EMPTY: Draft = { title: "", content: "", category: "general", priority: "normal", is_urgent: false, target_wards: "", is_active: false };

export function Notices() {
  const { t, lang, enums } = useAppState();
  const { data, error, loading, reload } = useData(() => get("/notices?include=all&page_size=100"), []);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const save = async (d: Draft) => {
    const body = {
      title: d.title,
      content: d.content,
      category: d.category,
      priority: d.priority,
      is_urgent: d.is_urgent,
      target_wards: d.target_wards.split(",").map((w) => w.trim()).filter(Boolean),
      is_active: d.is_active,
    };
    try {
      await (d.id ? api("PATCH", `/notices/${d.id}`, body) : api("POST", "/notices", body));
      setDraft(null);
      setMsg(t.saved);
      reload();
    } catch (e) {
      setMsg(errorText(e));
    }
  };
  const toggle = async (n: any) => {
    try {
      await api("PATCH", `/notices/${n.id}`, { is_active: !n.is_active });
      reload();
    } catch (e) {
      setMsg(errorText(e));
    }
  };
  return (
    <div>
      <h1>{t.notices} <button data-testid="new-notice" onClick={() => setDraft({ ...EMPTY })}>+ {t.newNotice}</button></h1>
      {msg && <p class="info">{msg}</p>}
      {draft && (
        <Card title={draft.id ? t.edit : t.newNotice} testid="notice-form">
          <form
            class="stack"
            onSubmit={(e) => {
              e.preventDefault();
              void save(draft);
            }}
          >
            <label>{t.title}<input name="title" required maxLength={200} value={draft.title} onInput={(e) => setDraft({ ...draft, title: e.currentTarget.value })} /></label>
            <label>{t.content}<textarea name="content" required rows={4} value={draft.content} onInput={(e) => setDraft({ ...draft, content: e.currentTarget.value })} /></label>
            <div class="row">
              <label>{t.category}<select value={draft.category} onChange={(e) => setDraft({ ...draft, category: e.currentTarget.value })}>{(enums.notice_category ?? []).map((c) => <option value={c.value}>{c[lang]}</option>)}</select></label>
              <label>{t.priority}<select value={draft.priority} onChange={(e) => setDraft({ ...draft, priority: e.currentTarget.value })}>{(enums.notice_priority ?? []).map((c) => <option value={c.value}>{c[lang]}</option>)}</select></label>
              <label class="check"><input type="checkbox" checked={draft.is_urgent} onChange={(e) => setDraft({ ...draft, is_urgent: e.currentTarget.checked })} />{t.urgent}</label>
              <label class="check"><input type="checkbox" name="is_active" checked={draft.is_active} onChange={(e) => setDraft({ ...draft, is_active: e.currentTarget.checked })} />{t.published}</label>
            </div>
            <label>{t.targetWards}<input value={draft.target_wards} onInput={(e) => setDraft({ ...draft, target_wards: e.currentTarget.value })} /></label>
            <div class="row"><button type="submit" data-testid="save-notice">{t.save}</button><button type="button" class="ghost" onClick={() => setDraft(null)}>{t.cancel}</button></div>
          </form>
        </Card>
      )}
      <Status loading={loading && !data} error={error} />
      {data && (
        <div class="table-wrap">
          <table data-testid="notices-table">
            <thead><tr><th>{t.title}</th><th>{t.category}</th><th>{t.priority}</th><th>{t.status}</th><th>{t.created}</th><th>{t.views}</th><th /></tr></thead>
            <tbody>
              {data.results.map((n: any) => (
                <tr data-id={n.id}>
                  <td>{n.is_urgent && <span class="badge st-cancelled">{t.urgent}</span>} {n.title}</td>
                  <td>{label("notice_category", n.category)}</td>
                  <td>{label("notice_priority", n.priority)}</td>
                  <td>{n.is_active ? t.published : t.draft}</td>
                  <td>{fmtDate(n.published_at, lang)}</td>
                  <td>{n.view_count}</td>
                  <td class="row">
                    <button class="ghost" onClick={() => setDraft({ id: n.id, title: n.title, content: n.content, category: n.category, priority: n.priority, is_urgent: n.is_urgent, target_wards: n.target_wards.join(", "), is_active: n.is_active })}>{t.edit}</button>
                    <button onClick={() => toggle(n)}>{n.is_active ? t.unpublish : t.publish}</button>
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
