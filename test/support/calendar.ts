/**
 * Calendar events for tests (created through the API by a staff token, titles tagged so a test
 * finds its own), and a strict RFC 5545 reader for the feed: it checks the octet-level rules
 * (CRLF only, ≤ 75 octets per physical line, valid UTF-8 with no character cut by a fold) and
 * parses the unfolded lines into components, properties, parameters and unescaped TEXT values.
 */
import { createExecutionContext, env } from "cloudflare:test";
import { expect } from "vitest";
import worker from "../../src/index";
import { api, BASE } from "./http";

export const tag = () => `c${crypto.randomUUID().slice(0, 8)}`;

export async function postEvent(token: string, body: Record<string, unknown>) {
  const res = await api("/api/v1/calendar/events", { token, body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; title: string; sequence: number; [k: string]: any };
}

/** Raw bytes and headers (the feed's octets matter, so nothing is decoded leniently). */
export async function rawGet(path: string, headers: Record<string, string> = {}) {
  const res = await worker.fetch!(new Request(`${BASE}${path}`, { headers }) as Parameters<NonNullable<typeof worker.fetch>>[0], env as Env, createExecutionContext());
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

export interface Property {
  name: string;
  params: Record<string, string>;
  value: string;
}

export interface Component {
  name: string;
  properties: Property[];
  components: Component[];
}

export const prop = (c: Component, name: string) => c.properties.find((p) => p.name === name);
export const props = (c: Component, name: string) => c.properties.filter((p) => p.name === name);

/** TEXT unescaping (§3.3.11); throws on an escape RFC 5545 does not define. */
export function unescapeText(value: string): string {
  return value.replace(/\\(.)/g, (_, ch: string) => {
    if (ch === "n" || ch === "N") return "\n";
    if (ch === "\\" || ch === ";" || ch === ",") return ch;
    throw new Error(`bad escape \\${ch}`);
  });
}

const NAME = /^[A-Za-z0-9-]+$/;

/** Checks the octet rules and parses; any violation throws (so a test fails on it). */
export function parseICalendar(bytes: Uint8Array): Component {
  const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes); // a cut character is invalid UTF-8
  if (!text.endsWith("\r\n")) throw new Error("must end with CRLF");
  const physical = text.slice(0, -2).split("\r\n");
  for (const line of physical) {
    if (/[\r\n]/.test(line)) throw new Error(`bare CR or LF in ${JSON.stringify(line)}`);
    const octets = new TextEncoder().encode(line).length;
    if (octets > 75) throw new Error(`line of ${octets} octets: ${line}`);
  }
  const logical: string[] = [];
  for (const line of physical) {
    if (line.startsWith(" ") || line.startsWith("\t")) {
      if (!logical.length) throw new Error("continuation before any line");
      logical[logical.length - 1] += line.slice(1);
    } else logical.push(line);
  }
  const root: Component = { name: "", properties: [], components: [] };
  const stack: Component[] = [root];
  for (const line of logical) {
    const colon = indexOutsideQuotes(line, ":");
    if (colon < 0) throw new Error(`no value: ${line}`);
    const [name, ...rawParams] = splitOutsideQuotes(line.slice(0, colon), ";");
    if (!name || !NAME.test(name)) throw new Error(`bad name in ${line}`);
    const params: Record<string, string> = {};
    for (const p of rawParams) {
      const eq = p.indexOf("=");
      if (eq <= 0) throw new Error(`bad parameter ${p}`);
      params[p.slice(0, eq).toUpperCase()] = p.slice(eq + 1).replace(/^"(.*)"$/, "$1");
    }
    const value = line.slice(colon + 1);
    const top = stack[stack.length - 1]!;
    if (name === "BEGIN") {
      const child: Component = { name: value, properties: [], components: [] };
      top.components.push(child);
      stack.push(child);
    } else if (name === "END") {
      if (top.name !== value) throw new Error(`END:${value} closes ${top.name}`);
      stack.pop();
    } else top.properties.push({ name: name.toUpperCase(), params, value });
  }
  if (stack.length !== 1) throw new Error("unclosed component");
  if (root.components.length !== 1 || root.components[0]!.name !== "VCALENDAR") throw new Error("not one VCALENDAR");
  return root.components[0]!;
}

function indexOutsideQuotes(s: string, ch: string): number {
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '"') quoted = !quoted;
    else if (s[i] === ch && !quoted) return i;
  }
  return -1;
}

function splitOutsideQuotes(s: string, ch: string): string[] {
  const out: string[] = [];
  let rest = s;
  for (let i = indexOutsideQuotes(rest, ch); i >= 0; i = indexOutsideQuotes(rest, ch)) {
    out.push(rest.slice(0, i));
    rest = rest.slice(i + 1);
  }
  out.push(rest);
  return out;
}
