// The merchant's view of /admin (issue #12, "Browse and fix"): an order list found by the number
// the merchant knows (not the platform id), filtered by state, a page at a time; a "needs
// attention" list naming the core's code and JSON path with a replay button; status counts that
// agree with the list; and a page that fits a 390 px phone, follows dark mode and passes axe-core,
// in Debian's headless Chromium against the worker on workerd.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import os from "node:os";
import path from "node:path";
import { API_KEY, fixture, idle, sendShopify, startWorker, waitFor } from "./helpers.mjs";
import { launchChromium, axeViolations } from "./browser.mjs";

const SHOP = "demo.myshopify.com";
const MANY = 55; // more than one page of 50
const auth = { authorization: `Bearer ${API_KEY}` };
let mf, base, browser, context;

const simple = JSON.parse(fixture("simple"));
const numbered = (i) => ({ ...simple, id: 7_000_000_000_000 + i, name: `#${2000 + i}`, order_number: 2000 + i,
  admin_graphql_api_id: `gid://shopify/Order/${7_000_000_000_000 + i}` });
const bad = JSON.parse(fixture("docs-example-bad-refund"));
const lonelyRefund = JSON.parse(fixture("refund-webhook")); // its order never arrives

async function get(p) {
  const res = await mf.dispatchFetch(`http://localhost${p}`, { headers: auth });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

before(async () => {
  mf = await startWorker({ shops: { [SHOP]: {} }, options: { host: "127.0.0.1", port: 0 } });
  base = (await mf.ready).href.replace(/\/$/, "");
  for (let i = 0; i < MANY; i++) assert.equal((await sendShopify(mf, numbered(i), { shop: SHOP, topic: "orders/paid" })).status, 202);
  assert.equal((await sendShopify(mf, bad, { shop: SHOP, topic: "orders/updated" })).status, 202);
  assert.equal((await sendShopify(mf, lonelyRefund, { shop: SHOP, topic: "refunds/create" })).status, 202);
  await waitFor("mapped", () => idle(mf), 60_000);
  browser = await launchChromium("admin-app", { colorScheme: "dark" });
  context = browser.context;
});
after(async () => {
  await browser?.close();
  await mf?.dispose();
});

test("orders: pages of 50 without gaps or repeats, counts per state agree with the list and with /api/status", async () => {
  const first = await get(`/api/orders?limit=50`);
  assert.equal(first.status, 200);
  assert.equal(first.body.orders.length, 50);
  assert.ok(first.body.next_cursor);
  const second = await get(`/api/orders?limit=50&cursor=${encodeURIComponent(first.body.next_cursor)}`);
  assert.equal(second.body.next_cursor, null);
  const listed = [...first.body.orders, ...second.body.orders].map((o) => o.order_id);
  const expected = [...Array.from({ length: MANY }, (_, i) => String(numbered(i).id)), String(bad.id), String(lonelyRefund.order_id)];
  assert.equal(new Set(listed).size, listed.length, "no order listed twice");
  assert.deepEqual([...listed].sort(), [...expected].sort());

  const counts = first.body.counts;
  assert.deepEqual(counts, { posted: MANY, parked: 1, waiting: 1 });
  for (const [state, n] of Object.entries(counts)) {
    const page = await get(`/api/orders?state=${state}&limit=500`);
    assert.equal(page.body.orders.length, n, state);
    assert.ok(page.body.orders.every((o) => o.state === state));
  }
  const status = await get(`/api/status`);
  assert.deepEqual(status.body.orders, counts);
  assert.equal((await get(`/api/orders?state=bogus`)).body.error.path, "state");
  assert.equal((await get(`/api/orders?cursor=nope`)).body.error.code, "E_BAD_QUERY");
});

test("orders are found by the number the merchant knows, by id, and a LIKE wildcard matches itself only", async () => {
  const byName = await get(`/api/orders?q=${encodeURIComponent("#2003")}`);
  assert.deepEqual(byName.body.orders.map((o) => o.order_id), [String(numbered(3).id)]);
  assert.match(byName.body.orders[0].memo, /#2003/);
  const byId = await get(`/api/orders?q=${numbered(7).id}`);
  assert.deepEqual(byId.body.orders.map((o) => o.order_id), [String(numbered(7).id)]);
  assert.deepEqual((await get(`/api/orders?q=%25`)).body.orders, []);
  assert.deepEqual((await get(`/api/orders?q=_`)).body.orders, []);
});

test("attention lists the parked part with the core's code and path, and the refund waiting for its order", async () => {
  const a = (await get(`/api/attention`)).body;
  const parked = a.events.find((e) => e.status === "parked");
  assert.equal(parked.order_id, String(bad.id));
  assert.deepEqual(parked.problems, [{ code: "E_UNBALANCED_SOURCE", path: "refunds[0]" }]);
  const waiting = a.events.find((e) => e.status === "waiting-for-order");
  assert.equal(waiting.order_id, String(lonelyRefund.order_id));
  assert.deepEqual(a.postings, []);
});

test("the ledger comes a page at a time: pages joined equal the whole ledger", async () => {
  const all = (await get(`/api/entries?format=json`)).body;
  assert.ok(all.length > 20);
  const joined = [];
  let cursor = null;
  for (let guard = 0; guard < 100; guard++) {
    const page = await get(`/api/entries?format=json&limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    assert.ok(page.body.length <= 20);
    joined.push(...page.body);
    cursor = page.headers.get("x-next-cursor");
    if (!cursor) break;
    assert.match(page.headers.get("link"), /rel="next"/);
  }
  assert.deepEqual(joined.map((e) => e.id), all.map((e) => e.id));
  assert.equal((await get(`/api/entries?limit=10&cursor=x`)).body.error.path, "cursor");
});

async function rowsShown(page, n) {
  try {
    await page.waitForFunction((n) => document.querySelectorAll("#orders tbody tr").length === n, n, { timeout: 30_000 });
  } catch (e) {
    const seen = await page.evaluate(() => ({ rows: document.querySelectorAll("#orders tbody tr").length, msg: document.querySelector("#msg").textContent }));
    throw new Error(`expected ${n} order rows, the page shows ${seen.rows} (message: ${JSON.stringify(seen.msg)})`);
  }
}

const axe = (page) => axeViolations(page, { impacts: null });

test("on a 390 px phone in dark mode: find #2003 by its number, open it, nothing wider than the screen, axe finds nothing", async () => {
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // The worker sends each entry's totals (from the core) with the ledger and the preview, so the
  // page shows entries without the 1.2 MB wasm core (npm/bench/admin-bytes.mjs measures the bytes).
  const wasm = [];
  page.on("request", (r) => r.url().endsWith(".wasm") && wasm.push(r.url()));
  await page.goto(`${base}/admin`);
  await page.fill("#key", API_KEY);
  await page.click("#load");
  await rowsShown(page, 50);
  assert.equal(await page.isVisible("#more"), true);
  await page.click("#more");
  await rowsShown(page, MANY + 2);

  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, "rgb(13, 17, 23)", "dark mode followed");
  await page.waitForFunction(() => document.querySelector("#attention code"));
  assert.match(await page.textContent("#attention"), /E_UNBALANCED_SOURCE at refunds\[0\]/);
  assert.match(await page.textContent("#status"), /Orders: needs a fix\s*1/);

  await page.fill("#q", "#2003");
  await page.press("#q", "Enter");
  await rowsShown(page, 1);
  await page.click("#orders tbody tr button");
  await page.waitForFunction(() => document.querySelector("#preview ledger-preview")?.shadowRoot?.querySelector("table.entry tbody tr.line"));
  const ids = await page.evaluate(() => [...document.querySelector("#preview ledger-preview").shadowRoot.querySelectorAll("table.entry")].map((t) => t.dataset.entryId));
  assert.deepEqual(ids, [`shopify:${SHOP}:order:${numbered(3).id}:sale:1777865402`]);

  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: innerWidth }));
  assert.ok(widths.page <= widths.view, `page is ${widths.page} px wide on a ${widths.view} px screen`);
  await page.waitForFunction(() => document.querySelector("#entries ledger-preview")?.shadowRoot?.querySelector("table.entry"));
  const overflow = await page.evaluate(() => [...document.querySelectorAll("ledger-preview")]
    .map((w) => [w.closest("section")?.id ?? w.parentElement.id, w.scrollWidth - w.clientWidth]).filter(([, d]) => d > 0));
  assert.deepEqual(overflow, [], "no widget scrolls sideways");
  assert.deepEqual(await axe(page), []);
  assert.deepEqual(wasm, [], "the ledger and the preview render without downloading the wasm");

  await page.click("#attention button:has-text('Map again')");
  await page.waitForFunction(() => /Replayed/.test(document.querySelector("#msg").textContent));
  assert.deepEqual(errors, []);
  await page.screenshot({ path: path.join(os.tmpdir(), "ledgerbridge-admin-phone.png"), fullPage: true });
});

test("on a desktop in light mode the page passes axe too", async () => {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto(`${base}/admin`);
  await page.fill("#key", API_KEY);
  await page.click("#load");
  await rowsShown(page, 50);
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), "rgb(255, 255, 255)");
  await page.click("#orders tbody tr[data-state=posted] button");
  await page.waitForFunction(() => document.querySelector("#preview ledger-preview")?.shadowRoot?.querySelector("table.entry"));
  assert.deepEqual(await axe(page), []);
  await page.screenshot({ path: path.join(os.tmpdir(), "ledgerbridge-admin-desktop.png"), fullPage: true });
});
