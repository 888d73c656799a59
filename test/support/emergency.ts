/** Emergency test helpers: raising, responding, and a desk socket connected like a staff client. */
import { connectSocketAt, type ConnectResult, type SocketAuth, type TestSocket } from "./chat";
import { api } from "./http";

export const FIRE = { emergency_type: "fire", description: "Smoke from a garment factory's third floor", location: "Mirpur 10, Road 3" };

export async function raiseEmergency(token: string, body: Record<string, unknown> = {}) {
  const res = await api("/api/v1/emergency", { token, body: { ...FIRE, ...body } });
  if (res.status !== 201) throw new Error(`raise failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export function respond(token: string, id: string, body: Record<string, unknown>) {
  return api(`/api/v1/emergency/${id}/respond`, { token, body });
}

export function connectDesk(auth: SocketAuth = {}): Promise<ConnectResult> {
  return connectSocketAt("/ws/emergency", auth);
}

export async function mustConnectDesk(token: string, since?: string): Promise<TestSocket> {
  const result = await connectDesk({ token, since });
  if (!result.socket) throw new Error(`desk refused: ${result.status} ${JSON.stringify(result.body)}`);
  return result.socket;
}

/**
 * A ward number no other test file uses (fixed wards elsewhere are below 100 and in 800–999), so
 * files sharing the database never see each other's rows. Random, so repeated runs differ too.
 */
export function freshWard(): string {
  return String(300 + Math.floor(Math.random() * 500));
}
