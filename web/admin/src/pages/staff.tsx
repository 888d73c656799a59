/** Staff accounts and their ward-scoped permissions (super admin): /admin-users. */
import { useState } from "preact/hooks";
import { api, get } from "../api";
import { useAppState } from "../state";
import { Card, errorText, Status, useData } from "../ui";

const MODULES = ["complaints", "emergency", "notices", "calendar", "waste", "gallery", "payments", "chat", "users", "reports"];
type Perm = { permission_type: string; ward_numbers: string[]; can_create: boolean; can_read: boolean; can_update: boolean; can_delete: boolean };
const FLAGS = ["can_create", "can_read", "can_update", "can_delete"] as const;

function PermissionEditor({ user, onDone }: { user: any; onDone: (msg: string) => void }) {
  const { t } = useAppState();
  const initial: Record<string, Perm> = Object.fromEntries(
    MODULES.map((m) => [m, user.permissions.find((p: Perm) => p.permission_type === m) ?? { permission_type: m, ward_numbers: [], can_create: false, can_read: false, can_update: false, can_delete: false }]),
  );
  const [perms, setPerms] = useState(initial);
  const [wards, setWards] = useState<Record<string, string>>(Object.fromEntries(MODULES.map((m) => [m, initial[m]!.ward_numbers.join(", ")])));
  const set = (m: string, patch: Partial<Perm>) => setPerms({ ...perms, [m]: { ...perms[m]!, ...patch } });
  const save = async () => {
    const list = MODULES.map((m) => ({ ...perms[m]!, ward_numbers: wards[m]!.split(",").map((w) => w.trim()).filter(Boolean) })).filter((p) => FLAGS.some((f) => p[f]));
    try {
      await api("PUT", `/admin-users/${user.id}/permissions`, list);
      onDone(t.saved);
    } catch (e) {
      onDone(errorText(e));
    }
  };
  return (
    <Card title={`${t.permissions}: ${user.name}`} testid="permissions">
      <div class="table-wrap">
        <table>
          <thead><tr><th /><th>{t.create}</th><th>{t.read}</th><th>{t.update}</th><th>{t.del}</th><th>{t.wardsEmptyAll}</th></tr></thead>
          <tbody>
            {MODULES.map((m) => (
              <tr>
                <td>{m}</td>
                {FLAGS.map((f) => <td><input type="checkbox" aria-label={`${m} ${f}`} checked={perms[m]![f]} onChange={(e) => set(m, { [f]: e.currentTarget.checked })} /></td>)}
                <td><input size={10} value={wards[m]} onInput={(e) => setWards({ ...wards, [m]: e.currentTarget.value })} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button onClick={save}>{t.save}</button>
    </Card>
  );
}

export function Staff() {
  const { t, user } = useAppState();
  const isSuper = user?.user_type === "super_admin";
  const { data, error, loading, reload } = useData(() => (isSuper ? get("/admin-users?page_size=100") : Promise.resolve({ results: [] })), [isSuper]);
  const [editing, setEditing] = useState<any | null>(null);
  const [form, setForm] = useState({ phone: "", name: "", user_type: "admin", password: "", ward_number: "" });
  const [msg, setMsg] = useState<string | null>(null);
  if (!isSuper) return <p class="muted">{t.superOnly}</p>;
  return (
    <div>
      <h1>{t.adminUsers}</h1>
      {msg && <p class="info">{msg}</p>}
      <Status loading={loading && !data} error={error} />
      {data && (
        <div class="table-wrap">
          <table data-testid="staff-table">
            <thead><tr><th>{t.name}</th><th>{t.phone}</th><th>{t.userType}</th><th>{t.ward}</th><th>{t.status}</th><th /></tr></thead>
            <tbody>
              {data.results.map((u: any) => (
                <tr data-id={u.id}>
                  <td>{u.name}</td>
                  <td>{u.phone}</td>
                  <td>{u.user_type}</td>
                  <td>{u.ward_number ?? "—"}</td>
                  <td>{u.is_active ? t.active : t.inactive}</td>
                  <td class="row">
                    <button class="ghost" onClick={() => setEditing(u)}>{t.permissions}</button>
                    <button
                      class="ghost"
                      onClick={() => api("PATCH", `/admin-users/${u.id}`, { is_active: !u.is_active }).then(reload, (e) => setMsg(errorText(e)))}
                    >
                      {u.is_active ? t.deactivate : t.activate}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {editing && <PermissionEditor key={editing.id} user={editing} onDone={(m) => (setMsg(m), setEditing(null), reload())} />}
      <Card title={t.newStaff}>
        <form
          class="filters"
          onSubmit={async (e) => {
            e.preventDefault();
            try {
              await api("POST", "/admin-users", { phone: form.phone, name: form.name, user_type: form.user_type, ...(form.password ? { password: form.password } : {}), ...(form.ward_number ? { ward_number: form.ward_number } : {}) });
              setMsg(t.saved);
              setForm({ phone: "", name: "", user_type: "admin", password: "", ward_number: "" });
              reload();
            } catch (err) {
              setMsg(errorText(err));
            }
          }}
        >
          <label>{t.name}<input required value={form.name} onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} /></label>
          <label>{t.phone}<input required type="tel" value={form.phone} onInput={(e) => setForm({ ...form, phone: e.currentTarget.value })} /></label>
          <label>{t.userType}<select value={form.user_type} onChange={(e) => setForm({ ...form, user_type: e.currentTarget.value })}><option value="admin">admin</option><option value="service_provider">service_provider</option></select></label>
          <label>{t.password}<input type="password" minLength={8} value={form.password} onInput={(e) => setForm({ ...form, password: e.currentTarget.value })} /></label>
          <label>{t.ward}<input size={4} value={form.ward_number} onInput={(e) => setForm({ ...form, ward_number: e.currentTarget.value })} /></label>
          <button type="submit">{t.create}</button>
        </form>
      </Card>
    </div>
  );
}
