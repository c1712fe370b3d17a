// GET /api/reports/:kind over the D1 ledger: fixture orders stored through real signed webhooks,
// figures checked against the hand-worked numbers of tests/fixtures/reports (README there shows
// the arithmetic), never against the core's own output; every refused query with its code and
// the parameter it names.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { reportCsv } from "../../npm/src/cli/report-table.js";
import { API_KEY, CLIENT_ID, SHOPIFY_SECRET, fixture, fixtureConfig, idle, rows, sendShopify, startWorker, waitFor } from "./helpers.mjs";

const US = "demo.myshopify.com"; // discount-shipping-tax: NY state 4% + NYC 4.875% on one order
const EU = "demo-eu.myshopify.com"; // refund-tax-inclusive: VAT 20% incl., partial refund 2 days later
let mf;

before(async () => {
  mf = await startWorker({
    shops: {
      [US]: { mapping_toml: fixtureConfig("discount-shipping-tax", US) },
      [EU]: { mapping_toml: fixtureConfig("refund-tax-inclusive", EU) },
    },
  });
  assert.equal((await sendShopify(mf, fixture("discount-shipping-tax"), { shop: US, topic: "orders/paid" })).status, 202);
  assert.equal((await sendShopify(mf, fixture("refund-tax-inclusive"), { shop: EU, topic: "orders/updated" })).status, 202);
  await waitFor("mapped", () => idle(mf));
});
after(() => mf?.dispose());

async function report(kind, query, headers = { "x-api-key": API_KEY }) {
  const res = await mf.dispatchFetch(`http://localhost/api/reports/${kind}?${new URLSearchParams(query)}`, { headers });
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type"), body: text.startsWith("{") ? JSON.parse(text) : text };
}

const amounts = (fig) => fig.amount;

test("tax: both jurisdictions of one order, each with exactly the tax its entry credited", async () => {
  const { status, body } = await report("tax", { shop: US, from: "2026-05-01", to: "2026-05-31", by: "month" });
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.kind, "tax");
  assert.equal(body.periods.length, 1);
  const [p] = body.periods;
  assert.deepEqual([p.period, p.currency, p.total_sales.amount, p.orders], ["2026-05", "USD", "82.40", 1]);
  const byAccount = Object.fromEntries(p.accounts.map((a) => [a.account, a]));
  assert.deepEqual(Object.keys(byAccount).sort(), ["Liabilities:SalesTax:NY-State-Tax", "Liabilities:SalesTax:New-York-City-Tax"]);
  const ny = byAccount["Liabilities:SalesTax:NY-State-Tax"];
  const nyc = byAccount["Liabilities:SalesTax:New-York-City-Tax"];
  assert.deepEqual([ny.taxable_sales, ny.tax_collected, ny.net_tax].map(amounts), ["82.40", "3.30", "3.30"]);
  assert.deepEqual([nyc.taxable_sales, nyc.tax_collected, nyc.net_tax].map(amounts), ["82.40", "4.01", "4.01"]);
  // Drill-down: the figure names the stored entry behind it.
  assert.deepEqual(ny.tax_collected.entries, ["shopify:demo.myshopify.com:order:6123400000002:sale:1777909335"]);
});

test("tax: a partial refund with tax lands in the refund's period, not the order's", async () => {
  const { status, body } = await report("tax", { shop: EU, from: "2026-05-01", to: "2026-05-31", by: "day" });
  assert.equal(status, 200, JSON.stringify(body));
  const days = Object.fromEntries(body.periods.map((p) => [p.period, p.accounts[0]]));
  assert.deepEqual(Object.keys(days), ["2026-05-14", "2026-05-16"]);
  assert.deepEqual([days["2026-05-14"].tax_collected, days["2026-05-14"].tax_refunded].map(amounts), ["10.83", "0.00"]);
  assert.deepEqual([days["2026-05-16"].taxable_refunds, days["2026-05-16"].tax_refunded, days["2026-05-16"].net_tax].map(amounts), ["25.00", "5.00", "-5.00"]);
  // A range that starts after the sale holds only the refund: 5.00 refunded, nothing collected.
  const later = await report("tax", { shop: EU, from: "2026-05-15", to: "2026-05-31", by: "month" });
  assert.equal(later.status, 200);
  const [acc] = later.body.periods[0].accounts;
  assert.deepEqual([acc.tax_collected, acc.tax_refunded, acc.net_tax].map(amounts), ["0.00", "5.00", "-5.00"]);
  // And one before the refund holds only the sale.
  const earlier = await report("tax", { shop: EU, from: "2026-05-01", to: "2026-05-15" });
  assert.deepEqual([earlier.body.periods[0].accounts[0].tax_collected.amount, earlier.body.periods[0].accounts[0].tax_refunded.amount], ["10.83", "0.00"]);
});

test("every kind answers for a shop; another shop's entries never appear", async () => {
  for (const kind of ["tax", "profit", "clearing", "giftcards", "refunds"]) {
    const { status, body } = await report(kind, { shop: US, from: "2026-01-01", to: "2026-12-31" });
    assert.equal(status, 200, `${kind}: ${JSON.stringify(body)}`);
    assert.equal(body.kind, kind);
    assert.ok(!JSON.stringify(body).includes("demo-eu"), `${kind} leaked the other shop`);
  }
});

test("bad input: 400 with a stable code and the parameter named", async () => {
  const base = { shop: US, from: "2026-05-01", to: "2026-05-31" };
  const cases = [
    ["taxes", base, "E_INVALID_VALUE", "kind"],
    ["tax", { ...base, from: "2026-13-01" }, "E_INVALID_VALUE", "from"],
    ["tax", { ...base, to: "31/05/2026" }, "E_INVALID_VALUE", "to"],
    ["tax", { ...base, from: "2026-06-01" }, "E_INVALID_VALUE", "to"],
    ["tax", { ...base, by: "fortnight" }, "E_INVALID_VALUE", "by"],
    ["tax", { ...base, currency: "XYZ" }, "E_UNKNOWN_CURRENCY", "currency"],
    ["tax", { ...base, from: "2025-05-30" }, "E_RANGE_TOO_LONG", "to"],
    ["tax", { shop: US, to: "2026-05-31" }, "E_MISSING_PARAM", "from"],
    ["tax", { shop: US, from: "2026-05-01" }, "E_MISSING_PARAM", "to"],
    ["tax", { from: "2026-05-01", to: "2026-05-31" }, "E_MISSING_PARAM", "shop"],
    ["tax", { ...base, format: "xml" }, "E_UNSUPPORTED_FORMAT", "format"],
  ];
  for (const [kind, query, code, path] of cases) {
    const { status, body } = await report(kind, query);
    assert.equal(status, 400, `${kind} ${JSON.stringify(query)}: ${JSON.stringify(body)}`);
    assert.deepEqual([body.error.code, body.error.path], [code, path], `${kind} ${JSON.stringify(query)}`);
  }
  // Exactly 366 days (2024 was a leap year) is allowed.
  assert.equal((await report("tax", { shop: US, from: "2024-01-01", to: "2024-12-31" })).status, 200);
  assert.equal((await report("tax", base, {})).status, 401);
});

/** A Shopify session token for `shop` (HS256 with the app secret), as App Bridge hands out. */
function sessionToken(shop) {
  const b64url = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const body = { iss: `https://${shop}/admin`, dest: `https://${shop}`, aud: CLIENT_ID, sub: "42", exp: now + 60, nbf: now - 5, iat: now - 5, jti: crypto.randomUUID() };
  const unsigned = `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url(body)}`;
  return `${unsigned}.${crypto.createHmac("sha256", SHOPIFY_SECRET).update(unsigned).digest("base64url")}`;
}

test("a session token reads its own shop's report (shop optional) and never another's", async () => {
  const auth = { authorization: `Bearer ${sessionToken(US)}` };
  const own = await report("tax", { from: "2026-05-01", to: "2026-05-31" }, auth);
  assert.equal(own.status, 200, JSON.stringify(own.body));
  assert.equal(own.body.periods[0].total_sales.amount, "82.40");
  const other = await report("tax", { shop: EU, from: "2026-05-01", to: "2026-05-31" }, auth);
  assert.deepEqual([other.status, other.body.error.code], [403, "E_FORBIDDEN"]);
});

test("more than 10 000 entries: answered from the day aggregates without ids; profit per order stays bounded (422)", async () => {
  // Rows written straight into D1 (10 001 webhooks would take minutes), each a copy of the US
  // shop's stored sale under its own id, order and date.
  const BIG = "big.myshopify.com";
  await rows(mf, `INSERT INTO entries (id, shop, platform, source_kind, source_id, source_version, order_key, date, json, created_at)
    WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10001)
    SELECT 'big-' || i, ?1, 'shopify', 'sale', 'o' || i, '1', 'shopify:' || ?1 || ':order:o' || i, '2026-03-' || printf('%02d', 1 + i % 28),
      json_set(e.json, '$.id', 'big-' || i, '$.date', '2026-03-' || printf('%02d', 1 + i % 28), '$.source.id', 'o' || i), i
    FROM n, (SELECT json FROM entries WHERE shop = ?2 AND source_kind = 'sale' LIMIT 1) e`, BIG, US);
  const big = await report("profit", { shop: BIG, from: "2026-03-01", to: "2026-03-31" });
  assert.equal(big.status, 200, JSON.stringify(big.body));
  const [row] = big.body.rows;
  // Each copy is the 82.40 order (94.00 revenue less 11.60 discounts): 10 001 of them.
  assert.deepEqual([row.revenue.amount, row.discounts.amount, row.orders, row.revenue.entries], ["940094.00", "116011.60", 10001, []]);
  const perOrder = await report("profit", { shop: BIG, from: "2026-03-01", to: "2026-03-31", by: "order" });
  assert.deepEqual([perOrder.status, perOrder.body.error?.code, perOrder.body.error?.path], [422, "E_REPORT_TOO_LARGE", "from"]);
  // One day of it (358 rows) is under the bound and answered with its drill-down ids.
  const small = await report("profit", { shop: BIG, from: "2026-03-02", to: "2026-03-02" });
  assert.equal(small.status, 200, JSON.stringify(small.body));
  assert.equal(small.body.rows[0].revenue.entries.length, 358);
});

test("format=csv: the npm CLI's CSV of the same answer, byte for byte (the core's writer)", async () => {
  for (const shop of [US, EU]) {
    for (const kind of ["tax", "profit", "clearing", "giftcards", "refunds"]) {
      for (const by of ["", "day", "month", ...(kind === "profit" ? ["order", "channel"] : [])]) {
        const query = { shop, from: "2026-05-01", to: "2026-05-31", ...(by ? { by } : {}) };
        const json = await report(kind, query);
        const csv = await report(kind, { ...query, format: "csv" });
        assert.equal(csv.status, 200, `${kind} ${JSON.stringify(query)}: ${JSON.stringify(csv.body)}`);
        assert.equal(csv.type, "text/csv; charset=utf-8");
        assert.equal(csv.body, reportCsv(json.body), `${kind} ${JSON.stringify(query)}`);
      }
    }
  }
  // Hand-read: the NY State row of the two-jurisdiction order.
  const { body } = await report("tax", { shop: US, from: "2026-05-01", to: "2026-05-31", format: "csv" });
  const [header, ...lines] = body.trimEnd().split("\r\n");
  const cols = header.split(",");
  const ny = lines.map((l) => l.split(",")).find((cells) => cells[cols.indexOf("account")] === "Liabilities:SalesTax:NY-State-Tax");
  assert.deepEqual([ny[cols.indexOf("section")], ny[cols.indexOf("taxable_sales")], ny[cols.indexOf("tax_collected")]], ["periods.accounts", "82.40", "3.30"]);
});
