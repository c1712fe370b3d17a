// The mapping setup view of /admin in Chromium (issue #12 items 2 and 3): connect QuickBooks Online
// (the OAuth flow against the stand-in), import its chart, map a role to one of the merchant's own
// accounts, see the recent orders' entries change before anything is saved, save a version and
// see it listed; a config the core refuses is shown at its role and not saved; a missing account
// is created from a role's picker ("Create account…", a taken name refused at its field); past
// orders are re-mapped with the saved version (preview, confirm, once). On a 390 px phone
// in dark mode and a 1280 px desktop in light mode, with axe-core finding no serious or critical
// violation in each state.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import os from "node:os";
import path from "node:path";
import { startQbo } from "./standins/qbo.mjs";
import { API_KEY, fixture, idle, rows, sendShopify, startWorker, waitFor } from "./helpers.mjs";
import { launchChromium, axeViolations } from "./browser.mjs";

const SHOP = "mapped.myshopify.com";
let mf, base, qbo, browser, context;

before(async () => {
  qbo = await startQbo({ realm: "4620816365", clientId: "qbo-id", clientSecret: "qbo-secret", refreshToken: "never-issued" });
  mf = await startWorker({
    shops: { [SHOP]: { qbo: { base_url: qbo.url, token_url: qbo.tokenUrl, authorize_url: qbo.authorizeUrl, revoke_url: qbo.revokeUrl } } },
    vars: { QBO_CLIENT_ID: "qbo-id", QBO_CLIENT_SECRET: "qbo-secret" },
    options: { host: "127.0.0.1", port: 0 },
  });
  base = (await mf.ready).href.replace(/\/$/, "");
  qbo.codes.redirectUris = [`${base}/oauth/callback/qbo`];
  for (const [i, name] of ["simple", "discount-shipping-tax", "simple"].entries()) {
    const order = { ...JSON.parse(fixture(name)), id: 7400000000001 + i };
    assert.equal((await sendShopify(mf, order, { shop: SHOP, topic: "orders/paid" })).status, 202);
  }
  await waitFor("mapped", () => idle(mf), 60_000);
  browser = await launchChromium("setup", { colorScheme: "dark" });
  context = browser.context;
});
after(async () => {
  await browser?.close();
  await mf?.dispose(); await qbo?.close();
});

const axe = (page) => axeViolations(page);
const sideText = (page, side) => page.evaluate((s) => document.querySelector(`#setup [data-side=${s}] ledger-preview`)?.shadowRoot?.textContent ?? "", side);
const roleSelect = (page, p) => page.evaluateHandle((x) => [...document.querySelectorAll("#setup-roles select")].find((s) => s.dataset.path === x), p);

async function open(page) {
  page.setDefaultTimeout(60_000);
  await page.goto(`${base}/admin`);
  await page.fill("#key", API_KEY);
  await page.fill("#shop", SHOP);
  await page.click("#load");
  await page.waitForFunction(() => document.querySelector("#setup-now")?.textContent);
}

const entryCount = async () => (await rows(mf, "SELECT count(*) AS n FROM entries WHERE shop = ?", SHOP))[0].n;
const remapText = (page, order, side) => page.evaluate(([o, s]) => document.querySelector(`#remap .order[data-order-id="${o}"] [data-side=${s}] ledger-preview`)?.shadowRoot?.textContent ?? "", [order, side]);

// "Re-map past orders" after a save: preview the range (the changed orders side by side), confirm,
// and a second preview finds nothing left to do.
async function remapStep(page, { orders, was, now, version, label }) {
  await page.waitForSelector("#remap");
  await page.fill("#remap-from", "2026-01-01");
  await page.click("#remap-preview");
  await page.waitForFunction(() => /would be reversed|books differently/.test(document.querySelector("#remap-status").textContent));
  const ids = await page.$$eval("#remap-result .order", (n) => n.map((x) => x.dataset.orderId));
  assert.equal(ids.length, orders, await page.textContent("#remap-status"));
  await page.waitForFunction((o) => document.querySelector(`#remap .order[data-order-id="${o}"] [data-side=after] ledger-preview`)?.shadowRoot?.textContent, ids[0]);
  assert.ok((await remapText(page, ids[0], "before")).includes(was));
  assert.ok((await remapText(page, ids[0], "after")).includes(now));
  assert.ok(!(await remapText(page, ids[0], "before")).includes(now));
  const w = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: innerWidth }));
  assert.ok(w.page <= w.view, `remap preview: page is ${w.page} px wide on a ${w.view} px screen`);
  assert.deepEqual(await axe(page), [], "remap preview");
  // The panel's top: the range, the counts and the first order before and after.
  const clip = await page.evaluate(() => {
    const panel = document.querySelector("#remap").getBoundingClientRect();
    const first = document.querySelector("#remap .order").getBoundingClientRect();
    return { x: panel.x + scrollX, y: panel.y + scrollY, width: panel.width, height: first.bottom - panel.y };
  });
  await page.screenshot({ path: path.join(os.tmpdir(), `ledgerbridge-remap-${label}.png`), fullPage: true, clip });
  const before = await entryCount();
  assert.equal(await page.textContent("#remap-apply"), `Re-map ${orders} order${orders > 1 ? "s" : ""}`);
  await page.click("#remap-apply");
  await page.waitForFunction(() => /^Done|^Nothing left/.test(document.querySelector("#remap-status").textContent));
  assert.match(await page.textContent("#remap-status"), new RegExp(`^Done: ${orders} orders? re-mapped with version ${version}: ${orders} reversals and ${orders} new entries`));
  assert.equal(await entryCount(), before + 2 * orders);
  assert.equal((await rows(mf, "SELECT count(*) AS n FROM entries WHERE shop = ? AND id LIKE ?", SHOP, `%:remap-v${version}`))[0].n, orders);
  assert.deepEqual(await axe(page), [], "remap done");
  await page.click("#remap-preview");
  await page.waitForFunction(() => /books differently/.test(document.querySelector("#remap-status").textContent));
  assert.equal(await page.isDisabled("#remap-apply"), true, "nothing left to re-map");
  assert.equal(await entryCount(), before + 2 * orders);
}

async function importAndPick(page, rolePath, accountId, ledger) {
  await page.selectOption("#setup-provider", "qbo");
  await page.click("#setup-import");
  await page.waitForFunction(() => document.querySelector("#setup-roles select:not([disabled])"));
  const select = await roleSelect(page, rolePath);
  // Only accounts of a class the role allows are offered.
  const offered = await select.evaluate((s) => [...s.options].map((o) => o.value).filter((v) => v && v !== "__create"));
  await select.selectOption(accountId);
  await page.waitForFunction((l) => document.querySelector("#setup [data-side=after] ledger-preview")?.shadowRoot?.textContent.includes(l), ledger);
  return offered;
}

test("on a 390 px phone in dark mode: connect, import, map, create a missing account, see the preview change, save, see the version, re-map past orders; a refusal shows at its role", async () => {
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await open(page);
  assert.match(await page.textContent("#setup-now"), /deployment's mapping/);
  await page.evaluate(() => { window.beforeConsent = true; });
  await page.click(`#connections button:has-text("Connect QuickBooks Online")`);
  // Back from the provider in a new document (waitForURL could match the page before it leaves).
  await page.waitForFunction(() => !window.beforeConsent && location.pathname === "/admin" && !location.search);
  await page.waitForFunction(() => document.querySelector("#connections li[data-provider=qbo]")?.dataset.connected === "yes");
  await page.waitForFunction(() => document.querySelector("#setup-now")?.textContent);

  const offered = await importAndPick(page, "accounts.sales", "79", "Income:Sales-Of-Product-Income");
  assert.deepEqual(offered, ["79", "83", "86"], "income accounts only for sales");
  assert.ok((await sideText(page, "before")).includes("Income:Sales"));
  assert.ok(!(await sideText(page, "before")).includes("Sales-Of-Product-Income"));
  const bankOffered = await (await roleSelect(page, "accounts.bank")).evaluate((s) => [...s.options].map((o) => o.value).filter((v) => v && v !== "__create"));
  assert.deepEqual(bankOffered, ["35", "4", "81", "84", "82"], "assets only for the bank");
  // Gateways and tax titles of the recorded orders have roles too.
  const clearingOffered = await (await roleSelect(page, 'gateways."shopify_payments".clearing')).evaluate((s) => [...s.options].map((o) => o.value).filter((v) => v && v !== "__create"));
  assert.deepEqual(clearingOffered, bankOffered, "no income account for a clearing role");
  assert.ok(await page.evaluate(() => [...document.querySelectorAll("#setup-roles select")].some((s) => s.dataset.path.startsWith("tax."))), "a tax title seen has its role");
  assert.equal(await rows(mf, "SELECT count(*) AS n FROM shop_configs").then((r) => r[0].n), 0, "a preview saves nothing");

  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: innerWidth }));
  assert.ok(widths.page <= widths.view, `page is ${widths.page} px wide on a ${widths.view} px screen`);
  assert.deepEqual(await axe(page), []);

  // A missing account: "Create account…" on the gift-card role offers only liability kinds; a
  // name QBO has already is refused at the name field; a new one is made and picked.
  const gift = await roleSelect(page, "accounts.gift_cards");
  const giftId = await gift.evaluate((s) => s.id);
  await gift.selectOption("__create");
  await page.waitForSelector(`#${giftId}-new-name`);
  assert.equal(await page.evaluate(() => document.activeElement?.id), `${giftId}-new-name`, "focus on the new account's name");
  assert.deepEqual(await page.$$eval(`#${giftId}-new-type option`, (os) => os.map((o) => o.textContent)), ["Other current liability", "Credit card"]);
  const submit = page.locator(`#${giftId}-new-name`).locator("xpath=ancestor::form").locator("button[type=submit]");
  await page.fill(`#${giftId}-new-name`, "Gift Card Liability");
  await submit.click();
  await page.waitForFunction((id) => document.getElementById(`${id}-new-name-err`)?.textContent, giftId);
  assert.equal(await page.textContent(`#${giftId}-new-name-err`), "QuickBooks already has an account with this name");
  assert.equal(await page.getAttribute(`#${giftId}-new-name`, "aria-invalid"), "true");
  assert.deepEqual(await axe(page), [], "create form with a refusal");
  await page.locator(`#${giftId}-new-name`).locator("xpath=ancestor::div[contains(@class,'role')]").screenshot({ path: path.join(os.tmpdir(), "ledgerbridge-create-account-phone.png") });
  await page.fill(`#${giftId}-new-name`, "Gift Cards Web");
  await submit.click();
  await page.waitForFunction(() => [...document.querySelectorAll("#setup-roles select")].find((s) => s.dataset.path === "accounts.gift_cards")?.value === "200");
  assert.equal(qbo.state.chart.created.length, 1);
  assert.equal(await (await roleSelect(page, "accounts.sales")).evaluate((s) => s.value), "79", "other picks survive the new account");
  assert.ok(await (await roleSelect(page, "accounts.disputes")).evaluate((s) => ![...s.options].some((o) => o.value === "200")), "a liability is not offered to an asset role");
  await page.waitForFunction(() => document.querySelector("#setup [data-side=after] ledger-preview")?.shadowRoot?.textContent.includes("Income:Sales-Of-Product-Income"));

  await page.click("#setup-save");
  await page.waitForFunction(() => /Saved as version 1/.test(document.querySelector("#msg").textContent));
  await page.waitForSelector("#setup-versions li[data-version='1']");
  assert.match(await page.textContent("#setup-versions"), /accounts\.sales: Income:Sales → Income:Sales-Of-Product-Income/);
  assert.match(await page.textContent("#setup-now"), /version 1/);
  const saved = JSON.parse((await rows(mf, "SELECT config FROM shop_configs WHERE shop = ?", SHOP))[0].config);
  assert.equal(saved.exports.qbo["Income:Sales-Of-Product-Income"], "79");
  assert.equal(saved.accounts.gift_cards, "Liabilities:Gift-Cards-Web");
  assert.equal(saved.exports.qbo["Liabilities:Gift-Cards-Web"], "200");

  // Saving re-mapped nothing; the three booked orders are re-mapped with version 1 on request.
  assert.equal(await entryCount(), 3);
  await remapStep(page, { orders: 3, was: "Income:Sales", now: "Income:Sales-Of-Product-Income", version: 1, label: "phone" });

  // A config the core refuses: the error is shown at the role its path names, nothing saved.
  await page.click("#setup details summary");
  await page.fill("#setup-text", '[accounts]\nsales = "Sales"');
  await page.click("#setup-save-text");
  const invalid = await roleSelect(page, "accounts.sales");
  await page.waitForFunction((s) => s.getAttribute("aria-invalid") === "true", invalid);
  const message = await invalid.evaluate((s) => document.getElementById(`${s.id}-err`).textContent);
  assert.match(message, /E_CONFIG at accounts\.sales/);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.path), "accounts.sales", "focus moved to the role");
  assert.equal(await rows(mf, "SELECT count(*) AS n FROM shop_configs").then((r) => r[0].n), 1);
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: path.join(os.tmpdir(), "ledgerbridge-setup-phone.png"), fullPage: true });
  await page.locator("section[aria-labelledby=h-setup]").screenshot({ path: path.join(os.tmpdir(), "ledgerbridge-mapping-phone.png") });
});

test("on a 1280 px desktop in light mode: map shipping, preview, save version 2, re-map the order it changes", async () => {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: "light" });
  await open(page);
  await page.waitForFunction(() => /version 1/.test(document.querySelector("#setup-now").textContent));
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), "rgb(255, 255, 255)");
  await importAndPick(page, "accounts.shipping", "83", "Income:Shipping-Income");
  assert.ok((await sideText(page, "before")).includes("Income:Sales-Of-Product-Income"), "before is version 1");
  assert.deepEqual(await axe(page), []);
  await page.click("#setup-save");
  await page.waitForSelector("#setup-versions li[data-version='2']");
  assert.deepEqual(await axe(page), []);
  // Only the order with shipping books differently with version 2.
  await remapStep(page, { orders: 1, was: "Income:Shipping", now: "Income:Shipping-Income", version: 2, label: "desktop" });
  await page.screenshot({ path: path.join(os.tmpdir(), "ledgerbridge-setup-desktop.png"), fullPage: true });
  await page.locator("section[aria-labelledby=h-setup]").screenshot({ path: path.join(os.tmpdir(), "ledgerbridge-mapping-desktop.png") });
});
