/**
 * A local Firebase Cloud Messaging (HTTP v1) for `npm run dev` and the tests, so that the real
 * adapter (src/providers/push/fcm-provider.ts) is what runs. Node HTTP + jose, nothing else.
 *
 * Google's contract, as the adapter sees it:
 *   POST <token_uri>  (form: grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer, assertion=<JWT>)
 *        the JWT is RS256-signed with the service account's private key; we verify it against the
 *        public key of the account we generated: iss = client_email, aud = token_uri, scope has
 *        https://www.googleapis.com/auth/firebase.messaging, iat/exp at most an hour apart.
 *        → {access_token, expires_in: 3600, token_type: "Bearer"}
 *   POST /v1/projects/<project_id>/messages:send  (Authorization: Bearer <access_token>)
 *        {message: {token, notification: {title, body}, data: {string: string}, android, apns}}
 *        → {name: "projects/<id>/messages/<n>"}; errors as FCM answers them:
 *          404 UNREGISTERED (device tokens starting "unregistered-"), 400 INVALID_ARGUMENT
 *          ("invalid-"), 401 UNAUTHENTICATED (an unknown or revoked access token), 429
 *          QUOTA_EXCEEDED and 503 UNAVAILABLE with Retry-After (faults, below).
 * Control (tests, benchmarks):
 *   GET  /__control/messages?token=   what was accepted (all, or for one device token)
 *   GET  /__control/stats             {token_requests, sends, accepted}
 *   POST /__control/faults            {kind: "unavailable"|"quota"|"revoke_tokens", times?, retry_after?}
 *   POST /__control/reset             forget messages, faults and counters
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { importSPKI, jwtVerify } from "jose";

export const FCM_SCOPE = "https://www.googleapis.com/auth/firebase.messaging";

export interface AcceptedMessage {
  name: string;
  token: string;
  notification?: { title?: string; body?: string };
  data?: Record<string, string>;
  android?: unknown;
  apns?: unknown;
  received_at: string;
}

interface Fault {
  kind: "unavailable" | "quota" | "revoke_tokens";
  times: number;
  retry_after: number;
}

export interface FcmSandbox {
  url: string;
  workerVars(): { FCM_SERVICE_ACCOUNT: string; FCM_API_URL: string };
  close(): Promise<void>;
}

export async function startFcmSandbox(options: { port?: number; host?: string; projectId?: string } = {}): Promise<FcmSandbox> {
  const projectId = options.projectId ?? "clean-care-local";
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const publicPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  const privatePem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const verifyKey = await importSPKI(publicPem, "RS256");
  const clientEmail = `push-sender@${projectId}.iam.gserviceaccount.com`;

  const issued = new Set<string>();
  const messages: AcceptedMessage[] = [];
  let faults: Fault[] = [];
  const stats = { token_requests: 0, sends: 0, accepted: 0 };
  let baseUrl = "";

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(JSON.stringify(body));
  };
  const fcmError = (res: ServerResponse, status: number, grpc: string, message: string, errorCode?: string, headers: Record<string, string> = {}) =>
    json(
      res,
      status,
      {
        error: {
          code: status,
          message,
          status: grpc,
          ...(errorCode ? { details: [{ "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", errorCode }] } : {}),
        },
      },
      headers,
    );
  const takeFault = (kind: Fault["kind"]) => {
    const fault = faults.find((f) => f.kind === kind && f.times > 0);
    if (fault) fault.times--;
    return fault;
  };

  async function onToken(body: string, res: ServerResponse) {
    stats.token_requests++;
    const form = new URLSearchParams(body);
    if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") return json(res, 400, { error: "unsupported_grant_type" });
    try {
      const { payload } = await jwtVerify(form.get("assertion") ?? "", verifyKey, { issuer: clientEmail, audience: `${baseUrl}/token`, algorithms: ["RS256"] });
      if (!String(payload.scope ?? "").split(" ").includes(FCM_SCOPE)) return json(res, 400, { error: "invalid_scope" });
      if (!payload.iat || !payload.exp || payload.exp - payload.iat > 3600) return json(res, 400, { error: "invalid_grant", error_description: "Invalid JWT: exp too far from iat" });
    } catch (err) {
      return json(res, 400, { error: "invalid_grant", error_description: `Invalid JWT Signature. (${err instanceof Error ? err.message : String(err)})` });
    }
    const token = `ya29.sandbox-${randomUUID()}`;
    issued.add(token);
    json(res, 200, { access_token: token, expires_in: 3600, token_type: "Bearer" });
  }

  function onSend(req: IncomingMessage, body: string, res: ServerResponse) {
    stats.sends++;
    if (takeFault("revoke_tokens")) issued.clear();
    const auth = req.headers.authorization?.replace(/^Bearer\s+/i, "") ?? "";
    if (!issued.has(auth)) return fcmError(res, 401, "UNAUTHENTICATED", "Request had invalid authentication credentials.");
    const unavailable = takeFault("unavailable");
    if (unavailable) return fcmError(res, 503, "UNAVAILABLE", "The service is currently unavailable.", "UNAVAILABLE", { "retry-after": String(unavailable.retry_after) });
    const quota = takeFault("quota");
    if (quota) return fcmError(res, 429, "RESOURCE_EXHAUSTED", "Quota exceeded.", "QUOTA_EXCEEDED", { "retry-after": String(quota.retry_after) });
    let message: AcceptedMessage;
    try {
      const parsed = JSON.parse(body) as { message?: Omit<AcceptedMessage, "name" | "received_at"> };
      if (!parsed.message || typeof parsed.message.token !== "string") throw new Error("message.token is required");
      for (const [k, v] of Object.entries(parsed.message.data ?? {})) if (typeof v !== "string") throw new Error(`data.${k} must be a string`);
      message = { ...parsed.message, name: "", received_at: new Date().toISOString() };
    } catch (err) {
      return fcmError(res, 400, "INVALID_ARGUMENT", `Invalid JSON payload received. ${err instanceof Error ? err.message : ""}`, "INVALID_ARGUMENT");
    }
    if (message.token.startsWith("unregistered-")) return fcmError(res, 404, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED");
    if (message.token.startsWith("invalid-")) return fcmError(res, 400, "INVALID_ARGUMENT", "The registration token is not a valid FCM registration token", "INVALID_ARGUMENT");
    stats.accepted++;
    message.name = `projects/${projectId}/messages/${stats.accepted}`;
    messages.push(message);
    json(res, 200, { name: message.name });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url ?? "/", "http://sandbox");
      const route = `${req.method} ${url.pathname}`;
      if (route === "POST /token") return void onToken(body, res);
      if (req.method === "POST" && url.pathname === `/v1/projects/${projectId}/messages:send`) return onSend(req, body, res);
      if (route === "GET /__control/messages") {
        const token = url.searchParams.get("token");
        return json(res, 200, { results: token ? messages.filter((m) => m.token === token) : messages });
      }
      if (route === "GET /__control/stats") return json(res, 200, stats);
      if (route === "POST /__control/faults") {
        const f = JSON.parse(body || "{}") as Partial<Fault>;
        if (!f.kind || !["unavailable", "quota", "revoke_tokens"].includes(f.kind)) return json(res, 400, { error: "kind: unavailable | quota | revoke_tokens" });
        faults.push({ kind: f.kind, times: f.times ?? 1, retry_after: f.retry_after ?? 1 });
        return json(res, 201, { faults });
      }
      if (route === "POST /__control/reset") {
        messages.length = 0;
        faults = [];
        Object.assign(stats, { token_requests: 0, sends: 0, accepted: 0 });
        return json(res, 200, { ok: true });
      }
      json(res, 404, { error: { code: 404, status: "NOT_FOUND", message: `no route ${route}` } });
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const serviceAccount = {
    type: "service_account",
    project_id: projectId,
    private_key_id: "sandbox",
    private_key: privatePem,
    client_email: clientEmail,
    token_uri: `${baseUrl}/token`,
  };
  return {
    url: baseUrl,
    workerVars: () => ({ FCM_SERVICE_ACCOUNT: JSON.stringify(serviceAccount), FCM_API_URL: baseUrl }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
