// The worker's /admin page in headless Chromium (Debian's, driven by playwright-core): the page
// loads the <ledger-preview> widget from the worker's static assets, shows the ledger and a
// preview of a stored order through the API in it, and the rows it renders are the fixture's
// hand-worked entries.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { API_KEY, FIXTURES, fixture, fixtureConfig, idle, sendShopify, startWorker, waitFor } from "./helpers.mjs";
import { launchChromium } from "./browser.mjs";

const SHOP = "demo.myshopify.com";
const CASE = "partial-refund-restock";
const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, CASE, "expected.json"), "utf8"));
let mf, base, browser, context;

before(async () => {
  mf = await startWorker({ shops: { [SHOP]: { mapping_toml: fixtureConfig(CASE, SHOP) } }, options: { host: "127.0.0.1", port: 0 } });
  base = (await mf.ready).href.replace(/\/$/, "");
  assert.equal((await sendShopify(mf, fixture(CASE), { shop: SHOP, topic: "orders/updated" })).status, 202);
  await waitFor("mapped", () => idle(mf));
  browser = await launchChromium("admin-chromium", { viewport: { width: 900, height: 900 } });
  context = browser.context;
});
after(async () => {
  await browser?.close();
  await mf?.dispose();
});

test("/admin previews a stored order with the widget: the fixture's accounts and amounts, balanced", async () => {
  const page = await context.newPage();
  page.setDefaultTimeout(60_000); // the first start of Chromium and the wasm compile can be slow on a busy CI machine
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // The page runs under its Content-Security-Policy (issue #15 item 9): nothing it needs, the
  // page's modules, the widget's shadow styles, its wasm, its API calls, may be refused.
  const refused = [];
  page.on("console", (m) => { if (/Content[- ]Security[- ]Policy/i.test(m.text())) refused.push(m.text()); });
  await page.exposeFunction("reportCspViolation", (v) => refused.push(v));
  await page.addInitScript(() => document.addEventListener("securitypolicyviolation",
    (e) => window.reportCspViolation(`${e.violatedDirective} ${e.blockedURI}`)));
  const response = await page.goto(`${base}/admin`);
  assert.match(response.headers()["content-security-policy"] ?? "", /frame-ancestors https:\/\/admin\.shopify\.com/);
  await page.fill("#key", API_KEY);
  await page.click("#load");
  await page.waitForFunction(() => document.querySelector("#status dl"));
  // The ledger is the same widget (one entry table, one zero-amount rule), not a table of the page's.
  await page.waitForFunction(() => document.querySelector("#entries ledger-preview")?.shadowRoot?.querySelector("table.entry"));
  const ledger = await page.evaluate(() => ({
    own: document.querySelectorAll("#entries table").length,
    ids: [...document.querySelector("#entries ledger-preview").shadowRoot.querySelectorAll("table.entry")].map((t) => t.dataset.entryId),
  }));
  assert.equal(ledger.own, 0);
  assert.deepEqual(ledger.ids, expected.entries.map((e) => e.id.replace(":default:", `:${SHOP}:`)));
  await page.click("details summary"); // preview by platform id, for support: folded away by default
  await page.fill("#order", String(JSON.parse(fixture(CASE)).id));
  await page.click("#show");
  const preview = page.locator("#preview ledger-preview");
  await preview.waitFor();
  // The widget renders into its shadow root: one table per entry, rows of account / debit / credit.
  await page.waitForFunction(() => document.querySelector("#preview ledger-preview")?.shadowRoot?.querySelector("table.entry tbody tr.line"));
  const tables = await page.evaluate(() => [...document.querySelector("#preview ledger-preview").shadowRoot.querySelectorAll("table.entry")]
    .map((t) => ({ id: t.dataset.entryId, accounts: [...t.querySelectorAll("tbody tr.line > th")].map((th) => th.textContent.trim()),
      balanced: t.querySelector("tfoot .balanced")?.textContent.trim() })));
  assert.deepEqual(tables.map((t) => t.id), expected.entries.map((e) => e.id.replace(":default:", `:${SHOP}:`)));
  tables.forEach((t, i) => {
    // The fixture lists lines in its own order; the set of postings is what must match.
    assert.deepEqual([...t.accounts].sort(), expected.entries[i].lines.map((l) => l.account).sort());
    assert.equal(t.balanced, "✓ Balanced");
  });
  assert.deepEqual(errors, []);
  assert.deepEqual(refused, [], "no CSP violation");
  await page.screenshot({ path: path.join(os.tmpdir(), "ledgerbridge-admin.png"), fullPage: true });
});
