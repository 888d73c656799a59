/**
 * The runtime's own reports of things the tests do on purpose — closing sockets, cutting the
 * database off, evicting a room's object — are not failures, but workerd prints each one as an
 * "uncaught exception" with a stack of hex addresses. vitest-pool-workers passes every such line to
 * this (main) process's stderr, and its options cannot be overridden from the config, so the filter
 * sits on the stream itself: lines that are only expected runtime noise are dropped and counted;
 * everything else (test failures, the product's own JSON logs, unexpected runtime errors) passes.
 */

/** What the runtime says when a test closes a socket, cuts the relay off or aborts an object. */
const EXPECTED = [
  /WebSocket peer disconnected/,
  /Network connection lost/,
  /stream disconnected prematurely/,
  /evicted by the test/,
  /broken\.outputGateBroken/,
  /Not symbolizing stack traces/,
  /connect\(\): Connection refused/, // the health test points a worker at a closed port
];
/** A runtime message with no text of its own, only the stack that follows an expected one. */
const BARE_STACK = /^stack:( (\S+@[0-9a-f]+|[0-9a-f]{4,}))+$/;

function isExpectedNoise(line: string): boolean {
  // The product's own logs are JSON and are always kept, even when they quote a connection error.
  if (line === "" || line.startsWith("{")) return false;
  return BARE_STACK.test(line) || EXPECTED.some((pattern) => pattern.test(line));
}

export interface NoiseFilter {
  dropped(): number;
  restore(): void;
}

/** Filters `stream`'s writes line by line; returns how many lines it dropped so far, and a restore. */
export function filterRuntimeNoise(stream: NodeJS.WriteStream): NoiseFilter {
  const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  let dropped = 0;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk !== "string" || process.env.SHOW_RUNTIME_NOISE) return original(chunk, ...rest);
    const lines = chunk.split("\n");
    const kept = lines.filter((line) => {
      const noise = isExpectedNoise(stripAnsi(line).trim());
      if (noise) dropped++;
      return !noise;
    });
    if (kept.length === lines.length) return original(chunk, ...rest);
    if (kept.every((line) => stripAnsi(line).trim() === "")) {
      (rest.find((arg) => typeof arg === "function") as (() => void) | undefined)?.();
      return true;
    }
    return original(kept.join("\n"), ...rest);
  }) as typeof stream.write;
  return { dropped: () => dropped, restore: () => void (stream.write = original as typeof stream.write) };
}

const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");
