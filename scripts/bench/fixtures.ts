/**
 * Untimed set-up data for the bench, created through the API once and reused by later runs (found
 * again by phone, title or search), in parallel where the API allows it.
 *
 * Bench citizens +88017990000NN (password Bench@2026) register themselves through the dev-only
 * SMS outbox (`ENVIRONMENT=development`, as under `npm run dev` and `npm run serve`). The login
 * throttle counts an attempt before checking the password, so more than 5 logins in flight for one
 * phone get 429: logins are spread so that at most 4 per phone are in flight.
 */
import { http, inParallel, must, sleep } from "./http";

export const STAFF = { phone: "+8801700000001", password: "CleanCare@2026" }; // seeded super_admin (scripts/seed.ts)
const BENCH_PASSWORD = "Bench@2026";
export const MAX_LOGINS_PER_PHONE = 4;

export interface Session {
  phone: string;
  access: string;
  refresh: string;
}

export const benchPhone = (n: number) => `+8801799${String(n).padStart(6, "0")}`;

export async function login(who: { phone: string; password: string }): Promise<Session> {
  const r = must(await http("POST", "/api/v1/auth/login", { json: who }), 200, `login ${who.phone}`);
  return { phone: who.phone, access: r.body.access_token, refresh: r.body.refresh_token };
}

/** The latest 6-digit code the dev outbox holds for `phone` (the SMS queue delivers within ~1 s). */
async function otpFromOutbox(phone: string): Promise<string> {
  for (let tries = 0; tries < 100; tries++) {
    const r = must(await http("GET", `/api/v1/dev/sms?phone=${encodeURIComponent(phone)}`), 200, "read the dev SMS outbox (is ENVIRONMENT=development?)");
    const code = (r.body.results as { message: string }[])[0]?.message.match(/\d{6}/)?.[0];
    if (code) return code;
    await sleep(100);
  }
  throw new Error(`no SMS code for ${phone} within 10 s`);
}

/** Bench citizen n exists and is verified: log in, else register and verify through the outbox. */
async function ensureCitizen(n: number): Promise<Session> {
  const who = { phone: benchPhone(n), password: BENCH_PASSWORD };
  const first = await http("POST", "/api/v1/auth/login", { json: who });
  if (first.status === 200) return { phone: who.phone, access: first.body.access_token, refresh: first.body.refresh_token };
  must(await http("POST", "/api/v1/auth/register", { json: { name: `Bench Citizen ${n}`, ...who } }), 201, `register ${who.phone}`);
  const otp = await otpFromOutbox(who.phone);
  must(await http("POST", "/api/v1/auth/verify-otp", { json: { phone: who.phone, otp_code: otp } }), 200, `verify ${who.phone}`);
  return login(who);
}

let citizens: Session[] | undefined;

/** Bench citizens 1…count (at least 4: 1 photos/list, 2 creates complaints, 3 payments, 4 chat). */
export async function benchCitizens(count: number): Promise<Session[]> {
  const want = Math.max(4, count);
  if (!citizens || citizens.length < want) citizens = await inParallel(8, Array.from({ length: want }, (_, i) => i + 1), ensureCitizen);
  return citizens;
}

export const credentials = (s: Session) => ({ phone: s.phone, password: BENCH_PASSWORD });

/** One fresh session per connection (its own refresh chain), at most 4 logins per phone in flight. */
export async function sessionsFor(connections: number): Promise<Session[]> {
  const users = await benchCitizens(Math.ceil(connections / MAX_LOGINS_PER_PHONE));
  return inParallel(users.length, Array.from({ length: connections }, (_, i) => users[i % users.length]!), (u) => login(credentials(u)));
}

/** A small PNG-signed file: the API recognises images by their first bytes. */
function photo(name: string): File {
  const bytes = new Uint8Array(4096);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return new File([bytes], name, { type: "image/png" });
}

export const complaintJson = (n: number) => ({
  title: `Bench complaint ${n}`,
  description: "Garbage has not been collected this week.",
  category: "waste_management",
  location: "Dhanmondi, Dhaka",
  latitude: 23.74 + (n % 100) / 10_000,
  longitude: 90.37 + (n % 100) / 10_000,
});

/** Citizen 1 owns 20 complaints with two photos each (a full list page); returns that page. */
export async function photoComplaints(): Promise<{ token: string; page: { id: string; tracking_number: string }[] }> {
  const [owner] = await benchCitizens(4);
  const token = owner!.access;
  const list = () => http("GET", "/api/v1/complaints?search=Bench%20photos&page_size=20", { token });
  const existing = must(await list(), 200, "count bench photo complaints").body.count as number;
  await inParallel(4, Array.from({ length: Math.max(0, 20 - existing) }, (_, i) => existing + i), async (n) => {
    const form = new FormData();
    for (const [key, value] of Object.entries({ ...complaintJson(n), title: `Bench photos ${n}` })) form.append(key, String(value));
    form.append("images", photo("a.png"));
    form.append("images", photo("b.png"));
    must(await http("POST", "/api/v1/complaints", { form, token }), 201, "create a complaint with photos");
  });
  return { token, page: must(await list(), 200, "list bench photo complaints").body.results };
}

/**
 * Status moves for staff: complaints of citizen 2 still `submitted` (two moves each) or
 * `in_progress` (one), topped up with new ones. complaints-create leaves plenty behind.
 */
export async function openComplaints(moves: number): Promise<{ staff: string; submitted: string[]; inProgress: string[] }> {
  const staff = (await login(STAFF)).access;
  const found = { submitted: [] as string[], inProgress: [] as string[] };
  const have = () => found.submitted.length * 2 + found.inProgress.length;
  for (const [status, into] of [["in_progress", found.inProgress], ["submitted", found.submitted]] as const) {
    for (let page = 1; have() < moves; page++) {
      const r = must(await http("GET", `/api/v1/complaints?status=${status}&search=Bench%20complaint&page_size=100&page=${page}`, { token: staff }), 200, "list open complaints");
      into.push(...(r.body.results as { id: string }[]).map((c) => c.id));
      if (!r.body.next) break;
    }
  }
  const creator = (await benchCitizens(4))[1]!.access;
  const missing = Math.ceil(Math.max(0, moves - have()) / 2);
  const created = await inParallel(8, Array.from({ length: missing }, (_, i) => 9_000_000 + i), async (n) =>
    must(await http("POST", "/api/v1/complaints", { json: complaintJson(n), token: creator }), 201, "create a complaint").body.id as string,
  );
  found.submitted.push(...created);
  return { staff, ...found };
}

/** Citizen 3 has at least 20 payments (started at the bKash sandbox); returns a session and one id. */
export async function payments(): Promise<{ token: string; paymentId: string }> {
  const token = (await benchCitizens(4))[2]!.access;
  const history = must(await http("GET", "/api/v1/payments/history?page_size=1", { token }), 200, "count payments");
  const body = (n: number) => ({ service_type: "holding_tax", amount: `${100 + n}.00`, payment_method: "bkash" });
  await inParallel(4, Array.from({ length: Math.max(0, 20 - (history.body.count as number)) }, (_, i) => i), async (n) =>
    must(await http("POST", "/api/v1/payments/process", { json: body(n), token }), 201, "start a payment (is the worker pointed at the bKash sandbox?)"),
  );
  const page = must(await http("GET", "/api/v1/payments/history?page_size=1", { token }), 200, "list payments");
  return { token, paymentId: page.body.results[0].id };
}

/** POST one chat message over REST; waits out the room's flood limit (burst 20, 10/s per user). */
async function postMessage(roomId: string, token: string, text: string): Promise<void> {
  for (;;) {
    const r = await http("POST", `/api/v1/chat/rooms/${roomId}/messages`, { json: { message: text }, token });
    if (r.status === 201 || r.status === 200) return;
    if (r.status !== 429) must(r, 201, "post a chat message");
    await sleep(1000 * Number(r.headers["retry-after"] ?? 1));
  }
}

/** Citizen 4 has 10 support rooms with a message each; "Bench history" holds 50 messages. */
export async function chatRooms(): Promise<{ token: string; historyRoom: string }> {
  const token = (await benchCitizens(4))[3]!.access;
  const listed = must(await http("GET", "/api/v1/chat/rooms?type=support&page_size=100", { token }), 200, "list rooms").body.results as { id: string; title: string | null; last_message: unknown }[];
  const wanted = ["Bench history", ...Array.from({ length: 9 }, (_, i) => `Bench room ${i + 1}`)];
  const byTitle = new Map(listed.map((r) => [r.title, r]));
  await inParallel(4, wanted, async (title) => {
    let room = byTitle.get(title);
    if (!room) {
      room = must(await http("POST", "/api/v1/chat/rooms", { json: { type: "support", title }, token }), 201, "create a room").body;
      byTitle.set(title, room!);
    }
    if (!room!.last_message) await postMessage(room!.id, token, `hello from ${title}`);
  });
  const historyRoom = byTitle.get("Bench history")!.id;
  const history = must(await http("GET", `/api/v1/chat/rooms/${historyRoom}/messages?limit=50`, { token }), 200, "read history").body.results.length as number;
  for (let n = history; n < 50; n++) await postMessage(historyRoom, token, `bench history ${n}`);
  return { token, historyRoom };
}

/** Ward 299's bench calendar: 20 weekly series (one row each) the public list expands; idempotent. */
export async function calendarEvents(): Promise<{ path: string }> {
  const staff = (await login(STAFF)).access;
  const path = "/api/v1/calendar/events?ward_number=299&category=cleaning_drive&from=2030-01-01&to=2030-03-31&page_size=20";
  const mine = () => http("GET", "/api/v1/calendar/events.ics?ward_number=299&category=cleaning_drive");
  const existing = (must(await mine(), 200, "bench calendar feed").body as unknown as string).split("BEGIN:VEVENT").length - 1;
  await inParallel(4, Array.from({ length: Math.max(0, 20 - existing) }, (_, i) => existing + i), async (n) => {
    const day = String(1 + (n % 28)).padStart(2, "0");
    const json = {
      title: `Bench drive ${n}`,
      category: "cleaning_drive",
      target_wards: ["299"],
      starts_at: `2030-01-${day}T08:00:00+06:00`,
      ends_at: `2030-01-${day}T10:00:00+06:00`,
      recurrence: { freq: "weekly", until: "2030-12-31" },
    };
    must(await http("POST", "/api/v1/calendar/events", { json, token: staff }), 201, "create a bench calendar series");
  });
  return { path };
}

/** 20 small gallery images in category `bench`; idempotent. */
export async function galleryItems(): Promise<{ path: string }> {
  const staff = (await login(STAFF)).access;
  const path = "/api/v1/gallery?category=bench&page_size=20";
  const existing = must(await http("GET", path), 200, "count bench gallery items").body.count as number;
  const png = new Uint8Array(photo("bench.png").size);
  png.set(new Uint8Array(await photo("bench.png").arrayBuffer()));
  await inParallel(4, Array.from({ length: Math.max(0, 20 - existing) }, (_, i) => existing + i), async (n) => {
    must(await http("POST", `/api/v1/gallery?title=Bench%20photo%20${n}&category=bench`, { raw: { bytes: png, type: "image/png" }, token: staff }), 201, "upload a bench gallery image");
  });
  return { path };
}
