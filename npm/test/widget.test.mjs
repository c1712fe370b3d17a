// <ledger-preview> in Debian's Chromium (playwright-core): the demo page renders a fixture's
// entries, totals and profit as in its hand-worked expected.json, the why toggle, the src + token
// path, which wasm local mapping downloads (the platform's lean module; the full one only for a
// TOML config), dark mode and the error state; saves npm/docs/widget.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { start } from "../demo/serve.mjs";
import * as full from "../src/entrypoints/node.js";
import { FIXTURES, NPM } from "./helpers.mjs";

const CASE = "shopify/partial-refund-restock";
const expected = JSON.parse(readFileSync(join(FIXTURES, CASE, "expected.json"), "utf8"));
// Σ debits of each entry, worked by hand in tests/fixtures/README.md (partial-refund-restock).
const TOTALS = ["$153.30", "$80.90"];
const usd = (amount) => (/^0+(\.0+)?$/.test(amount) ? "" : `$${amount}`); // all amounts < 1 000 here

let server, context, page, profileDir, base;
const errors = [];

before(async () => {
  server = await start(0);
  base = `http://127.0.0.1:${server.address().port}`;
  profileDir = mkdtempSync(join(tmpdir(), "ledgerbridge-chromium-"));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    locale: "en-US",
    viewport: { width: 760, height: 600 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  page = await context.newPage();
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
});

after(async () => {
  await context?.close();
  server?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

const rowsOf = (table) =>
  table.locator("tbody tr.line").evaluateAll((rows) =>
    rows.map((r) => [...r.querySelectorAll("th, td")].slice(0, 3).map((c) => c.textContent.trim())));

test("renders each entry as a table matching the fixture, with totals and a balanced mark", async () => {
  await page.goto(`${base}/?fixture=${CASE}`);
  const tables = page.locator("#preview table.entry");
  await tables.nth(expected.entries.length - 1).waitFor();
  assert.equal(await tables.count(), expected.entries.length);
  for (const [i, entry] of expected.entries.entries()) {
    const table = tables.nth(i);
    assert.equal(await table.getAttribute("data-entry-id"), entry.id);
    const want = entry.lines.map((l) => [l.account, usd(l.debit), usd(l.credit)]);
    assert.deepEqual((await rowsOf(table)).sort(), want.sort(), entry.id);
    assert.deepEqual(
      await table.locator("tfoot tr.totals").evaluate((r) => [...r.children].map((c) => c.textContent.trim())),
      ["Total", TOTALS[i], TOTALS[i], "✓ Balanced"],
    );
    assert.equal(await table.locator("thead th[scope=col]").count(), 4);
    assert.equal(await table.locator("tbody th[scope=row]").count(), entry.lines.length);
    assert.match(await table.locator("caption").textContent(), new RegExp(entry.date));
  }
  const profit = page.locator("#preview dl.profit");
  for (const key of ["revenue", "discounts", "refunds", "fees", "cogs", "margin"]) {
    assert.equal(await profit.locator(`[data-field=${key}] dd`).textContent(), `$${expected.profit[key]}`, key);
  }
  assert.deepEqual(errors, []);
});

test("each line's why opens on demand", async () => {
  const toggle = page.locator("#preview .why-toggle").first();
  const why = page.locator(`#preview #${await toggle.getAttribute("aria-controls")}`);
  assert.equal(await toggle.getAttribute("aria-expanded"), "false");
  assert.equal(await why.isVisible(), false);
  await toggle.click();
  assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  assert.equal(await why.isVisible(), true);
  assert.ok((await why.textContent()).length > 5);
});

test("src + token fetch the preview from an endpoint; a bad token shows the error", async () => {
  const remote = page.locator("#remote");
  await remote.locator("table.entry").nth(1).waitFor();
  assert.equal(await remote.locator("table.entry").count(), 2);
  await page.evaluate(() => { document.getElementById("remote").token = "wrong"; });
  await remote.locator(".error").waitFor();
  assert.equal(await remote.locator(".error .code").textContent(), "E_AUTH");
  assert.equal(await remote.getAttribute("aria-invalid"), "true");
  // Chromium logs the refused request itself; that one console error is expected.
  assert.deepEqual(errors.splice(0), ["Failed to load resource: the server responded with a status of 401 (Unauthorized)"]);
});

test("entries that arrive with their totals render without the wasm; without them the core is loaded", async () => {
  const bare = await context.newPage();
  const wasm = [];
  bare.on("request", (r) => r.url().endsWith(".wasm") && wasm.push(r.url()));
  await bare.goto(`${base}/npm/README.md`); // any same-origin document without a widget of its own
  const footers = () => bare.locator("ledger-preview table.entry tfoot tr.totals").evaluateAll((rows) =>
    rows.map((r) => [...r.children].map((c) => c.textContent.trim()).slice(1)));
  await bare.evaluate(async () => {
    await import("/npm/src/widget/ledger-preview.js");
    const w = document.createElement("ledger-preview");
    w.setAttribute("src", "/api/preview/shopify/partial-refund-restock");
    w.setAttribute("token", "demo-token");
    w.setAttribute("locale", "en-US");
    document.body.append(w);
  });
  await bare.locator("ledger-preview table.entry").nth(1).waitFor();
  assert.deepEqual(await footers(), TOTALS.map((t) => [t, t, "✓ Balanced"]));
  assert.deepEqual(wasm, [], "src with totals: no .wasm requested");

  await bare.evaluate(async () => {
    const w = document.querySelector("ledger-preview");
    const mapped = await (await fetch("/api/preview/shopify/partial-refund-restock", { headers: { authorization: "Bearer demo-token" } })).json();
    delete mapped.totals;
    w.removeAttribute("src");
    w.mapped = mapped;
  });
  await bare.waitForFunction(() => performance.getEntriesByType("resource").some((e) => e.name.endsWith(".wasm")));
  await bare.locator("ledger-preview table.entry").nth(1).waitFor();
  assert.deepEqual(await footers(), TOTALS.map((t) => [t, t, "✓ Balanced"]));
  assert.equal(wasm.length, 1, "no totals given: the core computes them");
  await bare.close();
});

/**
 * A fresh page with one widget mapping `fixture` in the browser with `config`; resolves to the
 * .wasm files the page fetched, the widget's table rows and the lean module's own `mapEventJson`
 * of the same input (the glue instance the widget initialised, by its URL).
 */
async function mapLocally(fixture, config) {
  const [platform] = fixture.split("/");
  const fresh = await context.newPage();
  fresh.on("pageerror", (e) => errors.push(String(e)));
  fresh.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  try {
    await fresh.goto(`${base}/npm/README.md`); // same origin, no widget of its own
    const input = readFileSync(join(FIXTURES, fixture, "input.json"), "utf8");
    return await fresh.evaluate(async ({ platform, input, config }) => {
      await import("/npm/src/widget/ledger-preview.js");
      const w = document.createElement("ledger-preview");
      const rendered = new Promise((resolve, reject) => {
        w.addEventListener("ledger-preview:render", resolve);
        w.addEventListener("ledger-preview:error", (e) => reject(e.detail));
      });
      Object.assign(w, { platform, payload: input, config });
      document.body.append(w);
      await rendered;
      const wasm = performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname).filter((p) => p.endsWith(".wasm"));
      const rows = [...w.shadowRoot.querySelectorAll("table.entry")].map((t) => [...t.querySelectorAll("tbody tr.line")]
        .map((r) => [...r.querySelectorAll("th, td")].slice(0, 3).map((c) => c.textContent.trim())));
      const module = wasm[0]?.replace(/_bg\.wasm$/, ".js");
      const json = typeof config === "string" && !config.trimStart().startsWith("{") ? undefined : config;
      const text = module ? (await import(module)).mapEventJson(platform, input, json) : null;
      return { wasm, rows, text };
    }, { platform, input, config });
  } finally {
    await fresh.close();
  }
}

const configOf = (fixture) => readFileSync(join(FIXTURES, fixture, "config.toml"), "utf8");
const rowsWanted = (fixture) => JSON.parse(readFileSync(join(FIXTURES, fixture, "expected.json"), "utf8"))
  .entries.map((e) => e.lines.map((l) => [l.account, usd(l.debit), usd(l.credit)]).sort());

test("local mapping with a JSON config fetches only the platform's lean module and maps as the full one", async () => {
  for (const fixture of [CASE, "woocommerce/coupon-shipping-tax"]) {
    const [platform] = fixture.split("/");
    const toml = configOf(fixture);
    const json = JSON.stringify(full.validateConfig(toml));
    const { wasm, rows, text } = await mapLocally(fixture, json);
    assert.deepEqual(wasm, [`/npm/dist/widget/${platform}/ledgerbridge_wasm_bg.wasm`], fixture);
    assert.equal(text, full.mapEventJson(platform, readFileSync(join(FIXTURES, fixture, "input.json"), "utf8"), toml), fixture);
    if (platform === "shopify") assert.deepEqual(rows.map((r) => r.sort()), rowsWanted(fixture)); // amounts in $ only
  }
  assert.deepEqual(errors, []);
});

test("a TOML config maps too: the widget loads the full module for it, not the lean one", async () => {
  const { wasm, rows } = await mapLocally(CASE, configOf(CASE));
  assert.deepEqual(wasm, ["/npm/dist/ledgerbridge_wasm_bg.wasm"]);
  assert.deepEqual(rows.map((r) => r.sort()), rowsWanted(CASE));
  assert.deepEqual(errors, []);
});

test("text the lean module refuses as TOML goes on to the full module, whose answer is shown", async () => {
  // A byte-order mark is whitespace to JS's trimStart but not to the core, which reads the text as
  // TOML: the lean module refuses it, and the full module's own error is what the widget shows.
  const config = `\uFEFF${JSON.stringify(full.validateConfig(configOf(CASE)))}`;
  const input = readFileSync(join(FIXTURES, CASE, "input.json"), "utf8");
  let want;
  try { full.mapEventJson("shopify", input, config); } catch (e) { want = e; }
  assert.ok(want?.code, "the full module refuses it too");
  const fresh = await context.newPage();
  try {
    await fresh.goto(`${base}/npm/README.md`);
    const got = await fresh.evaluate(async ({ input, config }) => {
      await import("/npm/src/widget/ledger-preview.js");
      const w = document.createElement("ledger-preview");
      const failed = new Promise((resolve) => w.addEventListener("ledger-preview:error", (e) => resolve(e.detail)));
      Object.assign(w, { platform: "shopify", payload: input, config });
      document.body.append(w);
      const error = await failed;
      const wasm = performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname).filter((p) => p.endsWith(".wasm"));
      return { code: error.code, path: error.path, message: error.message, wasm };
    }, { input, config });
    assert.deepEqual(got.wasm, ["/npm/dist/widget/shopify/ledgerbridge_wasm_bg.wasm", "/npm/dist/ledgerbridge_wasm_bg.wasm"]);
    assert.deepEqual([got.code, got.path, got.message], [want.code, want.path, want.message]);
  } finally {
    await fresh.close();
  }
});

test("a bad payload shows an alert with the error code and JSON path; fixing it re-renders", async () => {
  const preview = page.locator("#preview");
  await page.evaluate(() => {
    document.getElementById("preview").payload =
      '{"id": 1, "currency": "USD", "line_items": [{"id": 1, "quantity": 1, "price": "12.3.4"}]}';
  });
  const alert = preview.locator("[role=alert]");
  await alert.waitFor();
  assert.equal(await alert.locator(".code").textContent(), "E_INVALID_AMOUNT");
  assert.equal(await alert.locator(".path").textContent(), "line_items[0].price");
  assert.equal(await preview.locator("table").count(), 0);
  await page.evaluate(() => { document.getElementById("controls").requestSubmit(); });
  await preview.locator("table.entry").first().waitFor();
  assert.equal(await preview.locator("[role=alert]").count(), 0);
});

test("a refused part is shown as an alert with its code, path and source; the sale still renders", async () => {
  await page.goto(`${base}/?fixture=shopify/docs-example-bad-refund`);
  const preview = page.locator("#preview");
  const rejected = preview.locator(".rejected li");
  await rejected.first().waitFor();
  assert.equal(await preview.locator("table.entry").count(), 1);
  assert.equal(await rejected.count(), 1);
  assert.equal(await rejected.getAttribute("data-code"), "E_UNBALANCED_SOURCE");
  assert.equal(await rejected.locator(".code").textContent(), "E_UNBALANCED_SOURCE");
  assert.equal(await rejected.locator(".path").textContent(), "refunds[0]");
  assert.match(await rejected.textContent(), /refund 509562969/);
  assert.match(await rejected.textContent(), /399\.29/);
  assert.equal(await preview.locator("[role=alert]").count(), 1);
  assert.deepEqual(errors, []);
});

test("light and dark themes come from prefers-color-scheme", async () => {
  const bg = () => page.locator("#preview").evaluate((el) => getComputedStyle(el).backgroundColor);
  await page.emulateMedia({ colorScheme: "light" });
  const light = await bg();
  await page.emulateMedia({ colorScheme: "dark" });
  const dark = await bg();
  await page.emulateMedia({ colorScheme: "light" });
  assert.equal(light, "rgb(255, 255, 255)");
  assert.notEqual(dark, light);
});

test("screenshot for the README", async () => {
  await page.goto(`${base}/?fixture=shopify/tip`);
  const preview = page.locator("#preview");
  await preview.locator("table.entry").first().waitFor();
  await preview.locator(".why-toggle").nth(3).click();
  const path = join(NPM, "docs", "widget.png");
  await preview.screenshot({ path });
  assert.ok(statSync(path).size < 150_000);
  assert.deepEqual(errors, []);
});
