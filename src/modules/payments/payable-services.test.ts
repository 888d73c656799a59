/**
 * The payable services catalogue (contract §8, issue 9 §2): the public list with Bengali and English
 * names and fee rules; `service_type` on POST /payments/process given as the code, the English name
 * in any case and spacing, or the Bengali name — stored as the code; the fee rules; the list filter;
 * staff CRUD and who may use it. The seeded catalogue is shared by every test file, so tests that
 * change the catalogue work on services of their own (test/support/payments.ts createPayableService).
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { payableServices, payments } from "../../db/schema";
import { signedIn, withServices } from "../../../test/support/factories";
import { api, roundTrips, statementCount } from "../../../test/support/http";
import { createPayableService, paymentRow, startPayment } from "../../../test/support/payments";

const paymentsOf = (userId: string) => withServices(({ db }) => db.select().from(payments).where(eq(payments.userId, userId)));
const serviceRow = async (code: string) => (await withServices(({ db }) => db.select().from(payableServices).where(eq(payableServices.code, code))))[0];

/** POST /payments/process with a bKash payment for `service_type` and `amount`. */
function pay(token: string, serviceType: unknown, amount: unknown = "500.00", headers: Record<string, string> = {}) {
  return api("/api/v1/payments/process", { token, body: { service_type: serviceType, amount, payment_method: "bkash" }, headers });
}

async function publicList(query = "") {
  const res = await api(`/api/v1/payments/services?page_size=100${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res;
}

const SEEDED = ["holding_tax", "trade_license", "waste_collection_fee", "birth_certificate", "death_certificate", "building_plan_approval", "market_shop_rent", "donation"];

describe("the OpenAPI document", () => {
  it("documents the catalogue routes and schemas", async () => {
    const doc = (await api("/api/v1/openapi.json")).body;
    expect(Object.keys(doc.paths["/api/v1/payments/services"]).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/v1/payments/services/{code}"]).sort()).toEqual(["delete", "patch"]);
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(["PayableService", "PayableServicePage", "PayableServiceCreate", "PayableServiceUpdate", "PayableServiceRemoved"]));
    expect(doc.components.schemas.PaymentRequest.properties.service_type.example).toBe("Holding Tax");
  });
});

describe("GET /payments/services (public)", () => {
  it("lists the seeded catalogue to anyone, in display order, with Bengali and English names and fee rules", async () => {
    const res = await publicList();
    const codes = res.body.results.map((s: any) => s.code);
    expect(codes.filter((c: string) => SEEDED.includes(c))).toEqual(SEEDED);
    const byCode = Object.fromEntries(res.body.results.map((s: any) => [s.code, s]));
    expect(byCode.birth_certificate).toEqual({
      code: "birth_certificate",
      name_bn: "জন্ম নিবন্ধন সনদ",
      name_en: "Birth Certificate",
      fee_type: "fixed",
      fixed_amount: "50.00",
      min_amount: null,
      max_amount: null,
      is_active: true,
      sort_order: 40,
      payment_path: "/api/v1/payments/process",
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    expect(byCode.trade_license).toMatchObject({ name_bn: "ট্রেড লাইসেন্স", name_en: "Trade License", fee_type: "range", fixed_amount: null, min_amount: "500.00", max_amount: "25000.00" });
    expect(byCode.holding_tax).toMatchObject({ name_bn: "হোল্ডিং ট্যাক্স", name_en: "Holding Tax", fee_type: "free", fixed_amount: null, min_amount: null, max_amount: null });
    expect(byCode.donation).toMatchObject({ name_bn: "অনুদান", name_en: "Donation", fee_type: "free", payment_path: "/api/v1/donations" });
    // no auth lookup: the rows and the count
    expect(statementCount(res)).toBe(2);
    // the /api alias and a trailing slash reach the same list, not GET /payments/{id}
    expect((await api("/api/payments/services/")).body.count).toBe(res.body.count);
  });

  it("hides inactive services from the public; staff see them with include_inactive=true, others are refused", async () => {
    const hidden = await createPayableService({ active: false });
    const visible = await createPayableService();
    const listed = (await publicList()).body.results.map((s: any) => s.code);
    expect(listed).toContain(visible.code);
    expect(listed).not.toContain(hidden.code);

    const admin = await signedIn({ userType: "admin" });
    const citizen = await signedIn();
    const all = await api("/api/v1/payments/services?include_inactive=true&page_size=100", { token: admin.access });
    expect(all.status).toBe(200);
    expect(all.body.results.find((s: any) => s.code === hidden.code)).toMatchObject({ is_active: false });
    expect((await api("/api/v1/payments/services?include_inactive=true")).status).toBe(401);
    expect((await api("/api/v1/payments/services?include_inactive=true", { token: citizen.access })).status).toBe(403);
    // a citizen's token on the plain list is fine (it is public)
    expect((await api("/api/v1/payments/services", { token: citizen.access })).status).toBe(200);
  });

  it("paginates like every list", async () => {
    const page = await api("/api/v1/payments/services?page_size=3");
    expect(page.body).toMatchObject({ previous: null, next: expect.stringContaining("page=2") });
    expect(page.body.results.map((s: any) => s.code)).toEqual(["holding_tax", "trade_license", "waste_collection_fee"]);
    expect((await api("/api/v1/payments/services?page_size=1000")).status).toBe(400);
  });
});

describe("service_type on POST /payments/process", () => {
  it.each([
    ["the code", "holding_tax"],
    ["the English name, as the design documents' app sends it", "Holding Tax"],
    ["the English name in lowercase", "holding tax"],
    ["the English name with odd case and spacing", " HOLDING   tax "],
    ["the name with an underscore", "Holding_Tax"],
    ["the code in capitals", "HOLDING_TAX"],
    ["the Bengali name", "হোল্ডিং ট্যাক্স"],
    ["the Bengali name with extra spaces", "  হোল্ডিং   ট্যাক্স "],
  ])("accepts %s (%j) and stores the code", async (_what, serviceType) => {
    const { access } = await signedIn();
    const res = await pay(access, serviceType, 1000);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const row = await paymentRow(res.body.payment_id);
    expect(row).toMatchObject({ serviceType: "holding_tax", amount: "1000.00", status: "processing" });
    const read = await api(`/api/v1/payments/${res.body.payment_id}`, { token: access });
    expect(read.body.service_type).toBe("holding_tax");
  });

  it("resolves the service without an extra round trip", async () => {
    const { access } = await signedIn();
    await startPayment(access); // warm: the bKash token is cached afterwards
    const byCode = await pay(access, "holding_tax");
    const byName = await pay(access, "Holding Tax");
    expect(byName.status).toBe(201);
    // The catalogue is this isolate's copy (warm): the user check and the guarded insert, one round
    // trip; the gateway's call log is written after the answer.
    expect(roundTrips(byName)).toBe(1);
    expect(statementCount(byName)).toBe(2);
    expect(statementCount(byName)).toBe(statementCount(byCode));
  });

  it.each([
    ["an unknown code", "parking_fine"],
    ["an unknown name", "Dog Licence"],
    ["a near miss", "Holding Taxes"],
  ])("refuses %s with 400 on service_type and writes nothing", async (_what, serviceType) => {
    const { user, access } = await signedIn();
    const res = await pay(access, serviceType);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: "validation_error",
      error: "Unknown service. Choose one from the list of payable services.",
      details: { service_type: ["No payable service has this code or name. See GET /api/v1/payments/services."] },
    });
    expect(await paymentsOf(user.id)).toEqual([]);
  });

  it("explains an unknown service in Bengali when asked", async () => {
    const { access } = await signedIn();
    const res = await pay(access, "parking_fine", "500.00", { "accept-language": "bn" });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("অজানা সেবা। পরিশোধযোগ্য সেবার তালিকা থেকে একটি বেছে নিন।");
  });

  it("refuses an inactive service, by code or by name, with 400 on service_type and writes nothing", async () => {
    const inactive = await createPayableService({ active: false, nameEn: `Closed Counter ${crypto.randomUUID().slice(0, 6)}` });
    const { user, access } = await signedIn();
    for (const spelling of [inactive.code, inactive.nameEn.toUpperCase(), inactive.nameBn]) {
      const res = await pay(access, spelling);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        code: "validation_error",
        error: "This service cannot be paid online at the moment.",
        details: { service_type: [`${inactive.nameEn} cannot be paid online at the moment.`] },
      });
    }
    expect(await paymentsOf(user.id)).toEqual([]);
  });

  it.each(["donation", "Donation", "অনুদান"])("sends donations (%j) to POST /donations: 400 on service_type, nothing written", async (serviceType) => {
    const { user, access } = await signedIn();
    const res = await pay(access, serviceType, "100.00");
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual({ service_type: ["Donations are made through POST /donations."] });
    expect(await paymentsOf(user.id)).toEqual([]);
  });

  it.each([
    ["a number", 42],
    ["an object", { code: "holding_tax" }],
    ["only spaces", "   "],
    ["more than 100 characters", "x".repeat(101)],
  ])("refuses %s as service_type with 400", async (_what, serviceType) => {
    const { access } = await signedIn();
    const res = await pay(access, serviceType);
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.details)).toEqual(["service_type"]);
  });
});

describe("the fee rule", () => {
  it("a fixed fee takes exactly its amount: Birth Certificate 50.00 BDT", async () => {
    const { user, access } = await signedIn();
    const ok = await pay(access, "Birth Certificate", 50);
    expect(ok.status).toBe(201);
    expect(await paymentRow(ok.body.payment_id)).toMatchObject({ serviceType: "birth_certificate", amount: "50.00" });
    expect((await pay(access, "death_certificate", "50.00")).status).toBe(201);

    for (const amount of ["49.99", "50.01", "500.00"]) {
      const res = await pay(access, "birth_certificate", amount);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        code: "validation_error",
        error: "The amount does not match this service's fee.",
        details: { amount: ["Birth Certificate costs exactly 50.00 BDT."] },
      });
    }
    expect(await paymentsOf(user.id)).toHaveLength(2);
  });

  it("a range fee takes its bounds and anything between, nothing outside: Trade License 500.00–25000.00 BDT", async () => {
    const { user, access } = await signedIn();
    for (const amount of ["500.00", "12345.67", 25000]) expect((await pay(access, "Trade License", amount)).status).toBe(201);
    for (const amount of ["499.99", "25000.01", "100.00"]) {
      const res = await pay(access, "trade_license", amount);
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual({ amount: ["The Trade License fee must be between 500.00 and 25000.00 BDT."] });
    }
    expect((await paymentsOf(user.id)).map((p) => p.amount).sort()).toEqual(["12345.67", "25000.00", "500.00"]);
  });

  it("a free-amount fee takes any positive amount: Holding Tax", async () => {
    const { access } = await signedIn();
    for (const amount of ["0.01", "987654.32"]) {
      const res = await pay(access, "Holding Tax", amount);
      expect(res.status).toBe(201);
      expect((await paymentRow(res.body.payment_id)).amount).toBe(amount);
    }
    // still a positive amount with two places at most
    expect((await pay(access, "Holding Tax", "0")).body.details).toHaveProperty("amount");
  });

  it("states the rule's refusal in Bengali at the top when asked (details stay in English, like every field message)", async () => {
    const { access } = await signedIn();
    const res = await pay(access, "জন্ম নিবন্ধন সনদ", "10.00", { "accept-language": "bn" });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: "validation_error",
      error: "পরিমাণটি এই সেবার নির্ধারিত ফি-র সাথে মেলে না।",
      details: { amount: ["Birth Certificate costs exactly 50.00 BDT."] },
    });
  });
});

describe("filtering payments by service", () => {
  it("GET /payments and /payments/history accept the code, the English name in any case or the Bengali name", async () => {
    const alice = await signedIn();
    const admin = await signedIn({ userType: "admin" });
    const trade = await startPayment(alice.access, { service_type: "Trade License", amount: "800.00" });
    const tax = await startPayment(alice.access, { service_type: "holding_tax" });

    for (const filter of ["trade_license", "Trade License", "trade LICENSE", "Trade_License", "ট্রেড লাইসেন্স"]) {
      const own = await api(`/api/v1/payments/history?service_type=${encodeURIComponent(filter)}`, { token: alice.access });
      expect(own.status).toBe(200);
      expect(own.body.results.map((p: any) => p.id)).toEqual([trade.payment_id]);
    }
    const staffView = await api(`/api/v1/payments?user_id=${alice.user.id}&service_type=${encodeURIComponent("Holding Tax")}`, { token: admin.access });
    expect(staffView.body.results.map((p: any) => p.id)).toEqual([tax.payment_id]);
    expect(statementCount(staffView)).toBe(3); // resolved inside the page and count statements
    const unknown = await api("/api/v1/payments?service_type=Parking%20Fine", { token: alice.access });
    expect(unknown.body).toMatchObject({ count: 0, results: [] });
    const none = await api("/api/v1/payments?service_type=", { token: alice.access });
    expect(none.body.count).toBe(2);
  });
});

describe("staff manage the catalogue", () => {
  const suffix = () => crypto.randomUUID().replace(/-/g, "").slice(0, 8);

  it("an admin adds a service; it is listed publicly and payable by its code or either name", async () => {
    const admin = await signedIn({ userType: "admin" });
    const s = suffix();
    const body = { code: `tree_permit_${s}`, name_en: `  Tree   Felling Permit ${s} `, name_bn: `গাছ কাটার অনুমতি ${s}`, fee_type: "fixed", fixed_amount: 300 };
    const res = await api("/api/v1/payments/services", { token: admin.access, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toEqual({
      code: `tree_permit_${s}`,
      name_bn: `গাছ কাটার অনুমতি ${s}`,
      name_en: `Tree Felling Permit ${s}`,
      fee_type: "fixed",
      fixed_amount: "300.00",
      min_amount: null,
      max_amount: null,
      is_active: true,
      sort_order: expect.any(Number),
      payment_path: "/api/v1/payments/process",
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const listed = (await publicList()).body.results;
    expect(listed.find((x: any) => x.code === body.code)).toEqual(res.body);
    // without a sort_order it goes after the others
    expect(res.body.sort_order).toBeGreaterThan(Math.max(...listed.filter((x: any) => x.code !== body.code).map((x: any) => x.sort_order)));

    const citizen = await signedIn();
    for (const spelling of [body.code, `tree felling permit ${s}`, `গাছ কাটার অনুমতি ${s}`]) {
      const paid = await pay(citizen.access, spelling, "300.00");
      expect(paid.status, spelling).toBe(201);
      expect((await paymentRow(paid.body.payment_id)).serviceType).toBe(body.code);
    }
    expect((await pay(citizen.access, body.code, "299.00")).body.details).toEqual({ amount: [`Tree Felling Permit ${s} costs exactly 300.00 BDT.`] });
  });

  it("a super_admin changes names, the fee rule (as a whole) and visibility; payments follow the new rule", async () => {
    const superAdmin = await signedIn({ userType: "super_admin" });
    const citizen = await signedIn();
    const service = await createPayableService({ feeType: "fixed", fixedAmount: "100.00" });
    const path = `/api/v1/payments/services/${service.code}`;

    const renamed = await api(path, { method: "PATCH", token: superAdmin.access, body: { name_en: `Renamed ${service.code}`, sort_order: 505 } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ code: service.code, name_en: `Renamed ${service.code}`, name_bn: service.nameBn, sort_order: 505, fee_type: "fixed", fixed_amount: "100.00" });
    expect(new Date(renamed.body.updated_at).getTime()).toBeGreaterThan(service.updatedAt.getTime());

    const ranged = await api(path, { method: "PATCH", token: superAdmin.access, body: { fee_type: "range", min_amount: "200.00", max_amount: "400.00" } });
    expect(ranged.body).toMatchObject({ fee_type: "range", fixed_amount: null, min_amount: "200.00", max_amount: "400.00" });
    expect((await pay(citizen.access, `renamed ${service.code}`, "100.00")).body.details).toEqual({
      amount: [`The Renamed ${service.code} fee must be between 200.00 and 400.00 BDT.`],
    });
    expect((await pay(citizen.access, service.code, "300.00")).status).toBe(201);

    const off = await api(path, { method: "PATCH", token: superAdmin.access, body: { is_active: false } });
    expect(off.body.is_active).toBe(false);
    expect((await publicList()).body.results.map((s: any) => s.code)).not.toContain(service.code);
    expect(Object.keys((await pay(citizen.access, service.code, "300.00")).body.details)).toEqual(["service_type"]);
    await api(path, { method: "PATCH", token: superAdmin.access, body: { is_active: true } });
    expect((await pay(citizen.access, service.code, "300.00")).status).toBe(201);
  });

  it("DELETE removes a service no payment references, and deactivates one that payments reference", async () => {
    const admin = await signedIn({ userType: "admin" });
    const unused = await createPayableService();
    const removed = await api(`/api/v1/payments/services/${unused.code}`, { method: "DELETE", token: admin.access });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ outcome: "deleted", service: { code: unused.code } });
    expect(await serviceRow(unused.code)).toBeUndefined();
    expect((await api(`/api/v1/payments/services/${unused.code}`, { method: "DELETE", token: admin.access })).status).toBe(404);

    const used = await createPayableService();
    const citizen = await signedIn();
    const paid = await startPayment(citizen.access, { service_type: used.nameEn });
    const kept = await api(`/api/v1/payments/services/${used.code}`, { method: "DELETE", token: admin.access });
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ outcome: "deactivated", service: { code: used.code, is_active: false } });
    expect(await serviceRow(used.code)).toMatchObject({ isActive: false });
    // the payment keeps its code, and can still be found by the service's name; no new payments
    expect((await paymentRow(paid.payment_id)).serviceType).toBe(used.code);
    const history = await api(`/api/v1/payments/history?service_type=${encodeURIComponent(used.nameEn)}`, { token: citizen.access });
    expect(history.body.results.map((p: any) => p.id)).toEqual([paid.payment_id]);
    expect((await pay(citizen.access, used.code)).status).toBe(400);
  });

  it("the donation entry cannot be removed, and its fee stays free", async () => {
    const admin = await signedIn({ userType: "admin" });
    const res = await api("/api/v1/payments/services/donation", { method: "DELETE", token: admin.access });
    expect(res.status).toBe(409);
    expect(res.body).toEqual({ code: "conflict", error: "The donation entry cannot be removed: donations are made through POST /donations." });
    const fixed = await api("/api/v1/payments/services/donation", { method: "PATCH", token: admin.access, body: { fee_type: "fixed", fixed_amount: "100.00" } });
    expect(fixed.status).toBe(400);
    expect(Object.keys(fixed.body.details)).toEqual(["fee_type"]);
    expect(await serviceRow("donation")).toMatchObject({ feeType: "free", isActive: true });
  });

  it.each([
    ["a fixed fee without fixed_amount", { fee_type: "fixed" }, ["fixed_amount"]],
    ["a fixed fee with range bounds", { fee_type: "fixed", fixed_amount: "50.00", min_amount: "10.00" }, ["min_amount"]],
    ["a range fee without max_amount", { fee_type: "range", min_amount: "10.00" }, ["max_amount"]],
    ["a range fee whose max is not above its min", { fee_type: "range", min_amount: "500.00", max_amount: "500.00" }, ["max_amount"]],
    ["a range fee with fixed_amount", { fee_type: "range", fixed_amount: "50.00", min_amount: "10.00", max_amount: "90.00" }, ["fixed_amount"]],
    ["a free fee with an amount", { fee_type: "free", max_amount: "90.00" }, ["max_amount"]],
    ["an unknown fee type", { fee_type: "negotiable" }, ["fee_type"]],
    ["a negative amount", { fee_type: "fixed", fixed_amount: "-5.00" }, ["fixed_amount"]],
    ["three decimals", { fee_type: "fixed", fixed_amount: "5.005" }, ["fixed_amount"]],
    ["a code with spaces and capitals", { code: "Tree Permit" }, ["code"]],
    ["a blank English name", { name_en: "   " }, ["name_en"]],
    ["a Bengali name over 100 characters", { name_bn: "ক".repeat(101) }, ["name_bn"]],
    ["no names at all", { name_en: undefined, name_bn: undefined }, ["name_bn", "name_en"]],
    ["a taken code", { code: "holding_tax" }, ["code"]],
    ["a taken English name, in another case", { name_en: "birth CERTIFICATE" }, ["name_en"]],
    ["a taken Bengali name", { name_bn: "ট্রেড লাইসেন্স" }, ["name_bn"]],
  ])("POST refuses %s with 400 on that field and creates nothing", async (_what, override, fields) => {
    const admin = await signedIn({ userType: "admin" });
    const s = suffix();
    const body = { code: `svc_${s}`, name_en: `Service ${s}`, name_bn: `সেবা ${s}`, fee_type: "free", ...override };
    const res = await api("/api/v1/payments/services", { token: admin.access, body });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe("validation_error");
    expect(Object.keys(res.body.details).sort()).toEqual(fields);
    expect(await serviceRow(`svc_${s}`)).toBeUndefined();
  });

  it("PATCH refuses amounts without fee_type, an empty body and a clashing name; an unknown code is 404", async () => {
    const admin = await signedIn({ userType: "admin" });
    const service = await createPayableService({ feeType: "fixed", fixedAmount: "100.00" });
    const path = `/api/v1/payments/services/${service.code}`;
    const amountsOnly = await api(path, { method: "PATCH", token: admin.access, body: { fixed_amount: "120.00" } });
    expect(amountsOnly.status).toBe(400);
    expect(amountsOnly.body.details).toEqual({ fee_type: ["Send fee_type with its amounts: the fee rule is replaced as a whole."] });
    const empty = await api(path, { method: "PATCH", token: admin.access, body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.details).toEqual({ non_field_errors: ["Send at least one field to change."] });
    const clash = await api(path, { method: "PATCH", token: admin.access, body: { name_en: "Holding Tax" } });
    expect(clash.status).toBe(400);
    expect(Object.keys(clash.body.details)).toEqual(["name_en"]);
    expect(await serviceRow(service.code)).toMatchObject({ nameEn: service.nameEn, fixedAmount: "100.00" });

    expect((await api("/api/v1/payments/services/no_such_service", { method: "PATCH", token: admin.access, body: { sort_order: 1 } })).status).toBe(404);
    expect((await api("/api/v1/payments/services/Not%20A%20Code", { method: "PATCH", token: admin.access, body: { sort_order: 1 } })).status).toBe(404);
  });
});

describe("who may change the catalogue", () => {
  it("citizens and service providers get 403, anonymous callers 401, and nothing changes", async () => {
    const service = await createPayableService();
    const citizen = await signedIn();
    const provider = await signedIn({ userType: "service_provider" });
    const create = { code: `nope_${crypto.randomUUID().slice(0, 8)}`, name_en: "Nope", name_bn: "না", fee_type: "free" };
    const calls = [
      { path: "/api/v1/payments/services", method: "POST", body: create },
      { path: `/api/v1/payments/services/${service.code}`, method: "PATCH", body: { is_active: false } },
      { path: `/api/v1/payments/services/${service.code}`, method: "DELETE" },
    ];
    for (const call of calls) {
      expect((await api(call.path, { ...call })).status, `${call.method} anonymous`).toBe(401);
      expect((await api(call.path, { ...call, token: citizen.access })).status, `${call.method} citizen`).toBe(403);
      expect((await api(call.path, { ...call, token: provider.access })).status, `${call.method} provider`).toBe(403);
    }
    // a refused caller's bad input is not even looked at
    expect((await api("/api/v1/payments/services/Not%20A%20Code", { method: "DELETE", token: citizen.access })).status).toBe(403);
    expect(await serviceRow(service.code)).toMatchObject({ isActive: true });
    expect(await serviceRow(create.code)).toBeUndefined();
  });
});
