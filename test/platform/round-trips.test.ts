/**
 * Every hot request costs one database round trip (the user check included), whatever the page
 * size — read from the `Server-Timing` header the worker sends with every answer. In production
 * each round trip is an edge→Neon network trip, so this is the figure that carries over.
 */
import { describe, expect, it } from "vitest";
import { openSupportRoom } from "../support/chat";
import { fileComplaint, validComplaint } from "../support/complaints";
import { DEFAULT_PASSWORD, createUser, signedIn } from "../support/factories";
import { api, roundTrips, statementCount, type ApiResponse } from "../support/http";
import { startPayment } from "../support/payments";

function oneRoundTrip(res: ApiResponse, status = 200): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(roundTrips(res)).toBe(1);
}

describe("one database round trip per hot request", () => {
  it("me and refresh (login: two)", async () => {
    const { access, refresh } = await signedIn();
    oneRoundTrip(await api("/api/v1/auth/me", { token: access }));
    const user = await createUser();
    // Login is the one hot request with two: the password is checked in the worker between them.
    const login = await api("/api/v1/auth/login", { body: { phone: user.phone, password: DEFAULT_PASSWORD } });
    expect(login.status).toBe(200);
    expect(roundTrips(login)).toBe(2);
    oneRoundTrip(await api("/api/v1/auth/refresh", { body: { refresh_token: refresh } }));
  });

  it("complaints: file (JSON), list, get, track, change status", async () => {
    const citizen = await signedIn();
    const staff = await signedIn({ userType: "admin" });
    const created = await api("/api/v1/complaints", { token: citizen.access, body: validComplaint() });
    oneRoundTrip(created, 201);
    for (let i = 0; i < 3; i++) await fileComplaint(citizen.access);
    const small = await api("/api/v1/complaints?page_size=1", { token: citizen.access });
    const large = await api("/api/v1/complaints?page_size=20", { token: citizen.access });
    oneRoundTrip(small);
    oneRoundTrip(large);
    expect(large.body.results.length).toBe(4);
    expect(statementCount(large)).toBe(statementCount(small)); // flat in page size: no per-row queries
    oneRoundTrip(await api(`/api/v1/complaints/${created.body.id}`, { token: citizen.access }));
    oneRoundTrip(await api(`/api/v1/complaints/track/${created.body.tracking_number}`, { token: citizen.access }));
    const moved = await api(`/api/v1/complaints/${created.body.id}/update_status`, { token: staff.access, body: { status: "প্রক্রিয়াধীন" } });
    oneRoundTrip(moved);
    expect(moved.body.status).toBe("প্রক্রিয়াধীন");
  });

  it("chat: rooms list and history", async () => {
    const citizen = await signedIn();
    const room = await openSupportRoom(citizen.access);
    await api(`/api/v1/chat/rooms/${room}/messages`, { token: citizen.access, body: { message: "hello", client_msg_id: crypto.randomUUID() } });
    oneRoundTrip(await api("/api/v1/chat/rooms", { token: citizen.access }));
    const history = await api(`/api/v1/chat/rooms/${room}/messages`, { token: citizen.access });
    oneRoundTrip(history);
    expect(history.body.results.map((m: { message: string }) => m.message)).toContain("hello");
  });

  it("payments: process, list, get", async () => {
    const citizen = await signedIn();
    // Warm: this isolate's copy of the fee catalogue and the bKash token are read once, then reused.
    await startPayment(citizen.access);
    const process = await api("/api/v1/payments/process", {
      token: citizen.access,
      body: { service_type: "holding_tax", amount: "500.00", payment_method: "bkash", phone_number: "01712345678" },
    });
    oneRoundTrip(process, 201);
    oneRoundTrip(await api("/api/v1/payments", { token: citizen.access }));
    oneRoundTrip(await api(`/api/v1/payments/${process.body.payment_id}`, { token: citizen.access }));
  });

  it("a request whose user check fails writes nothing, even though the check rode with its write", async () => {
    const citizen = await signedIn();
    const staff = await signedIn({ userType: "admin" });
    const complaint = await fileComplaint(citizen.access);
    // Deactivated after the token was issued: the token still verifies, the account check does not.
    const admin = await signedIn({ userType: "super_admin" });
    expect((await api(`/api/v1/users/${staff.user.id}`, { method: "DELETE", token: admin.access })).status).toBeLessThan(300);
    const refused = await api(`/api/v1/complaints/${complaint.id}/update_status`, { token: staff.access, body: { status: "প্রক্রিয়াধীন" } });
    expect(refused.status).toBe(401);
    const after = await api(`/api/v1/complaints/${complaint.id}`, { token: citizen.access });
    expect(after.body.status).toBe(complaint.status);
    const history = await api(`/api/v1/complaints/${complaint.id}/updates`, { token: citizen.access });
    expect(history.body.length).toBe(1);
  });
});
