/** The status machine (every allowed and disallowed move), concurrency, and tracking numbers. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { fileComplaint, validComplaint } from "../../../test/support/complaints";
import { signedIn, waitForSms, withServices } from "../../../test/support/factories";
import { api } from "../../../test/support/http";
import { dhakaDayStamp } from "../../lib/dhaka-time";
import { createComplaint } from "./complaints.service";
import { STATUS } from "./status-machine";

const ALL = [STATUS.submitted, STATUS.inProgress, STATUS.resolved, STATUS.cancelled];
const ALLOWED = new Set([
  `${STATUS.submitted}→${STATUS.inProgress}`,
  `${STATUS.submitted}→${STATUS.cancelled}`,
  `${STATUS.inProgress}→${STATUS.resolved}`,
  `${STATUS.inProgress}→${STATUS.cancelled}`,
]);
const PATH_TO: Record<string, string[]> = {
  [STATUS.submitted]: [],
  [STATUS.inProgress]: [STATUS.inProgress],
  [STATUS.resolved]: [STATUS.inProgress, STATUS.resolved],
  [STATUS.cancelled]: [STATUS.cancelled],
};

describe("status machine", () => {
  const moves = ALL.flatMap((from) => ALL.map((to) => [from, to] as const));
  it.each(moves)("staff: %s → %s", async (from, to) => {
    const citizen = await signedIn();
    const admin = await signedIn({ userType: "admin" });
    const c = await fileComplaint(citizen.access);
    for (const step of PATH_TO[from]!) {
      expect((await api(`/api/v1/complaints/${c.id}/update_status`, { token: admin.access, body: { new_status: step } })).status).toBe(200);
    }
    const res = await api(`/api/v1/complaints/${c.id}/update_status`, { token: admin.access, body: { new_status: to } });
    if (ALLOWED.has(`${from}→${to}`)) {
      expect(res.status).toBe(200);
      expect(res.body.status).toBe(to);
      expect(res.body.resolved_at !== null).toBe(to === STATUS.resolved);
    } else {
      expect(res.status).toBe(409);
      expect(res.body.code).toBe("conflict");
      expect((await api(`/api/v1/complaints/${c.id}`, { token: admin.access })).body.status).toBe(from);
    }
  });

  it("the owner may cancel while submitted, and not after work started", async () => {
    const citizen = await signedIn();
    const admin = await signedIn({ userType: "admin" });
    const a = await fileComplaint(citizen.access);
    const cancelled = await api(`/api/v1/complaints/${a.id}/update_status`, { token: citizen.access, body: { status: "cancelled", comment: "Fixed by neighbours" } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe(STATUS.cancelled);
    const b = await fileComplaint(citizen.access);
    await api(`/api/v1/complaints/${b.id}/update_status`, { token: admin.access, body: { status: "in_progress" } });
    expect((await api(`/api/v1/complaints/${b.id}/update_status`, { token: citizen.access, body: { status: "cancelled" } })).status).toBe(409);
  });

  it("two staff starting work on the same complaint at once: exactly one wins, history has one entry", async () => {
    const citizen = await signedIn();
    const admins = await Promise.all([signedIn({ userType: "admin" }), signedIn({ userType: "super_admin" })]);
    const c = await fileComplaint(citizen.access);
    const results = await Promise.all([
      api(`/api/v1/complaints/${c.id}/update_status`, { token: admins[0]!.access, body: { status: "in_progress" } }),
      api(`/api/v1/complaints/${c.id}/update_status`, { token: admins[1]!.access, body: { status: "in_progress" } }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const history = await api(`/api/v1/complaints/${c.id}/updates`, { token: citizen.access });
    expect(history.body).toHaveLength(2);
    expect(history.body[1].old_status).toBe(STATUS.submitted);
  });

  it("every status change and assignment sends the owner an SMS with the tracking number", async () => {
    const citizen = await signedIn();
    const admin = await signedIn({ userType: "admin", name: "Officer Karim" });
    const c = await fileComplaint(citizen.access);
    await api(`/api/v1/complaints/${c.id}/assign`, { token: admin.access, body: { assigned_to: admin.user.id } });
    expect(await waitForSms(citizen.user.phone)).toContain("Officer Karim");
    await api(`/api/v1/complaints/${c.id}/update_status`, { token: admin.access, body: { status: "in_progress" } });
    const sms = await waitForSms(citizen.user.phone, 1);
    expect(sms).toContain(c.tracking_number);
    expect(sms).toContain(STATUS.inProgress);
  });
});

describe("tracking numbers", () => {
  it("50 complaints filed at the same moment get 50 distinct, consecutive numbers", async () => {
    const citizens = await Promise.all(Array.from({ length: 5 }, () => signedIn()));
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => api("/api/v1/complaints", { token: citizens[i % 5]!.access, body: validComplaint({ title: `Burst ${i}` }) })),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    const numbers = results.map((r) => r.body.tracking_number as string);
    const prefix = `CC${dhakaDayStamp()}`;
    expect(numbers.every((n) => n.startsWith(prefix))).toBe(true);
    const sequence = numbers.map((n) => Number(n.slice(prefix.length))).sort((a, b) => a - b);
    expect(new Set(sequence).size).toBe(50);
    expect(sequence[49]! - sequence[0]!).toBe(49); // consecutive: no gaps, no repeats
  });

  it("follow the Dhaka calendar day: 18:30 UTC already belongs to the next day", async () => {
    const citizen = await signedIn();
    // A day far in the future keeps this test's sequence to itself.
    const before = new Date("2031-03-14T17:59:59Z"); // 23:59:59 in Dhaka, 14 March
    const after = new Date("2031-03-14T18:30:00Z"); // 00:30 in Dhaka, 15 March
    const [a, b, c] = await withServices(async (services) => [
      await createComplaint(services, citizen.user, { ...validComplaint(), category: "রাস্তাঘাট" } as any, [], before),
      await createComplaint(services, citizen.user, { ...validComplaint(), category: "রাস্তাঘাট" } as any, [], after),
      await createComplaint(services, citizen.user, { ...validComplaint(), category: "রাস্তাঘাট" } as any, [], after),
    ]);
    expect(a!.complaint.tracking_number).toBe("CC203103140001");
    expect(b!.complaint.tracking_number).toBe("CC203103150001");
    expect(c!.complaint.tracking_number).toBe("CC203103150002");
  });

  it("past 9,999 in a day the sequence widens instead of failing", async () => {
    const citizen = await signedIn();
    const day = new Date("2032-07-01T06:00:00Z");
    await withServices(({ db }) => db.execute(sql`insert into daily_sequences (scope, day, last_value) values ('complaint', '2032-07-01', 9999)`));
    const result = await withServices((services) => createComplaint(services, citizen.user, { ...validComplaint(), category: "রাস্তাঘাট" } as any, [], day));
    expect(result.complaint.tracking_number).toBe("CC2032070110000");
  });

  it("a failed insert does not burn a number (gap-free)", async () => {
    const citizen = await signedIn();
    const day = new Date("2033-01-10T06:00:00Z");
    const input = { ...validComplaint(), category: "রাস্তাঘাট" } as any;
    const first = await withServices((s) => createComplaint(s, citizen.user, input, [], day));
    // A value the CHECK constraint refuses makes the statement fail after the number was taken.
    await expect(withServices((s) => createComplaint(s, citizen.user, { ...input, priority: "invalid" }, [], day))).rejects.toThrow();
    const second = await withServices((s) => createComplaint(s, citizen.user, input, [], day));
    expect(first.complaint.tracking_number).toBe("CC203301100001");
    expect(second.complaint.tracking_number).toBe("CC203301100002");
  });
});
