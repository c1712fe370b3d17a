// GET /api/reports over a busy year (issue #13), answered from the per-day aggregates of
// migration 0013: the aggregated answer equals the direct one (ids emptied) on real fixture
// shops, a year of 20 000 entries is aggregated lazily (a request re-aggregates at most 10 000
// entries, then asks to retry) and then answered with figures worked out by hand from the copied
// order, and an entry stored or removed later makes its day stale so the next answer has it.
// How long an answer takes is printed (a figure for the README), never asserted.
//
// One real order goes through a signed webhook; its entry is then copied straight in D1 under new
// ids, orders and dates (20 000 webhooks would take an hour), so reports read rows as the worker
// writes them, and the triggers of 0013 see every insert.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { API_KEY, fixture, fixtureConfig, idle, rows, sendShopify, startWorker, waitFor } from "./helpers.mjs";

const US = "demo.myshopify.com"; // discount-shipping-tax: 82.40 net sales, NY 3.30 + NYC 4.01 tax
const EU = "demo-eu.myshopify.com"; // refund-tax-inclusive: a sale and its partial refund 2 days later
const BIG = "busy.myshopify.com";
const CANCELLED = "cancelled.myshopify.com"; // cancelled-unpaid: a sale, then its reversal
const COPIES = 20_000;
const KINDS = ["tax", "profit", "clearing", "giftcards", "refunds"];
let mf;

before(async () => {
  mf = await startWorker({
    shops: {
      [US]: { mapping_toml: fixtureConfig("discount-shipping-tax", US) },
      [EU]: { mapping_toml: fixtureConfig("refund-tax-inclusive", EU) },
      [BIG]: { mapping_toml: fixtureConfig("discount-shipping-tax", BIG) },
      [CANCELLED]: {},
    },
  });
  for (const [shop, name, topic] of [[US, "discount-shipping-tax", "orders/paid"], [EU, "refund-tax-inclusive", "orders/updated"], [BIG, "discount-shipping-tax", "orders/paid"]]) {
    assert.equal((await sendShopify(mf, fixture(name), { shop, topic })).status, 202);
  }
  await waitFor("mapped", () => idle(mf), 60_000);
});
after(() => mf?.dispose());

async function report(kind, query, worker = mf) {
  const res = await worker.dispatchFetch(`http://localhost/api/reports/${kind}?${new URLSearchParams(query)}`, { headers: { "x-api-key": API_KEY } });
  return { status: res.status, drilldown: res.headers.get("x-report-drilldown"), body: await res.json() };
}

/** The answer with every figure's ids emptied and clearing's lists (not kept per day) emptied. */
function withoutIds(value) {
  if (Array.isArray(value)) return value.map(withoutIds);
  if (value && typeof value === "object") {
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = (k === "entries" && "amount" in value) || k === "unsettled" || k === "payouts_not_tied" ? [] : withoutIds(v);
    }
    return out;
  }
  return value;
}

/** `n` copies of BIG's stored sale, copy i dated 2025-01-01 + (i mod 365) days, order `c{i}`. */
async function copy(first, n) {
  await rows(mf, `INSERT INTO entries (id, shop, platform, source_kind, source_id, source_version, order_key, date, json, state, created_at)
    WITH RECURSIVE n(i) AS (SELECT CAST(?2 AS INTEGER) UNION ALL SELECT i + 1 FROM n WHERE i < CAST(?2 + ?3 - 1 AS INTEGER))
    SELECT 'copy-' || i, e.shop, e.platform, e.source_kind, 'c' || i, e.source_version, e.platform || ':' || e.shop || ':order:c' || i,
      date('2025-01-01', '+' || (i % 365) || ' days'),
      json_set(e.json, '$.id', 'copy-' || i, '$.date', date('2025-01-01', '+' || (i % 365) || ' days'), '$.source.id', 'c' || i),
      e.state, e.created_at + i
    FROM n, (SELECT * FROM entries WHERE shop = ?1 AND source_kind = 'sale' LIMIT 1) e`, BIG, first, n);
}

test("from the day aggregates (ids=0) = the direct answer with ids emptied, every kind and grouping", async () => {
  for (const shop of [US, EU]) {
    for (const kind of KINDS) {
      for (const by of ["", "day", "week", "month", "quarter", ...(kind === "profit" ? ["channel"] : [])]) {
        for (const [from, to] of [["2026-01-01", "2026-12-31"], ["2026-05-15", "2026-05-31"], ["2026-05-01", "2026-05-14"]]) {
          const query = { shop, from, to, ...(by ? { by } : {}) };
          const direct = await report(kind, query);
          const days = await report(kind, { ...query, ids: "0" });
          const what = `${shop} ${kind} ${JSON.stringify(query)}`;
          assert.deepEqual([direct.status, days.status, direct.drilldown, days.drilldown], [200, 200, null, "omitted"], what);
          assert.deepEqual(days.body, withoutIds(direct.body), what);
        }
      }
    }
  }
  // The EU order counts once though its sale and refund are on different days.
  const refunds = await report("refunds", { shop: EU, from: "2026-05-01", to: "2026-05-31", by: "month", ids: "0" });
  assert.deepEqual([refunds.body.periods[0].orders, refunds.body.periods[0].refunds], [1, 1]);
});

test("a busy year: aggregated lazily within a budget, then answered with the copies' sums", async () => {
  await copy(1, COPIES);
  const query = { shop: BIG, from: "2025-01-01", to: "2025-12-31" };
  // The copies' days are stale (the triggers marked them): each request aggregates at most
  // 10 000 entries (plus the rest of one day) and asks to retry until none is left.
  const retries = [];
  let answer;
  for (let i = 0; i < 5; i++) {
    answer = await report("tax", query);
    if (answer.status !== 503) break;
    assert.equal(answer.body.error.code, "E_REPORT_AGGREGATING");
    retries.push(answer.body.error.code);
  }
  assert.ok(retries.length >= 1 && retries.length <= 2, `retries: ${JSON.stringify(retries)}`);
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal(answer.drilldown, "omitted");
  const [p] = answer.body.periods;
  // 20 000 copies of 82.40 net sales, NY 3.30 and NYC 4.01 each (tests/fixtures/reports/README.md).
  assert.deepEqual([p.period, p.total_sales.amount, p.orders, p.total_sales.entries], ["all", "1648000.00", COPIES, []]);
  const tax = Object.fromEntries(p.accounts.map((a) => [a.account, [a.taxable_sales.amount, a.tax_collected.amount, a.orders]]));
  assert.deepEqual(tax, {
    "Liabilities:SalesTax:NY-State-Tax": ["1648000.00", "66000.00", COPIES],
    "Liabilities:SalesTax:New-York-City-Tax": ["1648000.00", "80200.00", COPIES],
  });
  // By month: copy i (1 … 20 000) falls on day i mod 365 of 2025; 20 000 = 365 × 54 + 290, so
  // days 1–290 hold 55 copies and day 0 and days 291–364 hold 54. January is days 0–30:
  // 54 + 30 × 55 = 1 704.
  const months = await report("tax", { ...query, by: "month" });
  assert.equal(months.status, 200);
  assert.equal(months.body.periods.length, 12);
  assert.deepEqual([months.body.periods[0].period, months.body.periods[0].orders], ["2025-01", 1704]);
  for (const kind of KINDS) {
    const t0 = performance.now();
    const { status, body } = await report(kind, { ...query, by: "month" });
    const ms = performance.now() - t0;
    assert.equal(status, 200, `${kind}: ${JSON.stringify(body)}`);
    console.log(`# reports-scale: ${kind} over ${COPIES} entries by month from day aggregates: ${ms.toFixed(0)} ms wall (miniflare, shared machine)`);
  }
  // The CSV of an aggregated answer: the period row holds the year's totals.
  const csv = await mf.dispatchFetch(`http://localhost/api/reports/tax?${new URLSearchParams({ ...query, format: "csv" })}`, { headers: { "x-api-key": API_KEY } });
  const text = await csv.text();
  assert.deepEqual([csv.status, csv.headers.get("x-report-drilldown")], [200, "omitted"]);
  assert.match(text, /^section,period,currency,total_sales,untaxed_sales,refunds,orders,account,[^\r]*\r\nperiods,all,USD,1648000\.00,0\.00,0\.00,20000,/);
  const profit = await report("profit", query);
  // Revenue 94.00 (goods 86.00 + shipping 8.00) and discounts 11.60 per copy.
  assert.deepEqual([profit.body.rows[0].revenue.amount, profit.body.rows[0].discounts.amount], ["1880000.00", "232000.00"]);
});

test("an entry stored or removed later makes its day stale: the next answer has it", async () => {
  const query = { shop: BIG, from: "2025-03-01", to: "2025-03-31", ids: "0" };
  const before = await report("tax", query);
  assert.equal(before.status, 200, JSON.stringify(before.body));
  const total = (r) => r.body.periods[0].total_sales.amount;
  const orders = (r) => r.body.periods[0].orders;
  // Copy 100 069 is dated 2025-01-01 + (100 069 mod 365 = 59) days = 2025-03-01, like copy 59.
  await copy(100_069, 1);
  const added = await report("tax", query);
  assert.deepEqual([orders(added) - orders(before), (Number(total(added)) - Number(total(before))).toFixed(2)], [1, "82.40"]);
  await rows(mf, "DELETE FROM entries WHERE id IN ('copy-100069', 'copy-59')");
  const removed = await report("tax", query);
  assert.deepEqual([orders(before) - orders(removed), (Number(total(before)) - Number(total(removed))).toFixed(2)], [1, "82.40"]);
  assert.equal((await rows(mf, "SELECT COUNT(*) AS n FROM entries WHERE id IN ('copy-100069', 'copy-59')"))[0].n, 0);
  // What the ledger holds, read directly (March is under the bound): the same figures.
  const direct = await report("tax", { ...query, ids: "1" });
  assert.equal(direct.drilldown, null);
  assert.deepEqual(removed.body, withoutIds(direct.body));
});

test("a cancellation stored through the worker reverses the sale in its day's aggregate", async () => {
  // The version before the cancellation (authorized, not cancelled) books a sale.
  const cancelled = fixture("cancelled-unpaid");
  const authorized = JSON.parse(cancelled);
  Object.assign(authorized, { cancelled_at: null, cancel_reason: null, financial_status: "authorized", updated_at: "2026-05-09T10:00:01-04:00" });
  authorized.transactions = authorized.transactions.filter((t) => t.kind !== "void");
  const query = { shop: CANCELLED, from: "2026-05-01", to: "2026-05-31", ids: "0" };
  assert.equal((await sendShopify(mf, authorized, { shop: CANCELLED, topic: "orders/create" })).status, 202);
  await waitFor("mapped", () => idle(mf), 60_000);
  const sold = await report("profit", query);
  assert.equal(sold.status, 200, JSON.stringify(sold.body));
  assert.notEqual(sold.body.rows[0].revenue.amount, "0.00");
  assert.equal((await sendShopify(mf, cancelled, { shop: CANCELLED, topic: "orders/cancelled" })).status, 202);
  await waitFor("mapped", () => idle(mf), 60_000);
  const reversed = await report("profit", query);
  // The sale and its reversal on the same day: revenue, discounts and margin net to zero.
  assert.deepEqual([reversed.body.rows[0].revenue.amount, reversed.body.rows[0].margin.amount], ["0.00", "0.00"]);
  const direct = await report("profit", { ...query, ids: "1" });
  assert.deepEqual(reversed.body, withoutIds(direct.body));
});

test("a mapping change re-aggregates the days under the mapping in effect", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ledgerbridge-report-days-"));
  const start = (extra, migrateDb) =>
    startWorker({ shops: { [US]: { mapping_toml: fixtureConfig("discount-shipping-tax", US) + extra } }, options: { d1Persist: dir }, migrateDb });
  let worker = await start("", true);
  try {
    assert.equal((await sendShopify(worker, fixture("discount-shipping-tax"), { shop: US, topic: "orders/paid" })).status, 202);
    await waitFor("mapped", () => idle(worker), 60_000);
    const query = { shop: US, from: "2026-05-01", to: "2026-05-31", ids: "0" };
    const first = await report("profit", query, worker);
    assert.deepEqual([first.status, first.body.rows[0].discounts.amount], [200, "11.60"]);
    await worker.dispose();
    // The same ledger read under a chart whose discounts account is another one: the stored
    // Income:Discounts lines are no longer discounts (nothing was re-mapped: entries stay).
    worker = await start('\n[accounts]\ndiscounts = "Income:Promotions"\n', false);
    const after = await report("profit", query, worker);
    assert.deepEqual([after.status, after.body.rows[0].discounts.amount], [200, "0.00"]);
    const direct = await report("profit", { ...query, ids: "1" }, worker);
    assert.deepEqual(after.body, withoutIds(direct.body));
  } finally {
    await worker.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
