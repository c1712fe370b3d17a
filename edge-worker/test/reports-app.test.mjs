// The admin page's reports (issue #13) in Debian's headless Chromium against the worker on
// workerd: each chart is an SVG with role="img", a title and a desc; the table beside it shows
// exactly what GET /api/reports answered (read from the tables' <data value>, compared with the
// API's own JSON); the page fits 390 px in dark mode and 1280 px in light mode, passes axe-core,
// and leaves its screenshots in the temp dir (ledgerbridge-reports-*.png; docs/ holds copies).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { API_KEY, fixture, fixtureConfig, idle, sendShopify, startWorker, waitFor } from "./helpers.mjs";
import { launchChromium, axeViolations } from "./browser.mjs";

const SHOP = "demo.myshopify.com";
const RANGE = { shop: SHOP, from: "2026-05-01", to: "2026-05-31" };
let mf, base, browser, context;

before(async () => {
  mf = await startWorker({ shops: { [SHOP]: { mapping_toml: fixtureConfig("discount-shipping-tax", SHOP) } }, options: { host: "127.0.0.1", port: 0 } });
  base = (await mf.ready).href.replace(/\/$/, "");
  for (const c of ["discount-shipping-tax", "two-gateways", "gift-card-bought", "gift-card-redeemed"]) {
    assert.equal((await sendShopify(mf, fixture(c), { shop: SHOP, topic: "orders/paid" })).status, 202, c);
  }
  await waitFor("mapped", () => idle(mf), 60_000);
  browser = await launchChromium("reports-app", { colorScheme: "dark" });
  context = browser.context;
});
after(async () => {
  await browser?.close();
  await mf?.dispose();
});

async function apiReport(kind, by) {
  const res = await mf.dispatchFetch(`http://localhost/api/reports/${kind}?${new URLSearchParams({ ...RANGE, ...(by ? { by } : {}) })}`, { headers: { "x-api-key": API_KEY } });
  assert.equal(res.status, 200, kind);
  return res.json();
}

/** What each table must show, straight from the API's JSON: the amounts of its <data> cells. */
async function expectedTables(by) {
  const [profit, tax, clearing, gift] = await Promise.all([apiReport("profit", by), apiReport("tax"), apiReport("clearing", by), apiReport("giftcards", by)]);
  return {
    profit: profit.rows.map((r) => [r.revenue.amount, r.margin.amount]),
    tax: tax.periods.flatMap((p) => p.accounts.map((a) => [a.taxable_sales.amount, a.tax_collected.amount, a.tax_refunded.amount, a.net_tax.amount])),
    clearing: clearing.accounts.map((a) => [a.closing]),
    giftcards: gift.periods.map((p) => [p.opening, p.sold.amount, p.redeemed.amount, p.closing]),
  };
}

async function openReports(page, by) {
  await page.goto(`${base}/admin`);
  await page.fill("#key", API_KEY);
  await page.fill("#shop", SHOP);
  await page.fill("#r-from", RANGE.from);
  await page.fill("#r-to", RANGE.to);
  await page.selectOption("#r-by", by);
  await page.click("#load");
  await page.waitForFunction(() => document.querySelectorAll("#reports figure.report").length === 4);
}

async function check(page, by) {
  const shown = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll("#reports figure.report")].map((f) => [f.dataset.report,
    [...f.querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("data")].map((d) => d.value))])));
  assert.deepEqual(shown, await expectedTables(by));
  // Hand-worked from the fixtures: the taxed order's two jurisdictions, and the gift card sold
  // (50.00) then partly spent (see tests/fixtures/reports/README.md).
  assert.ok(shown.tax.some((r) => r[1] === "3.30") && shown.tax.some((r) => r[1] === "4.01"), JSON.stringify(shown.tax));
  const gift = shown.giftcards.reduce((t, r) => [t[0] + Number(r[1]), t[1] + Number(r[2])], [0, 0]);
  assert.deepEqual(gift, [50, 25], "50.00 sold, 25.00 redeemed");
  assert.equal(shown.giftcards.at(-1)[3], "25.00");
  const charts = await page.evaluate(() => [...document.querySelectorAll("#reports figure.report")].map((f) => {
    const svg = f.querySelector("svg");
    return { kind: f.dataset.report, role: svg?.getAttribute("role"), title: svg?.querySelector("title")?.textContent ?? "",
      desc: svg?.querySelector("desc")?.textContent ?? "", marks: svg?.querySelectorAll("rect, polyline").length ?? 0,
      csv: f.querySelector("a[download]")?.getAttribute("download") ?? "" };
  }));
  for (const c of charts) {
    assert.equal(c.role, "img", c.kind);
    assert.ok(c.title && c.desc, `${c.kind} has a title and a desc`);
    assert.ok(c.marks > 0, `${c.kind} draws something`);
    assert.match(c.csv, new RegExp(`^${c.kind}-2026-05-01-2026-05-31\\.csv$`));
  }
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: innerWidth }));
  assert.ok(widths.page <= widths.view, `page is ${widths.page} px wide on a ${widths.view} px screen`);
}

const axe = (page) => axeViolations(page);

test("390 px, dark: every chart and its table as the API answered, no sideways scroll, axe clean", async () => {
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await openReports(page, "day");
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), "rgb(13, 17, 23)");
  await check(page, "day");
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(errors, []);
  await page.locator("section[aria-labelledby=h-reports]").screenshot({ path: path.join(os.tmpdir(), "ledgerbridge-reports-phone.png") });
});

test("1280 px, light: the same by month, CSV holds the table's amounts, axe clean", async () => {
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: "light" });
  await openReports(page, "month");
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), "rgb(255, 255, 255)");
  await check(page, "month");
  // A real download (the page's CSP keeps its own fetches to 'self', so the blob is read from disk).
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("figure[data-report=tax] a[download]")]);
  const csv = fs.readFileSync(await download.path(), "utf8");
  assert.match(csv, /^Account,Currency,Taxable sales,Tax collected,Tax refunded,Net tax\r\n/);
  assert.match(csv, /Liabilities:SalesTax:NY-State-Tax,USD,82\.40,3\.30,0\.00,3\.30\r\n/);
  assert.deepEqual(await axe(page), []);
  await page.locator("section[aria-labelledby=h-reports]").screenshot({ path: path.join(os.tmpdir(), "ledgerbridge-reports-desktop.png") });
});
