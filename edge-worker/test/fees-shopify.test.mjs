// Issue #11 at the edge, Shopify: order webhooks carry no Shopify Payments fee. The consumer asks
// the GraphQL Admin API for the order's transactions and fees before mapping (cost throttling
// honoured), the sweeper polls paid payouts with their balance transactions (REST, `Link` pages,
// 429 + Retry-After), and after an order, a partial refund and the payout,
// `Assets:Clearing:Shopify-Payments` is exactly 0.00 and `Assets:Bank` is the deposit.
// The stand-in (standins/shopify-admin.mjs) enforces the token header and the API version.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startShopifyAdmin } from "./standins/shopify-admin.mjs";
import { balances, drain, fixtureOf, rows, sendShopify, startWorker, waitFor } from "./helpers.mjs";

const SHOP = "demo.myshopify.com";
const TOKEN = "shpat_test_fees";
const PLAIN = "plain.myshopify.com";
const ORDER = 6123400000012;
let mf, admin;

// The order as Shopify's webhook sends it: no `transactions`, no fee anywhere.
const order = JSON.parse(fixtureOf("shopify", "simple"));
order.id = ORDER;
// A partial refund: one line refunded, 10.00 of the 25.00 paid given back (the rest a discrepancy).
const refund = JSON.parse(fixtureOf("shopify", "refund-webhook"));
refund.transactions[0].amount = "10.00";
refund.order_adjustments[0].amount = "17.21";
refund.order_adjustments[0].amount_set.shop_money.amount = "17.21";
refund.order_adjustments[0].amount_set.presentment_money.amount = "17.21";

const sale = { id: "gid://shopify/OrderTransaction/5123400001201", kind: "SALE", status: "SUCCESS", gateway: "shopify_payments",
  processedAt: "2026-05-03T23:29:40-04:00", amountSet: { shopMoney: { amount: "25.0", currencyCode: "USD" }, presentmentMoney: { amount: "25.0", currencyCode: "USD" } },
  fees: [{ amount: { amount: "1.03", currencyCode: "USD" }, flatFee: { amount: "0.3", currencyCode: "USD" }, rate: "0.029", rateName: "Online",
    flatFeeName: "Flat fee", taxAmount: { amount: "0.0", currencyCode: "USD" }, type: "processing_fee" }], parentTransaction: null };

const bt = (id, payoutId, type, amount, fee, orderId, extra = {}) => ({
  id, type, test: false, payout_id: payoutId, payout_status: "paid", currency: "USD", amount, fee,
  net: ((Math.round(Number(amount) * 100) - Math.round(Number(fee) * 100)) / 100).toFixed(2),
  source_id: id + 1000, source_type: type, source_order_id: orderId, source_order_transaction_id: null,
  processed_at: "2026-05-10T09:12:45-04:00", ...extra,
});
const payout1 = { id: 7101, status: "paid", date: "2026-05-12", currency: "USD", amount: "13.97" };
const payout1Items = [
  bt(8101, 7101, "charge", "25.00", "1.03", ORDER),
  bt(8102, 7101, "refund", "-10.00", "0.00", ORDER),
  bt(8103, 7101, "payout", "-13.97", "0.00", null),
];

before(async () => {
  admin = await startShopifyAdmin({ token: TOKEN, orders: new Map([[String(ORDER), [sale]]]), gql: { maximumAvailable: 100, restoreRate: 10 } });
  mf = await startWorker({ shops: { [SHOP]: { shopify: { admin_base: admin.url } },
    // A shop whose token secret is not set: mapped as before the fetch, with a note.
    [PLAIN]: { shopify: { admin_base: admin.url, token_secret: "PLAIN_SHOP_ADMIN_TOKEN" } } }, vars: { SHOPIFY_ADMIN_TOKEN: TOKEN } });
});
after(async () => { await mf?.dispose(); await admin?.close(); });

const all = async () => (await rows(mf, "SELECT json FROM entries ORDER BY created_at, rowid")).map((r) => JSON.parse(r.json));
const sweep = async () => (await mf.getWorker()).scheduled({ cron: "*/2 * * * *" });
const fees = (b) => Object.entries(b).filter(([k]) => k.startsWith("Expenses:PaymentFees")).reduce((s, [, v]) => s + BigInt(v), 0n);

test("the order is booked with the fee GraphQL reports, after a throttled first try", async () => {
  admin.drainBucket(); // the cost bucket is spent: the first query answers THROTTLED
  assert.equal((await sendShopify(mf, order, { topic: "orders/paid" })).status, 202);
  await drain(mf);
  assert.ok(admin.state.throttled.graphql >= 1, "the first query was throttled");
  const queries = admin.state.calls.filter((c) => c.path.endsWith("/graphql.json"));
  // Every query but the last was throttled; the test sweeps every 2 s and re-enqueues the waiting event (SWEEP_AFTER_S=0).
  assert.ok(queries.length >= 2 && queries.length <= 4, `asked again after the bucket refilled, not hammered: ${queries.length}`);
  const [ev] = await rows(mf, "SELECT status, reason, payload FROM events WHERE topic = 'orders/paid'");
  assert.equal(ev.status, "mapped", ev.reason);
  const stored = JSON.parse(ev.payload);
  assert.deepEqual(stored.order, order, "the webhook order is kept verbatim");
  assert.equal(stored.order_transactions.data.order.transactions[0].fees[0].amount.amount, "1.03");
  const gql = admin.requests.find((r) => r.url.endsWith("/graphql.json"));
  assert.equal(gql.url, "/admin/api/2025-10/graphql.json");
  assert.equal(gql.headers["x-shopify-access-token"], TOKEN);
  assert.deepEqual(JSON.parse(gql.body).variables, { id: `gid://shopify/Order/${ORDER}` });
  const b = balances(await all());
  assert.equal(fees(b), 1030n, JSON.stringify(b));
  assert.equal(b["Assets:Clearing:Shopify-Payments"], String(25000 - 1030));
});

test("a partial refund, then the payout polled by the sweeper: clearing 0.00, bank = deposit", async () => {
  assert.equal((await sendShopify(mf, refund, { topic: "refunds/create" })).status, 202);
  await drain(mf);
  admin.state.payouts.push(payout1);
  admin.state.transactions.push(...payout1Items);
  await sweep();
  await waitFor("the payout event", async () => (await rows(mf, "SELECT id FROM events WHERE delivery_id = 'payout:7101'"))[0]);
  await drain(mf);
  const [ev] = await rows(mf, "SELECT status, reason, payload FROM events WHERE delivery_id = 'payout:7101'");
  assert.equal(ev.status, "mapped", ev.reason);
  assert.equal(ev.reason, null, "every order the payout names was seen");
  const envelope = JSON.parse(ev.payload);
  assert.equal(envelope.fees_booked_with_orders, true);
  assert.deepEqual(envelope.balance_transactions.map((t) => t.id), [8101, 8102, 8103]);
  const b = balances(await all());
  assert.equal(b["Assets:Clearing:Shopify-Payments"], undefined, `clearing is 0.00: ${JSON.stringify(b)}`);
  assert.equal(b["Assets:Bank"], "13970");
  assert.equal(fees(b), 1030n, "the fee is booked once");
});

test("redelivering every webhook and re-polling every payout changes nothing", async () => {
  const before = balances(await all());
  const count = (await all()).length;
  assert.equal((await sendShopify(mf, order, { topic: "orders/updated" })).status, 200);
  assert.equal((await sendShopify(mf, refund, { topic: "refunds/create" })).status, 200);
  await (await mf.getD1Database("LEDGER")).prepare("DELETE FROM pull_cursors WHERE source = 'shopify-payouts'").run();
  await sweep();
  await drain(mf);
  assert.equal((await rows(mf, "SELECT id FROM events WHERE resource = 'payout'")).length, 1);
  assert.deepEqual(balances(await all()), before);
  assert.equal((await all()).length, count);
});

test("a payout over several pages, throttled midway, is recorded whole once; a scheduled one waits; unseen orders are named", async () => {
  const items = [];
  for (let i = 0; i < 300; i++) items.push(bt(20000 + i, 7102, "charge", "1.00", "0.03", 7001 + (i % 3)));
  items.push(bt(20999, 7102, "payout", "-291.00", "0.00", null));
  admin.state.payouts.push({ id: 7102, status: "paid", date: "2026-05-13", currency: "USD", amount: "291.00" },
    { id: 7103, status: "scheduled", date: "2026-05-14", currency: "USD", amount: "5.00" });
  admin.state.transactions.push(...items, bt(30001, 7103, "charge", "5.00", "0.00", ORDER), bt(30002, 7103, "payout", "-5.00", "0.00", null));
  // The second page of 7102's transactions is refused once with 429: the sweep stops there.
  const pages = () => admin.state.calls.filter((c) => c.path.endsWith("/balance/transactions.json") && c.query.page_info).length;
  admin.failOnce((url) => url.pathname.endsWith("/balance/transactions.json") && url.searchParams.has("page_info"),
    { status: 429, headers: { "retry-after": "2.0" }, body: { errors: "Exceeded 2 calls per second for api client." } });
  await sweep();
  assert.equal(pages(), 1, "the sweep reached the second page");
  assert.equal((await rows(mf, "SELECT id FROM events WHERE delivery_id = 'payout:7102'")).length, 0, "nothing half-recorded");
  assert.equal((await rows(mf, "SELECT cursor FROM pull_cursors WHERE source = 'shopify-payouts'"))[0].cursor, "7101");
  await sweep(); // resumes at 7102
  await waitFor("payout 7102", async () => (await rows(mf, "SELECT id FROM events WHERE delivery_id = 'payout:7102'"))[0]);
  await drain(mf);
  const [ev] = await rows(mf, "SELECT status, reason, payload FROM events WHERE delivery_id = 'payout:7102'");
  assert.equal(JSON.parse(ev.payload).balance_transactions.length, 301, "no page lost");
  assert.equal(pages(), 2, "the Link page was asked again");
  assert.equal(ev.status, "mapped");
  assert.match(ev.reason, /not seen \(booked anyway\): 7001, 7002, 7003/);
  assert.equal((await rows(mf, "SELECT id FROM events WHERE delivery_id = 'payout:7103'")).length, 0, "a scheduled payout is not booked");
  const [cursor] = await rows(mf, "SELECT cursor FROM pull_cursors WHERE source = 'shopify-payouts'");
  assert.equal(cursor.cursor, "7102", "the cursor stops before the scheduled payout");
  admin.state.payouts.find((p) => p.id === 7103).status = "paid";
  await sweep();
  await waitFor("payout 7103 once paid", async () => (await rows(mf, "SELECT id FROM events WHERE delivery_id = 'payout:7103'"))[0]);
});

test("a refused token parks the order's event with a readable reason", async () => {
  admin.failOnce((url) => url.pathname.endsWith("/graphql.json"), { status: 401, body: { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" } });
  const o = { ...order, id: 6123400000099 };
  await sendShopify(mf, o, { topic: "orders/create" });
  const ev = await waitFor("parked", async () => (await rows(mf, "SELECT status, reason FROM events WHERE order_id = '6123400000099' AND status = 'parked'"))[0]);
  assert.match(ev.reason, /refused the Admin API token \(401\)/);
  assert.equal((await rows(mf, "SELECT id FROM entries WHERE json LIKE '%6123400000099%'")).length, 0);
});

test("a shop without an Admin token maps its orders as the webhook says, noting that fees were not fetched", async () => {
  const calls = admin.state.calls.length;
  const o = { ...order, id: 6123400000077 };
  assert.equal((await sendShopify(mf, o, { shop: PLAIN, topic: "orders/paid" })).status, 202);
  await drain(mf);
  const [ev] = await rows(mf, "SELECT status, reason, payload FROM events WHERE shop = ?", PLAIN);
  assert.equal(ev.status, "mapped");
  assert.match(ev.reason, /fees not fetched: no Admin API token/);
  assert.deepEqual(JSON.parse(ev.payload), o, "the payload stays the webhook's");
  assert.ok(!admin.state.calls.slice(calls).some((c) => c.path.endsWith("/graphql.json")), "nothing asked without a token");
  const [entry] = (await rows(mf, "SELECT json FROM entries WHERE shop = ?", PLAIN)).map((r) => JSON.parse(r.json));
  assert.ok(!entry.lines.some((l) => l.account.startsWith("Expenses:PaymentFees")));
});

test("an order whose webhook was lost is pulled by the sweep, booked with its fee; its late webhook changes nothing", async () => {
  const lost = { ...order, id: 6123400000055, updated_at: new Date(Date.now() - 3600_000).toISOString().replace(/\.\d+Z$/, "-00:00") };
  admin.state.orders.set(String(lost.id), [{ ...sale, id: "gid://shopify/OrderTransaction/5123400005501" }]);
  admin.state.restOrders.push(lost);
  await sweep();
  const ev = await waitFor("the pulled order", async () =>
    (await rows(mf, "SELECT delivery_id, topic FROM events WHERE order_id = ?", String(lost.id)))[0]);
  assert.equal(ev.delivery_id, `pull:${lost.id}:${lost.updated_at}`);
  assert.equal(ev.topic, "orders/reconciled");
  await drain(mf);
  const mine = async () => (await rows(mf, "SELECT json FROM entries WHERE json LIKE ?", `%${lost.id}%`)).map((r) => JSON.parse(r.json));
  const booked = await mine();
  assert.equal(booked.length, 1);
  assert.ok(booked[0].lines.some((l) => l.account.startsWith("Expenses:PaymentFees") && l.debit === "1.03"), JSON.stringify(booked[0].lines));
  const list = admin.state.calls.filter((c) => c.path.endsWith("/orders.json"));
  assert.ok(list.every((c) => c.query.page_info || (c.query.status === "any" && c.query.updated_at_min)), JSON.stringify(list.at(-1)));
  assert.equal((await sendShopify(mf, lost, { topic: "orders/updated" })).status, 202);
  await sweep();
  await drain(mf);
  assert.deepEqual(await mine(), booked, "the late webhook and the next pull book nothing more");
  const [cursor] = await rows(mf, "SELECT cursor FROM pull_cursors WHERE source = 'shopify' AND shop = ?", SHOP);
  assert.equal(cursor.cursor, String(Math.floor(Date.parse(lost.updated_at) / 1000)));
});
