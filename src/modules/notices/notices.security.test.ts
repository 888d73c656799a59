/**
 * Who may change the notice board: every role × every staff route, with ward-scoped grants (a notice
 * targets wards; a change needs the permission in every one of them, an all-ward notice an
 * unrestricted grant). Refusals write nothing — no notice, no edit, no activity-log row. Then bad
 * input: 400 with the validation envelope, and nothing written. Wards 851–853.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { signedIn, withServices, type UserOptions } from "../../../test/support/factories";
import { api } from "../../../test/support/http";
import { inSeconds, postNotice, tag } from "../../../test/support/notices";

const superAdmin = await signedIn({ userType: "super_admin" });

async function noticeState(id: string) {
  return withServices(async ({ db }) => {
    const { rows } = await db.execute<{ title: string; target_wards: string[]; is_active: boolean; logs: number }>(sql`
      select title, to_json(target_wards) as target_wards, is_active,
             (select count(*)::int from activity_logs where resource_type = 'notice' and resource_id = ${id}) as logs
      from notices where id = ${id}`);
    return rows[0];
  });
}

async function noticesTitled(title: string) {
  return withServices(async ({ db }) => (await db.execute<{ n: number }>(sql`select count(*)::int as n from notices where title = ${title}`)).rows[0]!.n);
}

type Target = "851" | "852" | "851+852" | "all";
const wardsOf = (t: Target) => (t === "all" ? [] : t === "851+852" ? ["851", "852"] : [t]);

interface Actor {
  name: string;
  user?: UserOptions;
  /** Targets each action is allowed on (an unlisted one: 403). */
  allows: Record<"create" | "update" | "delete", Target[]>;
  /** Without a token: 401. */
  anonymous?: boolean;
}

const EVERY: Target[] = ["851", "852", "851+852", "all"];
const NOTHING = { create: [], update: [], delete: [] };
const grant = (wards: string[], can: { c?: boolean; u?: boolean; d?: boolean }) => [
  { permission_type: "notices" as const, ward_numbers: wards, can_read: true, can_create: can.c ?? false, can_update: can.u ?? false, can_delete: can.d ?? false },
];
const ACTORS: Actor[] = [
  { name: "anonymous", anonymous: true, allows: NOTHING },
  { name: "citizen", user: { userType: "citizen", wardNumber: "851" }, allows: NOTHING },
  { name: "service provider", user: { userType: "service_provider" }, allows: NOTHING },
  { name: "admin without a notices permission", user: { userType: "admin", permissions: [{ permission_type: "complaints", can_create: true, can_update: true, can_delete: true }] }, allows: NOTHING },
  { name: "admin reading notices everywhere", user: { userType: "admin", permissions: grant([], {}) }, allows: NOTHING },
  { name: "admin creating in ward 851 only", user: { userType: "admin", permissions: grant(["851"], { c: true }) }, allows: { create: ["851"], update: [], delete: [] } },
  {
    name: "admin managing ward 851",
    user: { userType: "admin", permissions: grant(["851"], { c: true, u: true, d: true }) },
    allows: { create: ["851"], update: ["851"], delete: ["851"] },
  },
  {
    name: "admin managing wards 851 and 852",
    user: { userType: "admin", permissions: grant(["851", "852"], { c: true, u: true, d: true }) },
    allows: { create: ["851", "852", "851+852"], update: ["851", "852", "851+852"], delete: ["851", "852", "851+852"] },
  },
  { name: "admin managing every ward", user: { userType: "admin", permissions: grant([], { c: true, u: true, d: true }) }, allows: { create: EVERY, update: EVERY, delete: EVERY } },
  { name: "super admin", user: { userType: "super_admin" }, allows: { create: EVERY, update: EVERY, delete: EVERY } },
];

const statusFor = (actor: Actor, action: "create" | "update" | "delete", targets: Target[], ok: number) => {
  if (actor.anonymous) return 401;
  return targets.every((t) => actor.allows[action].includes(t)) ? ok : 403;
};

describe("role × route × ward", async () => {
  for (const actor of ACTORS) {
    describe(actor.name, async () => {
      const token = actor.anonymous ? undefined : (await signedIn(actor.user)).access;

      for (const target of EVERY) {
        const want = statusFor(actor, "create", [target], 201);
        it(`POST /notices for ${target} → ${want}`, async () => {
          const title = `${tag()} create`;
          const res = await api("/api/v1/notices", { token, body: { title, content: "x", target_wards: wardsOf(target) } });
          expect(res.status, JSON.stringify(res.body)).toBe(want);
          expect(await noticesTitled(title)).toBe(want === 201 ? 1 : 0);
          if (want !== 201) expect(res.body.code).toBe(want === 401 ? "unauthorized" : "forbidden");
        });
      }

      for (const target of EVERY) {
        for (const method of ["PATCH", "PUT"] as const) {
          const want = statusFor(actor, "update", [target], 200);
          it(`${method} /notices/{id} of ${target} → ${want}`, async () => {
            const n = await postNotice(superAdmin.access, { title: `${tag()} edit`, target_wards: wardsOf(target) });
            const res = await api(`/api/v1/notices/${n.id}`, { method, token, body: { title: `${n.title} edited` } });
            expect(res.status, JSON.stringify(res.body)).toBe(want);
            const state = await noticeState(n.id);
            expect(state!.title).toBe(want === 200 ? `${n.title} edited` : n.title);
            expect(state!.logs).toBe(want === 200 ? 2 : 1);
          });
        }
      }

      const moveWant = statusFor(actor, "update", ["851", "852"], 200);
      it(`PATCH moving a ward-851 notice to ward 852 → ${moveWant}`, async () => {
        const n = await postNotice(superAdmin.access, { title: `${tag()} move`, target_wards: ["851"] });
        const res = await api(`/api/v1/notices/${n.id}`, { method: "PATCH", token, body: { target_wards: ["852"] } });
        expect(res.status).toBe(moveWant);
        expect((await noticeState(n.id))!.target_wards).toEqual(moveWant === 200 ? ["852"] : ["851"]);
      });

      const widenWant = statusFor(actor, "update", ["851", "all"], 200);
      it(`PATCH widening a ward-851 notice to every ward → ${widenWant}`, async () => {
        const n = await postNotice(superAdmin.access, { title: `${tag()} widen`, target_wards: ["851"] });
        const res = await api(`/api/v1/notices/${n.id}`, { method: "PATCH", token, body: { target_wards: [] } });
        expect(res.status).toBe(widenWant);
      });

      for (const target of EVERY) {
        const want = statusFor(actor, "delete", [target], 204);
        it(`DELETE /notices/{id} of ${target} → ${want}`, async () => {
          const n = await postNotice(superAdmin.access, { title: `${tag()} delete`, target_wards: wardsOf(target) });
          const res = await api(`/api/v1/notices/${n.id}`, { method: "DELETE", token });
          expect(res.status).toBe(want);
          const state = await noticeState(n.id);
          expect(state!.is_active).toBe(want !== 204);
          expect(state!.logs).toBe(want === 204 ? 2 : 1);
        });
      }

      if (!actor.anonymous) {
        it("an unknown notice is 404 for staff who may change notices, 403 before that for others", async () => {
          const id = crypto.randomUUID();
          const res = await api(`/api/v1/notices/${id}`, { method: "PATCH", token, body: { title: "x" } });
          const staff = actor.user?.userType === "admin" || actor.user?.userType === "super_admin";
          expect(res.status).toBe(staff ? 404 : 403);
        });
      }
    });
  }
});

describe("staff views with include=all follow notices.read", () => {
  it("a ward-851 reader sees drafts for ward 851 and every ward, not ward 852's (live ones always); without notices.read, the public view", async () => {
    const t = tag();
    await postNotice(superAdmin.access, { title: `${t} d851`, target_wards: ["851"], is_active: false });
    await postNotice(superAdmin.access, { title: `${t} d852`, target_wards: ["852"], is_active: false });
    await postNotice(superAdmin.access, { title: `${t} dall`, is_active: false });
    await postNotice(superAdmin.access, { title: `${t} live852`, target_wards: ["852"] });
    const reader = await signedIn({ userType: "admin", permissions: [{ permission_type: "notices", ward_numbers: ["851"], can_read: true }] });
    const blind = await signedIn({ userType: "admin", permissions: [{ permission_type: "complaints", can_read: true }] });
    const titles = async (token: string) =>
      ((await api(`/api/v1/notices?search=${t}&include=all`, { token })).body.results as Array<{ title: string }>).map((n) => n.title).sort();
    expect(await titles(reader.access)).toEqual([`${t} d851`, `${t} dall`, `${t} live852`]);
    expect(await titles(blind.access)).toEqual([`${t} live852`]);
    expect(await titles(superAdmin.access)).toEqual([`${t} d851`, `${t} d852`, `${t} dall`, `${t} live852`]);
  });
});

describe("bad input: 400 with the validation envelope, nothing written", () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["a title over 200 characters", { title: "ন".repeat(201) }, "title"],
    ["an empty title", { title: "   " }, "title"],
    ["a category not in the list", { category: "gossip" }, "category"],
    ["a priority not in the list", { priority: "severe" }, "priority"],
    ["expires_at before published_at", { published_at: inSeconds(3600), expires_at: inSeconds(60) }, "expires_at"],
    ["expires_at equal to published_at", { published_at: "2030-01-01T00:00:00+06:00", expires_at: "2030-01-01T00:00:00+06:00" }, "expires_at"],
    ["expires_at already past (published now)", { expires_at: inSeconds(-60) }, "expires_at"],
    ["a timestamp that is not ISO-8601", { published_at: "tomorrow" }, "published_at"],
    ["a timestamp without an offset", { published_at: "2030-01-01T10:00:00" }, "published_at"],
    ["a ward that is not a number", { target_wards: ["12; drop table notices"] }, "target_wards.0"],
    ["target_wards not an array", { target_wards: "12" }, "target_wards"],
    ["is_urgent not a boolean", { is_urgent: "yes" }, "is_urgent"],
    ["an unknown field", { created_by: "00000000-0000-0000-0000-000000000000" }, "non_field_errors"],
    ["view_count set by the client", { view_count: 1_000_000 }, "non_field_errors"],
  ];
  it.each(cases)("POST with %s", async (_what, patch, field) => {
    const title = typeof patch.title === "string" ? patch.title : `${tag()} bad`;
    const res = await api("/api/v1/notices", { token: superAdmin.access, body: { title, content: "x", ...patch } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_error");
    expect(typeof res.body.error).toBe("string");
    expect(Object.keys(res.body.details)).toContain(field);
    expect(await noticesTitled(title.trim())).toBe(0);
  });

  it("a title of exactly 200 characters is fine", async () => {
    const res = await api("/api/v1/notices", { token: superAdmin.access, body: { title: "ন".repeat(200), content: "x" } });
    expect(res.status).toBe(201);
  });

  it("PATCH against the stored dates: expires_at before the stored published_at, or published_at after the stored expires_at", async () => {
    const n = await postNotice(superAdmin.access, { title: `${tag()} dates`, published_at: inSeconds(-60), expires_at: inSeconds(3600) });
    for (const body of [{ expires_at: inSeconds(-120) }, { published_at: inSeconds(7200) }]) {
      const res = await api(`/api/v1/notices/${n.id}`, { method: "PATCH", token: superAdmin.access, body });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: "validation_error", details: { expires_at: ["expires_at must be after published_at."] } });
    }
    expect((await noticeState(n.id))!.logs).toBe(1);
    const cleared = await api(`/api/v1/notices/${n.id}`, { method: "PATCH", token: superAdmin.access, body: { expires_at: null, published_at: inSeconds(7200) } });
    expect(cleared.status).toBe(200);
    expect(cleared.body.expires_at).toBeNull();
  });

  it("PATCH with bad fields is refused the same way", async () => {
    const n = await postNotice(superAdmin.access, { title: `${tag()} patch` });
    for (const body of [{ title: "x".repeat(201) }, { priority: "severe" }, { nope: 1 }, { target_wards: [12.5] }]) {
      const res = await api(`/api/v1/notices/${n.id}`, { method: "PATCH", token: superAdmin.access, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe("validation_error");
    }
    expect((await noticeState(n.id))!.title).toBe(n.title);
  });

  it("malformed JSON, a non-object body or another media type: a 4xx envelope", async () => {
    const malformed = await api("/api/v1/notices", { token: superAdmin.access, body: '{"title": "x', headers: { "content-type": "application/json" } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe("invalid_json");
    for (const [body, type] of [["[1,2]", "application/json"], ["null", "application/json"], ["title=x", "application/x-www-form-urlencoded"], ["hello", "text/plain"]]) {
      const res = await api("/api/v1/notices", { token: superAdmin.access, body, headers: { "content-type": type! } });
      expect(res.status, `${type} ${body}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(typeof res.body.code).toBe("string");
    }
  });

  it("bad ids are 404; bad query parameters 400; a bad token on a public read 401", async () => {
    expect((await api("/api/v1/notices/not-a-uuid")).status).toBe(404);
    expect((await api("/api/v1/notices/not-a-uuid", { method: "DELETE", token: superAdmin.access })).status).toBe(404);
    expect((await api(`/api/v1/notices/${crypto.randomUUID()}`, { method: "DELETE", token: superAdmin.access })).status).toBe(404);
    for (const query of ["priority=severe", "category=gossip", "page_size=1000", "page=0", "ward_number=abc", "include=everything", `search=${"x".repeat(101)}`]) {
      const res = await api(`/api/v1/notices?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.code).toBe("validation_error");
    }
    for (const auth of ["Bearer not-a-token", "Basic abc", "Bearer"]) {
      const res = await api("/api/v1/notices", { headers: { authorization: auth } });
      expect(res.status, auth).toBe(401);
      expect(res.body.code).toBe("unauthorized");
    }
  });

  it("hostile search strings are just text", async () => {
    const t = tag();
    const plain = await postNotice(superAdmin.access, { title: `${t} plain`, content: "abc" });
    const literal = await postNotice(superAdmin.access, { title: `${t} literal`, content: `${t}%_\\' or 1=1 --` });
    const found = async (search: string) => {
      const res = await api(`/api/v1/notices?search=${encodeURIComponent(search)}`);
      expect(res.status, search).toBe(200);
      return (res.body.results as Array<{ id: string }>).map((n) => n.id);
    };
    for (const search of [`${t}' or 1=1 --`, `${t}%`, `${t}_`, `${t}\\`]) expect(await found(search), search).not.toContain(plain.id);
    expect(await found(`${t}%`)).toEqual([literal.id]);
    expect(await found(`${t}%_\\' or 1=1 --`)).toEqual([literal.id]);
    expect((await found(t)).length).toBe(2);
  });
});
