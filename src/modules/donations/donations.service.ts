/**
 * Donations to city projects, through the same payment engine as fees: a donation is a payment with
 * service_type `donation` plus a donations row (project, message, receipt number). The receipt
 * number is given by the settlement's completing transaction (payments/settlement.service.ts).
 */
import type { AuthUser } from "../../lib/tokens";
import { and, asc, count, desc, eq, sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { donationProjects, donations, payments } from "../../db/schema";
import type { UserRow } from "../../db/types";
import { ApiError, validationError } from "../../lib/errors";
import { pageLimits, type PageRequest } from "../../lib/pagination";
import { inStaffWards } from "../admin/staff-scope";
import { isStaff } from "../users/users.service";
import { startPayment } from "../payments/payments.service";
import { DONATION_SERVICE_TYPE } from "../payments/settlement.service";
import type { DonationDto } from "./donations.schemas";

/** Money that counts as raised: completed payments, less what was refunded of them. */
const raised = sql<string>`coalesce(sum(${payments.amount} - ${payments.refundedAmount}) filter (where ${payments.status} in ('completed', 'refunded')), 0)::numeric(12,2)`;
const donated = sql<number>`(count(${payments.id}) filter (where ${payments.status} in ('completed', 'refunded')))::int`;

/** Active projects with what they raised: one grouped query and a count. */
export async function listProjects(services: ServiceContext, page: PageRequest) {
  const { limit, offset } = pageLimits(page);
  const [rows, [total]] = await services.db.batch([
    services.db
      .select({ project: donationProjects, raised, donated })
      .from(donationProjects)
      .leftJoin(donations, eq(donations.projectId, donationProjects.id))
      .leftJoin(payments, eq(payments.id, donations.paymentId))
      .where(eq(donationProjects.isActive, true))
      .groupBy(donationProjects.id)
      .orderBy(asc(donationProjects.createdAt), asc(donationProjects.name))
      .limit(limit)
      .offset(offset),
    services.db.select({ n: count() }).from(donationProjects).where(eq(donationProjects.isActive, true)),
  ]);
  return {
    count: total?.n ?? 0,
    rows: rows.map(({ project: p, raised, donated }) => ({
      id: p.id,
      name: p.name,
      name_bn: p.nameBn,
      description: p.description,
      goal_amount: p.goalAmount,
      amount_raised: raised,
      donations_count: donated,
      created_at: p.createdAt.toISOString(),
    })),
  };
}

export interface NewDonation {
  projectId?: string;
  projectName?: string;
  amount: string;
  method: string;
  phone: string;
  message?: string;
}

export async function startDonation(services: ServiceContext, user: AuthUser, input: NewDonation, callbackUrl: string) {
  const [project] = await services.db
    .select({ id: donationProjects.id })
    .from(donationProjects)
    .where(and(eq(donationProjects.isActive, true), input.projectId ? eq(donationProjects.id, input.projectId) : eq(donationProjects.name, input.projectName ?? "")))
    .limit(1);
  if (!project) {
    throw validationError({ [input.projectId ? "project_id" : "project_name"]: ["No active donation project by that name or id."] });
  }
  const donationId = crypto.randomUUID();
  const started = await startPayment(
    services,
    user,
    { serviceType: DONATION_SERVICE_TYPE, amount: input.amount, method: input.method, phone: input.phone },
    callbackUrl,
    { related: (paymentId) => [services.db.insert(donations).values({ id: donationId, userId: user.id, projectId: project.id, paymentId, message: input.message ?? null })] },
  );
  return { donationId, ...started };
}

const donationColumns = {
  donation: donations,
  projectName: donationProjects.name,
  payment: payments,
};

type DonationJoin = { donation: typeof donations.$inferSelect; projectName: string; payment: typeof payments.$inferSelect };

function toDonationDto({ donation: d, projectName, payment: p }: DonationJoin): DonationDto {
  return {
    id: d.id,
    user_id: d.userId,
    project_id: d.projectId,
    project_name: projectName,
    amount: p.amount,
    payment_method: p.paymentMethod,
    payment_id: p.id,
    transaction_id: p.transactionId,
    status: p.status,
    message: d.message,
    receipt_number: d.receiptNumber,
    created_at: d.createdAt.toISOString(),
    completed_at: p.completedAt ? p.completedAt.toISOString() : null,
  };
}

/** The donor's own donations, newest first: two statements whatever the page holds. */
export async function listOwnDonations(services: ServiceContext, user: AuthUser, page: PageRequest) {
  const { limit, offset } = pageLimits(page);
  const [rows, [total]] = await services.db.batch([
    services.db
      .select(donationColumns)
      .from(donations)
      .innerJoin(donationProjects, eq(donationProjects.id, donations.projectId))
      .innerJoin(payments, eq(payments.id, donations.paymentId))
      .where(eq(donations.userId, user.id))
      .orderBy(desc(donations.createdAt), desc(donations.id))
      .limit(limit)
      .offset(offset),
    services.db.select({ n: count() }).from(donations).where(eq(donations.userId, user.id)),
  ]);
  return { count: total?.n ?? 0, rows: rows.map(toDonationDto) };
}

/** The donor and staff who may read payments in the donor's ward may read a donation; anyone else is told it does not exist. */
export async function getDonation(services: ServiceContext, viewer: AuthUser, id: string): Promise<DonationDto> {
  // Staff read donations as payments: `payments.read` in the donor's ward.
  const staffMay = isStaff(viewer) ? inStaffWards(viewer, "payments", "read", sql`(select u.ward_number from users u where u.id = ${donations.userId})`) : sql`false`;
  const [row] = await services.db
    .select({ ...donationColumns, staffMay: sql<boolean>`${staffMay}` })
    .from(donations)
    .innerJoin(donationProjects, eq(donationProjects.id, donations.projectId))
    .innerJoin(payments, eq(payments.id, donations.paymentId))
    .where(eq(donations.id, id))
    .limit(1);
  if (!row || (row.donation.userId !== viewer.id && !row.staffMay)) throw new ApiError("not_found");
  return toDonationDto(row);
}
