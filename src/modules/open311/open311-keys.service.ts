/**
 * API keys for Open311 clients (super_admin): issued once — the key is shown in the answer and only
 * its SHA-256 is kept — listed without it, and revoked. Public photo links can be revoked too.
 * Every change writes its activity-log row in the same statement.
 */
import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { batchRows } from "../../db/batch";
import { randomToken, sha256Hex } from "../../lib/crypto";
import type { AuthUser } from "../../lib/tokens";
import { ApiError } from "../../lib/errors";
import { pageLimits, type PageRequest } from "../../lib/pagination";
import { logActivityFrom } from "../admin/activity-log";

export const KEY_PREFIX = "cc311_";

interface KeyRecord {
  id: string;
  name: string;
  key_prefix: string;
  rate_limit: number;
  created_at: string | Date;
  last_used_at: string | Date | null;
  revoked_at: string | Date | null;
}

const iso = (v: string | Date | null) => (v === null ? null : new Date(v).toISOString());

function toKeyDto(row: KeyRecord) {
  return {
    id: row.id,
    name: row.name,
    key_prefix: row.key_prefix,
    rate_limit: row.rate_limit,
    created_at: iso(row.created_at)!,
    last_used_at: iso(row.last_used_at),
    revoked_at: iso(row.revoked_at),
  };
}

const KEY_COLUMNS = sql`id, name, key_prefix, rate_limit, created_at, last_used_at, revoked_at`;

export async function issueKey(services: ServiceContext, actor: AuthUser, input: { name: string; rate_limit?: number }) {
  const key = `${KEY_PREFIX}${randomToken(32)}`;
  const prefix = key.slice(0, 12);
  const { rows } = await services.db.execute<KeyRecord & Record<string, unknown>>(sql`
    with issued as (
      insert into open311_api_keys (name, key_prefix, key_hash, rate_limit, created_by)
      values (${input.name}, ${prefix}, ${await sha256Hex(key)}, ${input.rate_limit ?? 60}, ${actor.id})
      returning ${KEY_COLUMNS}
    ),
    logged as (${logActivityFrom(services, actor.id, sql`issued`, {
      action: "open311_key.issue",
      resourceType: "open311_api_key",
      resourceId: sql`issued.id`,
      details: sql`jsonb_build_object('name', issued.name, 'key_prefix', issued.key_prefix, 'rate_limit', issued.rate_limit)`,
    })})
    select ${KEY_COLUMNS} from issued`);
  return { ...toKeyDto(rows[0] as KeyRecord), key };
}

export async function listKeys(services: ServiceContext, page: PageRequest) {
  const { limit, offset } = pageLimits(page);
  const [rows, [total]] = await batchRows<[KeyRecord, { n: number }]>(services.db, [
    sql`select ${KEY_COLUMNS} from open311_api_keys order by created_at desc, id desc limit ${limit} offset ${offset}`,
    sql`select count(*)::int as n from open311_api_keys`,
  ]);
  return { rows: rows.map(toKeyDto), count: total?.n ?? 0 };
}

/** Revokes a key at once (its next request is refused); 404 for an unknown or already revoked key. */
export async function revokeKey(services: ServiceContext, actor: AuthUser, id: string): Promise<void> {
  const { rows } = await services.db.execute<{ id: string }>(sql`
    with revoked as (
      update open311_api_keys set revoked_at = now() where id = ${id} and revoked_at is null
      returning id, name, key_prefix
    ),
    logged as (${logActivityFrom(services, actor.id, sql`revoked`, {
      action: "open311_key.revoke",
      resourceType: "open311_api_key",
      resourceId: sql`revoked.id`,
      details: sql`jsonb_build_object('name', revoked.name, 'key_prefix', revoked.key_prefix)`,
    })})
    select id from revoked`);
  if (!rows[0]) throw new ApiError("not_found");
}

/**
 * Revokes a photo's public link: the URL stops working at once; the photo gets a new, different
 * link the next time Open311 shows it (rotation). The token is the last path segment of media_url.
 */
export async function revokeMediaLink(services: ServiceContext, actor: AuthUser, token: string): Promise<void> {
  const { rows } = await services.db.execute<{ image_id: string }>(sql`
    with removed as (delete from open311_media_links where token = ${token} returning image_id),
    logged as (${logActivityFrom(services, actor.id, sql`removed`, {
      action: "open311_media.revoke",
      resourceType: "complaint_image",
      resourceId: sql`removed.image_id`,
    })})
    select image_id from removed`);
  if (!rows[0]) throw new ApiError("not_found");
}
