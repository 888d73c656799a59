/**
 * Strictly increasing UUIDv7s (RFC 9562) for chat message ids.
 *
 * Why UUIDv7 and not a per-room counter: the contract wants UUID ids everywhere, clients already
 * treat ids as opaque strings, and a UUIDv7 sorts by time both as a string and as a Postgres `uuid`
 * (which compares bytewise). One generator lives in each room's Durable Object, the single writer of
 * that room, so "strictly increasing" only has to hold within one object:
 *
 *   48 bits  unix milliseconds   — never below the last id issued (clock steps back → reuse it)
 *   12 bits  counter (rand_a)    — a random start in each new millisecond, +1 within the same one;
 *                                  on overflow the millisecond is bumped (RFC 9562 §6.2, method 1)
 *   62 bits  random (rand_b)     — uniqueness across rooms
 *
 * Workers freeze `Date.now()` while code runs without I/O, so many ids share a millisecond: the
 * counter is what orders them.
 */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface Uuid7Parts {
  ms: number;
  counter: number;
}

/** The timestamp and counter of a UUIDv7 (what orders it). */
export function uuid7Parts(id: string): Uuid7Parts {
  const hex = id.replace(/-/g, "");
  return { ms: parseInt(hex.slice(0, 12), 16), counter: parseInt(hex.slice(13, 16), 16) };
}

export function uuid7Time(id: string): Date {
  return new Date(uuid7Parts(id).ms);
}

function format(ms: number, counter: number): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes.subarray(8));
  // 48-bit big-endian milliseconds (split because bit operators are 32-bit).
  const high = Math.floor(ms / 2 ** 16);
  bytes[0] = (high >>> 24) & 0xff;
  bytes[1] = (high >>> 16) & 0xff;
  bytes[2] = (high >>> 8) & 0xff;
  bytes[3] = high & 0xff;
  bytes[4] = (ms >>> 8) & 0xff;
  bytes[5] = ms & 0xff;
  bytes[6] = 0x70 | ((counter >>> 8) & 0x0f); // version 7
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f); // variant 10
  let out = "";
  for (let i = 0; i < 16; i++) {
    out += HEX[bytes[i]!];
    if (i === 3 || i === 5 || i === 7 || i === 9) out += "-";
  }
  return out;
}

export class MonotonicUuid7 {
  private lastMs = -1;
  private counter = 0;

  /** Resume after the newest id already issued (e.g. read back from storage after a restart). */
  constructor(after?: string | null) {
    if (after) {
      const parts = uuid7Parts(after);
      this.lastMs = parts.ms;
      this.counter = parts.counter;
    }
  }

  next(now = Date.now()): string {
    if (now > this.lastMs) {
      this.lastMs = now;
      // Start low enough in the millisecond to leave room for ≥ 2048 increments.
      this.counter = Math.floor(Math.random() * 0x800);
    } else if (this.counter < 0xfff) {
      this.counter++;
    } else {
      this.lastMs++;
      this.counter = 0;
    }
    return format(this.lastMs, this.counter);
  }
}
