/**
 * `npm run db:seed -- --demo`: demo data for the dashboard — a few thousand complaints across the
 * 75 wards and the last six months (statuses, first responses by staff, resolutions, ratings) and
 * completed payments. Three statements (set-based SQL, no loop per row); run it again to add more.
 * Demo rows are marked (`title` starts with "[demo]", payments `transaction_id` with `DEMO`).
 */
import type pg from "pg";

export async function seedDemo(client: pg.Client, complaints = 5000): Promise<{ complaints: number; payments: number }> {
  const people = await client.query<{ citizen: string | null; staff: string | null }>(
    `select (select id from users where user_type = 'citizen' order by created_at limit 1) as citizen,
            (select id from users where user_type = 'admin' order by created_at limit 1) as staff`,
  );
  const { citizen, staff } = people.rows[0]!;
  if (!citizen || !staff) throw new Error("seed the accounts first (npm run db:seed without --demo)");
  const stamp = Date.now().toString(36).toUpperCase();
  await client.query("begin");
  try {
    const inserted = await client.query(
      `with raw as (
         select g, now() - (random() * interval '180 days') as created_at, random() as r_status, random() as r_rate,
                (1 + floor(random() * 75))::int as ward, floor(random() * 8)::int as cat, floor(random() * 3)::int as pri
         from generate_series(1, $1::int) g
       )
       insert into complaints (tracking_number, user_id, title, description, category, priority, status, location, ward_number,
                               created_at, updated_at, resolved_at, rating)
       select 'D' || $2 || g, $3::uuid, '[demo] ' || (array['Garbage not collected','Broken streetlight','Drain blocked','Water leak',
                 'Road damage','Mosquito breeding','Illegal dumping','Noise'])[cat + 1],
              'Demo complaint for the dashboard', (select value from unnest($4::text[]) with ordinality v(value, n) where n = cat % array_length($4::text[], 1) + 1),
              (array['উচ্চ','মধ্যম','নিম্ন'])[pri + 1],
              case when r_status < 0.2 then 'জমা দেওয়া হয়েছে' when r_status < 0.4 then 'প্রক্রিয়াধীন' when r_status < 0.92 then 'সমাধান হয়েছে' else 'বাতিল' end,
              'Ward ' || ward || ', Dhaka', ward::text, created_at, created_at,
              case when r_status >= 0.4 and r_status < 0.92 then created_at + (interval '1 hour' * (2 + random() * 200)) end,
              case when r_status >= 0.4 and r_status < 0.92 and r_rate < 0.65 then (1 + floor(random() * 5))::int end
       from raw
       returning id`,
      [complaints, stamp, citizen, await categories(client)],
    );
    await client.query(
      `insert into complaint_updates (complaint_id, updated_by, old_status, new_status, created_at)
       select c.id, $2::uuid, 'জমা দেওয়া হয়েছে', 'প্রক্রিয়াধীন', c.created_at + (interval '1 minute' * (5 + random() * 2880))
       from complaints c where c.tracking_number like 'D' || $1 || '%' and c.status <> 'জমা দেওয়া হয়েছে'`,
      [stamp, staff],
    );
    const paid = await client.query(
      `insert into payments (user_id, service_type, amount, payment_method, phone_number, transaction_id, status, created_at, updated_at, completed_at)
       select $2::uuid, (array['holding_tax','trade_license','waste_collection_fee','market_shop_rent'])[1 + floor(random() * 4)::int],
              (100 + floor(random() * 90) * 100)::numeric, (array['bkash','nagad','rocket'])[1 + floor(random() * 3)::int], '+8801711000001',
              'DEMO' || $1 || g, 'completed', t, t, t
       from generate_series(1, $3::int) g, lateral (select now() - random() * interval '180 days' as t) when_paid`,
      [stamp, citizen, Math.round(complaints / 5)],
    );
    await client.query("commit");
    return { complaints: inserted.rowCount ?? 0, payments: paid.rowCount ?? 0 };
  } catch (err) {
    await client.query("rollback");
    throw err;
  }
}

async function categories(client: pg.Client): Promise<string[]> {
  // The check constraint's list is the source of truth; read it rather than repeat it here.
  const { rows } = await client.query<{ def: string }>(
    `select pg_get_constraintdef(oid) as def from pg_constraint where conname = 'complaints_category_check'`,
  );
  const values = [...(rows[0]?.def ?? "").matchAll(/'([^']+)'/g)].map((m) => m[1]!);
  if (values.length === 0) throw new Error("no complaint categories found");
  return values;
}
