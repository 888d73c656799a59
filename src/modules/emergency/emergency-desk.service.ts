/**
 * `GET /ws/emergency`: the staff emergency desk. Everything is decided in the Worker before the
 * upgrade — token (query `?token=` or `Sec-WebSocket-Protocol: bearer, <token>`), staff role, the
 * wards this desk may read — and only then is the request handed to the desk object.
 */
import { sql } from "drizzle-orm";
import type { ServiceContext } from "../../context";
import { batchRows } from "../../db/batch";
import { ApiError, validationError } from "../../lib/errors";
import { authenticateAccessToken } from "../../middleware/auth";
import type { StaffActor } from "../admin/staff-scope";
import { tokenFromProtocols } from "../chat/socket.service";
import { isStaff } from "../users/users.service";
import { deskObject, deskSocketRequest } from "./desk-object";
import { emergenciesQuery, toEmergencyDto, type EmergencyRecord } from "./emergency.queries";
import { EMERGENCY_STATUS, emergencyVisibility } from "./emergency.service";
import type { EmergencyDto } from "./emergency.schemas";

/** Open emergencies sent on connect (newest first), and at most this many missed changes replayed. */
export const DESK_SNAPSHOT_LIMIT = 200;
export const DESK_REPLAY_LIMIT = 500;

export interface DeskConnect {
  upgrade: string | undefined;
  queryToken: string | undefined;
  protocolHeader: string | undefined;
  since: string | undefined;
}

export async function connectDesk(services: ServiceContext, req: DeskConnect): Promise<Response> {
  if (req.upgrade?.toLowerCase() !== "websocket") throw new ApiError("upgrade_required");
  const fromProtocol = tokenFromProtocols(req.protocolHeader);
  const token = req.queryToken || fromProtocol?.token;
  if (!token) throw new ApiError("unauthorized");
  const { user, claims } = await authenticateAccessToken(services, token);
  if (req.since !== undefined && !/^\d{4}-\d{2}-\d{2}T/.test(req.since)) throw validationError({ since: ["Must be an ISO-8601 instant, e.g. the updated_at of the last event received."] });
  if (req.since !== undefined && Number.isNaN(Date.parse(req.since))) throw validationError({ since: ["Must be an ISO-8601 instant."] });
  if (!isStaff(user)) throw new ApiError("forbidden");
  // The wards this desk may read emergencies in (NULL: all). The statement carries the token check.
  const { rows } = await services.db.execute<{ wards: string[] | null }>(sql`select staff_wards(${user.id}::uuid, 'emergency', 'read') as wards`);
  const wards = rows[0]?.wards ?? null;
  if (wards !== null && wards.length === 0) throw new ApiError("forbidden"); // an admin without emergency.read

  const answer = await deskObject(services.env).fetch(
    deskSocketRequest({ userId: user.id, userType: user.userType, wards, tokenExp: claims.exp, since: req.since ? new Date(req.since).toISOString() : null }),
  );
  if (answer.status !== 101 || !answer.webSocket) {
    console.error(JSON.stringify({ level: "error", msg: "emergency desk refused an authorised upgrade", status: answer.status }));
    throw new ApiError("internal_error");
  }
  const headers = new Headers();
  if (fromProtocol) headers.set("sec-websocket-protocol", fromProtocol.answer);
  return new Response(null, { status: 101, webSocket: answer.webSocket, headers });
}

export interface DeskSnapshot {
  open: EmergencyDto[];
  /** Changed after `since`, oldest change first (only when `since` was given). */
  missed: EmergencyDto[];
}

/** What a desk gets on connect: one round trip (the open list and, with `since`, the catch-up). */
export async function deskSnapshot(services: ServiceContext, viewer: StaffActor, since: string | null): Promise<DeskSnapshot> {
  const visible = emergencyVisibility(viewer);
  const [open, missed] = await batchRows<[EmergencyRecord, EmergencyRecord]>(services.db, [
    emergenciesQuery(sql`e.status <> ${EMERGENCY_STATUS.resolved} and ${visible}`, { limit: DESK_SNAPSHOT_LIMIT }),
    since ? emergenciesQuery(sql`e.updated_at > ${since}::timestamptz and ${visible}`, { byChange: true, limit: DESK_REPLAY_LIMIT }) : sql`select 1 where false`,
  ]);
  return { open: open.map(toEmergencyDto), missed: missed.map(toEmergencyDto) };
}
