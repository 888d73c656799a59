/**
 * A local stand-in for the SSL Wireless SMS Plus v3 gateway (`POST /api/v3/send-sms`), faithful to
 * its request and response shapes, so the real adapter is what the tests exercise.
 *
 * Behaviour is chosen by the destination number, as a sandbox would:
 *   …0503 → HTTP 503 (transient)   …4025 → FAILED 4025 invalid msisdn (permanent)
 *   anything else → SUCCESS; a repeated csms_id → FAILED 4022 duplicate (already accepted).
 * `GET /__sent?csms_id=` lists what it accepted (for assertions).
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

interface Accepted {
  api_token: string;
  sid: string;
  msisdn: string;
  sms: string;
  csms_id: string;
}

export async function startFakeSslWireless() {
  const accepted: Accepted[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (req.method === "GET" && url.pathname === "/__sent") {
      const id = url.searchParams.get("csms_id");
      return reply(200, accepted.filter((a) => !id || a.csms_id === id));
    }
    if (req.method !== "POST" || url.pathname !== "/api/v3/send-sms") return reply(404, { status: "FAILED", status_code: 404, error_message: "Not found" });
    let body: Partial<Accepted>;
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return reply(400, { status: "FAILED", status_code: 4000, error_message: "Invalid JSON" });
    }
    const failed = (code: number, message: string, http = 200) => reply(http, { status: "FAILED", status_code: code, error_message: message, smsinfo: [] });
    if (body.api_token !== "fake-token") return failed(4001, "Unauthorized");
    if (!body.sid) return failed(4029, "Invalid SID");
    if (!body.msisdn || !/^8801[3-9]\d{8}$/.test(body.msisdn)) return failed(4025, "Invalid MSISDN");
    if (!body.csms_id || !body.sms) return failed(4030, "Invalid SMS body or csms_id");
    if (body.msisdn.endsWith("0503")) return reply(503, { status: "FAILED", status_code: 503, error_message: "Service Unavailable" });
    if (body.msisdn.endsWith("4025")) return failed(4025, "Invalid MSISDN");
    if (accepted.some((a) => a.csms_id === body.csms_id)) return failed(4022, "Duplicate CSMS ID");
    accepted.push(body as Accepted);
    return reply(200, {
      status: "SUCCESS",
      status_code: 200,
      error_message: "",
      smsinfo: [{ sms_status: "SUCCESS", status_message: "Success", msisdn: body.msisdn, sms_type: "EN", sms_body: body.sms, csms_id: body.csms_id, reference_id: `ref-${accepted.length}` }],
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
