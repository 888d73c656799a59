/** The donation and donation project objects (contract §7). */
import { z } from "@hono/zod-openapi";
import { PAYMENT_METHODS, PAYMENT_STATUSES } from "../payments/payments.schemas";

export const projectSchema = z
  .object({
    id: z.string().uuid(),
    name: z.string().openapi({ example: "Buriganga riverbank cleanup" }),
    name_bn: z.string().nullable(),
    description: z.string().nullable(),
    goal_amount: z.string().openapi({ example: "500000.00" }),
    amount_raised: z.string().openapi({ example: "12500.00", description: "Completed donations less their refunds" }),
    donations_count: z.number().int(),
    created_at: z.string(),
  })
  .openapi("DonationProject");

export const donationSchema = z
  .object({
    id: z.string().uuid(),
    user_id: z.string().uuid(),
    project_id: z.string().uuid(),
    project_name: z.string(),
    amount: z.string().openapi({ example: "1000.00" }),
    payment_method: z.enum(PAYMENT_METHODS),
    payment_id: z.string().uuid(),
    transaction_id: z.string(),
    status: z.enum(PAYMENT_STATUSES).openapi({ description: "The payment's status" }),
    message: z.string().nullable(),
    receipt_number: z.string().nullable().openapi({ example: "DN202611220001", description: "Given when the payment completes" }),
    created_at: z.string(),
    completed_at: z.string().nullable(),
  })
  .openapi("Donation");

export type DonationDto = z.infer<typeof donationSchema>;

export const donationStartedSchema = z
  .object({
    donation_id: z.string().uuid(),
    payment_id: z.string().uuid(),
    transaction_id: z.string(),
    status: z.literal("processing"),
    payment_url: z.string(),
    bkash_url: z.string().optional(),
  })
  .openapi("DonationStarted");
