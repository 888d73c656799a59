import type { InferSelectModel } from "drizzle-orm";
import type { donationProjects, donations, payableServices, paymentRefunds, payments, users } from "./schema";

export type UserRow = InferSelectModel<typeof users>;
export type PaymentRow = InferSelectModel<typeof payments>;
export type PaymentRefundRow = InferSelectModel<typeof paymentRefunds>;
export type DonationProjectRow = InferSelectModel<typeof donationProjects>;
export type DonationRow = InferSelectModel<typeof donations>;
export type PayableServiceRow = InferSelectModel<typeof payableServices>;
