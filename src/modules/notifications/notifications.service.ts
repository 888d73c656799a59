/**
 * The signed-in user's inbox, devices and preferences. Every route is one statement.
 */
import { sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { cursorInstantSql, decodeCursor, encodeCursor } from "../../lib/cursor";
import { ApiError } from "../../lib/errors";
import type { PreferencesInput } from "./notifications.schemas";

type InboxRow = {
  id: string;
  category: string;
  title: string;
  body: string;
  data: { resource_type: string; resource_id: string; deep_link: string };
  read_at: string | Date | null;
  created_at: string | Date;
  cursor_at: string;
};

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());
const toDto = (r: InboxRow) => ({ id: r.id, category: r.category, title: r.title, body: r.body, data: r.data, read_at: iso(r.read_at), created_at: iso(r.created_at)! });

export async function listInbox(services: ServiceContext, userId: string, q: { unread_only: boolean; limit: number; cursor?: string }) {
  const parts: SQL[] = [sql`n.user_id = ${userId}`];
  if (q.unread_only) parts.push(sql`n.read_at is null`);
  if (q.cursor) {
    const { at, id } = decodeCursor(q.cursor);
    parts.push(sql`(n.created_at, n.id) < (${at}::timestamptz, ${id}::uuid)`);
  }
  const { rows } = await services.db.execute<InboxRow>(sql`
    select n.id, n.category, n.title, n.body, n.data, n.read_at, n.created_at, ${cursorInstantSql(sql`n.created_at`)} as cursor_at
    from notifications n where ${sql.join(parts, sql` and `)}
    order by n.created_at desc, n.id desc limit ${q.limit + 1}`);
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return { results: page.map(toDto), next_cursor: rows.length > q.limit && last ? encodeCursor(last.cursor_at, last.id) : null };
}

export async function markRead(services: ServiceContext, userId: string, id: string) {
  const { rows } = await services.db.execute<InboxRow>(sql`
    update notifications n set read_at = coalesce(n.read_at, now()) where n.id = ${id} and n.user_id = ${userId}
    returning n.id, n.category, n.title, n.body, n.data, n.read_at, n.created_at, '' as cursor_at`);
  if (!rows[0]) throw new ApiError("not_found");
  return toDto(rows[0]);
}

export async function markAllRead(services: ServiceContext, userId: string): Promise<{ updated: number }> {
  const { rows } = await services.db.execute<{ updated: number }>(sql`
    with changed as (update notifications set read_at = now() where user_id = ${userId} and read_at is null returning 1)
    select count(*)::int as updated from changed`);
  return { updated: rows[0]?.updated ?? 0 };
}

export async function unreadCount(services: ServiceContext, userId: string): Promise<{ unread: number }> {
  const { rows } = await services.db.execute<{ unread: number }>(sql`select count(*)::int as unread from notifications where user_id = ${userId} and read_at is null`);
  return { unread: rows[0]?.unread ?? 0 };
}

type DeviceRow = { token: string; platform: "android" | "ios" | "web"; app_version: string | null; created_at: string | Date; updated_at: string | Date; moved: boolean };

/**
 * Upsert by token: a token belongs to one device, so when someone else signs in on it the token
 * moves to them (the previous user stops getting pushes on a phone that is no longer theirs).
 */
export async function registerDevice(services: ServiceContext, userId: string, input: { token: string; platform: "android" | "ios" | "web"; app_version?: string }) {
  const { rows } = await services.db.execute<DeviceRow>(sql`
    with before as (select user_id from notification_devices where token = ${input.token})
    insert into notification_devices (token, user_id, platform, app_version)
    values (${input.token}, ${userId}, ${input.platform}, ${input.app_version ?? null})
    on conflict (token) do update set user_id = excluded.user_id, platform = excluded.platform, app_version = excluded.app_version,
      updated_at = now(), created_at = case when notification_devices.user_id = excluded.user_id then notification_devices.created_at else now() end
    returning token, platform, app_version, created_at, updated_at, coalesce((select user_id from before) <> ${userId}::uuid, true) as moved`);
  const r = rows[0]!;
  // 201 when the token is new to this user (new, or moved from someone else), 200 on a repeat.
  return { device: { token: r.token, platform: r.platform, app_version: r.app_version, created_at: iso(r.created_at)!, updated_at: iso(r.updated_at)! }, created: r.moved };
}

export async function removeDevice(services: ServiceContext, userId: string, token: string): Promise<void> {
  const { rows } = await services.db.execute<{ token: string }>(sql`delete from notification_devices where token = ${token} and user_id = ${userId} returning token`);
  if (!rows[0]) throw new ApiError("not_found");
}

type PrefRow = { complaints: boolean; payments: boolean; notices: boolean; chat: boolean; emergencies: boolean; language: "bn" | "en"; quiet_start: string | null; quiet_end: string | null };

const prefsDto = (r: PrefRow | undefined) => ({
  complaints: r?.complaints ?? true,
  payments: r?.payments ?? true,
  notices: r?.notices ?? true,
  chat: r?.chat ?? true,
  emergencies: r?.emergencies ?? true,
  language: r?.language ?? "bn",
  quiet_hours: r?.quiet_start && r.quiet_end ? { start: r.quiet_start.slice(0, 5), end: r.quiet_end.slice(0, 5) } : null,
});

const PREF_COLUMNS = sql`complaints, payments, notices, chat, emergencies, language, quiet_start::text as quiet_start, quiet_end::text as quiet_end`;

export async function getPreferences(services: ServiceContext, userId: string) {
  const { rows } = await services.db.execute<PrefRow>(sql`select ${PREF_COLUMNS} from notification_preferences where user_id = ${userId}`);
  return prefsDto(rows[0]);
}

/** Changes only the fields given; the others keep their value (or the default). One statement. */
export async function updatePreferences(services: ServiceContext, userId: string, input: PreferencesInput) {
  const flags = ["complaints", "payments", "notices", "chat", "emergencies"] as const;
  const given: string[] = [...flags.filter((k) => input[k] !== undefined), ...(input.language ? ["language"] : []), ...(input.quiet_hours !== undefined ? ["quiet_start", "quiet_end"] : [])];
  const sets = [...given.map((c) => sql`${sql.identifier(c)} = excluded.${sql.identifier(c)}`), sql`updated_at = now()`];
  const { rows } = await services.db.execute<PrefRow>(sql`
    insert into notification_preferences (user_id, complaints, payments, notices, chat, emergencies, language, quiet_start, quiet_end)
    values (${userId}, ${sql.join(flags.map((k) => sql`${input[k] ?? true}`), sql`, `)}, ${input.language ?? "bn"},
            ${input.quiet_hours?.start ?? null}::time, ${input.quiet_hours?.end ?? null}::time)
    on conflict (user_id) do update set ${sql.join(sets, sql`, `)}
    returning ${PREF_COLUMNS}`);
  return prefsDto(rows[0]);
}
