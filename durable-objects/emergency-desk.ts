/**
 * The emergency desk: one Durable Object for the city that holds every staff desk's WebSocket and
 * fans emergencies out to them live (why one, not one per ward: src/modules/emergency/desk-object.ts).
 *
 * It keeps no emergency state of its own — Postgres is the record. An emergency is committed
 * before the Worker calls `announce`, so a desk never sees something that was not stored; a desk
 * that was away reconnects with `?since=<instant>` and gets, from Postgres, everything that changed
 * after it (missed announcements included).
 *
 * Per socket, the attachment holds who is on it and which wards they may read (the Worker worked
 * that out before the upgrade), so the object can hibernate between emergencies and still route
 * each event to exactly the desks allowed to see it.
 *
 * Frames (server → desk), each JSON:
 *   {type:"emergency.snapshot", emergencies:[…open…], server_time}      first, on connect
 *   {type:"emergency.created"|"emergency.updated", emergency:{…}}       live, and the `since` catch-up
 *   {type:"pong"}                                                       answer to {"type":"ping"}
 * Close 4001: the access token expired (refresh it, reconnect with `since`).
 */
import { DurableObject } from "cloudflare:workers";
import { withServiceContext } from "../src/context";
import { deskCovers, deskIdentityFrom, type DeskEvent, type DeskIdentity } from "../src/modules/emergency/desk-object";
import { deskSnapshot } from "../src/modules/emergency/emergency-desk.service";

type DeskSession = Omit<DeskIdentity, "since">;

export class EmergencyDesk extends DurableObject<Env> {
  /**
   * Sockets still waiting for their snapshot, with the live events that arrived meanwhile: those
   * are sent after the snapshot, so a desk always sees the snapshot first. (In memory: the object
   * cannot hibernate while a snapshot query is pending.)
   */
  private readonly pending = new Map<WebSocket, string[]>();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // Answered by the runtime itself: a ping never wakes a hibernating desk.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
  }

  override async fetch(request: Request): Promise<Response> {
    const identity = deskIdentityFrom(request.headers);
    if (!identity || request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected an authorised WebSocket upgrade from the API worker", { status: 400 });
    }
    const { since, ...session } = identity;
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment(session satisfies DeskSession);
    this.pending.set(server, []);
    await this.scheduleExpiry(session.tokenExp * 1000);
    // The snapshot is read after the socket is registered, so nothing committed from now on can
    // fall between the snapshot and the live events (at worst an emergency comes twice; desks
    // keep the copy with the later updated_at).
    this.ctx.waitUntil(this.sendSnapshot(server, session, since));
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Called by the Worker after an emergency was stored or changed. */
  async announce(event: DeskEvent): Promise<number> {
    const frame = JSON.stringify(event);
    let delivered = 0;
    const now = Date.now();
    for (const ws of this.ctx.getWebSockets()) {
      const session = ws.deserializeAttachment() as DeskSession | null;
      if (!session || !deskCovers(session.wards, event.emergency.ward_number)) continue;
      if (session.tokenExp * 1000 <= now) {
        this.closeExpired(ws);
        continue;
      }
      const waiting = this.pending.get(ws);
      if (waiting) waiting.push(frame);
      else this.send(ws, frame);
      delivered++;
    }
    return delivered;
  }

  private async sendSnapshot(ws: WebSocket, session: DeskSession, since: string | null): Promise<void> {
    try {
      const { open, missed } = await withServiceContext(this.env, (services) => deskSnapshot(services, { id: session.userId, userType: session.userType }, since));
      this.send(ws, JSON.stringify({ type: "emergency.snapshot", emergencies: open, server_time: new Date().toISOString() }));
      const sinceMs = since ? Date.parse(since) : 0;
      for (const emergency of missed) {
        const type = Date.parse(emergency.created_at) > sinceMs ? "emergency.created" : "emergency.updated";
        this.send(ws, JSON.stringify({ type, emergency }));
      }
      for (const frame of this.pending.get(ws) ?? []) this.send(ws, frame);
    } catch (err) {
      console.error(JSON.stringify({ level: "error", msg: "emergency desk snapshot failed", error: err instanceof Error ? err.message : String(err) }));
      try {
        ws.close(1011, "snapshot unavailable, reconnect with since");
      } catch {
        // already closed
      }
    } finally {
      this.pending.delete(ws);
    }
  }

  private send(ws: WebSocket, frame: string): void {
    try {
      ws.send(frame);
    } catch {
      // closing; the close handler tidies up
    }
  }

  private closeExpired(ws: WebSocket): void {
    try {
      ws.close(4001, "token expired");
    } catch {
      // already closed
    }
  }

  private async scheduleExpiry(at: number): Promise<void> {
    const current = await this.ctx.storage.getAlarm();
    if (current === null || at < current) await this.ctx.storage.setAlarm(at);
  }

  /** Closes sockets whose token expired and sets the alarm for the next expiry. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const ws of this.ctx.getWebSockets()) {
      const session = ws.deserializeAttachment() as DeskSession | null;
      if (!session) continue;
      if (session.tokenExp * 1000 <= now) this.closeExpired(ws);
      else next = Math.min(next, session.tokenExp * 1000);
    }
    if (Number.isFinite(next)) await this.ctx.storage.setAlarm(next);
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    // The desk only listens; anything but the auto-answered ping gets a pong so clients can probe.
    if (typeof message === "string" && message.includes("ping")) this.send(ws, '{"type":"pong"}');
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    this.pending.delete(ws);
    try {
      ws.close(code === 1005 ? 1000 : code, reason); // complete the closing handshake
    } catch {
      // already closed
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.pending.delete(ws);
    try {
      ws.close(1011, "socket error");
    } catch {
      // already closed
    }
  }
}
