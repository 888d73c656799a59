/**
 * PBKDF2 iteration ceiling. Cloudflare's production runtime refuses `deriveBits` with more than
 * 100,000 PBKDF2 iterations (NotSupportedError, cloudflare/workerd#1346). The open-source workerd that
 * runs this suite (and `wrangler dev`) does not enforce that limit (workerd#1471), so
 * src/lib/password.ts enforces it itself; these tests pin both facts so local runs fail the way
 * production would, and tell us when either side changes.
 */
import { describe, expect, it } from "vitest";
import { toBase64 } from "../../src/lib/crypto";
import { hashPassword, needsRehash, PBKDF2_ITERATIONS, PBKDF2_MAX_ITERATIONS, verifyPassword } from "../../src/lib/password";

/** Cloudflare Workers' production ceiling (the runtime's `checkPbkdfLimits`). */
const WORKERS_PBKDF2_MAX_ITERATIONS = 100_000;
const PRODUCTION_MESSAGE = /^Pbkdf2 failed: iteration counts above 100000 are not supported \(requested 100001\)\.$/;

async function deriveBits(iterations: number): Promise<ArrayBuffer> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode("secret"), "PBKDF2", false, ["deriveBits"]);
  return crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt: new Uint8Array(16), iterations }, key, 256);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => null,
    (err: unknown) => err,
  );
}

describe("PBKDF2 iteration ceiling", () => {
  it("the runtime derives with exactly 100,000 iterations", async () => {
    const bits = await deriveBits(WORKERS_PBKDF2_MAX_ITERATIONS);
    expect(bits.byteLength).toBe(32);
  });

  it("the local workerd does not enforce the production ceiling (so password.ts must)", async () => {
    // If this starts failing, the local runtime has gained the production limit: keep the guard anyway.
    const bits = await deriveBits(WORKERS_PBKDF2_MAX_ITERATIONS + 1);
    expect(bits.byteLength).toBe(32);
  });

  it("password.ts hashes at the ceiling and refuses 100,001 iterations with production's NotSupportedError", async () => {
    expect(PBKDF2_MAX_ITERATIONS).toBe(WORKERS_PBKDF2_MAX_ITERATIONS);
    expect(PBKDF2_ITERATIONS).toBe(WORKERS_PBKDF2_MAX_ITERATIONS);
    const stored = await hashPassword("pw", WORKERS_PBKDF2_MAX_ITERATIONS);
    expect(stored.split("$")[1]).toBe("100000");

    const error = await rejection(hashPassword("pw", WORKERS_PBKDF2_MAX_ITERATIONS + 1));
    expect(error).toBeInstanceOf(DOMException);
    expect((error as DOMException).name).toBe("NotSupportedError");
    expect((error as DOMException).message).toMatch(PRODUCTION_MESSAGE);
  });
});

describe("password hashing", () => {
  it("round-trips: the right password verifies, a wrong one does not", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(new RegExp(`^pbkdf2_sha256\\$${PBKDF2_ITERATIONS}\\$[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+$`));
    expect(await verifyPassword("correct horse battery staple", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", stored)).toBe(false);
    expect(await verifyPassword("", stored)).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it("salts every hash: the same password hashes differently each time", async () => {
    const [a, b] = await Promise.all([hashPassword("পাসওয়ার্ড১২৩"), hashPassword("পাসওয়ার্ড১২৩")]);
    expect(a).not.toBe(b);
    expect(await verifyPassword("পাসওয়ার্ড১২৩", a)).toBe(true);
    expect(await verifyPassword("পাসওয়ার্ড১২৩", b)).toBe(true);
  });

  it("verifies a hash stored with fewer iterations and flags it for rehash", async () => {
    const old = await hashPassword("legacy-pass", 1_000);
    expect(old.split("$")[1]).toBe("1000");
    expect(await verifyPassword("legacy-pass", old)).toBe(true);
    expect(await verifyPassword("legacy-pas", old)).toBe(false);
    expect(needsRehash(old)).toBe(true);
  });

  it("treats malformed stored hashes as not matching (never throws)", async () => {
    const good = await hashPassword("pw");
    const [, , salt, hash] = good.split("$");
    const salt16 = toBase64(new Uint8Array(16));
    const malformed = [
      "",
      "pw",
      "pbkdf2_sha256",
      `pbkdf2_sha256$${PBKDF2_ITERATIONS}$${salt}`,
      `pbkdf2_sha256$abc$${salt}$${hash}`,
      `pbkdf2_sha256$0$${salt}$${hash}`,
      `pbkdf2_sha256$-5$${salt}$${hash}`,
      `pbkdf2_sha256$1.5$${salt}$${hash}`,
      `pbkdf2_sha1$${PBKDF2_ITERATIONS}$${salt}$${hash}`,
      `bcrypt$${PBKDF2_ITERATIONS}$${salt}$${hash}`,
      `pbkdf2_sha256$${PBKDF2_ITERATIONS}$$${hash}`,
      `pbkdf2_sha256$${PBKDF2_ITERATIONS}$${salt}$`,
      `pbkdf2_sha256$${PBKDF2_ITERATIONS}$not*base64!$${hash}`,
      `pbkdf2_sha256$${PBKDF2_ITERATIONS}$${salt}$%%%`,
      // More iterations than the runtime can compute: cannot be verified here, must not crash a login.
      `pbkdf2_sha256$${PBKDF2_ITERATIONS + 1}$${salt}$${hash}`,
      `pbkdf2_sha256$1e9$${salt}$${hash}`,
    ];
    for (const stored of malformed) {
      await expect(verifyPassword("pw", stored), stored).resolves.toBe(false);
      expect(needsRehash(stored), stored).toBe(true);
    }
    // Well-formed but truncated digest: parses, never matches.
    await expect(verifyPassword("pw", `pbkdf2_sha256$${PBKDF2_ITERATIONS}$${salt16}$${toBase64(new Uint8Array(8))}`)).resolves.toBe(false);
    await expect(verifyPassword("pw", `${good}$extra`)).resolves.toBe(false);
    expect(await verifyPassword("pw", good)).toBe(true);
  });
});
