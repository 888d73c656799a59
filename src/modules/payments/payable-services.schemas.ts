/** The payable service object (contract §8 "Payable services") and the bodies that create and change one. */
import { z } from "@hono/zod-openapi";
import { FEE_TYPES } from "../../db/schema";
import type { PayableServiceRow } from "../../db/types";
import { amountSchema, toPaisa } from "../../lib/money";
import { WASTE_PICKUP_SERVICE_TYPE } from "./payable-services.service";
import { DONATION_SERVICE_TYPE } from "./settlement.service";

export const SERVICE_CODE = /^[a-z][a-z0-9_]{1,49}$/;

export const payableServiceSchema = z
  .object({
    code: z.string().openapi({ example: "birth_certificate", description: "What payments store; send it (or a name) as `service_type`" }),
    name_bn: z.string().openapi({ example: "জন্ম নিবন্ধন সনদ" }),
    name_en: z.string().openapi({ example: "Birth Certificate" }),
    fee_type: z.enum(FEE_TYPES).openapi({ description: "`fixed`: exactly `fixed_amount`; `range`: `min_amount` … `max_amount` inclusive; `free`: any positive amount" }),
    fixed_amount: z.string().nullable().openapi({ example: "50.00" }),
    min_amount: z.string().nullable().openapi({ example: null }),
    max_amount: z.string().nullable().openapi({ example: null }),
    is_active: z.boolean().openapi({ description: "Inactive services are hidden from the public and cannot be paid" }),
    sort_order: z.number().int().openapi({ description: "Display order, ascending" }),
    payment_path: z.string().openapi({
      example: "/api/v1/payments/process",
      description: "Where to pay it: `/api/v1/payments/process` for city fees, `/api/v1/donations` for `donation`, `/api/v1/waste/pickup-requests/{id}/pay` for `waste_pickup`",
    }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("PayableService");

export type PayableServiceDto = z.infer<typeof payableServiceSchema>;

export function toPayableServiceDto(s: PayableServiceRow): PayableServiceDto {
  return {
    code: s.code,
    name_bn: s.nameBn,
    name_en: s.nameEn,
    fee_type: s.feeType as PayableServiceDto["fee_type"],
    fixed_amount: s.fixedAmount,
    min_amount: s.minAmount,
    max_amount: s.maxAmount,
    is_active: s.isActive,
    sort_order: s.sortOrder,
    payment_path:
      s.code === DONATION_SERVICE_TYPE ? "/api/v1/donations" : s.code === WASTE_PICKUP_SERVICE_TYPE ? "/api/v1/waste/pickup-requests/{id}/pay" : "/api/v1/payments/process",
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
  };
}

/** A display name: Unicode NFC, whitespace collapsed and trimmed (names are matched on input). */
const displayName = (example: string) =>
  z
    .string()
    .transform((v) => v.normalize("NFC").replace(/\s+/g, " ").trim())
    .pipe(z.string().min(1, "Give a name.").max(100, "At most 100 characters."))
    .openapi({ type: "string", example });

const AMOUNT_FIELDS = ["fixed_amount", "min_amount", "max_amount"] as const;

const feeRuleShape = {
  fee_type: z.enum(FEE_TYPES),
  fixed_amount: amountSchema.nullish(),
  min_amount: amountSchema.nullish(),
  max_amount: amountSchema.nullish(),
};

interface FeeRuleInput {
  fee_type?: (typeof FEE_TYPES)[number];
  fixed_amount?: string | null;
  min_amount?: string | null;
  max_amount?: string | null;
}

/** The amounts must fit the fee type (the same rule as the table's check constraint, with field-level messages). */
function checkFeeRule(rule: FeeRuleInput, ctx: z.RefinementCtx): void {
  const given = (field: (typeof AMOUNT_FIELDS)[number]) => rule[field] != null;
  const refuse = (field: string, message: string) => ctx.addIssue({ code: "custom", path: [field], message });
  if (rule.fee_type === undefined) {
    if (AMOUNT_FIELDS.some(given)) refuse("fee_type", "Send fee_type with its amounts: the fee rule is replaced as a whole.");
    return;
  }
  const expected = { fixed: ["fixed_amount"], range: ["min_amount", "max_amount"], free: [] }[rule.fee_type] as readonly string[];
  for (const field of AMOUNT_FIELDS) {
    if (expected.includes(field) && !given(field)) refuse(field, `A ${rule.fee_type} fee needs ${expected.join(" and ")}.`);
    if (!expected.includes(field) && given(field)) {
      refuse(field, rule.fee_type === "free" ? "A free-amount fee has no fixed_amount, min_amount or max_amount." : `A ${rule.fee_type} fee has no ${field}.`);
    }
  }
  if (rule.fee_type === "range" && given("min_amount") && given("max_amount") && toPaisa(rule.max_amount!)! <= toPaisa(rule.min_amount!)!) {
    refuse("max_amount", "max_amount must be greater than min_amount.");
  }
}

export const createPayableServiceBody = z
  .object({
    code: z
      .string()
      .trim()
      .regex(SERVICE_CODE, "Use lowercase ASCII snake_case, 2–50 characters, e.g. tree_felling_permit.")
      .openapi({ example: "tree_felling_permit", description: "Stable; cannot be changed later" }),
    name_bn: displayName("গাছ কাটার অনুমতি"),
    name_en: displayName("Tree Felling Permit"),
    ...feeRuleShape,
    is_active: z.boolean().optional().openapi({ description: "Default true" }),
    sort_order: z.number().int().min(0).max(100_000).optional().openapi({ description: "Default: after the last one" }),
  })
  .superRefine(checkFeeRule)
  .openapi("PayableServiceCreate");

export const updatePayableServiceBody = z
  .object({
    name_bn: displayName("গাছ কাটার অনুমতি").optional(),
    name_en: displayName("Tree Felling Permit").optional(),
    ...feeRuleShape,
    fee_type: feeRuleShape.fee_type.optional(),
    is_active: z.boolean().optional(),
    sort_order: z.number().int().min(0).max(100_000).optional(),
  })
  .superRefine((body, ctx) => {
    if (Object.values(body).every((v) => v === undefined)) {
      ctx.addIssue({ code: "custom", message: "Send at least one field to change." });
      return;
    }
    checkFeeRule(body, ctx);
  })
  .openapi("PayableServiceUpdate", {
    description: "Any subset of the fields. The fee rule is replaced as a whole: send `fee_type` with its amounts (the others become null).",
  });

export type CreatePayableService = z.infer<typeof createPayableServiceBody>;
export type UpdatePayableService = z.infer<typeof updatePayableServiceBody>;

export const removedPayableServiceSchema = z
  .object({
    outcome: z.enum(["deleted", "deactivated"]).openapi({ description: "`deactivated` when payments reference the service (they keep it)" }),
    service: payableServiceSchema,
  })
  .openapi("PayableServiceRemoved");
