/** The emergency desk socket: who may connect, the snapshot, live events by ward, and catch-up. */
import { describe, expect, it } from "vitest";
import { connectDesk, freshWard, mustConnectDesk, raiseEmergency, respond } from "../test/support/emergency";
import { signedIn } from "../test/support/factories";
import { api } from "../test/support/http";

const wardAdmin = (ward: string) => signedIn({ userType: "admin", permissions: [{ permission_type: "emergency", ward_numbers: [ward], can_update: true }] });

describe("connecting", () => {
  it("refuses before the upgrade: no token 401, a citizen 403, an admin without emergency.read 403, a plain GET 426, a bad since 400", async () => {
    const citizen = await signedIn();
    const noGrant = await signedIn({ userType: "admin", permissions: [{ permission_type: "complaints" }] });
    const staff = await signedIn({ userType: "super_admin" });
    const none = await connectDesk();
    expect([none.status, none.body.code]).toEqual([401, "unauthorized"]);
    const asCitizen = await connectDesk({ token: citizen.access });
    expect([asCitizen.status, asCitizen.body.code]).toEqual([403, "forbidden"]);
    expect((await connectDesk({ token: noGrant.access })).status).toBe(403);
    expect((await connectDesk({ token: "not.a.jwt" })).status).toBe(401);
    const plain = await api(`/ws/emergency?token=${staff.access}`);
    expect(plain.status).toBe(426);
    const badSince = await connectDesk({ token: staff.access, since: "yesterday" });
    expect([badSince.status, badSince.body.code]).toEqual([400, "validation_error"]);
  });

  it("accepts the token as a subprotocol and answers with `bearer`", async () => {
    const staff = await signedIn({ userType: "super_admin" });
    const result = await connectDesk({ protocols: ["bearer", staff.access] });
    expect(result.status).toBe(101);
    expect(result.protocol).toBe("bearer");
    expect((await result.socket!.next("emergency.snapshot")).emergencies).toBeInstanceOf(Array);
    result.socket!.close();
  });
});

describe("live desk", () => {
  it("sends the open emergencies of the desk's wards first, then new ones and responses as they happen", async () => {
    const ward = freshWard();
    const otherWard = freshWard();
    const citizen = await signedIn({ wardNumber: ward });
    const neighbour = await signedIn({ wardNumber: otherWard });
    const before = await raiseEmergency(citizen.access);
    const elsewhere = await raiseEmergency(neighbour.access);
    const admin = await wardAdmin(ward);

    const desk = await mustConnectDesk(admin.access);
    const snapshot = await desk.next();
    expect(snapshot.type).toBe("emergency.snapshot");
    const ids = snapshot.emergencies.map((e: any) => e.id);
    expect(ids).toContain(before.id);
    expect(ids).not.toContain(elsewhere.id);
    expect(snapshot.emergencies.every((e: any) => e.ward_number === ward)).toBe(true);

    const raised = await raiseEmergency(citizen.access, { emergency_type: "medical" });
    const created = await desk.next("emergency.created");
    expect(created.emergency).toEqual(raised);

    const answered = await respond(admin.access, raised.id, { status: "in_progress", note: "Ambulance on the way" });
    const updated = await desk.next("emergency.updated");
    expect(updated.emergency).toEqual(answered.body);
    expect(updated.emergency.status).toBe("প্রক্রিয়াধীন");

    // Another ward's emergency never reaches this desk.
    await raiseEmergency(neighbour.access);
    expect(await desk.quiet("emergency.created", 400)).toEqual([]);
    desk.close();
  });

  it("a super admin's desk gets every ward's emergencies", async () => {
    const chief = await signedIn({ userType: "super_admin" });
    const desk = await mustConnectDesk(chief.access);
    await desk.next("emergency.snapshot");
    const a = await raiseEmergency((await signedIn({ wardNumber: freshWard() })).access);
    const b = await raiseEmergency((await signedIn({ wardNumber: freshWard() })).access);
    const seen = new Set<string>();
    while (!(seen.has(a.id) && seen.has(b.id))) seen.add((await desk.next("emergency.created")).emergency.id);
    desk.close();
  });

  it("a desk that reconnects with ?since= gets what it missed, in order of change", async () => {
    const ward = freshWard();
    const citizen = await signedIn({ wardNumber: ward });
    const admin = await wardAdmin(ward);
    const first = await raiseEmergency(citizen.access);
    const desk = await mustConnectDesk(admin.access);
    expect((await desk.next("emergency.snapshot")).emergencies.map((e: any) => e.id)).toContain(first.id);
    desk.close();
    const lastSeen = first.updated_at;

    // While away: one new emergency, and the first one resolved.
    const missedNew = await raiseEmergency(citizen.access, { emergency_type: "police" });
    await respond(admin.access, first.id, { status: "in_progress" });
    const resolved = (await respond(admin.access, first.id, { status: "resolved" })).body;

    const back = await mustConnectDesk(admin.access, lastSeen);
    const snapshot = await back.next("emergency.snapshot");
    expect(snapshot.emergencies.map((e: any) => e.id)).toContain(missedNew.id);
    expect(snapshot.emergencies.map((e: any) => e.id)).not.toContain(first.id); // resolved: no longer open
    const replay = [await back.next(), await back.next()];
    expect(replay.map((f) => [f.type, f.emergency.id])).toEqual([
      ["emergency.created", missedNew.id],
      ["emergency.updated", first.id],
    ]);
    expect(replay[1]!.emergency).toEqual(resolved);
    back.close();
  });
});
