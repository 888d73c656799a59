/** Registration, OTP, login, refresh, logout, me and password flows over HTTP (contract §3). */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { api, roundTrips, statementCount } from "../../../test/support/http";
import {
  codeFrom,
  createUser,
  DEFAULT_PASSWORD,
  randomPhone,
  registerAndGetCode,
  signedIn,
  waitForSms,
  withServices,
} from "../../../test/support/factories";

const local = (phone: string) => `0${phone.slice(4)}`; // +8801712345678 → 01712345678

async function backdateOtps(phone: string, seconds: number) {
  await withServices(({ db }) =>
    db.execute(sql`update otp_codes set created_at = created_at - make_interval(secs => ${seconds}) where phone = ${phone}`),
  );
}

describe("registration and verification", () => {
  it("registers with a local-format phone, sends the Bengali SMS code, verifies and signs in", async () => {
    const phone = randomPhone();
    const res = await api("/api/v1/auth/register", {
      body: { name: "Karim", phone: local(phone), password: "secret1", email: "Karim@Example.com", ward_number: 12 },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ phone, user_id: expect.any(String), message: expect.any(String) });

    const sms = await waitForSms(phone);
    expect(sms).toMatch(/^আপনার Clean Care যাচাইকরণ কোড: \d{6}। এটি ৫ মিনিটের জন্য বৈধ। /);

    const unverifiedLogin = await api("/api/v1/auth/login", { body: { phone, password: "secret1" } });
    expect(unverifiedLogin.status).toBe(403);
    expect(unverifiedLogin.body.code).toBe("not_verified");

    const verified = await api("/api/v1/auth/verify-otp", { body: { phone: phone.slice(1), otp_code: codeFrom(sms) } });
    expect(verified.status).toBe(200);
    expect(verified.body.user).toMatchObject({ id: res.body.user_id, phone, email: "karim@example.com", ward_number: "12", is_verified: true, user_type: "citizen" });
    expect(verified.body.access_token).toBeTruthy();
    expect(verified.body.refresh_token).toBeTruthy();

    const me = await api("/api/v1/auth/me", { token: verified.body.access_token });
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(res.body.user_id);
  });

  it("accepts `code` as an alias of otp_code", async () => {
    const { phone, code } = await registerAndGetCode();
    const res = await api("/api/v1/auth/verify-otp", { body: { phone, code } });
    expect(res.status).toBe(200);
  });

  it("refuses a phone that already has a verified account, naming the field", async () => {
    const existing = await createUser();
    const res = await api("/api/v1/auth/register", { body: { name: "X", phone: existing.phone, password: "secret1" } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_error");
    expect(res.body.details.phone).toHaveLength(1);
  });

  it("a pending sign-up cannot be taken over: the owner's code verifies the owner's password, never a stranger's", async () => {
    const owner = await registerAndGetCode(); // the owner's password is DEFAULT_PASSWORD
    // A stranger registers the same phone with a password of their own while the code is live.
    const stranger = await api("/api/v1/auth/register", { body: { name: "Stranger", phone: owner.phone, password: "stranger1" } });
    expect(stranger.status).toBe(400);
    expect(stranger.body.code).toBe("validation_error");
    expect(stranger.body.details.phone[0]).toMatch(/waiting for its code/);
    // No second code was sent to the owner's phone, and the owner's code still works.
    const verified = await api("/api/v1/auth/verify-otp", { body: { phone: owner.phone, otp_code: owner.code } });
    expect(verified.status).toBe(200);
    expect(verified.body.user.name).not.toBe("Stranger");
    expect((await api("/api/v1/auth/login", { body: { phone: owner.phone, password: DEFAULT_PASSWORD } })).status).toBe(200);
    expect((await api("/api/v1/auth/login", { body: { phone: owner.phone, password: "stranger1" } })).status).toBe(401);
    // Once verified, a registration of the phone is the ordinary "taken".
    const late = await api("/api/v1/auth/register", { body: { name: "Stranger", phone: owner.phone, password: "stranger1" } });
    expect(late.status).toBe(400);
    expect(late.body.details.phone[0]).toMatch(/already exists/);
  });

  it("an abandoned sign-up (its codes expired) may be replaced, and its old code verifies nothing", async () => {
    const first = await registerAndGetCode();
    await withServices(({ db }) => db.execute(sql`update otp_codes set created_at = created_at - interval '6 minutes', expires_at = now() - interval '1 minute' where phone = ${first.phone}`));
    const again = await api("/api/v1/auth/register", { body: { name: "Second", phone: first.phone, password: "another1" } });
    expect(again.status).toBe(201);
    expect(again.body.user_id).toBe(first.userId);
    const code = codeFrom(await waitForSms(first.phone, 1));
    expect((await api("/api/v1/auth/verify-otp", { body: { phone: first.phone, otp_code: first.code } })).status).toBe(400);
    expect((await api("/api/v1/auth/verify-otp", { body: { phone: first.phone, otp_code: code } })).status).toBe(200);
    expect((await api("/api/v1/auth/login", { body: { phone: first.phone, password: "another1" } })).status).toBe(200);
  });

  it("rejects invalid registration fields with details per field and writes nothing", async () => {
    const phone = randomPhone();
    const res = await api("/api/v1/auth/register", {
      body: { name: "", phone: "01212345678", password: "123", email: "nope", nid: "12345", ward_number: "abc" },
    });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_error");
    expect(Object.keys(res.body.details).sort()).toEqual(["email", "name", "nid", "password", "phone", "ward_number"]);
    const count = await withServices(({ db }) => db.execute<{ n: number }>(sql`select count(*)::int as n from users where phone = ${phone}`));
    expect(count.rows[0]!.n).toBe(0);
  });

  it("refuses a duplicate email on another account", async () => {
    const email = `dup-${crypto.randomUUID().slice(0, 8)}@example.com`;
    expect((await api("/api/v1/auth/register", { body: { name: "A", phone: randomPhone(), password: "secret1", email } })).status).toBe(201);
    const res = await api("/api/v1/auth/register", { body: { name: "B", phone: randomPhone(), password: "secret1", email } });
    expect(res.status).toBe(400);
    expect(res.body.details.email).toHaveLength(1);
  });
});

describe("OTP rules", () => {
  it("a code works once only", async () => {
    const { phone, code } = await registerAndGetCode();
    expect((await api("/api/v1/auth/verify-otp", { body: { phone, otp_code: code } })).status).toBe(200);
    const again = await api("/api/v1/auth/verify-otp", { body: { phone, otp_code: code } });
    expect(again.status).toBe(400);
    expect(again.body.details.otp_code).toHaveLength(1);
  });

  it("an expired code is refused", async () => {
    const { phone, code } = await registerAndGetCode();
    await withServices(({ db }) => db.execute(sql`update otp_codes set expires_at = now() - interval '1 second' where phone = ${phone}`));
    expect((await api("/api/v1/auth/verify-otp", { body: { phone, otp_code: code } })).status).toBe(400);
  });

  it("five wrong tries kill the code, even for the right digits afterwards", async () => {
    const { phone, code } = await registerAndGetCode();
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) {
      const res = await api("/api/v1/auth/verify-otp", { body: { phone, otp_code: wrong } });
      expect(res.status).toBe(400);
    }
    const res = await api("/api/v1/auth/verify-otp", { body: { phone, otp_code: code } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/Too many wrong codes/);
  });

  it("concurrent verifications of one code: exactly one session starts", async () => {
    const { phone, code } = await registerAndGetCode();
    const results = await Promise.all(Array.from({ length: 8 }, () => api("/api/v1/auth/verify-otp", { body: { phone, otp_code: code } })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 400)).toHaveLength(7);
  });

  it("resend is refused for 60 s with Retry-After, then allowed; the old code stops working", async () => {
    const { phone, code } = await registerAndGetCode();
    const early = await api("/api/v1/auth/resend-otp", { body: { phone } });
    expect(early.status).toBe(429);
    expect(early.body.code).toBe("rate_limited");
    expect(Number(early.headers.get("retry-after"))).toBeGreaterThan(55);
    expect(Number(early.headers.get("retry-after"))).toBeLessThanOrEqual(60);

    await backdateOtps(phone, 61);
    const later = await api("/api/v1/auth/resend-otp", { body: { phone } });
    expect(later.status).toBe(200);
    const fresh = codeFrom(await waitForSms(phone, 1));
    expect((await api("/api/v1/auth/verify-otp", { body: { phone, otp_code: code } })).status).toBe(400);
    expect((await api("/api/v1/auth/verify-otp", { body: { phone, otp_code: fresh } })).status).toBe(200);
  });

  it("at most five codes per phone per hour", async () => {
    const { phone } = await registerAndGetCode();
    for (let sent = 1; sent < 5; sent++) {
      await backdateOtps(phone, 61);
      expect((await api("/api/v1/auth/resend-otp", { body: { phone } })).status).toBe(200);
    }
    await backdateOtps(phone, 61);
    const sixth = await api("/api/v1/auth/resend-otp", { body: { phone } });
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(3000);
  });

  it("resend for an unknown phone answers the same as for a real one and sends nothing", async () => {
    const phone = randomPhone();
    const res = await api("/api/v1/auth/resend-otp", { body: { phone } });
    expect(res.status).toBe(200);
    const outbox = await api(`/api/v1/dev/sms?phone=${encodeURIComponent(phone)}`);
    expect(outbox.body.results).toEqual([]);
  });

  it("passwordless login with a `login` code for a verified account", async () => {
    const user = await createUser();
    expect((await api("/api/v1/auth/resend-otp", { body: { phone: user.phone, purpose: "login" } })).status).toBe(200);
    const code = codeFrom(await waitForSms(user.phone));
    const res = await api("/api/v1/auth/verify-otp", { body: { phone: user.phone, otp_code: code, purpose: "login" } });
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(user.id);
  });
});

describe("login", () => {
  it("signs in with every accepted phone format and records last_login", async () => {
    const user = await createUser();
    for (const phone of [user.phone, user.phone.slice(1), local(user.phone)]) {
      const res = await api("/api/v1/auth/login", { body: { phone, password: DEFAULT_PASSWORD } });
      expect(res.status).toBe(200);
      expect(res.body.user.id).toBe(user.id);
      expect(res.body.user.last_login).not.toBeNull();
    }
  });

  it("wrong password and unknown phone give the same 401", async () => {
    const user = await createUser();
    const wrong = await api("/api/v1/auth/login", { body: { phone: user.phone, password: "not-it" } });
    const unknown = await api("/api/v1/auth/login", { body: { phone: randomPhone(), password: "not-it" } });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it("a deactivated account cannot sign in", async () => {
    const user = await createUser({ active: false });
    const res = await api("/api/v1/auth/login", { body: { phone: user.phone, password: DEFAULT_PASSWORD } });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe("account_disabled");
  });

  it("five failures in 15 minutes lock the phone with Retry-After, even for the right password", async () => {
    const user = await createUser();
    for (let i = 0; i < 5; i++) expect((await api("/api/v1/auth/login", { body: { phone: user.phone, password: "bad" } })).status).toBe(401);
    const locked = await api("/api/v1/auth/login", { body: { phone: user.phone, password: DEFAULT_PASSWORD } });
    expect(locked.status).toBe(429);
    const retryAfter = Number(locked.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // Once the window has passed, the right password works again and clears the count.
    await withServices(({ db }) => db.execute(sql`update login_throttle set window_start = now() - interval '16 minutes' where phone = ${user.phone}`));
    expect((await api("/api/v1/auth/login", { body: { phone: user.phone, password: DEFAULT_PASSWORD } })).status).toBe(200);
  });

  it("parallel guesses cannot exceed the limit", async () => {
    const user = await createUser();
    const results = await Promise.all(Array.from({ length: 12 }, () => api("/api/v1/auth/login", { body: { phone: user.phone, password: "bad" } })));
    expect(results.filter((r) => r.status === 401)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429)).toHaveLength(7);
  });

  it("a successful login resets the failure count", async () => {
    const user = await createUser();
    for (let i = 0; i < 4; i++) await api("/api/v1/auth/login", { body: { phone: user.phone, password: "bad" } });
    expect((await api("/api/v1/auth/login", { body: { phone: user.phone, password: DEFAULT_PASSWORD } })).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await api("/api/v1/auth/login", { body: { phone: user.phone, password: "bad" } })).status).toBe(401);
  });

  it("answers after two database round trips, one statement each", async () => {
    const user = await createUser();
    const res = await api("/api/v1/auth/login", { body: { phone: user.phone, password: DEFAULT_PASSWORD } });
    expect(res.status).toBe(200);
    // throttle + user + the session's token in one statement; after the password check, the
    // window cleared and last_login in another.
    expect(roundTrips(res)).toBe(2);
    expect(statementCount(res)).toBe(2);
  });
});

describe("tokens", () => {
  it("me requires a valid bearer token", async () => {
    expect((await api("/api/v1/auth/me")).status).toBe(401);
    expect((await api("/api/v1/auth/me", { token: "not-a-jwt" })).body.code).toBe("unauthorized");
    const { refresh } = await signedIn();
    expect((await api("/api/v1/auth/me", { token: refresh })).status).toBe(401); // a refresh token is not an access token
  });

  it("refresh rotates: the new pair works, the old refresh token is dead", async () => {
    const { refresh, user } = await signedIn();
    const rotated = await api("/api/v1/auth/refresh", { body: { refresh } });
    expect(rotated.status).toBe(200);
    expect(rotated.body.access).toBeTruthy();
    expect((await api("/api/v1/auth/me", { token: rotated.body.access })).body.id).toBe(user.id);
    const next = await api("/api/v1/auth/refresh", { body: { refresh_token: rotated.body.refresh } });
    expect(next.status).toBe(200);
  });

  it("reusing a rotated refresh token revokes the whole family", async () => {
    const { refresh } = await signedIn();
    const rotated = await api("/api/v1/auth/refresh", { body: { refresh } });
    expect(rotated.status).toBe(200);
    const replay = await api("/api/v1/auth/refresh", { body: { refresh } });
    expect(replay.status).toBe(401);
    // The legitimate holder's newer token died with the family.
    expect((await api("/api/v1/auth/refresh", { body: { refresh: rotated.body.refresh } })).status).toBe(401);
  });

  it("logout revokes the family; other sessions survive", async () => {
    const user = await createUser();
    const a = await api("/api/v1/auth/login", { body: { phone: user.phone, password: DEFAULT_PASSWORD } });
    const b = await api("/api/v1/auth/login", { body: { phone: user.phone, password: DEFAULT_PASSWORD } });
    const rotatedA = await api("/api/v1/auth/refresh", { body: { refresh: a.body.refresh_token } });
    expect((await api("/api/v1/auth/logout", { body: { refresh_token: rotatedA.body.refresh } })).status).toBe(200);
    expect((await api("/api/v1/auth/refresh", { body: { refresh: rotatedA.body.refresh } })).status).toBe(401);
    expect((await api("/api/v1/auth/refresh", { body: { refresh: b.body.refresh_token } })).status).toBe(200);
  });

  it("garbage refresh tokens are 401, missing ones 400", async () => {
    expect((await api("/api/v1/auth/refresh", { body: { refresh: "abc" } })).status).toBe(401);
    expect((await api("/api/v1/auth/refresh", { body: {} })).status).toBe(400);
    expect((await api("/api/v1/auth/logout", { body: { refresh_token: "abc.def.ghi" } })).status).toBe(401);
  });

  it("a deactivated user's tokens stop working at once", async () => {
    const { access, refresh, user } = await signedIn();
    await withServices(({ db }) => db.execute(sql`update users set is_active = false where id = ${user.id}`));
    expect((await api("/api/v1/auth/me", { token: access })).status).toBe(401);
    expect((await api("/api/v1/auth/refresh", { body: { refresh } })).status).toBe(401);
  });
});

describe("passwords", () => {
  it("change-password needs the old password, revokes every other session and returns a fresh pair", async () => {
    const { access, refresh, user } = await signedIn();
    const bad = await api("/api/v1/auth/change-password", { method: "PUT", token: access, body: { old_password: "nope", new_password: "newpass1" } });
    expect(bad.status).toBe(400);
    expect(bad.body.details.old_password).toHaveLength(1);

    const ok = await api("/api/v1/auth/change-password", { method: "PUT", token: access, body: { old_password: DEFAULT_PASSWORD, new_password: "newpass1" } });
    expect(ok.status).toBe(200);
    expect((await api("/api/v1/auth/me", { token: access })).status).toBe(401);
    expect((await api("/api/v1/auth/refresh", { body: { refresh } })).status).toBe(401);
    expect((await api("/api/v1/auth/me", { token: ok.body.access_token })).body.id).toBe(user.id);
    expect((await api("/api/v1/auth/refresh", { body: { refresh: ok.body.refresh_token } })).status).toBe(200);
    expect((await api("/api/v1/auth/login", { body: { phone: user.phone, password: "newpass1" } })).status).toBe(200);
  });

  it("password reset: 202 whether or not the account exists; the code sets a new password and signs everyone out", async () => {
    const { refresh, user } = await signedIn();
    const unknown = await api("/api/v1/auth/password-reset/request", { body: { phone: randomPhone() } });
    const known = await api("/api/v1/auth/password-reset/request", { body: { phone: user.phone } });
    expect(unknown.status).toBe(202);
    expect(known.status).toBe(202);
    expect(known.body).toEqual(unknown.body);
    // A second request inside the cooldown is still 202 (no enumeration through 429).
    expect((await api("/api/v1/auth/password-reset/request", { body: { phone: user.phone } })).status).toBe(202);

    const code = codeFrom(await waitForSms(user.phone));
    const wrong = await api("/api/v1/auth/password-reset/confirm", { body: { phone: user.phone, otp_code: code === "000000" ? "111111" : "000000", new_password: "reset-pass" } });
    expect(wrong.status).toBe(400);
    const res = await api("/api/v1/auth/password-reset/confirm", { body: { phone: user.phone, otp_code: code, new_password: "reset-pass" } });
    expect(res.status).toBe(200);
    expect((await api("/api/v1/auth/refresh", { body: { refresh } })).status).toBe(401);
    expect((await api("/api/v1/auth/login", { body: { phone: user.phone, password: DEFAULT_PASSWORD } })).status).toBe(401);
    expect((await api("/api/v1/auth/login", { body: { phone: user.phone, password: "reset-pass" } })).status).toBe(200);
  });

  it("a registration code cannot reset a password", async () => {
    const { phone, code } = await registerAndGetCode();
    const res = await api("/api/v1/auth/password-reset/confirm", { body: { phone, otp_code: code, new_password: "reset-pass" } });
    expect(res.status).toBe(400);
  });
});

describe("phone normalisation and hostile input on every auth route", () => {
  const jsonRoutes: Array<[string, string]> = [
    ["POST", "/api/v1/auth/register"],
    ["POST", "/api/v1/auth/verify-otp"],
    ["POST", "/api/v1/auth/resend-otp"],
    ["POST", "/api/v1/auth/login"],
    ["POST", "/api/v1/auth/refresh"],
    ["POST", "/api/v1/auth/logout"],
    ["POST", "/api/v1/auth/password-reset/request"],
    ["POST", "/api/v1/auth/password-reset/confirm"],
  ];

  it.each(jsonRoutes)("%s %s: malformed JSON → 400 invalid_json", async (method, path) => {
    const res = await api(path, { method, body: '{"phone": "017', headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("invalid_json");
  });

  it("change-password: malformed JSON → 400 invalid_json", async () => {
    const { access } = await signedIn();
    const res = await api("/api/v1/auth/change-password", { method: "PUT", token: access, body: "{", headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("invalid_json");
  });

  it.each(jsonRoutes)("%s %s: a JSON array or wrong types → 400 validation_error", async (method, path) => {
    const res = await api(path, { method, body: [1, 2, 3] });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe("validation_error");
  });

  it.each(jsonRoutes)("%s %s: a form body → 415", async (method, path) => {
    const res = await api(path, { method, body: "phone=01712345678", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(415);
    expect(res.body.code).toBe("unsupported_media_type");
  });

  it.each(["01112345678", "+8801212345678", "8801712345", "017123456789", "+880171234567a", "", "০১৭১২৩৪৫৬৭৮"])("rejects invalid phone %j", async (phone) => {
    const res = await api("/api/v1/auth/login", { body: { phone, password: "x" } });
    expect(res.status).toBe(400);
    expect(res.body.details.phone).toHaveLength(1);
  });
});
