/**
 * Development donation projects (contract §7: `GET /donations/projects`). Inserted by
 * `npm run db:seed` / `npm run dev` when the table exists; existing projects (matched by name) are
 * never changed. Production projects are real city decisions: insert them with SQL, not this list.
 */
import type pg from "pg";

export const DONATION_PROJECTS = [
  {
    name: "Buriganga Riverbank Cleanup",
    nameBn: "বুড়িগঙ্গা নদীতীর পরিচ্ছন্নতা",
    description: "Removing plastic and construction waste from the riverbank between Sadarghat and Babubazar.",
    goal: "500000.00",
  },
  {
    name: "A Waste Bin on Every Street",
    nameBn: "প্রতিটি রাস্তায় ময়লার ঝুড়ি",
    description: "Covered street bins for the wards with the most overflowing-waste complaints.",
    goal: "250000.00",
  },
  {
    name: "Trees for City Roads",
    nameBn: "নগরের রাস্তায় বৃক্ষরোপণ",
    description: "Native shade trees along main roads, with two years of care.",
    goal: "150000.00",
  },
  {
    name: "Flood Relief for Low-lying Wards",
    nameBn: "নিম্নাঞ্চলের ওয়ার্ডে বন্যা ত্রাণ",
    description: "Drain clearing and emergency supplies before the monsoon.",
    goal: "1000000.00",
  },
] as const;

/** Inserts the projects that are missing; null when there is no donation_projects table. */
export async function seedDonationProjects(client: pg.Client): Promise<number | null> {
  const exists = await client.query("select 1 from information_schema.tables where table_schema = current_schema() and table_name = 'donation_projects'");
  if (exists.rowCount === 0) return null;
  const result = await client.query(
    `insert into donation_projects (name, name_bn, description, goal_amount)
     select * from unnest($1::text[], $2::text[], $3::text[], $4::numeric[])
     on conflict (name) do nothing`,
    [DONATION_PROJECTS.map((p) => p.name), DONATION_PROJECTS.map((p) => p.nameBn), DONATION_PROJECTS.map((p) => p.description), DONATION_PROJECTS.map((p) => p.goal)],
  );
  return result.rowCount ?? 0;
}
