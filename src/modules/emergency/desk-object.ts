/**
 * How the Worker reaches the emergency desk, and the identity it hands over on a socket upgrade.
 *
 * One Durable Object for the whole city (`idFromName("city")`), not one per ward: emergencies come
 * in at tens to hundreds a day and desks number in the tens, far inside one object's capacity; a
 * staff member who covers many wards (a super admin: all of them) holds one socket, not one per
 * ward; and each socket's ward list (in its attachment) decides which events it gets. The object
 * believes the `x-desk-*` headers because only this Worker can reach it (it has no public
 * address), and the Worker builds the forwarded request from scratch.
 */
import type { EmergencyDesk } from "../../../durable-objects/emergency-desk";
import type { UserType } from "../../lib/enums";
import type { EmergencyDto } from "./emergency.schemas";

export interface DeskEvent {
  type: "emergency.created" | "emergency.updated";
  emergency: EmergencyDto;
}

export interface DeskIdentity {
  userId: string;
  userType: UserType;
  /** Wards whose emergencies this desk may read; null = every ward. */
  wards: string[] | null;
  /** The access token's `exp` (seconds): the socket is closed with 4001 when it passes. */
  tokenExp: number;
  /** Replay what changed after this instant (ISO-8601) on connect. */
  since: string | null;
}

export function deskObject(env: Env): DurableObjectStub<EmergencyDesk> {
  return env.EMERGENCY_DESK.get(env.EMERGENCY_DESK.idFromName("city"));
}

const H = { user: "x-desk-user-id", type: "x-desk-user-type", wards: "x-desk-wards", exp: "x-desk-token-exp", since: "x-desk-since" } as const;

export function deskSocketRequest(identity: DeskIdentity): Request {
  const headers = new Headers({
    upgrade: "websocket",
    [H.user]: identity.userId,
    [H.type]: identity.userType,
    [H.wards]: JSON.stringify(identity.wards),
    [H.exp]: String(identity.tokenExp),
  });
  if (identity.since) headers.set(H.since, identity.since);
  return new Request("https://emergency-desk.internal/socket", { headers });
}

export function deskIdentityFrom(headers: Headers): DeskIdentity | null {
  const userId = headers.get(H.user);
  const userType = headers.get(H.type) as UserType | null;
  const wardsText = headers.get(H.wards);
  const exp = Number(headers.get(H.exp));
  if (!userId || !userType || !wardsText || !Number.isFinite(exp)) return null;
  const wards = JSON.parse(wardsText) as string[] | null;
  return { userId, userType, wards, tokenExp: exp, since: headers.get(H.since) };
}

/** Whether a desk with `wards` may see an emergency in `ward`. */
export function deskCovers(wards: string[] | null, ward: string | null): boolean {
  return wards === null || (ward !== null && wards.includes(ward));
}
