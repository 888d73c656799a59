/**
 * Open311 GeoReport v2: every resource in both formats (the XML converted back must equal the
 * JSON), the spec's examples as fixtures, the mapping onto complaints, bad input as spec errors,
 * the jurisdiction, privacy of reporters, and one database round trip per request.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { fileComplaint } from "../../../test/support/complaints";
import { registerAndGetCode, randomPhone, signedIn, withServices, type SignedInUser } from "../../../test/support/factories";
import { file, form, pngBytes } from "../../../test/support/files";
import { api, roundTrips } from "../../../test/support/http";
import { call, fileRequest, issueKey, post, requestFields, type RawResponse } from "../../../test/support/open311";
import { asXmlCarries, readXml, type Plain } from "../../../test/support/xml";
import * as spec from "./fixtures/spec-examples";

let superAdmin: SignedInUser;
let staff: SignedInUser;
let key: string;

beforeAll(async () => {
  superAdmin = await signedIn({ userType: "super_admin" });
  staff = await signedIn({ userType: "admin" });
  key = (await issueKey(superAdmin.access, { rate_limit: 10000 })).key;
});

/** GETs `path` as .json and .xml; both must answer `status` and carry the same data. */
async function both(path: string, root: string, status = 200): Promise<{ json: RawResponse; xml: RawResponse }> {
  const [base, query = ""] = path.split("?");
  const suffix = query ? `?${query}` : "";
  const json = await call(`${base}.json${suffix}`);
  const xml = await call(`${base}.xml${suffix}`);
  expect(json.status, json.text).toBe(status);
  expect(xml.status, xml.text).toBe(status);
  expect(json.headers.get("content-type")).toBe("application/json; charset=utf-8");
  expect(xml.headers.get("content-type")).toBe("text/xml; charset=utf-8");
  expect(xml.xml!.root).toBe(root);
  expect(xml.xml!.value).toEqual(asXmlCarries(json.json));
  return { json, xml };
}

const keysOf = (value: Plain): string[] => Object.keys(value as Record<string, Plain>);
const first = (doc: string) => (readXml(doc).value as Plain[])[0]!;

async function complaintId(trackingNumber: string): Promise<string> {
  const res = await api(`/api/v1/complaints/track/${trackingNumber}`, { token: staff.access });
  expect(res.status).toBe(200);
  return res.body.id;
}

async function move(trackingNumber: string, status: string, comment?: string) {
  const res = await api(`/api/v1/complaints/${await complaintId(trackingNumber)}/update_status`, { token: staff.access, body: { status, comment } });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

describe("discovery, services and service definitions", () => {
  it("discovery names the endpoint, the specification and both formats, in the spec's shape", async () => {
    const { json } = await both("/open311/v2/discovery", "discovery");
    expect(keysOf(asXmlCarries(json.json))).toEqual(keysOf(readXml(spec.SPEC_DISCOVERY).value));
    const endpoint = json.json.endpoints[0];
    expect(Object.keys(endpoint)).toEqual(keysOf((readXml(spec.SPEC_DISCOVERY).value as any).endpoints[0]));
    expect(endpoint).toMatchObject({ specification: "http://wiki.open311.org/GeoReport_v2", url: "http://api.test/open311/v2", formats: ["text/xml", "application/json"] });
    expect(json.json.changeset).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+06:00$/);
  });

  it("services are the complaint categories: ASCII codes, Bengali names, English descriptions", async () => {
    const { json, xml } = await both("/open311/v2/services", "services");
    expect(json.json.map((s: any) => s.service_code)).toEqual(["cleanliness", "waste_management", "water_supply", "roads", "electricity", "other"]);
    const roads = json.json.find((s: any) => s.service_code === "roads");
    expect(roads).toMatchObject({ service_name: "রাস্তাঘাট", metadata: true, type: "realtime" });
    expect(roads.description).toMatch(/^Roads/);
    for (const s of json.json) expect(s.service_code).toMatch(/^[a-z_]+$/);
    expect(Object.keys(roads)).toEqual(keysOf(first(spec.SPEC_SERVICES)));
    expect(xml.text).toContain("<service_name>রাস্তাঘাট</service_name>"); // UTF-8 characters, not entities
    expect(roundTrips(json)).toBe(0);
  });

  it("a service definition lists its attributes; priority is a singlevaluelist of our priorities", async () => {
    const { json } = await both("/open311/v2/services/roads", "service_definition");
    expect(json.json.service_code).toBe("roads");
    const priority = json.json.attributes.find((a: any) => a.code === "priority");
    expect(priority).toMatchObject({ variable: true, datatype: "singlevaluelist", required: false, order: 1 });
    expect(priority.values).toEqual([
      { key: "high", name: "উচ্চ" },
      { key: "medium", name: "মধ্যম" },
      { key: "low", name: "নিম্ন" },
    ]);
    expect(Object.keys(priority)).toEqual(keysOf((readXml(spec.SPEC_SERVICE_DEFINITION).value as any).attributes[0]));
    expect(Object.keys(json.json)).toEqual(keysOf(readXml(spec.SPEC_SERVICE_DEFINITION).value));
  });

  it("an unknown service code, format or resource is the spec's 404, in the asked format", async () => {
    const { json } = await both("/open311/v2/services/potholes", "errors", 404);
    expect(json.json).toEqual([{ code: 404, description: expect.stringContaining("service_code potholes") }]);
    for (const path of ["/open311/v2/services.html", "/open311/v2/services/roads.html", "/open311/v2/nothing.json", "/open311/v2/requests/CC1.yaml"]) {
      const res = await call(path);
      expect(res.status, path).toBe(404);
      expect(res.json, path).toEqual([{ code: 404, description: expect.any(String) }]);
    }
    const xml = await call("/open311/v2/unknown.xml");
    expect(xml.status).toBe(404);
    expect(xml.xml!.value).toEqual([{ code: "404", description: expect.any(String) }]);
  });
});

describe("jurisdiction", () => {
  it("is optional, accepted when it is ours, and 404 when it is not — on every resource", async () => {
    const id = await fileRequest(key, randomPhone());
    for (const path of ["/open311/v2/services", "/open311/v2/services/roads", "/open311/v2/requests", `/open311/v2/requests/${id}`]) {
      expect((await call(`${path}.json?jurisdiction_id=dhaka.gov.bd`)).status, path).toBe(200);
      const { json } = await both(`${path}?jurisdiction_id=city.gov`, "errors", 404);
      expect(json.json[0].description).toMatch(/jurisdiction_id city\.gov was not found/);
    }
    const wrong = await post("json", requestFields(key, randomPhone(), { jurisdiction_id: "city.gov" }));
    expect(wrong.status).toBe(404);
    expect(wrong.json[0].description).toMatch(/jurisdiction_id/);
  });
});

describe("POST requests", () => {
  it("files the spec's example (adapted to Dhaka) for the phone's new, unverified citizen account — one round trip", async () => {
    const phone = randomPhone();
    const fields = {
      ...spec.SPEC_POST_ARGUMENTS,
      api_key: key,
      jurisdiction_id: "dhaka.gov.bd",
      service_code: "waste_management",
      lat: "23.7561",
      long: "90.3872",
      phone: phone.replace("+880", "0"),
      email: `reporter-${crypto.randomUUID().slice(0, 8)}@example.org`,
      "attribute[priority]": "high",
      "attribute[ward_number]": "27",
    };
    const res = await post("json", fields);
    expect(res.status, res.text).toBe(201);
    expect(roundTrips(res)).toBe(1);
    expect(res.json).toEqual([{ service_request_id: expect.stringMatching(/^CC\d{12}$/), service_notice: null, account_id: null }]);
    expect(Object.keys(res.json[0])).toEqual(keysOf(first(spec.SPEC_POST_RESPONSE)));
    const id = res.json[0].service_request_id;

    const rows = await withServices(async ({ db }) =>
      (
        await db.execute<Record<string, unknown>>(sql`
          select u.name, u.email, u.is_verified, u.user_type, u.password_hash, c.category, c.priority, c.ward_number, c.location, c.title, c.description,
                 (select count(*)::int from complaint_updates h where h.complaint_id = c.id) as history
          from complaints c join users u on u.id = c.user_id where c.tracking_number = ${id}`)
      ).rows,
    );
    expect(rows[0]).toMatchObject({
      name: "john smith",
      email: fields.email,
      is_verified: false,
      user_type: "citizen",
      password_hash: "!open311",
      category: "বর্জ্য ব্যবস্থাপনা",
      priority: "উচ্চ",
      ward_number: "27",
      location: "1234 5th street",
      title: "A large sinkhole is destroying the street",
      history: 1,
    });
    // No password opens the account: its owner claims it by registering (OTP) with the phone.
    expect((await api("/api/v1/auth/login", { body: { phone, password: "!open311" } })).status).toBe(401);

    const got = await both(`/open311/v2/requests/${id}`, "service_requests");
    expect(got.json.json[0]).toMatchObject({ service_request_id: id, status: "open", service_code: "waste_management", service_name: "বর্জ্য ব্যবস্থাপনা", lat: 23.7561, long: 90.3872 });
    expect(got.json.json[0].agency_responsible).toBe("Dhaka City Corporation, ward 27");
  });

  it("the phone's owner claims the account by registering with it (OTP), and then owns the request", async () => {
    const phone = randomPhone();
    const id = await fileRequest(key, phone);
    const [owner] = await withServices(async ({ db }) => (await db.execute<{ id: string }>(sql`select id from users where phone = ${phone}`)).rows);
    const { code, userId } = await registerAndGetCode(phone);
    expect(userId).toBe(owner!.id);
    const verified = await api("/api/v1/auth/verify-otp", { body: { phone, otp_code: code } });
    expect(verified.status, JSON.stringify(verified.body)).toBe(200);
    const mine = await api(`/api/v1/complaints/track/${id}`, { token: verified.body.access_token });
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);
  });

  it("files for an existing account without changing it, and answers in XML too", async () => {
    const citizen = await signedIn({ name: "Existing Citizen" });
    const res = await post("xml", requestFields(key, citizen.user.phone, { first_name: "Someone", last_name: "Else", "attribute[priority]": "low" }));
    expect(res.status, res.text).toBe(201);
    expect(res.xml!.root).toBe("service_requests");
    const created = (res.xml!.value as any[])[0];
    expect(keysOf(created)).toEqual(keysOf(first(spec.SPEC_POST_RESPONSE)));
    const mine = await api(`/api/v1/complaints/track/${created.service_request_id}`, { token: citizen.access });
    expect(mine.status).toBe(200); // the owner sees it in the app
    expect(mine.body).toMatchObject({ user: { id: citizen.user.id, name: "Existing Citizen" }, priority: "নিম্ন", category: "রাস্তাঘাট" });
  });

  it("takes an address alone; lat/long alone gives the coordinates as the address", async () => {
    const byAddress = await fileRequest(key, randomPhone(), { lat: "", long: "", address_string: "Mirpur 10 roundabout" });
    const byPoint = await fileRequest(key, randomPhone(), { address_string: "" });
    const [a, p] = [(await call(`/open311/v2/requests/${byAddress}.json`)).json[0], (await call(`/open311/v2/requests/${byPoint}.json`)).json[0]];
    expect(a).toMatchObject({ address: "Mirpur 10 roundabout", lat: null, long: null });
    expect(p).toMatchObject({ address: "23.756100, 90.387200", lat: 23.7561, long: 90.3872 });
  });

  it("answers bad input with the spec's error list (every problem), in JSON and XML", async () => {
    const cases: Array<[string, Record<string, string>, number, RegExp]> = [
      ["no service_code", { service_code: "" }, 400, /service_code: was not provided/],
      ["unknown service_code", { service_code: "potholes" }, 404, /service_code: potholes was not found/],
      ["no phone", { phone: "" }, 400, /phone: a Bangladeshi mobile number is required/],
      ["a foreign phone", { phone: "111111111" }, 400, /phone: is not a Bangladeshi mobile number/],
      ["no location", { lat: "", long: "", address_string: "" }, 400, /lat and long, or address_string, are required/],
      ["address_id only", { lat: "", long: "", address_string: "", address_id: "545483" }, 400, /address_id: not supported/],
      ["lat without long", { long: "" }, 400, /give both or neither/],
      ["latitude out of range", { lat: "123" }, 400, /lat: must be between -90 and 90/],
      ["an unknown attribute", { "attribute[WHISETN]": "123" }, 400, /attribute\[WHISETN\]: not an attribute/],
      ["a bad priority", { "attribute[priority]": "urgent" }, 400, /attribute\[priority\]: must be one of high, medium, low/],
      ["a bad email", { email: "not-an-email" }, 400, /email: is not an email address/],
      ["a description over 4000", { description: "ক".repeat(4001) }, 400, /description: at most 4000/],
      ["a bad media_url", { media_url: "javascript:alert(1)" }, 400, /media_url/],
    ];
    for (const [what, overrides, status, message] of cases) {
      for (const format of ["json", "xml"] as const) {
        const res = await post(format, requestFields(key, randomPhone(), overrides));
        expect(res.status, `${what} (${format}): ${res.text}`).toBe(status);
        const errors = (format === "json" ? res.json : res.xml!.value) as Array<{ code: number | string; description: string }>;
        expect(errors.map((e) => e.description).join(" | "), what).toMatch(message);
        expect(String(errors[0]!.code)).toBe(String(status));
        if (format === "xml") expect(res.xml!.root).toBe("errors");
      }
    }
    const many = await post("json", requestFields(key, "", { service_code: "", lat: "north" }));
    expect(many.status).toBe(400);
    expect(many.json.length).toBeGreaterThanOrEqual(3);
    expect(Object.keys(many.json[0])).toEqual(keysOf(first(spec.SPEC_ERRORS)));
  });

  it("needs a form-encoded body (415 otherwise); multipart is accepted too", async () => {
    const json = await call("/open311/v2/requests.json", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(requestFields(key, randomPhone())) });
    expect(json.status).toBe(415);
    expect(json.json[0].code).toBe(415);
    const data = new FormData();
    for (const [k, v] of Object.entries(requestFields(key, randomPhone()))) data.append(k, v as string);
    const multipart = await call("/open311/v2/requests.json", { method: "POST", body: data });
    expect(multipart.status, multipart.text).toBe(201);
    const withFile = new FormData();
    for (const [k, v] of Object.entries(requestFields(key, randomPhone()))) withFile.append(k, v as string);
    withFile.set("description", file(pngBytes(), "x.png", "image/png"));
    const refused = await call("/open311/v2/requests.json", { method: "POST", body: withFile });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    expect(refused.json[0].code).toBe(refused.status);
  });
});

describe("GET requests", () => {
  it("maps the workflow to open|closed and status_notes to the latest history comment", async () => {
    const phone = randomPhone();
    const [a, b, c] = [await fileRequest(key, phone), await fileRequest(key, phone), await fileRequest(key, phone)];
    await move(a, "প্রক্রিয়াধীন", "A crew is on the way.");
    await move(b, "প্রক্রিয়াধীন", "Inspected.");
    await move(b, "সমাধান হয়েছে", "Pothole filled on Monday.");
    await move(c, "বাতিল");
    const { json } = await both(`/open311/v2/requests?service_request_id=${a},${b},${c}`, "service_requests");
    const byId = Object.fromEntries(json.json.map((r: any) => [r.service_request_id, r]));
    expect(byId[a]).toMatchObject({ status: "open", status_notes: "A crew is on the way." });
    expect(byId[b]).toMatchObject({ status: "closed", status_notes: "Pothole filled on Monday." });
    expect(byId[c]).toMatchObject({ status: "closed", status_notes: null });

    const open = await call(`/open311/v2/requests.json?status=open&service_code=roads`);
    const closed = await call(`/open311/v2/requests.json?status=closed`);
    const ids = (res: RawResponse) => res.json.map((r: any) => r.service_request_id);
    expect(ids(open)).toContain(a);
    expect(ids(open)).not.toContain(b);
    expect(ids(closed)).toEqual(expect.arrayContaining([b, c]));
    expect(ids(closed)).not.toContain(a);
    expect(open.json.every((r: any) => r.status === "open" && r.service_code === "roads")).toBe(true);
    const water = await call(`/open311/v2/requests.json?service_code=water_supply,electricity`);
    expect(ids(water)).not.toContain(a);
    expect(roundTrips(open)).toBe(1);
  });

  it("every field of the spec, in its order, with w3c datetimes at +06:00 matching the complaint", async () => {
    const id = await fileRequest(key, randomPhone());
    const { json } = await both(`/open311/v2/requests/${id}`, "service_requests");
    const request = json.json[0];
    expect(Object.keys(request)).toEqual(keysOf(first(spec.SPEC_REQUESTS)));
    expect(request.requested_datetime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+06:00$/);
    expect(request.updated_datetime).toMatch(/\+06:00$/);
    const [row] = await withServices(async ({ db }) => (await db.execute<{ created_at: Date }>(sql`select created_at from complaints where tracking_number = ${id}`)).rows);
    expect(Math.abs(Date.parse(request.requested_datetime) - new Date(row!.created_at).getTime())).toBeLessThan(1000);
    expect(roundTrips(json)).toBe(1);
  });

  it("a request that does not exist is 404 in the spec's form", async () => {
    const { json } = await both("/open311/v2/requests/CC199901019999", "errors", 404);
    expect(json.json[0]).toEqual({ code: 404, description: expect.stringContaining("CC199901019999") });
  });

  it("shows the last 90 days by default; an explicit window reaches older requests; never more than 90 days", async () => {
    const id = await fileRequest(key, randomPhone());
    // Far back (400 days), where no other test file's data lies: the shared database holds 10,000
    // dashboard complaints a few months back, which would fill a 1,000-row answer.
    await withServices(({ db }) => db.execute(sql`update complaints set created_at = now() - interval '400 days' where tracking_number = ${id}`));
    const recent = await call("/open311/v2/requests.json");
    expect(recent.json.map((r: any) => r.service_request_id)).not.toContain(id);
    const start = new Date(Date.now() - 410 * 86_400_000).toISOString();
    const end = new Date(Date.now() - 390 * 86_400_000).toISOString();
    const old = await call(`/open311/v2/requests.json?start_date=${start}&end_date=${end}`);
    expect(old.status, old.text).toBe(200);
    expect(old.json.map((r: any) => r.service_request_id)).toContain(id);
    const startOnly = await call(`/open311/v2/requests.json?start_date=${start}`);
    expect(startOnly.json.map((r: any) => r.service_request_id)).toContain(id);
    for (const [query, message] of [
      ["start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z", /90 days/],
      ["start_date=2026-06-01T00:00:00Z&end_date=2026-01-01T00:00:00Z", /after end_date/],
      ["start_date=last+week", /start_date: not a W3C datetime/],
      ["status=pending", /status: must be open, closed/],
      ["service_code=potholes", /service_code: not found: potholes/],
      ["service_request_id=1,2", /not a request id/],
    ] as const) {
      const { json } = await both(`/open311/v2/requests?${query}`, "errors", 400);
      expect(json.json.map((e: any) => e.description).join(" "), query).toMatch(message);
    }
  });

  it("answers at most 1000 requests, newest first", async () => {
    const owner = await signedIn();
    // 1003 complaints on days of 1999 no other test uses, straight into the table.
    await withServices(({ db }) =>
      db.execute(sql`
        insert into complaints (tracking_number, user_id, title, description, category, location, created_at, updated_at)
        select 'CC199903' || lpad(n::text, 6, '0'), ${owner.user.id}, 'old', 'old', 'অন্যান্য', 'Dhaka',
               timestamptz '1999-03-01 00:00:00+06' + n * interval '1 minute', timestamptz '1999-03-01 00:00:00+06'
        from generate_series(1, 1003) n`),
    );
    const res = await call("/open311/v2/requests.json?start_date=1999-03-01&end_date=1999-03-10");
    expect(res.status).toBe(200);
    expect(res.json.length).toBe(1000);
    expect(res.json[0].service_request_id).toBe("CC199903001003");
    expect(res.json[0].requested_datetime).toBe("1999-03-01T16:43:00+06:00");
    expect(roundTrips(res)).toBe(1);
  });
});

describe("privacy", () => {
  it("no GET shows the reporter's name, phone or email, in either format", async () => {
    const phone = randomPhone();
    const email = `private-${crypto.randomUUID().slice(0, 8)}@example.org`;
    const id = await fileRequest(key, phone, { first_name: "Shahana", last_name: "Begum-Secret", email });
    const citizen = await signedIn({ name: "Rafiq Secretname" });
    const app = await fileComplaint(citizen.access, { description: "Garbage pile near the mosque" });
    const digits = phone.slice(4); // without +880: matches 01… and 8801… spellings too
    const citizenDigits = citizen.user.phone.slice(4);
    for (const path of [`/open311/v2/requests/${id}`, `/open311/v2/requests/${app.tracking_number}`, `/open311/v2/requests`, `/open311/v2/requests?service_request_id=${id},${app.tracking_number}`]) {
      for (const format of ["json", "xml"]) {
        const [base, query] = path.split("?");
        const res = await call(`${base}.${format}${query ? `?${query}` : ""}`);
        expect(res.status).toBe(200);
        if (path.includes(id)) expect(res.text, path).toContain(id);
        if (path.includes(app.tracking_number)) expect(res.text, path).toContain(app.tracking_number);
        for (const secret of ["Shahana", "Begum-Secret", email, digits, "Rafiq", "Secretname", citizenDigits, citizen.user.id]) {
          expect(res.text.includes(secret), `${path}.${format} shows ${secret}`).toBe(false);
        }
      }
    }
    const single = await call(`/open311/v2/requests/${app.tracking_number}.json`);
    expect(single.json[0].description).toBe(`রাস্তায় বড় গর্ত: Garbage pile near the mosque`);
  });
});

describe("XML and JSON carry the same data, whatever the text", () => {
  it("escapes markup, keeps Bengali, and drops control characters only from XML", async () => {
    const tricky = `<script>alert("x")</script> & 'quotes' ময়লা ]]> \u0007bell`;
    const id = await fileRequest(key, randomPhone(), { description: tricky, address_string: "Road 5 & <Lane 3>" });
    const json = await call(`/open311/v2/requests/${id}.json`);
    const xml = await call(`/open311/v2/requests/${id}.xml`);
    expect(json.json[0].description).toBe(tricky);
    expect(xml.text).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;quotes&apos; ময়লা ]]&gt; bell");
    const fromXml = (xml.xml!.value as any[])[0];
    expect(fromXml).toEqual({ ...asXmlCarries(json.json[0]) as object, description: tricky.replace("\u0007", "") });
  });
});

describe("media_url", () => {
  it("links the first photo publicly by an unguessable token, and the link is revocable", async () => {
    const citizen = await signedIn();
    const created = await api("/api/v1/complaints", {
      token: citizen.access,
      body: form({ title: "Broken drain", description: "Drain cover missing", category: "cleanliness", location: "Banani 11", images: [file(pngBytes(300), "a.png", "image/png"), file(pngBytes(400), "b.png", "image/png")] }),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.tracking_number;
    const { json } = await both(`/open311/v2/requests/${id}`, "service_requests");
    const url: string = json.json[0].media_url;
    expect(url).toMatch(/^http:\/\/api\.test\/open311\/v2\/media\/[0-9a-f]{64}$/);
    expect(url).not.toContain(created.body.images[0].id);
    const again = await call(`/open311/v2/requests/${id}.json`);
    expect(again.json[0].media_url).toBe(url); // stable while not revoked
    const photo = await call(new URL(url).pathname);
    expect(photo.status).toBe(200);
    expect(photo.headers.get("content-type")).toBe("image/png");
    expect(photo.headers.get("content-length")).toBe("300"); // the first photo, anonymously

    const token = url.split("/").pop()!;
    expect((await api(`/api/v1/open311/media/${token}`, { method: "DELETE", token: citizen.access })).status).toBe(403);
    expect((await api(`/api/v1/open311/media/${token}`, { method: "DELETE", token: superAdmin.access })).status).toBe(204);
    const gone = await call(new URL(url).pathname);
    expect(gone.status).toBe(404);
    expect(gone.json[0].code).toBe(404);
    const rotated = (await call(`/open311/v2/requests/${id}.json`)).json[0].media_url;
    expect(rotated).toMatch(/\/open311\/v2\/media\/[0-9a-f]{64}$/);
    expect(rotated).not.toBe(url);
    expect((await call(new URL(rotated).pathname)).status).toBe(200);

    // Deleting the photo takes its link with it.
    await api(`/api/v1/complaints/${created.body.id}/images/${created.body.images[0].id}`, { method: "DELETE", token: citizen.access });
    expect((await call(new URL(rotated).pathname)).status).toBe(404);
    const [logged] = await withServices(async ({ db }) => (await db.execute<{ n: number }>(sql`select count(*)::int as n from activity_logs where user_id = ${superAdmin.user.id} and action = 'open311_media.revoke'`)).rows);
    expect(logged!.n).toBe(1);
  });

  it("a malformed or unknown token is 404", async () => {
    for (const token of ["abc", "0".repeat(64), "%00", "x".repeat(300)]) {
      const res = await call(`/open311/v2/media/${token}`);
      expect(res.status, token).toBe(404);
      expect(res.json[0].code).toBe(404);
    }
  });
});

describe("tokens", () => {
  it("no tokens are issued (requests are answered synchronously), so every token is the spec's 404", async () => {
    const { json } = await both("/open311/v2/tokens/12345", "errors", 404);
    expect(json.json[0].description).toMatch(/no tokens are issued/);
    expect(keysOf(first(spec.SPEC_TOKEN_RESPONSE))).toEqual(["service_request_id", "token"]); // the shape we would answer
  });
});

describe("hostile input never reaches a 5xx", () => {
  it("answers junk paths, parameters and bodies with spec errors", async () => {
    const paths = [
      "/open311/v2/requests/%00.json",
      "/open311/v2/requests/..%2F..%2Fetc.json",
      "/open311/v2/services/' or 1=1 --.xml",
      `/open311/v2/services/${"x".repeat(300)}.json`,
      "/open311/v2/requests.json?service_request_id=" + Array.from({ length: 1001 }, (_, i) => `CC2026112${String(i).padStart(5, "0")}`).join(","),
      "/open311/v2/requests.json?start_date=%00&end_date=;drop",
      "/open311/v2/requests.json?status=open&status=closed",
      "/open311/v2/requests.xml?service_code=%3Cx%3E%26",
      "/open311/v2/tokens/%E0%A6.json",
    ];
    for (const path of paths) {
      const res = await call(path);
      const what = `${path.slice(0, 100)} → ${res.text.slice(0, 200)}`;
      expect(res.status, what).toBeGreaterThanOrEqual(400);
      expect(res.status, what).toBeLessThan(500);
      const errors = res.json ?? res.xml!.value;
      expect(Array.isArray(errors), what).toBe(true);
    }
    const bodies: Array<[string, string]> = [
      ["multipart/form-data; boundary=zzz", "--zzz\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\n"],
      ["application/x-www-form-urlencoded", "%%%&&&=="],
      ["application/x-www-form-urlencoded", `api_key=${key}&service_code=roads&service_code=water_supply&phone=01712345678&address_string=x`],
      ["application/x-www-form-urlencoded", `api_key=${key}&attribute[priority][]=high&attribute[priority][]=low&service_code=roads&phone=01712345678&address_string=x`],
      ["text/plain", "hello"],
    ];
    for (const [type, body] of bodies) {
      const res = await call("/open311/v2/requests.xml", { method: "POST", headers: { "content-type": type }, body });
      expect(res.status, `${type} ${body}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${type} ${body}`).toBeLessThan(500);
      expect(res.xml?.root, `${type} ${body}`).toBe("errors");
    }
  });
});

describe("app-wide limits", () => {
  it("a body over the size limit is the spec's 413, not the REST envelope", async () => {
    const res = await call("/open311/v2/requests.xml", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `description=${"x".repeat(70 * 1024)}`,
    });
    expect(res.status).toBe(413);
    expect(res.xml).toEqual({ root: "errors", value: [{ code: "413", description: expect.any(String) }] });
  });
});
