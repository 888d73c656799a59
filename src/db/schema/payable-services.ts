import { sql } from "drizzle-orm";
import { boolean, check, integer, numeric, pgTable, timestamp, uniqueIndex, varchar } from "drizzle-orm/pg-core";

/** How a payable service's fee is decided: one exact amount, a band, or whatever the payer's bill says. */
export const FEE_TYPES = ["fixed", "range", "free"] as const;
export type FeeType = (typeof FEE_TYPES)[number];

/**
 * The catalogue of city services that can be paid (contract §8 "Payable services"). A payment's
 * `service_type` is one of these codes (foreign key); the API accepts the code, the English name in
 * any letter case and spacing, or the Bengali name, and stores the code.
 *
 * The fee rule: `fixed` → exactly `fixed_amount`; `range` → `min_amount` … `max_amount` inclusive;
 * `free` → any positive amount (e.g. holding tax, whose bill depends on the assessed value). The check
 * constraints tie the amounts to the type, so no row can carry a rule the API could not explain.
 * The initial rows are inserted by the migration that creates the table (0004), in every database.
 */
export const payableServices = pgTable(
  "payable_services",
  {
    /** Stable ASCII snake_case: what payments store and clients may send. Never changes. */
    code: varchar("code", { length: 50 }).primaryKey(),
    nameBn: varchar("name_bn", { length: 100 }).notNull(),
    nameEn: varchar("name_en", { length: 100 }).notNull(),
    feeType: varchar("fee_type", { length: 10 }).notNull(),
    fixedAmount: numeric("fixed_amount", { precision: 12, scale: 2 }),
    minAmount: numeric("min_amount", { precision: 12, scale: 2 }),
    maxAmount: numeric("max_amount", { precision: 12, scale: 2 }),
    /** Inactive services are hidden from the public list and cannot be paid; old payments keep them. */
    isActive: boolean("is_active").notNull().default(true),
    sortOrder: integer("sort_order").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Names identify a service on input (case-insensitively for English), so they are unique too.
    uniqueIndex("payable_services_name_en_unique").on(sql`lower(${t.nameEn})`),
    uniqueIndex("payable_services_name_bn_unique").on(t.nameBn),
    check("payable_services_code_check", sql`${t.code} ~ '^[a-z][a-z0-9_]{1,49}$'`),
    check("payable_services_fee_type_check", sql`${t.feeType} in ('fixed', 'range', 'free')`),
    check(
      "payable_services_fee_rule_check",
      sql`(${t.feeType} = 'fixed' and ${t.fixedAmount} is not null and ${t.fixedAmount} > 0 and ${t.minAmount} is null and ${t.maxAmount} is null)
        or (${t.feeType} = 'range' and ${t.fixedAmount} is null and ${t.minAmount} is not null and ${t.maxAmount} is not null and ${t.minAmount} > 0 and ${t.maxAmount} > ${t.minAmount})
        or (${t.feeType} = 'free' and ${t.fixedAmount} is null and ${t.minAmount} is null and ${t.maxAmount} is null)`,
    ),
    // Donations take any amount (their own flow, POST /donations); the catalogue entry only names them.
    check("payable_services_donation_free_check", sql`${t.code} <> 'donation' or ${t.feeType} = 'free'`),
  ],
);
