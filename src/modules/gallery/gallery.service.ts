/**
 * The gallery: public list and detail (one round trip), staff upload/edit/delete with the
 * `gallery` permission (an unrestricted grant: items belong to the whole city) and the activity-log
 * row in the change's own statement, bytes in R2 with no orphans:
 *
 *  - upload: (1) one statement checks the permission and records the object key as pending
 *    (`gallery_pending_objects`, reason upload) — 403 before a byte is read; (2) the body streams
 *    into R2; (3) one statement turns the pending key into the item (and logs it). A failure after
 *    (1) deletes the object and the pending row; if even that fails, the cron sweep finds the row.
 *  - delete: one statement deletes the item, queues its key as pending (reason delete) and logs;
 *    then R2 deletes the object and the pending row goes. If R2 fails, the sweep retries.
 */
import { sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { batchRows } from "../../db/batch";
import { ApiError } from "../../lib/errors";
import type { PermissionAction } from "../../lib/enums";
import { pageLimits, type PageRequest } from "../../lib/pagination";
import type { AuthUser } from "../../lib/tokens";
import { logActivityFrom } from "../admin/activity-log";
import { inStaffWards } from "../admin/staff-scope";
import { EXTENSIONS, mediaTypeOf } from "./gallery.media";
import type { GalleryFilters, UpdateItemInput, UploadInput } from "./gallery.schemas";
import { streamIntoR2 } from "./gallery.upload";

export interface GalleryRecord {
  id: string;
  title: string;
  description: string;
  category: string;
  media_type: "image" | "video";
  object_key: string;
  content_type: string;
  file_size: number | string;
  width: number | null;
  height: number | null;
  created_by: string | null;
  created_by_name: string | null;
  created_at: string | Date;
  updated_at: string | Date;
}

/** After this long a pending upload is dead (no request runs that long) and its object is swept. */
export const STALE_UPLOAD_MINUTES = 60;

/** Gallery items belong to the whole city: a change needs the permission without a ward limit. */
function mayChange(actor: AuthUser, action: PermissionAction): SQL {
  if (actor.userType === "super_admin") return sql`true`;
  return sql`coalesce(${inStaffWards(actor, "gallery", action, sql`null::text`)}, false)`;
}

const columns = sql`g.id, g.title, g.description, g.category, g.media_type, g.object_key, g.content_type, g.file_size, g.width, g.height,
  g.created_by, u.name as created_by_name, g.created_at, g.updated_at`;

function conditions(filters: GalleryFilters): SQL {
  const parts: SQL[] = [sql`true`];
  if (filters.category) parts.push(sql`g.category = ${filters.category}`);
  if (filters.media_type) parts.push(sql`g.media_type = ${filters.media_type}`);
  return sql.join(parts, sql` and `);
}

export async function listItems(services: ServiceContext, filters: GalleryFilters, page: PageRequest) {
  const where = conditions(filters);
  const { limit, offset } = pageLimits(page);
  const [rows, [total]] = await batchRows<[GalleryRecord, { n: number }]>(services.db, [
    sql`select ${columns} from gallery_items g left join users u on u.id = g.created_by where ${where}
        order by g.created_at desc, g.id desc limit ${limit} offset ${offset}`,
    sql`select count(*)::int as n from gallery_items g where ${where}`,
  ]);
  return { rows, count: total?.n ?? 0 };
}

export async function getItem(services: ServiceContext, id: string): Promise<GalleryRecord> {
  const { rows } = await services.db.execute<GalleryRecord & Record<string, unknown>>(
    sql`select ${columns} from gallery_items g left join users u on u.id = g.created_by where g.id = ${id}`,
  );
  if (!rows[0]) throw new ApiError("not_found");
  return rows[0];
}

async function forgetPending(services: ServiceContext, key: string): Promise<void> {
  await services.db.execute(sql`delete from gallery_pending_objects where object_key = ${key}`);
}

/** Best effort: the object and its pending row go; whatever fails here is left to the sweep. */
async function discard(services: ServiceContext, key: string): Promise<void> {
  try {
    await services.env.MEDIA.delete(key);
    await forgetPending(services, key);
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "gallery object left for the sweep", key, error: err instanceof Error ? err.message : String(err) }));
  }
}

export async function uploadItem(services: ServiceContext, actor: AuthUser, input: UploadInput, body: ReadableStream<Uint8Array> | null, declaredLength: number | null): Promise<GalleryRecord> {
  const id = crypto.randomUUID();
  const reserved = await services.db.execute<{ object_key: string }>(sql`
    insert into gallery_pending_objects (object_key, reason, created_by)
    select ${`gallery/${id}`}, 'upload', ${actor.id}::uuid where ${mayChange(actor, "create")}
    returning object_key`);
  if (!reserved.rows[0]) throw new ApiError("forbidden");
  const pendingKey = `gallery/${id}`;
  let key = pendingKey;
  try {
    // The pending row holds `gallery/<id>`; the object is `gallery/<id>.<ext>`, named once the
    // head of the stream has told what it is (the sweep tries every extension).
    const stored = await streamIntoR2(services.env.MEDIA, (type) => (key = `${pendingKey}.${EXTENSIONS[type]}`), body, declaredLength);
    const { rows } = await services.db.execute<GalleryRecord & Record<string, unknown>>(sql`
      with pending as (
        delete from gallery_pending_objects where object_key = ${pendingKey} and ${mayChange(actor, "create")} returning object_key
      ),
      created as (
        insert into gallery_items (id, title, description, category, media_type, object_key, content_type, file_size, width, height, created_by)
        select ${id}::uuid, ${input.title}, ${input.description ?? ""}, ${input.category ?? "general"}, ${mediaTypeOf(stored.type)}, ${key},
               ${stored.type}, ${stored.size}, ${stored.width ?? input.width ?? null}::integer, ${stored.height ?? input.height ?? null}::integer, ${actor.id}::uuid
        from pending
        returning *
      ),
      logged as (${logActivityFrom(services, actor.id, sql`created`, {
        action: "gallery.create",
        resourceType: "gallery_item",
        resourceId: sql`created.id`,
        details: sql`jsonb_build_object('title', created.title, 'content_type', created.content_type, 'file_size', created.file_size)`,
      })})
      select ${columns} from created g left join users u on u.id = g.created_by`);
    if (!rows[0]) throw new ApiError("forbidden"); // the grant went while the file was streaming
    return rows[0];
  } catch (err) {
    if (key !== pendingKey) await services.env.MEDIA.delete(key).catch(() => undefined);
    await discard(services, pendingKey);
    throw err;
  }
}

export async function updateItem(services: ServiceContext, actor: AuthUser, id: string, input: UpdateItemInput): Promise<GalleryRecord> {
  const given = (["title", "description", "category"] as const).filter((k) => input[k] !== undefined);
  const assignments = [...given.map((k) => sql`${sql.identifier(k)} = ${input[k]!}`), sql`updated_at = now()`];
  const { rows } = await services.db.execute<(GalleryRecord & { found: number }) & Record<string, unknown>>(sql`
    with current as (select id from gallery_items where id = ${id}),
    changed as (
      update gallery_items g set ${sql.join(assignments, sql`, `)} where g.id = ${id} and ${mayChange(actor, "update")} returning g.*
    ),
    logged as (${logActivityFrom(services, actor.id, sql`changed`, {
      action: "gallery.update",
      resourceType: "gallery_item",
      resourceId: sql`changed.id`,
      details: sql`${JSON.stringify({ fields: given })}::jsonb`,
    })})
    select x.found, ${columns}
    from (select count(*)::int as found from current) x left join changed g on true left join users u on u.id = g.created_by`);
  const row = rows[0]!;
  if (!row.found) throw new ApiError("not_found");
  if (!row.id) throw new ApiError("forbidden");
  return row;
}

export async function deleteItem(services: ServiceContext, actor: AuthUser, id: string): Promise<void> {
  const { rows } = await services.db.execute<{ found: number; object_key: string | null }>(sql`
    with current as (select id from gallery_items where id = ${id}),
    removed as (delete from gallery_items g where g.id = ${id} and ${mayChange(actor, "delete")} returning g.id, g.title, g.object_key),
    queued as (
      insert into gallery_pending_objects (object_key, reason, created_by) select object_key, 'delete', ${actor.id}::uuid from removed
      on conflict (object_key) do update set reason = 'delete'
    ),
    logged as (${logActivityFrom(services, actor.id, sql`removed`, {
      action: "gallery.delete",
      resourceType: "gallery_item",
      resourceId: sql`removed.id`,
      details: sql`jsonb_build_object('title', removed.title, 'object_key', removed.object_key)`,
    })})
    select (select count(*)::int from current) as found, (select object_key from removed) as object_key`);
  const row = rows[0]!;
  if (!row.found) throw new ApiError("not_found");
  if (!row.object_key) throw new ApiError("forbidden");
  await discard(services, row.object_key);
}

/**
 * The cron sweep: R2 objects whose delete is pending, and those of uploads that died (pending for
 * over an hour, under both the pending name and every extension), are deleted, then their rows.
 */
export async function sweepGalleryObjects(services: ServiceContext): Promise<number> {
  const { rows } = await services.db.execute<{ object_key: string; reason: string }>(sql`
    select object_key, reason from gallery_pending_objects
    where reason = 'delete' or created_at < now() - make_interval(mins => ${STALE_UPLOAD_MINUTES})
    order by created_at limit 500`);
  if (!rows.length) return 0;
  const keys = rows.flatMap((r) => (r.reason === "upload" ? [r.object_key, ...Object.values(EXTENSIONS).map((ext) => `${r.object_key}.${ext}`)] : [r.object_key]));
  await services.env.MEDIA.delete(keys);
  await services.db.execute(sql`delete from gallery_pending_objects where object_key = any(${`{${rows.map((r) => `"${r.object_key}"`).join(",")}}`}::text[])`);
  return rows.length;
}
