/** Waste test helpers: wards of their own (100–199), schedules, pickups and stations made through the API. */
import { expect } from "vitest";
import { api } from "./http";

/**
 * A ward number in 100–199, which only the waste tests use, so files sharing the database never
 * see each other's rows. Random, so repeated runs differ too (and collisions are retried by callers
 * that need a ward of their own, e.g. for unique schedules).
 */
export function wasteWard(): string {
  return String(100 + Math.floor(Math.random() * 100));
}

/** Distinct wards one after another from `start` (a file's own block within 100–199: schedules are unique per ward × type). */
export function wardCounter(start: number) {
  let next = start;
  return () => String(next++);
}

export const HOUSEHOLD = { waste_type: "household", days_of_week: ["saturday", "tuesday"], start_time: "07:00", end_time: "10:00", collector: "Rahim (van 12)", vehicle: "DHA-TA-11-2233" };

export async function createSchedule(token: string, body: Record<string, unknown>) {
  const res = await api("/api/v1/waste/schedules", { token, body: { ...HOUSEHOLD, ...body } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** Tomorrow's Dhaka day, YYYY-MM-DD. */
export function dhakaTomorrow(): string {
  return new Date(Date.now() + 6 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
}

export const FRIDGE = { waste_type: "e_waste", description: "An old refrigerator and two CRT monitors", location: "House 12, Road 5, Dhanmondi" };

export function pickupBody(body: Record<string, unknown> = {}) {
  return { ...FRIDGE, preferred_date: dhakaTomorrow(), ...body };
}

export async function requestPickup(token: string, body: Record<string, unknown> = {}) {
  const res = await api("/api/v1/waste/pickup-requests", { token, body: pickupBody(body) });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export function moveStatus(token: string | undefined, id: string, body: Record<string, unknown>) {
  return api(`/api/v1/waste/pickup-requests/${id}/status`, { token, body });
}

/** A Dhaka instant `hours` from now, with its +06:00 offset. */
export function inHours(hours: number): string {
  const local = new Date(Date.now() + hours * 3600_000 + 6 * 3600_000).toISOString().slice(0, 19);
  return `${local}+06:00`;
}

export async function createStation(token: string, body: Record<string, unknown> = {}) {
  const res = await api("/api/v1/waste/sts", {
    token,
    body: { name: `STS test ${crypto.randomUUID().slice(0, 8)}`, ward_number: wasteWard(), latitude: 23.7261, longitude: 90.4203, capacity_tonnes: 100, ...body },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
