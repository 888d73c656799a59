/**
 * A local bKash Tokenized Checkout (v1.2.0-beta) for `npm run dev` and the tests, so that the real
 * adapter (src/providers/payments/bkash-gateway.ts) is what runs. Node HTTP, no dependencies.
 *
 * bKash API, under <url>/v1.2.0-beta/tokenized/checkout (so BKASH_BASE_URL = <url>/v1.2.0-beta):
 *   POST token/grant, token/refresh, create, execute, payment/status, payment/refund
 * Customer side:
 *   GET  /checkout/<paymentID>                      the payment page (the create answer's bkashURL)
 *   GET  /checkout/<paymentID>?action=success|failure|cancel[&wallet=01…]
 *        records the choice and 302-redirects to callbackURL?paymentID=…&status=…, as bKash does
 * Control (tests, benchmarks, a developer poking at it) — see CONTROL_HELP, or GET /__control.
 *
 * Run alone: `npx tsx scripts/sandbox/bkash-sandbox.ts` (PORT, default 8788) prints the worker vars.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { checkoutPage, messagePage } from "./checkout-page";
import { error, ERRORS, Ledger, type Json, type Merchant } from "./bkash-ledger";

export type { Merchant } from "./bkash-ledger";

export const API_VERSION = "v1.2.0-beta";
const API_PREFIX = `/${API_VERSION}/tokenized/checkout`;

export const DEFAULT_MERCHANT: Merchant = {
  appKey: "sandbox-app-key",
  appSecret: "sandbox-app-secret",
  username: "sandboxTokenizedUser",
  password: "sandboxTokenizedUser@12345",
};

export type Operation = "grant" | "refresh" | "create" | "execute" | "query" | "refund" | "refund_status";

/**
 * A simulated misbehaviour. Matches calls by operation ("*" = any), payment and merchant; applies
 * `times` times (null: until removed). `delay_ms` holds the answer back (a slow gateway: the call
 * still takes effect, later). `fail` answers instead: HTTP 500, bKash maintenance (statusCode
 * "503"), any bKash error code ("error:2023"), or — for execute — 2062 "already completed" (the
 * payment is completed first, as when an earlier execute of ours went through). `apply: "after"`
 * fails only once the call took effect (a lost answer).
 */
export interface Fault {
  id: string;
  operation: Operation | "*";
  payment_id?: string;
  app_key?: string;
  delay_ms: number;
  fail?: "http_500" | "maintenance" | "answer_2062" | `error:${string}`;
  apply: "before" | "after";
  remaining: number | null;
}

export interface RecordedCall {
  seq: number;
  at: string;
  operation: Operation | "checkout";
  app_key?: string;
  payment_id?: string;
  request: Json;
  http_status: number;
  response: Json;
  fault?: string;
}

const CONTROL_HELP = {
  "GET /__control": "this help",
  "POST /__control/faults": "{operation?: grant|refresh|create|execute|query|refund|refund_status|*, payment_id?, app_key?, delay_ms?, fail?: http_500|maintenance|answer_2062|error:<code>, apply?: before|after, times?: n|null} → {id}",
  "DELETE /__control/faults?payment_id=&id=": "remove faults (all without filters)",
  "GET /__control/calls?payment_id=&operation=&app_key=&since=": "calls the sandbox answered, oldest first (secrets redacted)",
  "GET /__control/payments/<paymentID>": "the sandbox's view of a payment (state, trxID, refunds)",
  "PATCH /__control/payments/<paymentID>": "{report_amount?, report_invoice?, state?} — tamper with what execute/query report",
  "POST /__control/merchants": "{app_key, app_secret, username, password} — another merchant account",
  "POST /__control/settings": "{token_ttl_seconds?, checkout_ttl_seconds?}",
  "POST /__control/tokens/expire": "{app_key?} — expire issued id_tokens (next call gets HTTP 401)",
  "POST /__control/reset": "remove all faults, default settings",
};

const MAX_RECORDED = 200_000;
const SECRET = /token|secret|password|authorization/i;
const redact = (o: Json): Json => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, SECRET.test(k) ? "[redacted]" : v]));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface BkashSandbox {
  /** Origin of the sandbox, e.g. http://127.0.0.1:8788. */
  url: string;
  /** The value for the worker's BKASH_BASE_URL. */
  baseUrl: string;
  merchant: Merchant;
  /** The worker variables that point the bKash adapter at this sandbox. */
  workerVars(): Record<"BKASH_BASE_URL" | "BKASH_APP_KEY" | "BKASH_APP_SECRET" | "BKASH_USERNAME" | "BKASH_PASSWORD", string>;
  close(): Promise<void>;
}

export interface SandboxOptions {
  port?: number;
  host?: string;
  merchant?: Merchant;
}

export async function startBkashSandbox(options: SandboxOptions = {}): Promise<BkashSandbox> {
  const merchant = options.merchant ?? DEFAULT_MERCHANT;
  const ledger = new Ledger([merchant]);
  const faults: Fault[] = [];
  const calls: RecordedCall[] = [];
  let seq = 0;
  let faultSeq = 0;
  let origin = "";

  const record = (call: Omit<RecordedCall, "seq" | "at">) => {
    calls.push({ seq: ++seq, at: new Date().toISOString(), ...call, request: redact(call.request) });
    if (calls.length > MAX_RECORDED) calls.splice(0, calls.length - MAX_RECORDED);
  };

  const takeFault = (operation: Operation, paymentId: string | undefined, appKey: string | undefined): Fault | undefined => {
    const fault = faults.find(
      (f) =>
        (f.operation === "*" || f.operation === operation) &&
        (!f.payment_id || f.payment_id === paymentId) &&
        (!f.app_key || f.app_key === appKey) &&
        (f.remaining === null || f.remaining > 0),
    );
    if (fault && fault.remaining !== null) fault.remaining--;
    return fault;
  };

  /** Runs one bKash operation with whatever fault applies, records it, and answers. */
  async function apiCall(res: ServerResponse, operation: Operation, body: Json, run: () => { http: number; body: Json }, appKey?: string) {
    const paymentId = typeof body.paymentID === "string" ? body.paymentID : undefined;
    const fault = takeFault(operation, paymentId, appKey ?? (body.app_key as string | undefined));
    if (fault?.delay_ms) await sleep(fault.delay_ms);
    const failure = (fail: NonNullable<Fault["fail"]>) =>
      fail === "http_500"
        ? { http: 500, body: { message: "Internal Server Error" } }
        : fail.startsWith("error:")
          ? { http: 200, body: simulatedError(fail.slice("error:".length)) }
          : { http: 200, body: ERRORS.maintenance() };
    let answer: { http: number; body: Json };
    if (fault?.fail && fault.apply === "before" && fault.fail !== "answer_2062") {
      answer = failure(fault.fail);
    } else {
      answer = run();
      if (fault?.fail === "answer_2062" && operation === "execute" && (answer.body.statusCode === "0000" || answer.body.statusCode === "2062")) {
        answer = { http: 200, body: ERRORS.alreadyCompleted() };
      } else if (fault?.fail && fault.fail !== "answer_2062" && fault.apply === "after") {
        answer = failure(fault.fail);
      }
    }
    const resultPaymentId = paymentId ?? (typeof answer.body.paymentID === "string" ? answer.body.paymentID : undefined);
    record({ operation, app_key: appKey, payment_id: resultPaymentId, request: body, http_status: answer.http, response: answer.body, fault: fault?.id });
    if (res.destroyed) return; // the client gave up (timeout); the operation happened anyway
    sendJson(res, answer.http, answer.body);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, path: string) {
    const body = await readJson(req);
    if (body === undefined) return sendJson(res, 400, ERRORS.missingField());
    const creds = { username: header(req, "username"), password: header(req, "password") };
    if (path === "/token/grant") return apiCall(res, "grant", body, () => ledger.grant(creds, body), body.app_key as string);
    if (path === "/token/refresh") return apiCall(res, "refresh", body, () => ledger.refresh(creds, body), body.app_key as string);

    const operations: Record<string, Operation> = {
      "/create": "create",
      "/execute": "execute",
      "/payment/status": "query",
      "/payment/refund": body.amount === undefined ? "refund_status" : "refund",
    };
    const operation = operations[path];
    if (!operation) return sendJson(res, 404, { message: "Not Found" });
    const auth = ledger.authorize(header(req, "authorization"), header(req, "x-app-key"));
    if ("http" in auth) {
      record({ operation, app_key: header(req, "x-app-key"), payment_id: body.paymentID as string, request: body, http_status: auth.http, response: auth.body });
      return sendJson(res, auth.http, auth.body);
    }
    const run = () => {
      switch (operation) {
        case "create":
          return { http: 200, body: ledger.create(auth.appKey, body, (id) => `${origin}/checkout/${id}`) };
        case "execute":
          return { http: 200, body: ledger.execute(auth.appKey, body) };
        case "query":
          return { http: 200, body: ledger.status(auth.appKey, body) };
        default:
          return { http: 200, body: ledger.refund(auth.appKey, body) };
      }
    };
    return apiCall(res, operation, body, run, auth.appKey);
  }

  function handleCheckout(res: ServerResponse, paymentID: string, url: URL) {
    const payment = ledger.payments.get(paymentID);
    const html = (status: number, page: string) => res.writeHead(status, { "content-type": "text/html; charset=utf-8" }).end(page);
    if (!payment) return html(404, messagePage("Payment not found", `No payment ${paymentID} in this sandbox.`));
    ledger.find(payment.appKey, paymentID); // expires it if its time is up
    const action = url.searchParams.get("action");
    if (!action) return html(200, checkoutPage(payment));
    if (action !== "success" && action !== "failure" && action !== "cancel") return html(400, messagePage("Unknown action", "Use success, failure or cancel."));
    if (payment.state === "Expired") return html(410, messagePage("Payment expired", "This checkout session has expired."));
    if (payment.state !== "Initiated") return html(409, messagePage("Already processed", `This payment is ${payment.state}.`));
    ledger.choose(payment, action, url.searchParams.get("wallet") ?? undefined);
    const location = `${payment.callbackURL}${payment.callbackURL.includes("?") ? "&" : "?"}paymentID=${encodeURIComponent(paymentID)}&status=${action}`;
    record({ operation: "checkout", app_key: payment.appKey, payment_id: paymentID, request: { action }, http_status: 302, response: { location } });
    res.writeHead(302, { location }).end();
  }

  async function handleControl(req: IncomingMessage, res: ServerResponse, url: URL) {
    const path = url.pathname.replace(/\/+$/, "");
    const q = (k: string) => url.searchParams.get(k) ?? undefined;
    if (req.method === "GET" && path === "/__control") return sendJson(res, 200, CONTROL_HELP);
    if (req.method === "GET" && path === "/__control/calls") {
      const since = Number(q("since") ?? 0);
      const found = calls.filter(
        (c) => c.seq > since && (!q("payment_id") || c.payment_id === q("payment_id")) && (!q("operation") || c.operation === q("operation")) && (!q("app_key") || c.app_key === q("app_key")),
      );
      return sendJson(res, 200, { calls: found, last_seq: seq });
    }
    if (req.method === "DELETE" && path === "/__control/faults") {
      let removed = 0;
      for (let i = faults.length - 1; i >= 0; i--) {
        const f = faults[i]!;
        if ((!q("payment_id") || f.payment_id === q("payment_id")) && (!q("id") || f.id === q("id"))) faults.splice(i, 1), removed++;
      }
      return sendJson(res, 200, { removed });
    }
    const payment = path.match(/^\/__control\/payments\/([^/]+)$/);
    if (payment && req.method === "GET") {
      const p = ledger.payments.get(decodeURIComponent(payment[1]!));
      return p ? sendJson(res, 200, p as unknown as Json) : sendJson(res, 404, { error: "unknown payment" });
    }
    const body = await readJson(req);
    if (body === undefined) return sendJson(res, 400, { error: "body must be a JSON object" });
    if (payment && req.method === "PATCH") {
      const p = ledger.payments.get(decodeURIComponent(payment[1]!));
      if (!p) return sendJson(res, 404, { error: "unknown payment" });
      if (typeof body.report_amount === "string") p.report.amount = body.report_amount;
      if (typeof body.report_invoice === "string") p.report.merchantInvoiceNumber = body.report_invoice;
      if (typeof body.state === "string") p.state = body.state as typeof p.state;
      return sendJson(res, 200, p as unknown as Json);
    }
    if (req.method !== "POST") return sendJson(res, 404, { error: "unknown control endpoint", help: CONTROL_HELP });
    switch (path) {
      case "/__control/faults": {
        const fault: Fault = {
          id: `fault-${++faultSeq}`,
          operation: (body.operation as Fault["operation"]) ?? "*",
          payment_id: body.payment_id as string | undefined,
          app_key: body.app_key as string | undefined,
          delay_ms: Number(body.delay_ms ?? 0),
          fail: body.fail as Fault["fail"],
          apply: body.apply === "after" ? "after" : "before",
          remaining: body.times === null || body.times === undefined ? null : Number(body.times),
        };
        faults.push(fault);
        return sendJson(res, 201, fault as unknown as Json);
      }
      case "/__control/merchants": {
        const m = { appKey: String(body.app_key), appSecret: String(body.app_secret), username: String(body.username), password: String(body.password) };
        ledger.merchants.set(m.appKey, m);
        return sendJson(res, 201, { app_key: m.appKey });
      }
      case "/__control/settings":
        if (body.token_ttl_seconds !== undefined) ledger.tokenTtlSeconds = Number(body.token_ttl_seconds);
        if (body.checkout_ttl_seconds !== undefined) ledger.checkoutTtlSeconds = Number(body.checkout_ttl_seconds);
        return sendJson(res, 200, { token_ttl_seconds: ledger.tokenTtlSeconds, checkout_ttl_seconds: ledger.checkoutTtlSeconds });
      case "/__control/tokens/expire":
        return sendJson(res, 200, { expired: ledger.expireTokens(body.app_key as string | undefined) });
      case "/__control/reset":
        faults.length = 0;
        ledger.tokenTtlSeconds = 3600;
        ledger.checkoutTtlSeconds = 3600;
        return sendJson(res, 200, { reset: true });
      default:
        return sendJson(res, 404, { error: "unknown control endpoint", help: CONTROL_HELP });
    }
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const route = async () => {
      if (url.pathname.startsWith("/__control")) return handleControl(req, res, url);
      const checkout = url.pathname.match(/^\/checkout\/([^/]+)\/?$/);
      if (checkout && req.method === "GET") return handleCheckout(res, decodeURIComponent(checkout[1]!), url);
      if (req.method === "POST" && url.pathname.startsWith(API_PREFIX + "/")) return handleApi(req, res, url.pathname.slice(API_PREFIX.length));
      return sendJson(res, 404, { message: "Not Found" });
    };
    route().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { message: String(err) });
    });
  });
  // Benchmarks open many keep-alive connections at once.
  server.maxConnections = 10_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://${options.host ?? "127.0.0.1"}:${port}`;
  const baseUrl = `${origin}/${API_VERSION}`;
  return {
    url: origin,
    baseUrl,
    merchant,
    workerVars: () => ({
      BKASH_BASE_URL: baseUrl,
      BKASH_APP_KEY: merchant.appKey,
      BKASH_APP_SECRET: merchant.appSecret,
      BKASH_USERNAME: merchant.username,
      BKASH_PASSWORD: merchant.password,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A bKash error answer for a code: the sandbox's own message when it knows the code. */
function simulatedError(code: string): Json {
  const known = Object.values(ERRORS)
    .map((make) => make())
    .find((e) => e.statusCode === code);
  return known ?? error(code, "Simulated error");
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readJson(req: IncomingMessage): Promise<Json | undefined> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, body: Json): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

// `npx tsx scripts/sandbox/bkash-sandbox.ts`: run it on its own.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sandbox = await startBkashSandbox({ port: Number(process.env.PORT || 8788) });
  console.log(`bKash sandbox on ${sandbox.url} (control: ${sandbox.url}/__control)\nWorker vars:`);
  for (const [k, v] of Object.entries(sandbox.workerVars())) console.log(`  --var ${k}:${v}`);
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
