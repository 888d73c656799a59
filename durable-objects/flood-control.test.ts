import { describe, expect, it } from "vitest";
import { FLOOD } from "../src/modules/chat/chat.protocol";
import { freshFloodState, secondsUntilToken, takeToken } from "./flood-control";

describe("flood control", () => {
  it("allows the burst, then the steady rate", () => {
    const state = freshFloodState(0);
    const first = Array.from({ length: FLOOD.burst + 1 }, () => takeToken(state, 0));
    expect(first.filter((v) => v === "allow")).toHaveLength(FLOOD.burst);
    expect(first.at(-1)).toBe("refuse");
    expect(secondsUntilToken(state)).toBeCloseTo(1 / FLOOD.ratePerSecond);
    // One second later: ten more.
    const next = Array.from({ length: 11 }, () => takeToken(state, 1000));
    expect(next.filter((v) => v === "allow")).toHaveLength(FLOOD.ratePerSecond);
  });

  it("a steady 10/s sender is never refused", () => {
    const state = freshFloodState(0);
    for (let i = 0; i < 600; i++) expect(takeToken(state, i * 100)).toBe("allow");
  });

  it("closes a sender that keeps flooding, not one that was refused once in a while", () => {
    const flooder = freshFloodState(0);
    let verdict = "allow";
    let frames = 0;
    while (verdict !== "close" && frames < 1000) verdict = takeToken(flooder, frames++ * 10); // 100 frames/s
    expect(verdict).toBe("close");
    expect(frames).toBeLessThan(120);

    // 10.5/s for two minutes: refused about once every two seconds, never closed.
    const eager = freshFloodState(0);
    const verdicts = Array.from({ length: 1260 }, (_, i) => takeToken(eager, Math.round(i * (1000 / 10.5))));
    expect(verdicts).toContain("refuse");
    expect(verdicts).not.toContain("close");

    // 12/s sustained (two refusals a second, ignored) is flooding: closed within about half a minute.
    const pushy = freshFloodState(0);
    let i = 0;
    while (takeToken(pushy, Math.round(i * (1000 / 12))) !== "close" && i < 12 * 120) i++;
    expect(i / 12).toBeGreaterThan(15);
    expect(i / 12).toBeLessThan(40);
  });
});
