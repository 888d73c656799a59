/**
 * A WebSocket→TCP relay that stands in for Neon's WebSocket proxy, so `@neondatabase/serverless`
 * inside the worker reaches a plain local PostgreSQL exactly as it reaches Neon.
 *
 * Protocol (what the Neon driver speaks): the client opens `ws://<relay>/v1?address=<host>:<port>`
 * and then every binary frame is raw Postgres wire protocol, in both directions.
 *
 * Only the one database address it was started for may be reached: it is not an open proxy.
 */
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

export interface Relay {
  /** host:port, the value of the worker's DB_RELAY_URL. */
  address: string;
  port: number;
  /**
   * A real network outage, for tests: drops every open connection and refuses new ones (the upgrade
   * is answered by a reset) until `resume()`. Postgres itself keeps running for everyone else.
   */
  pause(): void;
  resume(): void;
  /** Connections refused while paused, and dropped by `pause()`. */
  stats(): { paused: boolean; refused: number; dropped: number; accepted: number };
  close(): Promise<void>;
}

export async function startRelay(target: { host: string; port: number }, port = 0): Promise<Relay> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain" }).end("WebSocket upgrade required\n");
  });
  const wss = new WebSocketServer({ server, path: "/v1" });
  const sockets = new Set<WebSocket>();
  const counters = { paused: false, refused: 0, dropped: 0, accepted: 0 };

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

    tcp.on("connect", () => {
      tcpReady = true;
      for (const chunk of pending.splice(0)) tcp.write(chunk);
    });
    ws.on("message", (data: Buffer | ArrayBuffer | Buffer[]) => {
      const chunk = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
      if (tcpReady) tcp.write(chunk);
      else pending.push(chunk);
    });
    tcp.on("data", (chunk) => {
      if (ws.readyState === ws.OPEN) ws.send(chunk);
    });
    // Either side closing closes the other: after the driver's Terminate, Postgres closes the TCP
    // side and the WebSocket must follow, or the driver waits for a close that never comes.
    const closeBoth = () => {
      sockets.delete(ws);
      tcp.destroy();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.close();
    };
    tcp.on("close", closeBoth);
    tcp.on("error", closeBoth);
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
    },
    resume: () => {
      counters.paused = false;
    },
    stats: () => ({ ...counters }),
    close: async () => {
      for (const ws of sockets) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
