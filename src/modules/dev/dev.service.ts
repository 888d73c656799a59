import { desc, eq } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { smsOutbox } from "../../db/schema";

export async function listSentSms(services: ServiceContext, phone: string) {
  const rows = await services.db
    .select({ phone: smsOutbox.phone, message: smsOutbox.message, createdAt: smsOutbox.createdAt })
    .from(smsOutbox)
    .where(eq(smsOutbox.phone, phone))
    .orderBy(desc(smsOutbox.createdAt))
    .limit(50);
  return rows.map((r) => ({ phone: r.phone, message: r.message, created_at: r.createdAt.toISOString() }));
}
