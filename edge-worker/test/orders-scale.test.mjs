// The order list over 2 000 orders (issue #12): pages of 50 walk every order once, search finds
// one order by the number the merchant knows, and the page shows each page in Chromium. How long a
// page takes is printed (a figure for the README), never asserted: wall time on a shared 2-core
// machine is not a test.
//
// One real order goes through a signed webhook; its event and entry are then copied 2 000 times
// straight in D1 under new order ids and numbers (2 000 webhooks would take minutes), so the list
// reads rows exactly as the worker writes them.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { API_KEY, fixture, idle, rows, sendShopify, startWorker, waitFor } from "./helpers.mjs";
import { launchChromium } from "./browser.mjs";

const SHOP = "busy.myshopify.com";
const COPIES = 2000;
const FIRST_ID = 8_000_000_000_000;
const auth = { authorization: `Bearer ${API_KEY}` };
let mf, base, browser, context;

async function get(p) {
  const res = await mf.dispatchFetch(`http://localhost${p}`, { headers: auth });
  return { status: res.status, body: await res.json() };
}

before(async () => {
  mf = await startWorker({ shops: { [SHOP]: {} }, options: { host: "127.0.0.1", port: 0 } });
  base = (await mf.ready).href.replace(/\/$/, "");
  assert.equal((await sendShopify(mf, fixture("simple"), { shop: SHOP, topic: "orders/paid" })).status, 202);
  await waitFor("mapped", () => idle(mf), 60_000);
  const [original] = await rows(mf, "SELECT id FROM events WHERE shop = ?1 AND status = 'mapped'", SHOP);
  assert.ok(original, "the real order was mapped");
  // Order i: id FIRST_ID + i, number #(5000 + i), received i ms after the original.
  await rows(mf, `INSERT INTO events (platform, shop, topic, delivery_id, resource, order_id, payload, received_at, status, updated_at)
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?3)
    SELECT platform, shop, topic, 'copy-' || i, resource, CAST(CAST(?2 AS INTEGER) + i AS TEXT), payload, received_at + i, status, updated_at + i
    FROM n, events WHERE events.id = ?1`, original.id, FIRST_ID, COPIES);
  await rows(mf, `INSERT INTO entries (id, shop, platform, source_kind, source_id, source_version, order_key, date, json, event_id, state, created_at)
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?3)
    SELECT 'copy-' || i, e.shop, e.platform, e.source_kind, CAST(CAST(?2 AS INTEGER) + i AS TEXT), e.source_version,
      e.platform || ':' || e.shop || ':order:' || CAST(CAST(?2 AS INTEGER) + i AS TEXT), e.date,
      json_set(e.json, '$.memo', 'Shopify order #' || (5000 + i)), NULL, e.state, e.created_at + i
    FROM n, entries e WHERE e.event_id = ?1`, original.id, FIRST_ID, COPIES);
  browser = await launchChromium("orders-scale");
  context = browser.context;
});
after(async () => {
  await browser?.close();
  await mf?.dispose();
});

test("the API's pages of 50 walk all 2 001 orders once, newest first; the counts agree", async () => {
  const seen = [];
  let cursor = null;
  let slowest = 0;
  do {
    const t0 = performance.now();
    const page = await get(`/api/orders?shop=${SHOP}&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    slowest = Math.max(slowest, performance.now() - t0);
    assert.equal(page.status, 200, JSON.stringify(page.body));
    seen.push(...page.body.orders.map((o) => o.order_id));
    cursor = page.body.next_cursor;
  } while (cursor);
  assert.equal(seen.length, COPIES + 1);
  assert.equal(new Set(seen).size, COPIES + 1, "no order twice");
  assert.equal(seen[0], String(FIRST_ID + COPIES), "the newest activity first");
  const status = await get(`/api/status?shop=${SHOP}`);
  assert.equal(status.body.orders.posted, COPIES + 1);
  console.log(`# /api/orders over ${COPIES + 1} orders: ${Math.ceil(seen.length / 50)} pages, slowest ${slowest.toFixed(0)} ms (workerd, local D1)`);
});

test("in Chromium: the first page, the next page and a search by number render; the times are printed", async () => {
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  const shown = (n) => page.waitForFunction((n) => document.querySelectorAll("#orders tbody tr").length === n, n);
  await page.goto(`${base}/admin`);
  await page.fill("#key", API_KEY);
  await page.fill("#shop", SHOP);
  await page.click("#load");
  await shown(50);
  assert.equal(await page.textContent("#orders tbody tr:first-child td:first-child"), `Shopify order #${5000 + COPIES}`);

  const timed = async (act, n) => { const t0 = performance.now(); await act(); await shown(n); return performance.now() - t0; };
  const next = await timed(() => page.click("#more"), 100);
  await page.fill("#q", "#5999");
  const search = await timed(() => page.press("#q", "Enter"), 1);
  assert.match(await page.textContent("#orders tbody"), /Shopify order #5999/);
  await page.selectOption("#state", "posted");
  await page.fill("#q", "");
  const filtered = await timed(() => page.press("#q", "Enter"), 50);
  assert.deepEqual(errors, []);
  console.log(`# /admin over ${COPIES + 1} orders (click to rows shown): next page ${next.toFixed(0)} ms, search #5999 ${search.toFixed(0)} ms, filter posted ${filtered.toFixed(0)} ms`);
});
