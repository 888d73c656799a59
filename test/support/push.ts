/** Push test helpers: devices through the API, and what the FCM stand-in received (its /__control). */
import { env } from "cloudflare:test";
import { api } from "./http";

export const deviceToken = (prefix = "tok") => `${prefix}-${crypto.randomUUID()}-${"x".repeat(40)}`;

export async function registerDevice(access: string, token = deviceToken(), platform = "android") {
  const res = await api("/api/v1/notifications/devices", { token: access, body: { token, platform, app_version: "2.4.0" } });
  if (res.status !== 201 && res.status !== 200) throw new Error(`device registration failed: ${res.status} ${JSON.stringify(res.body)}`);
  return token;
}

export interface SandboxPush {
  name: string;
  token: string;
  notification: { title: string; body: string };
  data: Record<string, string>;
  android: { priority: string };
}

export async function pushesTo(token: string): Promise<SandboxPush[]> {
  const res = await fetch(`${env.FCM_SANDBOX_URL}/__control/messages?token=${encodeURIComponent(token)}`);
  return ((await res.json()) as { results: SandboxPush[] }).results;
}

/** Waits until the stand-in has `count` pushes for `token` (then a moment more, to catch extras). */
export async function waitForPushes(token: string, count = 1, timeoutMs = 10_000): Promise<SandboxPush[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const got = await pushesTo(token);
    if (got.length >= count) {
      await new Promise((r) => setTimeout(r, 300));
      return pushesTo(token);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${count} push(es) for ${token} within ${timeoutMs} ms`);
}

export async function fcmStats(): Promise<{ token_requests: number; sends: number; accepted: number }> {
  return (await fetch(`${env.FCM_SANDBOX_URL}/__control/stats`)).json();
}

export async function fcmFault(kind: "unavailable" | "quota" | "revoke_tokens", times = 1, retryAfter = 1): Promise<void> {
  await fetch(`${env.FCM_SANDBOX_URL}/__control/faults`, { method: "POST", body: JSON.stringify({ kind, times, retry_after: retryAfter }) });
}

export async function inbox(access: string, query = "") {
  return api(`/api/v1/notifications${query}`, { token: access });
}

/** Waits for the inbox row of an event type to be delivered (push and/or SMS handed over). */
export async function waitDelivered(userId: string, eventType: string, timeoutMs = 10_000): Promise<void> {
  const { withServices } = await import("./factories");
  const { sql } = await import("drizzle-orm");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { rows } = await withServices(({ db }) =>
      db.execute<{ status: string }>(sql`select delivery_status as status from notifications where user_id = ${userId} and event_type = ${eventType}`),
    );
    if (rows.length && rows.every((r) => r.status === "delivered")) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${eventType} for ${userId} not delivered within ${timeoutMs} ms`);
}
