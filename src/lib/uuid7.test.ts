import { describe, expect, it } from "vitest";
import { MonotonicUuid7, UUID_PATTERN, uuid7Parts, uuid7Time } from "./uuid7";

describe("MonotonicUuid7", () => {
  it("makes valid version-7 UUIDs carrying the time", () => {
    const id = new MonotonicUuid7().next(Date.UTC(2026, 10, 22, 6, 0, 0, 123));
    expect(id).toMatch(UUID_PATTERN);
    expect(id[14]).toBe("7");
    expect("89ab").toContain(id[19]);
    expect(uuid7Time(id).toISOString()).toBe("2026-11-22T06:00:00.123Z");
  });

  it("strictly increases as strings within one millisecond, across its counter overflow, and when the clock steps back", () => {
    const gen = new MonotonicUuid7();
    const now = 1_800_000_000_000;
    const ids = [...Array.from({ length: 5000 }, () => gen.next(now)), gen.next(now - 5000), gen.next(now + 1)];
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(uuid7Parts(ids[4999]!).ms).toBeGreaterThan(now); // the counter ran out; the millisecond moved on
  });

  it("resumes after an id read back from storage, even if the clock is behind it", () => {
    const before = new MonotonicUuid7().next(1_800_000_000_500);
    const resumed = new MonotonicUuid7(before);
    expect(resumed.next(1_800_000_000_000) > before).toBe(true);
  });
});
