/**
 * The bench's scenario registry. `setup` is untimed and returns one state per connection; `request`
 * is the one timed HTTP call (throw via `must` on a wrong status; return EXHAUSTED when the work the
 * setup prepared is used up, which ends the scenario early). New scenarios go into SCENARIOS.
 */
import { paymentScenarios, type BenchScenario } from "../bench-payments";
import { calendarEvents, chatRooms, benchCitizens, complaintJson, credentials, login, openComplaints, payments, galleryItems, photoComplaints, sessionsFor } from "./fixtures";
import { http, must, type Reply } from "./http";

export const EXHAUSTED = Symbol("exhausted");

export interface Scenario<S = any> {
  name: string;
  description: string;
  setup(connections: number): Promise<S[]>;
  request(state: S): Promise<Reply | typeof EXHAUSTED>;
  /** Only run when named in BENCH_SCENARIOS (heavy set-up). */
  optIn?: boolean;
}

const same = <S>(connections: number, state: S): S[] => Array.from({ length: connections }, () => state);

/** How many status changes the status-change scenario prepares (it ends early when they run out). */
const STATUS_MOVES = Number(process.env.BENCH_STATUS_MOVES || 2000);

/** The runtime's floor: no SQL, no auth — routing, middleware, JSON. Always measured first. */
export const FLOOR: Scenario<null> = {
  name: "floor",
  description: "GET /api/v1/meta/enums (no SQL, no auth: the runtime's floor)",
  setup: async (n) => same(n, null),
  request: () => http("GET", "/api/v1/meta/enums"),
};

/** Scenarios written for the old per-worker interface (scripts/bench-payments.ts): set up one after another. */
function perWorker<S>(s: BenchScenario<S>, optIn = false): Scenario<S> {
  return {
    name: s.name,
    description: s.description,
    optIn,
    setup: async (n) => {
      const states: S[] = [];
      for (let worker = 0; worker < n; worker++) states.push(await s.setup(worker));
      return states;
    },
    request: (state) => s.request(state) as Promise<Reply>,
  };
}

const payer = async () => login(credentials((await benchCitizens(4))[2]!));
const [paymentsProcess, paymentsSettle] = paymentScenarios({ http, must, login: payer });

/** The seeded super admin (all wards): the dashboard's heaviest viewer. */
const SUPER_ADMIN = { phone: "+8801700000001", password: "CleanCare@2026" };
const DASHBOARD = ["kpi", "complaints-stats", "ward-performance", "satisfaction", "service-time", "financial", "user-stats", "recent-complaints"];

/**
 * One opt-in scenario per dashboard endpoint (BENCH_SCENARIOS=dashboard-kpi,…), over the last 180
 * days: run `npm run db:seed -- --demo` first so there is something to add up.
 */
const dashboardScenarios: Scenario[] = DASHBOARD.map((path) => ({
  name: `dashboard-${path}`,
  description: `GET /api/v1/dashboard/${path} (super admin, last 180 days)`,
  optIn: true,
  setup: async (n) => {
    const from = new Date(Date.now() - 180 * 86_400_000).toISOString().slice(0, 10);
    return same(n, { token: (await login(SUPER_ADMIN)).access, path: `/api/v1/dashboard/${path}?from=${from}&interval=week` });
  },
  request: async (state: { token: string; path: string }) => must(await http("GET", state.path, { token: state.token }), 200, path),
}));

/**
 * Ward 12's schedules (seeded by `npm run db:seed`; made here if the database has none: the
 * household and recyclable ones, through the API as the seeded super admin).
 */
async function wasteWard(): Promise<string> {
  const ward = "12";
  const listed = must(await http("GET", `/api/v1/waste/schedules?ward_number=${ward}`), 200, "list schedules");
  if ((listed.body as { count: number }).count > 0) return ward;
  const token = (await login(SUPER_ADMIN)).access;
  for (const [waste_type, days_of_week] of [["household", ["saturday", "sunday", "monday", "tuesday", "wednesday", "thursday"]], ["recyclable", ["friday"]]] as const) {
    const made = await http("POST", "/api/v1/waste/schedules", { token, json: { ward_number: ward, waste_type, days_of_week, start_time: "07:00", end_time: "10:00" } });
    if (made.status !== 201 && made.status !== 409) must(made, 201, "create schedule");
  }
  return ward;
}

export const SCENARIOS: Scenario[] = [
  {
    name: "me",
    description: "GET /api/v1/auth/me (Bearer token: verify + user row)",
    setup: async (n) => same(n, (await login(credentials((await benchCitizens(4))[0]!))).access),
    request: async (token: string) => must(await http("GET", "/api/v1/auth/me", { token }), 200, "me"),
  },
  {
    name: "login",
    description: "POST /api/v1/auth/login (PBKDF2 100k + token pair), ≤ 4 in flight per phone",
    setup: async (n) => {
      const users = await benchCitizens(Math.ceil(n / 4));
      return Array.from({ length: n }, (_, i) => credentials(users[i % users.length]!));
    },
    request: async (who: { phone: string; password: string }) => must(await http("POST", "/api/v1/auth/login", { json: who }), 200, "login"),
  },
  {
    name: "refresh",
    description: "POST /api/v1/auth/refresh; each connection follows its own rotation chain",
    setup: (n) => sessionsFor(n),
    request: async (s: { refresh: string }) => {
      // Rotation: only the newest refresh token of a chain is valid (reusing an old one kills the family).
      const r = must(await http("POST", "/api/v1/auth/refresh", { json: { refresh: s.refresh } }), 200, "refresh");
      s.refresh = r.body.refresh;
      return r;
    },
  },
  {
    name: "complaints-list",
    description: "GET /api/v1/complaints?page_size=20 (a full page, each with 2 photos, owner and assignee)",
    setup: async (n) => same(n, (await photoComplaints()).token),
    request: async (token: string) => must(await http("GET", "/api/v1/complaints?page_size=20", { token }), 200, "list complaints"),
  },
  {
    name: "complaint-get",
    description: "GET /api/v1/complaints/{id} (owner; 2 photos)",
    setup: async (n) => {
      const { token, page } = await photoComplaints();
      return same(n, { token, path: `/api/v1/complaints/${page[0]!.id}` });
    },
    request: async (s: { token: string; path: string }) => must(await http("GET", s.path, { token: s.token }), 200, "get complaint"),
  },
  {
    name: "track",
    description: "GET /api/v1/complaints/track/{tracking_number} (owner)",
    setup: async (n) => {
      const { token, page } = await photoComplaints();
      return same(n, { token, path: `/api/v1/complaints/track/${page[0]!.tracking_number}` });
    },
    request: async (s: { token: string; path: string }) => must(await http("GET", s.path, { token: s.token }), 200, "track complaint"),
  },
  {
    name: "complaints-create",
    description: "POST /api/v1/complaints (JSON; tracking number, history, duplicate search)",
    setup: async (n) => {
      const token = (await benchCitizens(4))[1]!.access;
      const base = (Date.now() % 1_000_000) * 100;
      return Array.from({ length: n }, (_, i) => ({ token, n: base + i * 1_000_000_000 }));
    },
    request: async (s: { token: string; n: number }) =>
      must(await http("POST", "/api/v1/complaints", { json: complaintJson(s.n++), token: s.token }), 201, "create complaint"),
  },
  {
    name: "status-change",
    description: `POST /api/v1/complaints/{id}/update_status as staff (submitted → in_progress → resolved; ${STATUS_MOVES} prepared)`,
    setup: async (n) => {
      const pool = await openComplaints(STATUS_MOVES);
      // A complaint moved to in_progress joins `inProgress` for its second move.
      return same(n, pool);
    },
    request: async (pool: { staff: string; submitted: string[]; inProgress: string[] }) => {
      const second = pool.inProgress.pop();
      const id = second ?? pool.submitted.pop();
      if (!id) return EXHAUSTED;
      const newStatus = second ? "resolved" : "in_progress";
      const r = must(await http("POST", `/api/v1/complaints/${id}/update_status`, { json: { new_status: newStatus, comment: "bench" }, token: pool.staff }), 200, "change status");
      if (!second) pool.inProgress.unshift(id);
      return r;
    },
  },
  {
    name: "rooms-list",
    description: "GET /api/v1/chat/rooms?type=support (10 rooms: members, last message, unread count)",
    setup: async (n) => same(n, (await chatRooms()).token),
    request: async (token: string) => must(await http("GET", "/api/v1/chat/rooms?type=support", { token }), 200, "list rooms"),
  },
  {
    name: "chat-history",
    description: "GET /api/v1/chat/rooms/{id}/messages?limit=50 (room DO + Postgres)",
    setup: async (n) => {
      const { token, historyRoom } = await chatRooms();
      return same(n, { token, path: `/api/v1/chat/rooms/${historyRoom}/messages?limit=50` });
    },
    request: async (s: { token: string; path: string }) => must(await http("GET", s.path, { token: s.token }), 200, "chat history"),
  },
  {
    name: "payments-list",
    description: "GET /api/v1/payments/history?page_size=20 (own payments)",
    setup: async (n) => same(n, (await payments()).token),
    request: async (token: string) => must(await http("GET", "/api/v1/payments/history?page_size=20", { token }), 200, "list payments"),
  },
  {
    name: "payments-get",
    description: "GET /api/v1/payments/{id}",
    setup: async (n) => {
      const { token, paymentId } = await payments();
      return same(n, { token, path: `/api/v1/payments/${paymentId}` });
    },
    request: async (s: { token: string; path: string }) => must(await http("GET", s.path, { token: s.token }), 200, "get payment"),
  },
  {
    name: "calendar-list",
    description: "GET /api/v1/calendar/events (anonymous; 20 weekly series expanded over 3 months, a page of 20 occurrences)",
    setup: async (n) => same(n, (await calendarEvents()).path),
    request: async (path: string) => must(await http("GET", path), 200, "calendar list"),
  },
  {
    name: "calendar-ics",
    description: "GET /api/v1/calendar/events.ics?ward_number=299 (anonymous iCalendar feed)",
    setup: async (n) => {
      await calendarEvents();
      return same(n, "/api/v1/calendar/events.ics?ward_number=299&category=cleaning_drive");
    },
    request: async (path: string) => must(await http("GET", path), 200, "calendar feed"),
  },
  {
    name: "gallery-list",
    description: "GET /api/v1/gallery?page_size=20 (anonymous, a full page)",
    setup: async (n) => same(n, (await galleryItems()).path),
    request: async (path: string) => must(await http("GET", path), 200, "gallery list"),
  },
  {
    name: "waste-schedules",
    description: "GET /api/v1/waste/schedules?ward_number=12 (public, cacheable: no auth, one round trip)",
    setup: async (n) => same(n, await wasteWard()),
    request: async (ward: string) => must(await http("GET", `/api/v1/waste/schedules?ward_number=${ward}`), 200, "list schedules"),
  },
  {
    name: "waste-schedules-next",
    description: "GET /api/v1/waste/schedules/next?ward_number=12 (public: the next 7 days' collections, one round trip)",
    setup: async (n) => same(n, await wasteWard()),
    request: async (ward: string) => must(await http("GET", `/api/v1/waste/schedules/next?ward_number=${ward}`), 200, "next collections"),
  },
  perWorker(paymentsProcess!),
  perWorker(paymentsSettle!, true),
  ...dashboardScenarios,
];
