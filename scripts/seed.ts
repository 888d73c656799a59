/**
 * Idempotent development seed: staff and citizen accounts with known passwords, Dhaka wards
 * when a `wards` table exists, donation projects (scripts/lib/seed-donation-projects.ts) and a
 * few notices for the board.
 * Re-running changes nothing (INSERT … ON CONFLICT DO NOTHING; an account that already exists
 * keeps its password even if it was changed through the API).
 *
 *   npm run db:seed            (needs DATABASE_URL; `npm run dev` runs it by itself)
 */
import { pbkdf2Sync, randomBytes } from "node:crypto";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { PERMISSION_TYPES } from "../src/lib/enums";
import { seedDemo } from "./lib/seed-demo";
import { seedDonationProjects } from "./lib/seed-donation-projects";

/** Development passwords. They are printed by `npm run dev` and written in the README. */
export const STAFF_PASSWORD = "CleanCare@2026";
export const CITIZEN_PASSWORD = "Citizen@2026";

export interface SeedAccount {
  phone: string;
  name: string;
  userType: "super_admin" | "admin" | "citizen";
  password: string;
}

export const SEED_ACCOUNTS: readonly SeedAccount[] = [
  { phone: "+8801700000001", name: "Super Admin", userType: "super_admin", password: STAFF_PASSWORD },
  { phone: "+8801700000002", name: "Admin", userType: "admin", password: STAFF_PASSWORD },
  { phone: "+8801711000001", name: "Citizen One", userType: "citizen", password: CITIZEN_PASSWORD },
  { phone: "+8801711000002", name: "Citizen Two", userType: "citizen", password: CITIZEN_PASSWORD },
  { phone: "+8801711000003", name: "Citizen Three", userType: "citizen", password: CITIZEN_PASSWORD },
];

/**
 * Same format and parameters as src/lib/password.ts (which uses WebCrypto inside the worker):
 * `pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>`, 16-byte salt, 32-byte SHA-256 derived key.
 */
export function hashPasswordNode(password: string, iterations = 100_000): string {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  return `pbkdf2_sha256$${iterations}$${salt.toString("base64")}$${hash.toString("base64")}`;
}

/**
 * Dhaka South City Corporation: 75 wards in 10 zones. PLACEHOLDER names ("Ward N" / "ওয়ার্ড নং N")
 * and an even ward→zone split (zone = ceil(N / 7.5)): replace with the official list. Only used
 * when a `wards` table exists; existing rows are never changed.
 */
const BN_DIGITS = "০১২৩৪৫৬৭৮৯";
export const DHAKA_WARDS = Array.from({ length: 75 }, (_, i) => {
  const n = i + 1;
  return { number: n, nameEn: `Ward ${n}`, nameBn: `ওয়ার্ড নং ${String(n).replace(/\d/g, (d) => BN_DIGITS[Number(d)]!)}`, zone: Math.ceil(n / 7.5) };
});

export interface SeedResult {
  usersCreated: number;
  wardsCreated: number | null; // null: no (seedable) `wards` table
  donationProjectsCreated: number | null; // null: no `donation_projects` table
  noticesCreated: number | null; // null: no `notices` table
  wasteSchedulesCreated: number | null; // null: no `waste_schedules` table
  transferStationsCreated: number | null; // null: no `waste_sts` table
}

/** A few notices for the board (fixed ids, so re-running adds nothing). None urgent: seeding sends no SMS. */
const SEED_NOTICES = [
  {
    id: "6f1c2a40-0000-4000-8000-000000000001",
    title: "মশক নিধন কার্যক্রম",
    content: "আগামী সপ্তাহ জুড়ে সকল ওয়ার্ডে মশক নিধন কার্যক্রম চলবে। বাড়ির আশেপাশে জমে থাকা পানি পরিষ্কার রাখুন।",
    category: "health",
    priority: "high",
    targetWards: [] as string[],
  },
  {
    id: "6f1c2a40-0000-4000-8000-000000000002",
    title: "পানি সরবরাহ সাময়িক বন্ধ",
    content: "রক্ষণাবেক্ষণের জন্য শনিবার সকাল ১০টা থেকে বিকেল ৪টা পর্যন্ত পানি সরবরাহ বন্ধ থাকবে।",
    category: "water",
    priority: "normal",
    targetWards: ["12", "13"],
  },
  {
    id: "6f1c2a40-0000-4000-8000-000000000003",
    title: "হোল্ডিং ট্যাক্স পরিশোধের শেষ সময়",
    content: "চলতি অর্থবছরের হোল্ডিং ট্যাক্স মাসের শেষ দিনের মধ্যে অ্যাপ থেকে পরিশোধ করুন।",
    category: "tax",
    priority: "normal",
    targetWards: [] as string[],
  },
];

async function seedNotices(client: pg.Client): Promise<number | null> {
  const { rows } = await client.query<{ exists: boolean }>("select to_regclass('notices') is not null as exists");
  if (!rows[0]?.exists) return null;
  let created = 0;
  for (const n of SEED_NOTICES) {
    const result = await client.query(
      `insert into notices (id, title, content, category, priority, target_wards, created_by)
       values ($1, $2, $3, $4, $5, $6::text[], (select id from users where phone = '+8801700000001'))
       on conflict (id) do nothing`,
      [n.id, n.title, n.content, n.category, n.priority, n.targetWards],
    );
    created += result.rowCount ?? 0;
  }
  return created;
}

/**
 * PLACEHOLDER collection schedules for every ward (household six days a week early morning,
 * recyclables on Fridays): replace with each ward's real rota (admins edit them through the API).
 * One per ward × waste type, so re-running adds nothing.
 */
async function seedWasteSchedules(client: pg.Client): Promise<number | null> {
  const { rows } = await client.query<{ exists: boolean }>("select to_regclass('waste_schedules') is not null as exists");
  if (!rows[0]?.exists) return null;
  const result = await client.query(
    `insert into waste_schedules (ward_number, waste_type, days_of_week, start_time, end_time, collector, notes)
     select w::text, t.waste_type, t.days::smallint[], t.start_time::time, t.end_time::time, 'Ward conservancy team', 'Placeholder schedule: confirm with the ward office'
     from generate_series(1, $1::int) w
     cross join (values ('household', '{0,1,2,3,4,6}', '06:00', '09:00'), ('recyclable', '{5}', '10:00', '12:00')) as t(waste_type, days, start_time, end_time)
     on conflict (ward_number, waste_type) do nothing`,
    [DHAKA_WARDS.length],
  );
  return result.rowCount ?? 0;
}

/**
 * The city's secondary transfer stations, as PLACEHOLDERS: one per zone, named after the zone,
 * near the zone's wards (approximate Dhaka South coordinates) with a nominal 50-tonne capacity.
 * Replace names, places and capacities with the corporation's STS register. Fixed ids.
 */
export const SEED_STATIONS = Array.from({ length: 10 }, (_, i) => ({
  id: `7a5e0000-0000-4000-8000-0000000000${String(i + 1).padStart(2, "0")}`,
  name: `STS Zone ${i + 1} (placeholder)`,
  wardNumber: String(Math.min(75, Math.ceil((i + 0.5) * 7.5))),
  latitude: (23.69 + (i % 5) * 0.012).toFixed(6),
  longitude: (90.38 + Math.floor(i / 5) * 0.03 + (i % 3) * 0.01).toFixed(6),
  capacityTonnes: "50.00",
}));

async function seedTransferStations(client: pg.Client): Promise<number | null> {
  const { rows } = await client.query<{ exists: boolean }>("select to_regclass('waste_sts') is not null as exists");
  if (!rows[0]?.exists) return null;
  let created = 0;
  for (const s of SEED_STATIONS) {
    const result = await client.query(
      `insert into waste_sts (id, name, ward_number, latitude, longitude, capacity_tonnes) values ($1, $2, $3, $4, $5, $6) on conflict do nothing`,
      [s.id, s.name, s.wardNumber, s.latitude, s.longitude, s.capacityTonnes],
    );
    created += result.rowCount ?? 0;
  }
  return created;
}

export async function seed(databaseUrl: string): Promise<SeedResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    // Hash only for accounts that are missing: 100k PBKDF2 rounds cost ~50 ms each.
    const existing = await client.query<{ phone: string }>("select phone from users where phone = any($1)", [SEED_ACCOUNTS.map((a) => a.phone)]);
    const have = new Set(existing.rows.map((r) => r.phone));
    let usersCreated = 0;
    for (const account of SEED_ACCOUNTS) {
      if (have.has(account.phone)) continue;
      const inserted = await client.query(
        `insert into users (phone, name, password_hash, user_type, is_verified, is_active)
         values ($1, $2, $3, $4, true, true)
         on conflict (phone) do nothing`,
        [account.phone, account.name, hashPasswordNode(account.password), account.userType],
      );
      usersCreated += inserted.rowCount ?? 0;
    }
    // The seeded admin may do everything everywhere (a super admin narrows it with PUT /admin-users/{id}/permissions).
    await client.query(
        `insert into admin_permissions (user_id, permission_type, can_create, can_read, can_update, can_delete)
         select u.id, t, true, true, true, true from users u cross join unnest($2::text[]) as t
         where u.phone = $1 and u.user_type = 'admin'
         on conflict do nothing`,
        ["+8801700000002", [...PERMISSION_TYPES]],
      );
    return {
      usersCreated,
      wardsCreated: await seedWards(client),
      donationProjectsCreated: await seedDonationProjects(client),
      noticesCreated: await seedNotices(client),
      wasteSchedulesCreated: await seedWasteSchedules(client),
      transferStationsCreated: await seedTransferStations(client),
    };
  } finally {
    await client.end();
  }
}

/**
 * Seeds `wards` if the table exists, whichever of the known shapes it has: (number, name, zone text)
 * or (number, name_en, name_bn, zone int). Without the table, or with a required column we don't
 * know how to fill, it does nothing (and says why in the second case).
 */
async function seedWards(client: pg.Client): Promise<number | null> {
  const { rows } = await client.query<{ column_name: string; data_type: string; required: boolean }>(
    `select column_name, data_type, (is_nullable = 'NO' and column_default is null) as required
       from information_schema.columns where table_schema = current_schema() and table_name = 'wards'`,
  );
  if (rows.length === 0) return null;
  const values: Record<string, (w: (typeof DHAKA_WARDS)[number]) => unknown> = {
    number: (w) => w.number,
    name: (w) => w.nameEn,
    name_en: (w) => w.nameEn,
    name_bn: (w) => w.nameBn,
    zone: (w) => (rows.find((r) => r.column_name === "zone")?.data_type === "integer" ? w.zone : `Zone ${w.zone}`),
  };
  const unknown = rows.filter((r) => r.required && !(r.column_name in values)).map((r) => r.column_name);
  if (unknown.length || !rows.some((r) => r.column_name === "number")) {
    console.warn(`seed: wards not seeded (columns ${unknown.join(", ") || "number"} not known to scripts/seed.ts)`);
    return null;
  }
  const columns = rows.map((r) => r.column_name).filter((c) => c in values);
  const params = columns.map((c) => DHAKA_WARDS.map(values[c]!));
  const casts = columns.map((c, i) => `$${i + 1}::${rows.find((r) => r.column_name === c)!.data_type === "integer" ? "int" : "text"}[]`);
  const result = await client.query(
    `insert into wards (${columns.map((c) => `"${c}"`).join(", ")})
     select * from unnest(${casts.join(", ")})
     on conflict (number) do nothing`,
    params,
  );
  return result.rowCount ?? 0;
}

// `npm run db:seed`
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("db:seed: DATABASE_URL is not set (e.g. the DB URL printed by `npm run dev`).");
    process.exit(2);
  }
  const demo = process.argv.includes("--demo");
  seed(url).then(
    async (r) => {
      const projects = r.donationProjectsCreated === null ? "" : `, ${r.donationProjectsCreated} donation project(s) created`;
      const noticesMade = r.noticesCreated === null ? "" : `, ${r.noticesCreated} notice(s) created`;
      const waste =
        r.wasteSchedulesCreated === null ? "" : `, ${r.wasteSchedulesCreated} waste schedule(s) and ${r.transferStationsCreated ?? 0} transfer station(s) created`;
      console.log(`db:seed: ${r.usersCreated} user(s) created${r.wardsCreated === null ? "" : `, ${r.wardsCreated} ward(s) created`}${projects}${noticesMade}${waste} (existing rows left as they are).`);
      if (!demo) return;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const added = await seedDemo(client);
        console.log(`db:seed --demo: ${added.complaints} complaints and ${added.payments} payments added for the dashboard.`);
      } finally {
        await client.end();
      }
    },
    (err: unknown) => {
      console.error(`db:seed failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
