/**
 * `npm run test:browser`: the staff dashboard (/admin/) and the API reference (/api/v1/docs) in a
 * real headless Chromium (`@sparticuz/chromium`: the binary ships inside the npm package, so this
 * works offline after `npm install`; driven by `puppeteer-core`), against `npm run dev` started
 * like test/e2e/run.ts does it: a free port, a throwaway data dir, the whole process group stopped
 * at the end. The figures it checks are made through the public API first (a citizen files
 * complaints, staff move and the citizen rates them). Screenshots of every page go to
 * test/browser/artifacts/ (git-ignored). `BROWSER_BASE=http://127.0.0.1:8787` runs against a
 * server that is already up instead (nothing is started or stopped).
 * Ends with `browser: N passed, M failed`; exits non-zero on any failure.
 */
import chromium from "@sparticuz/chromium";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { freePort } from "../../scripts/lib/ports";
import { REPO, startDevServer, stopDevServer, waitForHealth, type DevServer } from "../node/dev-server";
import { expect, flow as runFlow, tally } from "../node/steps";

const ARTIFACTS = join(REPO, "test/browser/artifacts");
const STEP_TIMEOUT_MS = 20_000;

const ADMIN = { phone: "+8801700000002", password: "CleanCare@2026" };
const SUPER = { phone: "+8801700000001", password: "CleanCare@2026" };
const CITIZEN = { phone: "+8801711000001", password: "Citizen@2026" };
const CITIZEN2 = { phone: "+8801711000002", password: "Citizen@2026" };
const S = { submitted: "জমা দেওয়া হয়েছে", inProgress: "প্রক্রিয়াধীন", resolved: "সমাধান হয়েছে" };

// ---------------------------------------------------------------------------------------------
// Step runner (as in test/e2e): a flow stops at its first failure, its remaining steps are skipped.

// The step runner: test/node/steps.ts; a failed step saves a screenshot.
const flow = (title: string, steps: [string, () => Promise<void>][]) => runFlow(title, steps, (i: number) => shot(`FAILED-${title}-${i}`));

// ---------------------------------------------------------------------------------------------
// The dev server (as in test/e2e/run.ts).

let BASE = "";
// startDevServer / stopDevServer / waitForHealth: test/support/dev-server.ts

// ---------------------------------------------------------------------------------------------
// The public API, to make the figures the pages must show.

async function call(method: string, path: string, token?: string, json?: unknown): Promise<any> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (json !== undefined) headers["content-type"] = "application/json";
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(BASE + path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json), signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  expect(res.ok, `${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : undefined;
}
const tokenOf = async (who: { phone: string; password: string }) => (await call("POST", "/api/v1/auth/login", undefined, who)).access_token as string;

/** In every complaint this run files, so that a search finds exactly this run's complaints. */
const RUN = `bt${Date.now().toString(36)}`;

async function makeFigures(): Promise<void> {
  const citizen = await tokenOf(CITIZEN);
  const admin = await tokenOf(ADMIN);
  const made: string[] = [];
  const places = [
    ["Overflowing bin at Mirpur 10", 23.8069, 90.3687, "2"],
    ["Broken drain cover, Dhanmondi 27", 23.7561, 90.3753, "5"],
    ["Garbage not collected in Gulshan 2", 23.7925, 90.4146, "9"],
    ["Water logging near Motijheel", 23.7330, 90.4172, "11"],
  ] as const;
  for (const [title, lat, lng, ward] of places) {
    const c = await call("POST", "/api/v1/complaints", citizen, { title, description: `${title}: reported by the browser test (run ${RUN}).`, category: "waste_management", location: title.split(" ").slice(-2).join(" "), latitude: lat, longitude: lng, ward_number: ward });
    made.push(c.id);
  }
  await call("POST", `/api/v1/complaints/${made[0]}/update_status`, admin, { new_status: "in_progress", comment: "Crew sent" });
  await call("POST", `/api/v1/complaints/${made[1]}/update_status`, admin, { new_status: "in_progress" });
  await call("POST", `/api/v1/complaints/${made[1]}/update_status`, admin, { new_status: "resolved", comment: "Cover replaced" });
  await call("POST", `/api/v1/complaints/${made[1]}/rate`, citizen, { rating: 4, feedback: "Quick, thanks" });
  await call("POST", `/api/v1/emergency`, await tokenOf(CITIZEN2), { emergency_type: "fire", description: "Smoke from a transformer (browser test)", location: "Farmgate", latitude: 23.7577, longitude: 90.3899 });
}

// ---------------------------------------------------------------------------------------------
// The browser.

let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
const offsite: string[] = [];

async function shot(name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name.replace(/[^\w.-]+/g, "_")}.png`), fullPage });
}
const text = (selector: string) => page.$eval(selector, (el) => (el as HTMLElement).innerText.trim());
const waitText = (selector: string, pattern: RegExp) =>
  page.waitForFunction((sel, src) => [...document.querySelectorAll(sel)].some((el) => new RegExp(src).test((el as HTMLElement).innerText)), { timeout: STEP_TIMEOUT_MS }, selector, pattern.source);

async function openPage(): Promise<Page> {
  const p = await browser.newPage();
  await p.setViewport({ width: 1280, height: 900 });
  p.setDefaultTimeout(STEP_TIMEOUT_MS);
  p.on("pageerror", (err) => pageErrors.push(`${p.url()}: ${String(err)}`));
  p.on("console", (msg) => msg.type() === "error" && pageErrors.push(`${p.url()}: console.error ${msg.text()}`));
  p.on("request", (req) => {
    const url = req.url();
    if (!url.startsWith(BASE) && !url.startsWith("data:") && !url.startsWith("blob:")) offsite.push(url);
  });
  return p;
}

async function signIn(who: { phone: string; password: string }): Promise<void> {
  await page.waitForSelector('[data-testid="login-form"]');
  await page.$eval('input[name="phone"]', (el) => ((el as HTMLInputElement).value = ""));
  await page.type('input[name="phone"]', who.phone);
  await page.type('input[name="password"]', who.password);
  await page.click('[data-testid="login-submit"]');
}

async function kpiShown(key: string): Promise<string> {
  return text(`[data-testid="kpi-${key}"]`);
}

async function dashboardFlows(): Promise<void> {
  const admin = await tokenOf(ADMIN);
  let complaintId = "";

  await flow("Sign-in", [
    ["a citizen account is refused with a clear message", async () => {
      page = await openPage();
      await page.goto(`${BASE}/admin/`, { waitUntil: "networkidle0" });
      await signIn(CITIZEN);
      await waitText('[data-testid="login-error"]', /city staff only/);
      expect(await page.$('[data-testid="kpis"]') === null, "the citizen got past the sign-in page");
      await shot("01-sign-in-citizen-refused");
    }],
    ["the seeded admin signs in and sees the overview", async () => {
      await page.reload({ waitUntil: "networkidle0" });
      await signIn(ADMIN);
      await page.waitForSelector('[data-testid="kpis"]');
      expect((await text('[data-testid="who"]')).includes("admin"), "no signed-in user shown");
    }],
  ]);

  await flow("Overview", [
    ["the KPIs shown equal /api/v1/dashboard/kpi", async () => {
      const kpi = await call("GET", "/api/v1/dashboard/kpi", admin);
      expect(kpi.complaints.total >= 4, `the seeded figures are missing: ${JSON.stringify(kpi.complaints)}`);
      const expected: Record<string, string> = {
        "complaints.total": String(kpi.complaints.total),
        "complaints.open": String(kpi.complaints.open),
        "complaints.resolved": String(kpi.complaints.resolved),
        "satisfaction.average": kpi.satisfaction.average === null ? "—" : Number(kpi.satisfaction.average).toFixed(2),
        "revenue.completed_amount": String(kpi.revenue.completed_amount),
        new_citizens: String(kpi.new_citizens),
        "resolution_hours.median": kpi.resolution_hours.median === null ? "—" : Number(kpi.resolution_hours.median).toFixed(1),
      };
      for (const [key, value] of Object.entries(expected)) {
        const shown = await kpiShown(key);
        expect(shown === value, `KPI ${key}: the page shows ${shown}, the API says ${value}`);
      }
    }],
    ["the charts render the API's series", async () => {
      await page.waitForSelector('[data-testid="chart-per-day"] canvas');
      const stats = await call("GET", "/api/v1/dashboard/complaints-stats", admin);
      // uPlot's legend lists one entry per status of the series (plus the x axis).
      const legend = await page.$$eval('[data-testid="chart-per-day"] .u-legend .u-series', (els) => els.length);
      expect(legend === Object.keys(stats.by_status).length + 1, `legend has ${legend} entries; statuses: ${Object.keys(stats.by_status).join(", ")}`);
      const sat = await call("GET", "/api/v1/dashboard/satisfaction", admin);
      const bars = await page.$$eval('[data-testid="chart-satisfaction"] .bar-value', (els) => els.map((e) => (e as HTMLElement).innerText));
      expect(JSON.stringify(bars) === JSON.stringify(["5", "4", "3", "2", "1"].map((r) => String(sat.distribution[r]))), `satisfaction bars ${bars} ≠ ${JSON.stringify(sat.distribution)}`);
      await page.waitForSelector('[data-testid="chart-resolution"] .bar-row');
      await shot("02-overview");
    }],
  ]);

  await flow("Complaints", [
    ["filtering by status shows only those complaints, as many as the API counts", async () => {
      await page.click('[data-testid="nav-complaints"]');
      await page.waitForSelector('[data-testid="complaints-table"]');
      await page.select('select[name="status"]', S.inProgress);
      await page.click('[data-testid="apply-filters"]');
      await page.waitForFunction((s) => location.search.includes("status=") && [...document.querySelectorAll('[data-testid="complaints-table"] tbody [data-status]')].every((e) => e.getAttribute("data-status") === s), {}, S.inProgress);
      const api = await call("GET", `/api/v1/complaints?status=${encodeURIComponent(S.inProgress)}&page_size=20`, admin);
      await page.waitForFunction((n) => document.querySelector('[data-testid="page-info"]')?.getAttribute("data-count") === String(n), {}, api.count);
      const rows = await page.$$eval('[data-testid="complaints-table"] tbody tr', (els) => els.map((e) => e.getAttribute("data-id")));
      expect(JSON.stringify(rows) === JSON.stringify(api.results.map((c: { id: string }) => c.id)), `rows ${rows} ≠ API ${api.results.map((c: { id: string }) => c.id)}`);
      await shot("03-complaints-filtered");
    }],
    ["searching (with the status filter) narrows the list to this run's in-progress complaint", async () => {
      await page.type('input[name="search"]', RUN);
      await page.click('[data-testid="apply-filters"]');
      await page.waitForFunction((run) => location.search.includes(`search=${run}`) && document.querySelectorAll('[data-testid="complaints-table"] tbody tr').length === 1, {}, RUN);
      expect((await text('[data-testid="complaints-table"] tbody')).includes("Mirpur 10"), "the row found is not this run's Mirpur complaint");
    }],
    ["opening one shows its detail and history", async () => {
      await page.click('[data-testid="complaint-link"]');
      await page.waitForSelector('[data-testid="complaint-detail"]');
      complaintId = page.url().split("/").pop()!;
      const updates = await call("GET", `/api/v1/complaints/${complaintId}/updates`, admin);
      const items = await page.$$eval('[data-testid="history"] li', (els) => els.length);
      expect(items === updates.length, `history shows ${items} entries, the API has ${updates.length}`);
      // Only the moves the workflow allows from in_progress: resolved and cancelled.
      const moves = await page.$$eval("[data-move]", (els) => els.map((e) => e.getAttribute("data-move")).sort());
      expect(JSON.stringify(moves) === JSON.stringify([S.resolved, "বাতিল"].sort()), `moves offered: ${moves}`);
      await shot("04-complaint-detail");
    }],
    ["changing its status updates the history", async () => {
      await page.type('textarea[name="comment"]', "Fixed by the browser test");
      await page.click(`[data-move="${S.resolved}"]`);
      await page.waitForFunction((s) => {
        const items = [...document.querySelectorAll('[data-testid="history"] li')];
        return items.at(-1)?.getAttribute("data-new-status") === s && (items.at(-1) as HTMLElement).innerText.includes("Fixed by the browser test");
      }, {}, S.resolved);
      expect((await page.$$eval("[data-move]", (els) => els.length)) === 0, "a resolved complaint still offers moves");
      const api = await call("GET", `/api/v1/complaints/${complaintId}`, admin);
      expect(api.status === S.resolved, `the API says ${api.status}`);
      await shot("05-complaint-resolved");
    }],
    ["an ended session returns to sign-in and then to the same page", async () => {
      const here = page.url();
      // The refresh token dies (as after its 7 days, or a logout elsewhere); the access token was in memory only.
      await page.evaluate(() => sessionStorage.setItem("cc.staff.refresh", "expired.refresh.token"));
      await page.reload({ waitUntil: "networkidle0" });
      await page.waitForSelector('[data-testid="login-form"]');
      expect(page.url() === here, `the sign-in page moved to ${page.url()}`);
      await signIn(ADMIN);
      await page.waitForSelector('[data-testid="complaint-detail"]');
      expect(page.url() === here, `after sign-in at ${page.url()}, not ${here}`);
    }],
  ]);

  await flow("Bengali", [
    ["the language switch renders Bengali in Noto Sans Bengali", async () => {
      await page.click('[data-testid="nav-overview"]');
      await page.waitForSelector('[data-testid="kpis"]');
      await page.click('[data-testid="lang-switch"]');
      await waitText("h1", /সারসংক্ষেপ/);
      expect((await page.evaluate(() => document.documentElement.lang)) === "bn", "html lang is not bn");
      expect((await text('[data-testid="nav-complaints"]')) === "অভিযোগ", "the menu is not in Bengali");
      const font = await page.evaluate(async () => {
        await document.fonts.ready;
        return document.fonts.check('16px "Noto Sans Bengali"', "অভিযোগ") && [...document.fonts].some((f) => f.family.includes("Noto Sans Bengali") && f.status === "loaded");
      });
      expect(font, "Noto Sans Bengali was not loaded from the bundle");
      await shot("06-overview-bengali");
      await page.click('[data-testid="nav-complaints"]');
      await page.waitForSelector('[data-testid="complaints-table"]');
      await shot("07-complaints-bengali");
      await page.click('[data-testid="lang-switch"]');
      await waitText("h1", /Complaints/);
    }],
  ]);

  await flow("Other pages", [
    ["the map draws the ward outlines and the open complaints (no tile server)", async () => {
      await page.click('[data-testid="nav-map"]');
      await page.waitForSelector(".leaflet-container path.leaflet-interactive");
      const open = (await call("GET", `/api/v1/complaints?status=${encodeURIComponent(S.submitted)}&page_size=100`, admin)).count + (await call("GET", `/api/v1/complaints?status=${encodeURIComponent(S.inProgress)}&page_size=100`, admin)).count;
      const markers = Number(await page.$eval('[data-testid="map"]', (e) => e.getAttribute("data-markers")));
      expect(markers === open, `map has ${markers} markers, the API ${open} open complaints`);
      expect((await page.$$(".leaflet-tile")).length === 0, "tiles were requested");
      await shot("08-map");
    }],
    ["the emergency desk connects and lists the open emergency", async () => {
      await page.click('[data-testid="nav-emergencies"]');
      await page.waitForSelector('[data-testid="desk-state"][data-state="live"]');
      await waitText('[data-testid="emergencies-table"]', /transformer/);
      await shot("09-emergencies");
    }],
    ["notices: create a draft, then publish it", async () => {
      await page.click('[data-testid="nav-notices"]');
      await page.waitForSelector('[data-testid="notices-table"]');
      await page.click('[data-testid="new-notice"]');
      await page.type('input[name="title"]', `Road closed for drain repair (browser test ${RUN})`);
      await page.type('textarea[name="content"]', "Ward 5, Road 27 is closed on Friday.");
      await page.click('[data-testid="save-notice"]');
      await waitText('[data-testid="notices-table"]', /Road closed for drain repair/);
      // The notice lists are cached for a moment (src/modules/notices/notices.cache.ts): poll.
      for (let i = 0; ; i++) {
        const all = await call("GET", `/api/v1/notices?include=all&search=${RUN}`, admin);
        if (all.results.length === 1 && all.results[0].is_active === false) break;
        expect(i < 50, `the draft is not in the API as inactive: ${JSON.stringify(all.results)}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      await page.evaluate((run) => {
        const row = [...document.querySelectorAll('[data-testid="notices-table"] tbody tr')].find((r) => (r as HTMLElement).innerText.includes(run))!;
        ([...row.querySelectorAll("button")].at(-1) as HTMLButtonElement).click();
      }, RUN);
      for (let i = 0; i < 50; i++) {
        const now = await call("GET", `/api/v1/notices?include=all&search=${RUN}`, admin);
        if (now.results[0]?.is_active) break;
        expect(i < 49, "the notice was not published");
        await new Promise((r) => setTimeout(r, 200));
      }
      await shot("10-notices");
    }],
    ["reports: generate, wait, download", async () => {
      await page.click('[data-testid="nav-reports"]');
      await page.click('[data-testid="generate-report"]');
      await page.waitForSelector('[data-testid="download-report"]', { timeout: 30_000 });
      await page.click('[data-testid="download-report"]');
      const bytes = Number(await (await page.waitForSelector('[data-testid="download-report"][data-bytes]'))!.evaluate((b) => b.getAttribute("data-bytes")));
      // The same signed link, with the same bearer token, from here: the CSV the page saved.
      const href = await page.$eval('[data-testid="download-report"]', (b) => b.getAttribute("data-url")!);
      const res = await fetch(href, { headers: { authorization: `Bearer ${admin}` } });
      const raw = new Uint8Array(await res.arrayBuffer());
      const body = new TextDecoder().decode(raw);
      expect(res.ok && body.includes(","), `download ${res.status}: ${body.slice(0, 200)}`);
      expect(bytes === raw.byteLength, `the page saved ${bytes} bytes, the report has ${raw.byteLength}`);
      await shot("11-reports");
    }],
    ["an admin does not get the staff page; the super admin does", async () => {
      expect((await page.$('[data-testid="nav-staff"]')) === null, "an admin sees the staff menu");
      await page.click('[data-testid="sign-out"]');
      await signIn(SUPER);
      await waitText('[data-testid="who"]', /super_admin/);
      await page.click('[data-testid="nav-staff"]');
      await waitText('[data-testid="staff-table"]', /\+8801700000002/);
      await shot("12-staff");
    }],
    ["mobile width: the menu collapses and opens", async () => {
      await page.setViewport({ width: 390, height: 844 });
      await page.click('[data-testid="nav-overview"]').catch(() => undefined);
      await page.click(".menu-btn");
      await page.click('[data-testid="nav-overview"]');
      await page.waitForSelector('[data-testid="kpis"]');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow <= 1, `the page is ${overflow}px wider than the phone`);
      await shot("13-overview-mobile");
      await page.setViewport({ width: 1280, height: 900 });
    }],
  ]);
}

async function docsFlow(): Promise<void> {
  await flow("API reference", [
    ["/api/v1/docs loads Scalar from this server with no console errors", async () => {
      pageErrors.length = 0;
      page = await openPage();
      await page.goto(`${BASE}/api/v1/docs`, { waitUntil: "networkidle0" });
      await waitText("body", /Clean Care Bangladesh API/);
      await page.waitForFunction(() => document.body.innerText.includes("/api/v1/complaints"));
      await shot("14-docs", false);
      expect(pageErrors.length === 0, `console errors:\n${pageErrors.join("\n")}`);
    }],
    ["its \"try it\" client sends GET /health and shows the answer", async () => {
      const sent: string[] = [];
      page.on("request", (req) => sent.push(req.url()));
      await page.goto(`${BASE}/api/v1/docs#tag/health/GET/health`, { waitUntil: "networkidle0" });
      // The operation's "Test Request" button opens Scalar's API client for it.
      await page.waitForFunction(() => [...document.querySelectorAll("button")].some((b) => /Test Request/i.test(b.innerText) && b.closest("[id*='GET/health']")));
      await page.evaluate(() => ([...document.querySelectorAll("button")].find((b) => /Test Request/i.test(b.innerText) && b.closest("[id*='GET/health']")) as HTMLButtonElement).click());
      await page.waitForFunction(() => [...document.querySelectorAll("button")].some((b) => /^Send/i.test(b.innerText.trim()) || b.getAttribute("aria-label")?.startsWith("Send")));
      const before = sent.length;
      await page.evaluate(() => ([...document.querySelectorAll("button")].find((b) => /^Send/i.test(b.innerText.trim()) || b.getAttribute("aria-label")?.startsWith("Send")) as HTMLButtonElement).click());
      await page.waitForFunction(() => /"status":\s*"healthy"|healthy/.test(document.body.innerText) && /200/.test(document.body.innerText));
      expect(sent.slice(before).some((u) => u === `${BASE}/health`), `no request to ${BASE}/health; sent: ${sent.slice(before).join(", ")}`);
      await shot("15-docs-try-it", false);
      expect(pageErrors.length === 0, `console errors:\n${pageErrors.join("\n")}`);
    }],
  ]);
}

async function main(): Promise<number> {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  let server: DevServer | null = null;
  if (process.env.BROWSER_BASE) {
    BASE = process.env.BROWSER_BASE.replace(/\/$/, "");
  } else {
    const port = await freePort();
    BASE = `http://127.0.0.1:${port}`;
    console.log(`browser: starting \`npm run dev\` on ${BASE}`);
    server = startDevServer(port, "browser");
  }
  const interrupted = async () => {
    await browser?.close().catch(() => undefined);
    if (server) await stopDevServer(server);
    process.exit(130);
  };
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  let ok = false;
  let clean = true;
  try {
    const started = Date.now();
    await waitForHealth(BASE, server);
    console.log(`browser: dev server healthy after ${((Date.now() - started) / 1000).toFixed(1)} s${server ? ` (data: ${server.dataDir})` : ""}`);
    await flow("Figures through the public API", [["a citizen files complaints, staff move them, the citizen rates one", makeFigures]]);
    browser = await puppeteer.launch({
      executablePath: await chromium.executablePath(),
      headless: true,
      // A POSIX locale makes navigator.language "en-US@posix", which Intl (and so uPlot) rejects.
      env: { ...process.env, LANG: "en_US.UTF-8", LC_ALL: "en_US.UTF-8" },
      args: [...chromium.args, "--lang=en-US", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    });
    console.log(`browser: ${await browser.version()}`);
    await dashboardFlows();
    await docsFlow();
    await flow("Offline", [["no page requested anything from another origin", async () => expect(offsite.length === 0, `requests elsewhere: ${[...new Set(offsite)].join(", ")}`)]]);
    ok = tally.failed === 0 && tally.skipped === 0;
  } catch (err) {
    tally.failed++;
    console.log(`✗ ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  } finally {
    await browser?.close().catch(() => undefined);
    if (server) {
      clean = await stopDevServer(server);
      if (!clean) console.log("browser: the dev server did not stop within 20 s after SIGINT; killed its process group");
      if (!ok || !clean) console.log(`\n--- npm run dev output (${server.logFile}) ---\n${readFileSync(server.logFile, "utf8").split("\n").slice(-60).join("\n")}`);
      if (ok && clean) rmSync(server.dataDir, { recursive: true, force: true });
      else console.log(`browser: kept ${server.dataDir} for inspection`);
    }
    console.log(`browser: screenshots in ${ARTIFACTS}`);
    if (tally.skipped) console.log(`browser: ${tally.skipped} skipped (after a failed step)`);
    console.log(`browser: ${tally.passed} passed, ${tally.failed} failed`);
  }
  return ok && clean ? 0 : 1;
}

main().then((code) => process.exit(code));
