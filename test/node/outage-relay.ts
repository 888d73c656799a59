/**
 * A second relay in front of the test database that a test can cut off and restore, for the
 * "Postgres unreachable" chat test: a real outage between the worker and Postgres, scoped to the
 * one vitest project whose worker is pointed at this relay (see vitest.config.ts), so every other
 * test file keeps its database.
 *
 * Control (loopback only): POST /pause, POST /resume, GET /stats → {paused, refused, dropped, accepted}.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startRelay } from "../../scripts/lib/relay";

export async function startOutageRelay(target: { host: string; port: number }) {
  const relay = await startRelay(target);
  const control: Server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.method === "POST" && req.url === "/pause") {
      relay.pause();
      return reply(200, relay.stats());
    }
    if (req.method === "POST" && req.url === "/resume") {
      relay.resume();
      return reply(200, relay.stats());
    }
    if (req.method === "GET" && req.url === "/stats") return reply(200, relay.stats());
    reply(404, { error: "not found" });
  });
  await new Promise<void>((resolve) => control.listen(0, "127.0.0.1", resolve));
  return {
    relayAddress: relay.address,
    controlUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
    close: async () => {
      await new Promise<void>((resolve) => control.close(() => resolve()));
      await relay.close();
    },
  };
}
