/**
 * `npm run bench:notify`: an urgent notice to one ward of N citizens (default 20,000), each with
 * one device, against a running `npm run serve` (or `npm run dev`). Prints the time from the
 * publish until every push was handed to the FCM stand-in, sends/s, and checks that each citizen's
 * device got exactly one push.
 *
 *   DATABASE_URL     the stack's database (printed by `npm run serve` as "DB URL")
 *   FCM_SANDBOX_URL  the FCM stand-in (printed as "FCM stand-in", without /__control/…)
 *   BENCH_API        the API origin, default http://127.0.0.1:8787
 *   BENCH_CITIZENS   default 20000;   BENCH_WARD default 990 (kept apart from everything else)
 *
 * Set-up (untimed, idempotent): the citizens and their devices go straight into Postgres.
 * Note: it resets the stand-in's message log and counters.
 */
import pg from "pg";

const API = process.env.BENCH_API ?? "http://127.0.0.1:8787";
const FCM = process.env.FCM_SANDBOX_URL;
const DB = process.env.DATABASE_URL;
const COUNT = Number(process.env.BENCH_CITIZENS ?? 20_000);
const WARD = process.env.BENCH_WARD ?? "990";

async function main() {
  if (!FCM || !DB) throw new Error("set DATABASE_URL and FCM_SANDBOX_URL (both printed by `npm run serve`)");
  const client = new pg.Client({ connectionString: DB });
  await client.connect();
  const setupStart = Date.now();
  // Phones +8801990NNNNNNN-style: 01 9 9 0 + 7 digits → valid Bangladeshi numbers, unique per n.
  await client.query(
    `insert into users (phone, name, password_hash, user_type, is_verified, is_active, ward_number)
     select '+88019' || lpad(n::text, 8, '0'), 'Bench Ward Citizen ' || n, 'x', 'citizen', true, true, $2
     from generate_series(1, $1) n
     on conflict (phone) do nothing`,
    [COUNT, WARD],
  );
  await client.query(
    `insert into notification_devices (token, user_id, platform)
     select 'bench-device-' || u.phone, u.id, 'android' from users u
     where u.ward_number = $1 and u.user_type = 'citizen' and u.phone like '+88019%'
     on conflict (token) do update set user_id = excluded.user_id`,
    [WARD],
  );
  const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from users where ward_number = $1 and user_type = 'citizen' and is_active and is_verified`, [WARD]);
  const expected = rows[0]!.n;
  console.log(`set-up: ${expected} citizens with devices in ward ${WARD} (${((Date.now() - setupStart) / 1000).toFixed(1)} s)`);
  await fetch(`${FCM}/__control/reset`, { method: "POST" });

  const login = await fetch(`${API}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ phone: "+8801700000001", password: "CleanCare@2026" }) });
  const access = ((await login.json()) as { access_token: string }).access_token;
  const t0 = Date.now();
  const res = await fetch(`${API}/api/v1/notices`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${access}` },
    body: JSON.stringify({ title: `Bench flood warning ${new Date().toISOString()}`, content: "Move to higher ground.", category: "emergency", is_urgent: true, target_wards: [WARD] }),
  });
  if (res.status !== 201) throw new Error(`publish: ${res.status} ${await res.text()}`);
  const publishMs = Date.now() - t0;
  let accepted = 0;
  let last = { at: Date.now(), accepted: 0 };
  while (accepted < expected && Date.now() - last.at < 60_000) {
    await new Promise((r) => setTimeout(r, 500));
    accepted = ((await (await fetch(`${FCM}/__control/stats`)).json()) as { accepted: number }).accepted;
    if (accepted > last.accepted) last = { at: Date.now(), accepted };
  }
  const totalMs = last.at - t0;
  const messages = ((await (await fetch(`${FCM}/__control/messages`)).json()) as { results: Array<{ token: string }> }).results.filter((m) => m.token.startsWith("bench-device-"));
  const perToken = new Map<string, number>();
  for (const m of messages) perToken.set(m.token, (perToken.get(m.token) ?? 0) + 1);
  const duplicates = [...perToken.values()].filter((n) => n > 1).length;
  const missing = expected - perToken.size;
  console.log(`publish answered in ${publishMs} ms`);
  console.log(`pushes handed to the stand-in: ${messages.length} for ${expected} citizens in ${(totalMs / 1000).toFixed(1)} s → ${(messages.length / (totalMs / 1000)).toFixed(0)} sends/s`);
  console.log(`exactly once: ${duplicates === 0 && missing === 0 ? "yes" : "NO"} (duplicates ${duplicates}, missing ${missing})`);
  await client.end();
  if (duplicates || missing) process.exit(1);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
