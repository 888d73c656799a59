/**
 * Who may change the calendar: every role × every staff route, with ward-scoped `calendar` grants
 * (an event targets wards; a change needs the permission in every one, an all-ward event an
 * unrestricted grant). Refusals write nothing — no event, no edit, no activity-log row. Then bad
 * input: 400 with the validation envelope, and nothing written. Wards 241–242.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { postEvent, tag } from "../../../test/support/calendar";
import { signedIn, withServices, type UserOptions } from "../../../test/support/factories";
import { api } from "../../../test/support/http";

const superAdmin = await signedIn({ userType: "super_admin" });
const when = { starts_at: "2031-02-01T10:00:00+06:00", ends_at: "2031-02-01T11:00:00+06:00" };

async function eventState(id: string) {
  return withServices(async ({ db }) => {
    const { rows } = await db.execute<{ title: string; logs: number }>(sql`
      select title, (select count(*)::int from activity_logs where resource_type = 'calendar_event' and resource_id = ${id}) as logs
      from calendar_events where id = ${id}`);
    return rows[0];
  });
}

const eventsTitled = (title: string) =>
  withServices(async ({ db }) => (await db.execute<{ n: number }>(sql`select count(*)::int as n from calendar_events where title = ${title}`)).rows[0]!.n);

type Target = "241" | "242" | "all";
const wardsOf = (t: Target) => (t === "all" ? [] : [t]);
const EVERY: Target[] = ["241", "242", "all"];
const NOTHING = { create: [], update: [], delete: [] };
const grant = (wards: string[], can: { c?: boolean; u?: boolean; d?: boolean }) => [
  { permission_type: "calendar" as const, ward_numbers: wards, can_read: true, can_create: can.c ?? false, can_update: can.u ?? false, can_delete: can.d ?? false },
];

interface Actor {
  name: string;
  user?: UserOptions;
  allows: Record<"create" | "update" | "delete", Target[]>;
  anonymous?: boolean;
}

const ACTORS: Actor[] = [
  { name: "anonymous", anonymous: true, allows: NOTHING },
  { name: "citizen", user: { userType: "citizen", wardNumber: "241" }, allows: NOTHING },
  { name: "admin without a calendar grant", user: { userType: "admin", permissions: [{ permission_type: "notices", can_create: true, can_update: true, can_delete: true }] }, allows: NOTHING },
  { name: "admin reading the calendar only", user: { userType: "admin", permissions: grant([], {}) }, allows: NOTHING },
  { name: "admin managing ward 241", user: { userType: "admin", permissions: grant(["241"], { c: true, u: true, d: true }) }, allows: { create: ["241"], update: ["241"], delete: ["241"] } },
  { name: "admin managing every ward", user: { userType: "admin", permissions: grant([], { c: true, u: true, d: true }) }, allows: { create: EVERY, update: EVERY, delete: EVERY } },
  { name: "super admin", user: { userType: "super_admin" }, allows: { create: EVERY, update: EVERY, delete: EVERY } },
];

const statusFor = (actor: Actor, action: "create" | "update" | "delete", targets: Target[], ok: number) =>
  actor.anonymous ? 401 : targets.every((t) => actor.allows[action].includes(t)) ? ok : 403;

describe("role × route × ward", async () => {
  for (const actor of ACTORS) {
    describe(actor.name, async () => {
      const token = actor.anonymous ? undefined : (await signedIn(actor.user)).access;

      for (const target of EVERY) {
        const want = statusFor(actor, "create", [target], 201);
        it(`POST /calendar/events for ${target} → ${want}`, async () => {
          const title = `${tag()} create`;
          const res = await api("/api/v1/calendar/events", { token, body: { title, ...when, target_wards: wardsOf(target) } });
          expect(res.status, JSON.stringify(res.body)).toBe(want);
          expect(await eventsTitled(title)).toBe(want === 201 ? 1 : 0);
          if (want !== 201) expect(res.body.code).toBe(want === 401 ? "unauthorized" : "forbidden");
        });

        const editWant = statusFor(actor, "update", [target], 200);
        it(`PATCH /calendar/events/{id} of ${target} → ${editWant}`, async () => {
          const e = await postEvent(superAdmin.access, { title: `${tag()} edit`, ...when, target_wards: wardsOf(target) });
          const res = await api(`/api/v1/calendar/events/${e.id}`, { method: "PATCH", token, body: { title: `${e.title} edited` } });
          expect(res.status, JSON.stringify(res.body)).toBe(editWant);
          const state = await eventState(e.id);
          expect(state!.title).toBe(editWant === 200 ? `${e.title} edited` : e.title);
          expect(state!.logs).toBe(editWant === 200 ? 2 : 1);
        });

        const deleteWant = statusFor(actor, "delete", [target], 204);
        it(`DELETE /calendar/events/{id} of ${target} → ${deleteWant}`, async () => {
          const e = await postEvent(superAdmin.access, { title: `${tag()} delete`, ...when, target_wards: wardsOf(target) });
          const res = await api(`/api/v1/calendar/events/${e.id}`, { method: "DELETE", token });
          expect(res.status).toBe(deleteWant);
          expect(await eventsTitled(e.title)).toBe(deleteWant === 204 ? 0 : 1);
        });
      }

      const moveWant = statusFor(actor, "update", ["241", "242"], 200);
      it(`PATCH moving a ward-241 event to ward 242 → ${moveWant}`, async () => {
        const e = await postEvent(superAdmin.access, { title: `${tag()} move`, ...when, target_wards: ["241"] });
        const res = await api(`/api/v1/calendar/events/${e.id}`, { method: "PATCH", token, body: { target_wards: ["242"] } });
        expect(res.status).toBe(moveWant);
      });

      it(`joining an event: ${actor.anonymous ? 401 : 200}`, async () => {
        const e = await postEvent(superAdmin.access, { title: `${tag()} join`, ...when });
        const res = await api(`/api/v1/calendar/events/${e.id}/participate`, { method: "POST", token });
        expect(res.status).toBe(actor.anonymous ? 401 : 200);
        expect((await api(`/api/v1/calendar/events/${e.id}`)).body.participant_count).toBe(actor.anonymous ? 0 : 1);
      });

      it("reads are public (a bad token is 401, not anonymous)", async () => {
        expect((await api("/api/v1/calendar/events", { token })).status).toBe(200);
        expect((await api("/api/v1/calendar/events", { token: "not-a-token" })).status).toBe(401);
      });
    });
  }
});

describe("bad input writes nothing", () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["no title", { ...when }, "title"],
    ["ends before it starts", { title: "x", starts_at: "2031-02-01T10:00:00+06:00", ends_at: "2031-02-01T09:00:00+06:00" }, "ends_at"],
    ["no ends_at for a timed event", { title: "x", starts_at: "2031-02-01T10:00:00+06:00" }, "ends_at"],
    ["a time without offset", { title: "x", starts_at: "2031-02-01T10:00:00", ends_at: "2031-02-01T11:00:00+06:00" }, "starts_at"],
    ["an unknown category", { title: "x", ...when, category: "party" }, "category"],
    ["a zero capacity", { title: "x", ...when, capacity: 0 }, "capacity"],
    ["a latitude off the globe", { title: "x", ...when, latitude: 123 }, "latitude"],
    ["a bad ward", { title: "x", ...when, target_wards: ["12a"] }, "target_wards.0"],
    ["a daily repeat", { title: "x", ...when, recurrence: { freq: "daily" } }, "recurrence.freq"],
    ["both until and count", { title: "x", ...when, recurrence: { freq: "weekly", until: "2031-12-31", count: 3 } }, "recurrence.count"],
    ["until before the start", { title: "x", ...when, recurrence: { freq: "weekly", until: "2030-12-31" } }, "recurrence"],
    ["an interval of 13", { title: "x", ...when, recurrence: { freq: "monthly", interval: 13 } }, "recurrence.interval"],
    ["an unknown field", { title: "x", ...when, colour: "red" }, "non_field_errors"],
  ];
  for (const [what, body, field] of cases) {
    it(`${what} → 400 on ${field}`, async () => {
      const title = `${tag()} bad`;
      const res = await api("/api/v1/calendar/events", { token: superAdmin.access, body: { ...body, ...(body.title ? { title } : {}) } });
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(res.body.code).toBe("validation_error");
      expect(Object.keys(res.body.details)).toContain(field);
      expect(await eventsTitled(title)).toBe(0);
    });
  }
});
