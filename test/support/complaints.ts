import { api } from "./http";

export const validComplaint = (overrides: Record<string, unknown> = {}) => ({
  title: "রাস্তায় বড় গর্ত",
  description: "Large pothole in front of the school gate.",
  category: "roads",
  location: "Dhanmondi 27, Dhaka",
  latitude: 23.7561,
  longitude: 90.3872,
  ...overrides,
});

/** Files a complaint through the API and returns the created object (throws unless 201). */
export async function fileComplaint(token: string, overrides: Record<string, unknown> = {}) {
  const res = await api("/api/v1/complaints", { token, body: validComplaint(overrides) });
  if (res.status !== 201) throw new Error(`create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** A point at a random place in greater Dhaka, so nearby-searches of different tests don't meet. */
export function randomPoint() {
  return { latitude: 23.6 + Math.random() * 0.3, longitude: 90.3 + Math.random() * 0.2 };
}
