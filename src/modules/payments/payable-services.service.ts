/**
 * The catalogue of payable city services (contract §8): how a client's `service_type` — the code,
 * the English name in any letter case and spacing, or the Bengali name — finds its service, the fee
 * rule in words, and the staff's create / change / remove. Every operation is one SQL statement
 * (no interactive transactions: each statement is one round trip on Neon's HTTP path too).
 */
import { asc, count, eq, sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { batchRows } from "../../db/batch";
import type { AuthUser } from "../../lib/tokens";
import { logActivityFrom } from "../admin/activity-log";
import { isForeignKeyViolation, isUniqueViolation } from "../../db/errors";
import { fromSqlRow } from "../../db/rows";
import { payableServices } from "../../db/schema";
import type { PayableServiceRow } from "../../db/types";
import { ApiError, validationError } from "../../lib/errors";
import { toPaisa } from "../../lib/money";
import { t } from "../../lib/i18n";
import { pageLimits, type PageRequest } from "../../lib/pagination";
import type { CreatePayableService, UpdatePayableService } from "./payable-services.schemas";
import { DONATION_SERVICE_TYPE } from "./settlement.service";

/**
 * The comparable form of a service name or code: Unicode NFC, runs of whitespace and underscores
 * → one space, trimmed, lowercase. `" HOLDING   tax "`, `"Holding_Tax"` and `"holding_tax"` all
 * give `"holding tax"`.
 */
export function serviceKey(input: string): string {
  return input.normalize("NFC").replace(/[\s_]+/g, " ").trim().toLowerCase();
}

/** The same normalisation in SQL, for the stored names. */
const comparable = (column: SQLWrapper) => sql`btrim(lower(regexp_replace(${column}, '[[:space:]_]+', ' ', 'g')))`;

/**
 * WHERE and ORDER BY over `payable_services` that find what a client meant by `input`: the code
 * first, then the English name, then the Bengali name (names are unique, so at most one of each).
 * Inactive services match too; callers decide what that means.
 */
export function serviceMatch(input: string): { where: SQL; order: SQL } {
  const key = serviceKey(input);
  const code = key.replace(/ /g, "_");
  const en = comparable(payableServices.nameEn);
  const bn = comparable(payableServices.nameBn);
  return {
    where: sql`(${payableServices.code} = ${code} or ${en} = ${key} or ${bn} = ${key})`,
    order: sql`(${payableServices.code} = ${code}) desc, (${en} = ${key}) desc, ${payableServices.code}`,
  };
}

/** A scalar subquery: the code `input` stands for, or null. For filters, inside the statement that uses it. */
export function resolvedServiceCode(input: string): SQL {
  const { where, order } = serviceMatch(input);
  return sql`(select ${payableServices.code} from ${payableServices} where ${where} order by ${order} limit 1)`;
}

/** The fee rule in words, as the `amount` error states it. */
export function feeRuleText(s: Pick<PayableServiceRow, "nameEn" | "feeType" | "fixedAmount" | "minAmount" | "maxAmount">): string {
  if (s.feeType === "fixed") return `${s.nameEn} costs exactly ${s.fixedAmount} BDT.`;
  if (s.feeType === "range") return `The ${s.nameEn} fee must be between ${s.minAmount} and ${s.maxAmount} BDT.`;
  return `${s.nameEn} takes any positive amount.`;
}

/** Paid only through its own route (POST /waste/pickup-requests/{id}/pay), which links the payment to the request. */
export const WASTE_PICKUP_SERVICE_TYPE = "waste_pickup";

export const SERVICE_NOT_FOUND_DETAIL = "No payable service has this code or name. See GET /api/v1/payments/services.";

const order = [asc(payableServices.sortOrder), asc(payableServices.nameEn), asc(payableServices.code)];

/** A page of the catalogue in display order; active services only unless `includeInactive` (staff). Two statements. */
export async function listPayableServices(services: ServiceContext, includeInactive: boolean, page: PageRequest) {
  const where = includeInactive ? undefined : eq(payableServices.isActive, true);
  const { limit, offset } = pageLimits(page);
  const [rows, [total]] = await services.db.batch([
    services.db
      .select()
      .from(payableServices)
      .where(where)
      .orderBy(...order)
      .limit(limit)
      .offset(offset),
    services.db.select({ n: count() }).from(payableServices).where(where),
  ]);
  return { rows, count: total?.n ?? 0 };
}

/** Unique codes and names: a clash is a 400 on the field, as a taken phone number is. */
function clash(err: unknown): ApiError | undefined {
  const message = [t("payable_service_taken", "en")];
  if (isUniqueViolation(err, "payable_services_pkey")) return validationError({ code: message }, "payable_service_taken");
  if (isUniqueViolation(err, "payable_services_name_en_unique")) return validationError({ name_en: message }, "payable_service_taken");
  if (isUniqueViolation(err, "payable_services_name_bn_unique")) return validationError({ name_bn: message }, "payable_service_taken");
  return undefined;
}

/** The fee columns for a validated rule: the amounts its type does not use are null. */
function feeColumns(rule: { fee_type: string; fixed_amount?: string | null; min_amount?: string | null; max_amount?: string | null }) {
  return {
    feeType: rule.fee_type,
    fixedAmount: rule.fee_type === "fixed" ? rule.fixed_amount! : null,
    minAmount: rule.fee_type === "range" ? rule.min_amount! : null,
    maxAmount: rule.fee_type === "range" ? rule.max_amount! : null,
  };
}

/**
 * Catalogue changes are city-wide: they need an unrestricted `payments` grant for the action
 * (`require_city_wide`, the batch's first statement: 403 and nothing written otherwise) and write
 * their activity-log row in the same batch.
 */
const cityWide = (services: ServiceContext, actor: AuthUser, action: "create" | "update" | "delete") =>
  services.db.execute(sql`select require_city_wide(${actor.id}::uuid, 'payments', ${action})`);

const logChange = (services: ServiceContext, actor: AuthUser, action: string, code: string, changedNow: boolean, details: SQL = sql`'{}'::jsonb`) =>
  services.db.execute(
    logActivityFrom(services, actor.id, sql`(select code from payable_services where code = ${code} ${changedNow ? sql`and updated_at = now()` : sql``}) changed`, {
      action,
      resourceType: "payable_service",
      resourceId: sql`changed.code`,
      details,
    }),
  );

export async function createPayableService(services: ServiceContext, actor: AuthUser, input: CreatePayableService): Promise<PayableServiceRow> {
  try {
    const insert = services.db
      .insert(payableServices)
      .values({
        code: input.code,
        nameBn: input.name_bn,
        nameEn: input.name_en,
        ...feeColumns(input),
        isActive: input.is_active ?? true,
        // Default: after the last one, computed in the same statement.
        sortOrder: input.sort_order ?? sql`(select coalesce(max(${payableServices.sortOrder}), 0) + 10 from ${payableServices})`,
      })
      .returning();
    const [, [row]] = await services.db.batch([cityWide(services, actor, "create"), insert, logChange(services, actor, "payable_service.create", input.code, false)]);
    forgetCatalogue();
    return row!;
  } catch (err) {
    throw clash(err) ?? err;
  }
}

export async function updatePayableService(services: ServiceContext, actor: AuthUser, code: string, patch: UpdatePayableService): Promise<PayableServiceRow> {
  if (code === DONATION_SERVICE_TYPE && patch.fee_type !== undefined && patch.fee_type !== "free") {
    throw validationError({ fee_type: ["Donations take any amount: the donation entry's fee stays free."] });
  }
  const set: Partial<typeof payableServices.$inferInsert> = {
    ...(patch.name_bn !== undefined && { nameBn: patch.name_bn }),
    ...(patch.name_en !== undefined && { nameEn: patch.name_en }),
    ...(patch.fee_type !== undefined && feeColumns({ ...patch, fee_type: patch.fee_type })),
    ...(patch.is_active !== undefined && { isActive: patch.is_active }),
    ...(patch.sort_order !== undefined && { sortOrder: patch.sort_order }),
  };
  try {
    const update = services.db
      .update(payableServices)
      .set({ ...set, updatedAt: sql`now()` })
      .where(eq(payableServices.code, code))
      .returning();
    const fields = JSON.stringify({ fields: Object.keys(patch) });
    const [, [row]] = await services.db.batch([cityWide(services, actor, "update"), update, logChange(services, actor, "payable_service.update", code, true, sql`${fields}::jsonb`)]);
    if (!row) throw new ApiError("not_found");
    forgetCatalogue();
    return row;
  } catch (err) {
    throw clash(err) ?? err;
  }
}

export interface RemovedService {
  outcome: "deleted" | "deactivated";
  service: PayableServiceRow;
}

/**
 * Deletes a service no payment references; one that payments reference is deactivated instead (the
 * payments keep their code, lists and filters keep working, and it can be reactivated). One
 * statement decides and does it. `donation` is reserved (409): POST /donations depends on it.
 */
export async function removePayableService(services: ServiceContext, actor: AuthUser, code: string): Promise<RemovedService> {
  if (code === DONATION_SERVICE_TYPE) throw new ApiError("conflict", "payable_service_reserved");
  let rows: Record<string, unknown>[];
  try {
    [, rows] = await batchRows<[unknown, Record<string, unknown>]>(services.db, [
      sql`select require_city_wide(${actor.id}::uuid, 'payments', 'delete')`,
      sql`
      with used as (select exists (select 1 from payments where service_type = ${code}) as used),
      removed as (
        delete from payable_services where code = ${code} and not (select used from used) returning *
      ),
      hidden as (
        update payable_services set is_active = false, updated_at = now()
        where code = ${code} and (select used from used) returning *
      )
      , logged as (${logActivityFrom(services, actor.id, sql`(select code, 'deleted' as outcome from removed union all select code, 'deactivated' from hidden) changed`, {
        action: "payable_service.delete",
        resourceType: "payable_service",
        resourceId: sql`changed.code`,
        details: sql`jsonb_build_object('outcome', changed.outcome)`,
      })})
      select 'deleted' as outcome, * from removed
      union all
      select 'deactivated' as outcome, * from hidden`,
    ]);
  } catch (err) {
    // A payment for it was inserted while we looked: it is referenced after all. (The guard passed.)
    if (!isForeignKeyViolation(err)) throw err;
    const update = services.db
      .update(payableServices)
      .set({ isActive: false, updatedAt: sql`now()` })
      .where(eq(payableServices.code, code))
      .returning();
    const [[row]] = await services.db.batch([update, logChange(services, actor, "payable_service.delete", code, true, sql`'{"outcome": "deactivated"}'::jsonb`)]);
    if (!row) throw new ApiError("not_found");
    forgetCatalogue();
    return { outcome: "deactivated", service: row };
  }
  const row = rows[0];
  if (!row) throw new ApiError("not_found");
  forgetCatalogue();
  return { outcome: row.outcome as RemovedService["outcome"], service: fromSqlRow(payableServices, row) };
}

// ---------------------------------------------------------------------------------------------
// The catalogue as a payment sees it before the gateway is asked anything.

/** How long an isolate trusts its copy. The INSERT re-checks, so staleness can refuse, never admit. */
const CATALOGUE_TTL_MS = 60_000;
let catalogueCopy: { rows: PayableServiceRow[]; loadedAt: number } | undefined;

async function catalogue(services: ServiceContext, fresh: boolean): Promise<PayableServiceRow[]> {
  if (!fresh && catalogueCopy && Date.now() - catalogueCopy.loadedAt < CATALOGUE_TTL_MS) return catalogueCopy.rows;
  const rows = await services.db.select().from(payableServices);
  catalogueCopy = { rows, loadedAt: Date.now() };
  return rows;
}

/** This isolate's copy is out of date (the staff changed the catalogue). */
export function forgetCatalogue(): void {
  catalogueCopy = undefined;
}

/** What the client meant by `input`, by the same rule as `serviceMatch`: code, then English, then Bengali name. */
function matchService(rows: PayableServiceRow[], input: string): PayableServiceRow | undefined {
  const key = serviceKey(input);
  const code = key.replace(/ /g, "_");
  return rows.find((s) => s.code === code) ?? rows.find((s) => serviceKey(s.nameEn) === key) ?? rows.find((s) => serviceKey(s.nameBn) === key);
}

function amountFits(service: PayableServiceRow, amount: string): boolean {
  const paisa = toPaisa(amount);
  if (paisa === undefined) return false;
  if (service.feeType === "fixed") return paisa === toPaisa(service.fixedAmount ?? "");
  if (service.feeType === "range") return paisa >= (toPaisa(service.minAmount ?? "") ?? Infinity) && paisa <= (toPaisa(service.maxAmount ?? "") ?? -Infinity);
  return true;
}

function refusal(service: PayableServiceRow | undefined, amount: string): ApiError | undefined {
  if (!service) return validationError({ service_type: [SERVICE_NOT_FOUND_DETAIL] }, "payment_service_unknown");
  if (service.code === DONATION_SERVICE_TYPE) return validationError({ service_type: ["Donations are made through POST /donations."] });
  if (service.code === WASTE_PICKUP_SERVICE_TYPE) return validationError({ service_type: [t("pickup_fee_elsewhere", "en")] });
  if (!service.isActive) return validationError({ service_type: [`${service.nameEn} cannot be paid online at the moment.`] }, "payment_service_inactive");
  if (!amountFits(service, amount)) return validationError({ amount: [feeRuleText(service)] }, "payment_amount_not_allowed");
  return undefined;
}

/**
 * The service a city-fee payment of `amount` is for, or the 400 that says why not. A refusal is only
 * given on the database's current catalogue (a stale copy is re-read first), so a service the staff
 * just added or changed is never refused by mistake.
 */
export async function acceptingService(services: ServiceContext, input: string, amount: string, fresh = false): Promise<PayableServiceRow> {
  let service = matchService(await catalogue(services, fresh), input);
  let problem = refusal(service, amount);
  if (problem && !fresh) {
    service = matchService(await catalogue(services, true), input);
    problem = refusal(service, amount);
  }
  if (problem) throw problem;
  return service!;
}

/** The same acceptance in SQL, over the catalogue row `s` the INSERT reads: the authority. */
export function acceptsSql(amount: string): SQL {
  const value = sql`${amount}::numeric(12, 2)`;
  return sql`s.is_active and s.code <> ${DONATION_SERVICE_TYPE} and s.code <> ${WASTE_PICKUP_SERVICE_TYPE}
    and case s.fee_type
          when 'fixed' then ${value} = s.fixed_amount
          when 'range' then ${value} between s.min_amount and s.max_amount
          else true
        end`;
}
