/**
 * Per-socket flood control: a token bucket (steady rate + burst) and a leaky "strike" level that
 * rises with every refused frame. The state is a small plain object kept in the socket's attachment,
 * so it survives hibernation along with who is on the socket.
 */
import { FLOOD } from "../src/modules/chat/chat.protocol";

export interface FloodState {
  /** Tokens left and when they were counted (ms). */
  tokens: number;
  at: number;
  /** Refusal level and when it was last decayed (ms). */
  strikes: number;
  strikesAt: number;
}

export type FloodVerdict = "allow" | "refuse" | "close";

export function freshFloodState(now: number): FloodState {
  return { tokens: FLOOD.burst, at: now, strikes: 0, strikesAt: now };
}

/** Spends one token for a frame arriving at `now`, mutating `state`. */
export function takeToken(state: FloodState, now: number, limits: typeof FLOOD = FLOOD): FloodVerdict {
  const elapsed = Math.max(0, now - state.at) / 1000;
  state.tokens = Math.min(limits.burst, state.tokens + elapsed * limits.ratePerSecond);
  state.at = now;
  const decayed = Math.max(0, now - state.strikesAt) / 1000;
  state.strikes = Math.max(0, state.strikes - decayed * limits.strikeDecayPerSecond);
  state.strikesAt = now;
  if (state.tokens >= 1) {
    state.tokens -= 1;
    return "allow";
  }
  state.strikes += 1;
  return state.strikes > limits.closeAt ? "close" : "refuse";
}

/** Seconds until one token is back (for a REST Retry-After). */
export function secondsUntilToken(state: FloodState, limits: typeof FLOOD = FLOOD): number {
  return Math.max(0, (1 - state.tokens) / limits.ratePerSecond);
}
