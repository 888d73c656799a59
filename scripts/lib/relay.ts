/**
 * A local stand-in for Neon's serverless endpoints, in front of a plain PostgreSQL, so
 * `@neondatabase/serverless` inside the worker reaches it exactly as it reaches Neon. One HTTP
 * server, one port, two protocols:
 *
 *  - WebSocket (`Pool`/`Client`, drizzle-orm/neon-serverless): the client opens
 *    `ws://<relay>/v1?address=<host>:<port>` and then every binary frame is raw Postgres wire
 *    protocol, in both directions.
 *  - SQL over HTTP (`neon()`, drizzle-orm/neon-http): `POST http://<relay>/sql`, one request per
 *    query or per transaction batch; see sql-over-http.ts for the exact shapes.
 *
 * Only the one database address it was started for may be reached: it is not an open proxy.
 *
 * Latency knob (`options.latencyMs`, default `$DB_LATENCY_MS`, else 0): simulates the distance
 * between a worker and its database, so round trips show up locally the way they do in
 * production. Each /sql request is answered that much later; on the WebSocket path every chunk
 * from Postgres to the client is held back that long (in order), so each wire round trip costs
 * one delay too. E.g. `DB_LATENCY_MS=40 npm run dev`.
 */
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import { createSqlOverHttp } from "./sql-over-http";

export interface Relay {
  /** host:port, the value of the worker's DB_RELAY_URL. */
  address: string;
  port: number;
  /**
   * A real network outage, for tests: drops every open connection and in-flight /sql request and
   * refuses new ones (the WebSocket upgrade or HTTP request is answered by a reset) until
   * `resume()`. Postgres itself keeps running for everyone else.
   */
  pause(): void;
  resume(): void;
  /**
   * `refused`: connections and /sql requests reset while paused; `dropped`: those cut by
   * `pause()`; `accepted`: WebSocket connections and /sql requests let through.
   */
  stats(): { paused: boolean; refused: number; dropped: number; accepted: number };
  close(): Promise<void>;
}

export interface RelayOptions {
  /** Added to every database round trip; see the file header. */
  latencyMs?: number;
}

export async function startRelay(target: { host: string; port: number }, port = 0, options: RelayOptions = {}): Promise<Relay> {
  const latencyMs = options.latencyMs ?? (Number(process.env.DB_LATENCY_MS) || 0);
  const counters = { paused: false, refused: 0, dropped: 0, accepted: 0 };
  const sql = createSqlOverHttp(target, { latencyMs });

  const server: Server = createServer((req, res) => {
    if (counters.paused) {
      counters.refused++;
      req.socket.destroy();
      return;
    }
    const path = new URL(req.url ?? "/", "http://relay").pathname;
    if (path === "/sql") {
      if (req.method !== "POST") return void res.writeHead(405, { allow: "POST", "content-type": "text/plain" }).end("POST only\n");
      counters.accepted++;
      return sql.handle(req, res);
    }
    if (req.method === "GET") return void res.writeHead(426, { "content-type": "text/plain" }).end("WebSocket upgrade required\n");
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  });
  const wss = new WebSocketServer({ server, path: "/v1" });
  const sockets = new Set<WebSocket>();

  // While paused, the TCP connection is reset before the WebSocket handshake completes.
  server.prependListener("upgrade", (_req, socket) => {
    if (!counters.paused) return;
    counters.refused++;
    socket.destroy();
  });

  wss.on("connection", (ws, req) => {
    if (counters.paused) return ws.terminate();
    counters.accepted++;
    const wanted = new URL(req.url ?? "", "http://relay").searchParams.get("address") ?? "";
    const [, wantedPort] = wanted.split(":");
    if (Number(wantedPort) !== target.port) {
      ws.close(1008, "address not allowed");
      return;
    }
    sockets.add(ws);
    const tcp = connect({ host: target.host, port: target.port });
    tcp.setNoDelay(true);
    const pending: Buffer[] = [];
    let tcpReady = false;
    const toClient = delayLine(latencyMs);

    tcp.on("connect", () => {
      tcpReady = true;
      for (const chunk of pending.splice(0)) tcp.write(chunk);
    });
    ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => {
      const chunk = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
      if (tcpReady) tcp.write(chunk);
      else pending.push(chunk);
    });
    tcp.on("data", (chunk) =>
      toClient.push(() => {
        if (ws.readyState === ws.OPEN) ws.send(chunk);
      }),
    );
    // Either side closing closes the other: after the driver's Terminate, Postgres closes the TCP
    // side and the WebSocket must follow, or the driver waits for a close that never comes.
    const closeBoth = () => {
      toClient.clear();
      sockets.delete(ws);
      tcp.destroy();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
    };
    // Postgres' close travels behind the data it sent last (an error, a Terminate's aftermath),
    // so with latency the client still receives that data before the close.
    tcp.on("close", () => toClient.push(closeBoth));
    tcp.on("error", () => toClient.push(closeBoth));
    ws.on("close", closeBoth);
    ws.on("error", closeBoth);
  });

  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const actualPort = (server.address() as AddressInfo).port;
  return {
    address: `127.0.0.1:${actualPort}`,
    port: actualPort,
    pause: () => {
      counters.paused = true;
      for (const ws of sockets) {
        counters.dropped++;
        ws.terminate();
      }
      counters.dropped += sql.dropInFlight();
    },
    resume: () => {
      counters.paused = false;
    },
    stats: () => ({ ...counters }),
    close: async () => {
      for (const ws of sockets) ws.terminate();
      await sql.close();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      // Keep-alive HTTP connections (the worker's fetches to /sql) would otherwise hold close open.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Runs each pushed action `ms` after it was pushed, strictly in push order (one timer, a FIFO), so
 * delayed chunks can never overtake each other. With `ms` 0 actions run at once, as before the knob.
 */
function delayLine(ms: number) {
  const queue: { due: number; run: () => void }[] = [];
  let timer: NodeJS.Timeout | undefined;
  const drain = () => {
    timer = undefined;
    // Timers have millisecond granularity: anything due within the next millisecond goes now.
    while (queue.length > 0 && queue[0]!.due <= performance.now() + 1) queue.shift()!.run();
    if (queue.length > 0) timer = setTimeout(drain, queue[0]!.due - performance.now());
  };
  return {
    push(run: () => void) {
      if (ms <= 0) return run();
      queue.push({ due: performance.now() + ms, run });
      timer ??= setTimeout(drain, ms);
    },
    clear() {
      queue.length = 0;
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
