/**
 * The city's hotlines: public to read, kept by staff with the `emergency` permission (city-wide
 * data, so a grant in any ward is not enough: it must cover every ward). Each change and its
 * activity-log row are one statement.
 */
import { sql, type SQL } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { ApiError } from "../../lib/errors";
import type { PermissionAction } from "../../lib/enums";
import type { AuthUser } from "../../lib/tokens";
import { logActivityFrom } from "../admin/activity-log";
import type { CreateContactInput, UpdateContactInput } from "./emergency.schemas";

type ContactRow = {
  id: string;
  name_bn: string;
  name_en: string;
  phone: string;
  category: "national" | "fire" | "ambulance" | "police" | "city" | "health" | "other";
  description: string | null;
  sort_order: number;
  is_active: boolean;
};

const COLUMNS = sql`id, name_bn, name_en, phone, category, description, sort_order, is_active`;

/** City-wide: the actor's grant for `action` must not be limited to some wards (super admin: yes). */
function cityWide(actor: AuthUser, action: PermissionAction): SQL {
  if (actor.userType === "super_admin") return sql`true`;
  return sql`(select staff_wards(${actor.id}::uuid, 'emergency', ${action}) is null)`;
}

export async function listContacts(services: ServiceContext, includeInactive: boolean): Promise<ContactRow[]> {
  const { rows } = await services.db.execute<ContactRow>(sql`
    select ${COLUMNS} from emergency_contacts ${includeInactive ? sql`` : sql`where is_active`} order by sort_order, name_en`);
  return rows;
}

export async function createContact(services: ServiceContext, actor: AuthUser, input: CreateContactInput): Promise<ContactRow> {
  const { rows } = await services.db.execute<ContactRow & { allowed: boolean }>(sql`
    with allowed as (select ${cityWide(actor, "create")} as ok),
    created as (
      insert into emergency_contacts (name_bn, name_en, phone, category, description, sort_order, is_active)
      select ${input.name_bn}, ${input.name_en}, ${input.phone}, ${input.category}, ${input.description ?? null}, ${input.sort_order ?? 100}, ${input.is_active ?? true}
      from allowed where ok
      returning ${COLUMNS}
    ),
    logged as (${logActivityFrom(services, actor.id, sql`created`, { action: "emergency_contact.create", resourceType: "emergency_contact", resourceId: sql`created.id`, details: sql`jsonb_build_object('phone', created.phone)` })})
    select c.*, true as allowed from created c`);
  if (!rows[0]) throw new ApiError("forbidden");
  return strip(rows[0]);
}

const columnOf: Record<keyof UpdateContactInput, string> = {
  name_bn: "name_bn",
  name_en: "name_en",
  phone: "phone",
  category: "category",
  description: "description",
  sort_order: "sort_order",
  is_active: "is_active",
};

export async function updateContact(services: ServiceContext, actor: AuthUser, id: string, input: UpdateContactInput): Promise<ContactRow> {
  const fields = (Object.keys(columnOf) as Array<keyof UpdateContactInput>).filter((k) => input[k] !== undefined);
  const assignments = fields.map((k) => sql`${sql.identifier(columnOf[k])} = ${input[k] ?? null}`);
  const { rows } = await services.db.execute<Partial<ContactRow> & { allowed: boolean; found: boolean }>(sql`
    with allowed as (select ${cityWide(actor, "update")} as ok),
    changed as (
      update emergency_contacts set ${sql.join([...assignments, sql`updated_at = now()`], sql`, `)}
      where id = ${id} and (select ok from allowed)
      returning ${COLUMNS}
    ),
    logged as (${logActivityFrom(services, actor.id, sql`changed`, { action: "emergency_contact.update", resourceType: "emergency_contact", resourceId: sql`changed.id`, details: sql`${JSON.stringify({ fields })}::jsonb` })})
    select c.*, (select ok from allowed) as allowed, exists (select 1 from emergency_contacts where id = ${id}) as found
    from (select 1) one left join changed c on true`);
  return outcomeOf(rows[0]);
}

export async function deleteContact(services: ServiceContext, actor: AuthUser, id: string): Promise<void> {
  const { rows } = await services.db.execute<Partial<ContactRow> & { allowed: boolean; found: boolean }>(sql`
    with allowed as (select ${cityWide(actor, "delete")} as ok),
    removed as (delete from emergency_contacts where id = ${id} and (select ok from allowed) returning ${COLUMNS}),
    logged as (${logActivityFrom(services, actor.id, sql`removed`, { action: "emergency_contact.delete", resourceType: "emergency_contact", resourceId: sql`removed.id`, details: sql`jsonb_build_object('phone', removed.phone, 'name_en', removed.name_en)` })})
    select c.*, (select ok from allowed) as allowed, exists (select 1 from emergency_contacts where id = ${id}) as found
    from (select 1) one left join removed c on true`);
  outcomeOf(rows[0]);
}

function outcomeOf(row: (Partial<ContactRow> & { allowed: boolean; found: boolean }) | undefined): ContactRow {
  if (!row?.found) throw new ApiError("not_found");
  if (!row.allowed) throw new ApiError("forbidden");
  return strip(row as ContactRow & { allowed: boolean });
}

function strip(row: ContactRow & { allowed?: boolean; found?: boolean }): ContactRow {
  const { allowed: _a, found: _f, ...contact } = row;
  return contact;
}
