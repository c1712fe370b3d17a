// The guided first run of /admin in Chromium (issue #12 item 2): a shop with no saved mapping is
// walked through five steps, one at a time, with "Step n of 5" shown and focus on each step's
// heading: connect QuickBooks Online (the OAuth flow against the stand-in), import its chart, map
// a role with the before/after preview, save version 1, and a dry run of the last 30 days
// (POST /api/backfill against the Shopify Admin stand-in: its new/changed/unchanged counts). A
// shop whose platform has no pull gets the preview of its recent orders instead. On a 390 px phone
// in dark mode and a 1280 px desktop in light mode (a shop each), axe-core finding no serious or
// critical violation at any step. On the phone, a first save refused at step 4 is said in the guide
// and can be retried.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import os from "node:os";
import path from "node:path";
import { startQbo } from "./standins/qbo.mjs";
import { startShopifyAdmin } from "./standins/shopify-admin.mjs";
import { API_KEY, fixture, idle, rows, sendShopify, startWorker, waitFor } from "./helpers.mjs";
import { launchChromium, axeViolations } from "./browser.mjs";

const SHOP = "guided.myshopify.com";
const DESK = "guided-desk.myshopify.com"; // the same walk on a desktop, for a shop of its own
const NO_PULL = "nopull.example.test"; // not *.myshopify.com, no admin_base: no Admin API to pull from
const TOKEN = "shpat_test_guided";
let mf, base, qbo, admin, browser, context;

// Two orders of two days ago: the first came by webhook and is booked with the deployment's
// mapping, and was fulfilled yesterday (a newer version, same money); the second only exists in
// the shop (a lost webhook), so the dry run finds it new.
const daysAgo = (n) => new Date(Date.now() - n * 86_400_000).toISOString().replace(/\.\d+Z$/, "Z");
const orderOf = (id) => ({ ...JSON.parse(fixture("simple")), id, created_at: daysAgo(2), updated_at: daysAgo(2) });
const [booked, lost] = [orderOf(7500000000001), orderOf(7500000000002)];
const sale = (orderId) => ({ id: `gid://shopify/OrderTransaction/${orderId}1`, kind: "SALE", status: "SUCCESS", gateway: "shopify_payments",
  processedAt: daysAgo(2), amountSet: { shopMoney: { amount: "25.0", currencyCode: "USD" }, presentmentMoney: { amount: "25.0", currencyCode: "USD" } },
  fees: [], parentTransaction: null });

before(async () => {
  qbo = await startQbo({ realm: "4620816365", clientId: "qbo-id", clientSecret: "qbo-secret", refreshToken: "never-issued" });
  admin = await startShopifyAdmin({ token: TOKEN, orders: new Map([booked, lost].map((o) => [String(o.id), [sale(o.id)]])) });
  admin.state.restOrders.push({ ...booked, updated_at: daysAgo(1), fulfillment_status: "fulfilled" }, lost);
  const books = { base_url: qbo.url, token_url: qbo.tokenUrl, authorize_url: qbo.authorizeUrl, revoke_url: qbo.revokeUrl };
  mf = await startWorker({
    shops: { [SHOP]: { qbo: books, shopify: { admin_base: admin.url } }, [DESK]: { qbo: books, shopify: { admin_base: admin.url } }, [NO_PULL]: {} },
    vars: { QBO_CLIENT_ID: "qbo-id", QBO_CLIENT_SECRET: "qbo-secret", SHOPIFY_ADMIN_TOKEN: TOKEN },
    options: { host: "127.0.0.1", port: 0 },
  });
  base = (await mf.ready).href.replace(/\/$/, "");
  qbo.codes.redirectUris = [`${base}/oauth/callback/qbo`];
  for (const shop of [SHOP, DESK]) assert.equal((await sendShopify(mf, booked, { shop, topic: "orders/paid" })).status, 202);
  assert.equal((await sendShopify(mf, orderOf(7500000000003), { shop: NO_PULL, topic: "orders/paid" })).status, 202);
  await waitFor("booked", () => idle(mf), 60_000);
  browser = await launchChromium("guided", { colorScheme: "dark" });
  context = browser.context;
});
after(async () => {
  await browser?.close();
  await mf?.dispose(); await qbo?.close(); await admin?.close();
});

const axe = (page) => axeViolations(page);
// Each step: its indicator, its heading focused, the page no wider than the phone, axe clean.
let reached = ""; // the last step a walk reached: named when a wait times out
let seen = null; // what the page said when a wait timed out: the message line, the guide's status, failed calls
async function atStep(page, n, title) {
  reached = `step ${n} (${title})`;
  await page.waitForFunction((t) => document.querySelector("#guide-h")?.textContent === t, title);
  assert.equal(await page.textContent("#guide-step"), `Step ${n} of 5`);
  assert.equal(await page.evaluate(() => document.activeElement?.id), "guide-h", `focus on step ${n}'s heading`);
  const w = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: innerWidth }));
  assert.ok(w.page <= w.view, `step ${n}: page is ${w.page} px wide on a ${w.view} px screen`);
  assert.deepEqual(await axe(page), [], `step ${n}`);
}
const nextEnabled = (page) => page.waitForFunction(() => !document.querySelector("#guide-next").disabled);

async function walk({ shop, width, height, scheme, label, refuseFirstSave = false }) {
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  await page.setViewportSize({ width, height });
  await page.emulateMedia({ colorScheme: scheme });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // The page's calls, last ones first when a wait times out: which answered what, which never came back.
  const calls = new Map();
  const said = (r) => `${r.method()} ${new URL(r.url()).pathname}${new URL(r.url()).search}`;
  page.on("request", (r) => { if (new URL(r.url()).pathname.startsWith("/api/")) calls.set(r, "pending"); });
  page.on("requestfailed", (r) => calls.has(r) && calls.set(r, `failed: ${r.failure()?.errorText}`));
  page.on("requestfinished", async (r) => calls.has(r) && calls.set(r, (await r.response())?.status()));
  seen = async () => JSON.stringify({
    msg: await page.textContent("#msg").catch(() => null), status: await page.textContent("#guide-status").catch(() => null),
    save: await page.evaluate(() => document.querySelector("#setup-save")?.disabled).catch(() => null),
    calls: [...calls].slice(-8).map(([r, outcome]) => `${said(r)} → ${outcome}`), errors,
  });
  await page.goto(`${base}/admin`);
  await page.fill("#key", API_KEY);
  await page.fill("#shop", shop);
  await page.click("#load");

  await atStep(page, 1, "Connect your books");
  assert.equal(await page.isDisabled("#guide-next"), true, "not connected: no next step");
  assert.equal(await page.isDisabled("#guide-back"), true);
  await page.evaluate(() => { window.beforeConsent = true; });
  await page.click(`#guide button:has-text("Connect QuickBooks Online")`);
  await page.waitForFunction(() => !window.beforeConsent && location.pathname === "/admin" && !location.search); // a new document, back from the provider
  // Back from the consent page: the guide resumes at the step it was at, now done.
  await atStep(page, 1, "Connect your books");
  await page.waitForFunction(() => document.querySelector("#guide li[data-provider=qbo]")?.dataset.connected === "yes");
  await nextEnabled(page);
  await page.click("#guide-next");

  await atStep(page, 2, "Import your chart of accounts");
  assert.equal(await page.inputValue("#guide #setup-provider"), "qbo", "the connected books are chosen");
  await page.click("#guide #setup-import");
  await page.waitForFunction(() => /accounts imported/.test(document.querySelector("#guide-status").textContent));
  assert.match(await page.textContent("#guide-status"), /^\d+ accounts imported\.$/);
  await atStep(page, 2, "Import your chart of accounts");
  await page.click("#guide-next");

  await atStep(page, 3, "Map each role to one of your accounts");
  const sales = await page.evaluateHandle(() => [...document.querySelectorAll("#guide #setup-roles select")].find((s) => s.dataset.path === "accounts.sales"));
  assert.ok(await sales.evaluate((s) => !!s), "the role pickers are in the step");
  await sales.selectOption("79");
  await page.waitForFunction(() => document.querySelector("#guide [data-side=after] ledger-preview")?.shadowRoot?.textContent.includes("Income:Sales-Of-Product-Income"));
  assert.deepEqual(await axe(page), [], "step 3 with the preview");
  await page.click("#guide-next");

  await atStep(page, 4, "Save the mapping");
  assert.equal(await page.isDisabled("#guide-next"), true, "nothing saved yet");
  if (refuseFirstSave) await refusedSave(page, shop);
  await page.click("#guide #setup-save");
  await page.waitForFunction(() => document.querySelector("#guide-status")?.textContent === "Saved as version 1.");
  assert.equal((await rows(mf, "SELECT version FROM shop_configs WHERE shop = ?", shop))[0].version, 1);
  await atStep(page, 4, "Save the mapping");
  await page.click("#guide-next");

  await atStep(page, 5, "Try it on the last 30 days");
  await page.waitForFunction(() => /^Dry run done/.test(document.querySelector("#guide-status").textContent));
  // The fulfilled version of the booked order is mapped with the saved version 1 (another sales
  // account), as the consumer would book it: its entry changes. The lost order is new. Nothing
  // is written.
  assert.equal(await page.textContent("#guide-status"), "Dry run done: 1 new, 1 changed, 0 unchanged. Nothing was written.");
  assert.equal(await page.getAttribute("#guide-dry", "data-kind"), "backfill");
  const call = admin.state.calls.find((c) => c.path.endsWith("/orders.json") && c.query.created_at_min);
  const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
  assert.equal(call.query.created_at_min, `${from}T00:00:00Z`, "the window starts 30 days back, today included");
  assert.equal((await rows(mf, "SELECT count(*) AS n FROM entries WHERE shop = ?", shop))[0].n, 1, "a dry run writes nothing");
  await page.screenshot({ path: path.join(os.tmpdir(), `ledgerbridge-guided-${label}.png`), fullPage: true });
  await page.locator("#guide").screenshot({ path: path.join(os.tmpdir(), `ledgerbridge-guided-step5-${label}.png`) });

  // Finishing puts the borrowed controls back in the mapping view and closes the guide.
  await page.click("#guide-next");
  assert.equal(await page.isHidden("#guide"), true);
  for (const id of ["setup-form", "setup-roles", "setup-preview", "setup-save"]) {
    assert.ok(await page.evaluate((x) => !!document.querySelector(`#setup #${x}`), id), `${id} back in the mapping view`);
  }
  // A shop with a saved version does not start the guide again; the button does.
  await page.reload();
  await page.fill("#shop", shop);
  await page.click("#load");
  await page.waitForSelector("#setup-guide");
  assert.equal(await page.isHidden("#guide"), true);
  await page.click("#setup-guide");
  await atStep(page, 1, "Connect your books");
  await page.click("#guide .leave");
  assert.equal(await page.isHidden("#guide"), true);
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), scheme === "dark" ? "rgb(13, 17, 23)" : "rgb(255, 255, 255)");
  assert.deepEqual(errors, []);
  await page.close();
}

// A save refused at step 4: the guide says "Saving…" with the save button disabled while the PUT
// is on its way (held here until then), then "Not saved: …" with the button enabled again, and
// nothing is stored. The PUT is refused as a busy worker would refuse it; the next goes through.
async function refusedSave(page, shop) {
  let release;
  const held = new Promise((r) => { release = r; });
  let refused = false;
  await page.route("**/api/config?*", async (route) => {
    if (route.request().method() !== "PUT" || refused) return route.continue();
    refused = true;
    await held;
    return route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "E_BUSY", message: "the ledger is busy" } }) });
  });
  await page.click("#guide #setup-save");
  await page.waitForFunction(() => document.querySelector("#guide-status")?.textContent === "Saving…");
  assert.equal(await page.isDisabled("#guide #setup-save"), true, "one click, one version: no second save while one is on its way");
  release();
  await page.waitForFunction(() => /^Not saved/.test(document.querySelector("#guide-status")?.textContent));
  assert.equal(await page.textContent("#guide-status"), "Not saved: the ledger is busy [E_BUSY]");
  assert.equal(await page.isDisabled("#guide #setup-save"), false, "the save can be tried again");
  assert.equal(await page.isDisabled("#guide-next"), true, "nothing saved: no next step");
  assert.equal((await rows(mf, "SELECT count(*) AS n FROM shop_configs WHERE shop = ?", shop))[0].n, 0);
  assert.deepEqual(await axe(page), [], "step 4 with the refusal");
}

const walkNaming = (variant) => walk(variant).catch(async (e) => {
  e.message = `${e.message}\n(after reaching ${reached}; the page: ${await seen?.().catch(() => "gone")})`;
  throw e;
});
test("a shop with no saved mapping is walked through the five steps, ending with the last 30 days' dry run (390 px, dark)", () =>
  walkNaming({ shop: SHOP, width: 390, height: 844, scheme: "dark", label: "phone", refuseFirstSave: true }));
test("the same walk on a 1280 px desktop in light mode", () =>
  walkNaming({ shop: DESK, width: 1280, height: 900, scheme: "light", label: "desktop" }));


test("a shop whose platform has no pull gets the preview of its recent orders at step 5", async () => {
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  await page.goto(`${base}/admin`);
  await page.evaluate((s) => sessionStorage.setItem("lb-guide", JSON.stringify({ shop: s, step: 4 })), NO_PULL);
  await page.fill("#key", API_KEY);
  await page.fill("#shop", NO_PULL);
  await page.click("#load");
  await atStep(page, 5, "Try it on the last 30 days");
  await page.waitForFunction(() => /^Preview of/.test(document.querySelector("#guide-status").textContent));
  assert.equal(await page.textContent("#guide-status"), "Preview of 1 recent orders shown. Nothing was written.");
  assert.equal(await page.getAttribute("#guide-dry", "data-kind"), "preview");
  await page.waitForFunction(() => document.querySelector("#guide-dry ledger-preview")?.shadowRoot?.textContent.includes("Income:Sales"));
  assert.deepEqual(await axe(page), []);
});
