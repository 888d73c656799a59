/**
 * A network outage on the HTTP SQL path: the `outage` project's worker reaches Postgres through a
 * relay the test cuts off and restores (test/node/outage-relay.ts). What the app must be able to
 * rely on: a cut request and a refused one both reject with the driver's "Error connecting to
 * database" (never hang, never a half answer), and the path works again after the outage.
 */
import { env } from "cloudflare:workers";
import { neon, neonConfig } from "@neondatabase/serverless";
import { describe, expect, it } from "vitest";

const { DATABASE_URL, DB_RELAY_URL, OUTAGE_CONTROL_URL } = env as unknown as { DATABASE_URL: string; DB_RELAY_URL: string; OUTAGE_CONTROL_URL: string };

neonConfig.fetchEndpoint = (host, port) => `http://${DB_RELAY_URL}/sql`;
const sql = neon(DATABASE_URL);

const relay = (action: "pause" | "resume" | "stats") =>
  fetch(`${OUTAGE_CONTROL_URL}/${action}`, { method: action === "stats" ? "GET" : "POST" }).then(
    (r) => r.json() as Promise<{ paused: boolean; refused: number; dropped: number; accepted: number }>,
  );

describe("SQL over HTTP during an outage", () => {
  it("in-flight and new queries fail with 'Error connecting to database'; queries work again after", async () => {
    expect(await sql`select 1 as ok`).toEqual([{ ok: 1 }]);
    const before = await relay("stats");

    const inFlight = sql`select pg_sleep(2)`.then(
      () => "answered",
      (err: Error) => err.message,
    );
    await new Promise((r) => setTimeout(r, 300));
    await relay("pause");
    try {
      expect(await inFlight).toMatch(/^Error connecting to database: /);
      const refused = await sql`select 1`.then(
        () => "answered",
        (err: Error) => err.message,
      );
      expect(refused).toMatch(/^Error connecting to database: /);
      const during = await relay("stats");
      expect(during.dropped).toBeGreaterThan(before.dropped);
      expect(during.refused).toBeGreaterThan(before.refused);
    } finally {
      await relay("resume");
    }
    expect(await sql`select 2 as ok`).toEqual([{ ok: 2 }]);
  });
});
