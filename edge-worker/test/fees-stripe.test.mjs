// Issue #11 at the edge, Stripe: webhooks carry a charge's and a refund's balance transaction (the
// fee) only as an id, and a payout none of its items. The consumer fetches them from the Stripe
// stand-in (secret key, `expand[]`, `has_more`/`starting_after`, 429 + Retry-After) before
// mapping; after a charge, a partial refund, a dispute's withdrawal and the payout that pays them out,
// `Assets:Clearing:Stripe` is exactly 0.00 and `Assets:Bank` is the deposit. Redelivering every
// event (new event ids, so each is fetched and mapped again) changes nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startStripe } from "./standins/stripe.mjs";
import { balances, drain, fixtureOf, rows, sendStripe, sendWoo, startWorker, waitFor } from "./helpers.mjs";

const KEY = "sk_test_fees";
const T = 1778000000;
let mf, stripe;

const txn = (id, amount, fee, type, source, created, category = type) => ({
  id, object: "balance_transaction", amount, fee, net: amount - fee, currency: "usd", type, reporting_category: category, source, created,
  status: "available", fee_details: fee ? [{ amount: fee, currency: "usd", description: "Stripe processing fees", type: "stripe_fee" }] : [],
});
const charge = (id, amount, bt) => ({
  id, object: "charge", amount, amount_captured: amount, amount_refunded: 0, balance_transaction: bt, captured: true,
  created: T, currency: "usd", paid: true, refunded: false, status: "succeeded", payment_intent: `pi_${id}`, description: `Order ${id}`,
});
const refund = { id: "re_e2e1", object: "refund", amount: 2500, balance_transaction: "txn_re1", charge: "ch_e2e1", created: T + 100, currency: "usd", status: "succeeded" };
const dpTxn = txn("txn_dp1", -5000, 1500, "adjustment", "dp_e2e1", T + 200, "dispute");
const dispute = (status) => ({ id: "dp_e2e1", object: "dispute", amount: 5000, currency: "usd", charge: "ch_e2e2", created: T + 200,
  reason: "fraudulent", status, balance_transactions: [dpTxn] });
const net = 9680 - 2500 + 4825 - 6500;
const payout = { id: "po_e2e1", object: "payout", amount: net, arrival_date: T + 86400, automatic: true, created: T + 3600, currency: "usd",
  method: "standard", status: "paid", type: "bank_account", reconciliation_status: "completed", balance_transaction: "txn_po1" };

let n = 0;
// A fixed `created` per event (as a redelivery carries): a lost dispute is dated on it.
const event = (type, object, id = `evt_${++n}`, created = T + 500) => ({ id, object: "event", type, created, data: { object } });
const webhooks = () => [
  event("charge.succeeded", charge("ch_e2e1", 10000, "txn_ch1")),
  event("charge.succeeded", charge("ch_e2e2", 5000, "txn_ch2")),
  event("refund.created", { ...refund }),
  event("charge.dispute.funds_withdrawn", dispute("needs_response")),
  event("payout.paid", { ...payout, reconciliation_status: "in_progress" }),
];

before(async () => {
  stripe = await startStripe({ key: KEY });
  stripe.put(charge("ch_e2e1", 10000, "txn_ch1"));
  stripe.put(charge("ch_e2e2", 5000, "txn_ch2"));
  stripe.put(refund);
  stripe.put(payout);
  stripe.putTxn(txn("txn_ch1", 10000, 320, "charge", "ch_e2e1", T), { payout: "po_e2e1" });
  stripe.putTxn(txn("txn_ch2", 5000, 175, "charge", "ch_e2e2", T + 1), { payout: "po_e2e1" });
  stripe.putTxn(txn("txn_re1", -2500, 0, "refund", "re_e2e1", T + 100), { payout: "po_e2e1" });
  stripe.putTxn(dpTxn, { payout: "po_e2e1" });
  stripe.putTxn(txn("txn_po1", -net, 0, "payout", "po_e2e1", T + 3600), { payout: "po_e2e1" });
  mf = await startWorker({
    shops: { default: { stripe: { api_base: stripe.url } }, acct_connected: { stripe: { api_base: stripe.url } }, "shop.example.test": {} },
    vars: { STRIPE_API_KEY: KEY },
  });
});
after(async () => { await mf?.dispose(); await stripe?.close(); });

const ledger = async () => balances((await rows(mf, "SELECT json FROM entries ORDER BY created_at, rowid")).map((r) => JSON.parse(r.json)));

test("charge, partial refund, disputed funds withdrawn and payout: clearing nets to 0.00, the bank gets the deposit", async () => {
  stripe.script.push({ status: 429, headers: { "retry-after": "1" } }); // the first fetch is throttled
  for (const e of webhooks()) assert.equal((await sendStripe(mf, e)).status, 202);
  await drain(mf, { ms: 60000 });
  const parked = await rows(mf, "SELECT topic, reason FROM events WHERE status != 'mapped'");
  assert.deepEqual(parked, []);
  const b = await ledger();
  assert.equal(b["Assets:Clearing:Stripe"], undefined, `clearing is 0.00: ${JSON.stringify(b)}`);
  assert.equal(b["Assets:Bank"], String(net * 10), "the bank line is the deposit (thousandths)");
  assert.equal(b["Expenses:PaymentFees:Stripe"], String((320 + 175 + 1500) * 10), "each fee once, booked with its sale or dispute");
  const calls = stripe.state.calls;
  const chargeCall = calls.find((c) => c.path === "/v1/charges/ch_e2e1" && c.expand.includes("balance_transaction"));
  assert.ok(chargeCall, "the charge was fetched with its balance transaction expanded");
  assert.ok(calls.some((c) => c.path === "/v1/refunds/re_e2e1" && c.expand.includes("balance_transaction")));
  assert.ok(calls.some((c) => c.path === "/v1/balance_transactions" && c.query.payout === "po_e2e1"));
  assert.ok(!calls.some((c) => c.path.startsWith("/v1/disputes")), "a dispute carries its balance transactions whole");
  const [stored] = await rows(mf, "SELECT payload FROM events WHERE topic = 'payout.paid'");
  const envelope = JSON.parse(stored.payload);
  assert.equal(envelope.payout.id, "po_e2e1");
  assert.equal(envelope.balance_transactions.length, 5);
});

test("redelivering every event under new ids fetches and maps again, and changes nothing", async () => {
  const before = await ledger();
  const entries = (await rows(mf, "SELECT COUNT(*) AS c FROM entries"))[0].c;
  for (const e of webhooks()) assert.equal((await sendStripe(mf, e)).status, 202);
  await drain(mf, { ms: 60000 });
  assert.deepEqual(await ledger(), before);
  assert.equal((await rows(mf, "SELECT COUNT(*) AS c FROM entries"))[0].c, entries);
});

test("a WooCommerce order paid through the Stripe gateway (fee in its meta) and the Stripe payout of it: clearing stays 0.00", async () => {
  // The core engineer's fixture (fees branch): 42.00 charged, fee 1.52 booked with the sale; 10.00 refunded.
  assert.equal((await sendWoo(mf, fixtureOf("woocommerce", "stripe-gateway-fee"), { source: "https://shop.example.test/" })).status, 202);
  const po = { ...payout, id: "po_woo", amount: 4200 - 152 - 1000, balance_transaction: "txn_powoo" };
  stripe.put(po);
  stripe.putTxn(txn("txn_woo_ch", 4200, 152, "charge", "ch_woo4821", T + 5000), { payout: "po_woo" });
  stripe.putTxn(txn("txn_woo_re", -1000, 0, "refund", "re_woo4822", T + 5001), { payout: "po_woo" });
  stripe.putTxn(txn("txn_powoo", -(4200 - 152 - 1000), 0, "payout", "po_woo", T + 6000), { payout: "po_woo" });
  const bank = BigInt((await ledger())["Assets:Bank"]);
  assert.equal((await sendStripe(mf, event("payout.paid", po, "evt_po_woo"))).status, 202);
  await drain(mf, { ms: 60000 });
  const b = await ledger();
  assert.equal(b["Assets:Clearing:Stripe"], undefined, JSON.stringify(b));
  assert.equal(BigInt(b["Assets:Bank"]) - bank, 30480n);
});

// Found here, not fixed (core): every stage of a dispute has the source kind `dispute` and one logical
// key, so the ledger's version plan treats `lost` (dated later) as a newer version of `opened` and
// books the reversal of the withdrawal: clearing is left 65.00 high and Disputed-Funds −50.00.
test("a lost dispute after its withdrawal keeps the withdrawal (clearing stays 0.00)", async () => {
  assert.equal((await sendStripe(mf, event("charge.dispute.closed", dispute("lost"), "evt_lost"))).status, 202);
  await drain(mf, { ms: 60000 });
  const b = await ledger();
  assert.equal(b["Expenses:Chargebacks"], "50000");
  assert.equal(b["Assets:Disputed-Funds"], undefined, JSON.stringify(b));
  assert.equal(b["Assets:Clearing:Stripe"], undefined, JSON.stringify(b));
});

test("a charge whose balance transaction is not created yet waits (async capture), then books with its fee", async () => {
  stripe.put(charge("ch_async", 2000, null));
  const r = await sendStripe(mf, event("charge.succeeded", charge("ch_async", 2000, null)));
  assert.equal(r.status, 202);
  const waiting = await waitFor("the event to wait for its balance transaction", async () =>
    (await rows(mf, "SELECT status, reason FROM events WHERE payload LIKE '%ch_async%'")).find((e) => /not created yet/.test(e.reason ?? "")));
  assert.equal(waiting.status, "received");
  assert.equal((await rows(mf, "SELECT id FROM entries WHERE json LIKE '%ch_async%'")).length, 0, "no sale without its fee");
  stripe.putTxn(txn("txn_async", 2000, 88, "charge", "ch_async", T));
  stripe.put(charge("ch_async", 2000, "txn_async"));
  await drain(mf, { ms: 90000 });
  const [entry] = (await rows(mf, "SELECT json FROM entries WHERE json LIKE '%ch_async%'")).map((e) => JSON.parse(e.json));
  assert.ok(entry.lines.some((l) => l.account === "Expenses:PaymentFees:Stripe" && l.debit === "0.88"), JSON.stringify(entry.lines));
});

test("a refused key parks the event with a readable reason; nothing is booked", async () => {
  stripe.script.push({ status: 401, body: { error: { type: "invalid_request_error", message: "Invalid API Key provided" } } });
  stripe.put(charge("ch_denied", 700, "txn_denied"));
  await sendStripe(mf, event("charge.succeeded", charge("ch_denied", 700, "txn_denied")));
  const parked = await waitFor("parked", async () =>
    (await rows(mf, "SELECT status, reason FROM events WHERE payload LIKE '%ch_denied%' AND status = 'parked'"))[0]);
  assert.match(parked.reason, /refused STRIPE_API_KEY \(401\)/);
  assert.equal((await rows(mf, "SELECT id FROM entries WHERE json LIKE '%ch_denied%'")).length, 0);
});

test("a payout of 230 balance transactions is stored whole: every page, a 429 midway waited out", async () => {
  const big = { ...payout, id: "po_big", amount: 230 * 97, balance_transaction: "txn_pobig" };
  stripe.put(big);
  for (let i = 0; i < 230; i++) {
    stripe.putTxn(txn(`txn_big${String(i).padStart(3, "0")}`, 100, 3, "charge", `ch_big${i}`, T + 10000 + i), { payout: "po_big" });
  }
  stripe.putTxn(txn("txn_pobig", -230 * 97, 0, "payout", "po_big", T + 20000), { payout: "po_big" });
  stripe.failOnce((url) => url.pathname === "/v1/balance_transactions" && url.searchParams.has("starting_after"),
    { status: 429, headers: { "retry-after": "1" } });
  assert.equal((await sendStripe(mf, event("payout.paid", big, "evt_big"))).status, 202);
  await drain(mf, { ms: 60000 });
  const [ev] = await rows(mf, "SELECT status, reason, payload FROM events WHERE delivery_id = 'evt_big'");
  assert.equal(ev.status, "mapped", ev.reason);
  const items = JSON.parse(ev.payload).balance_transactions.map((t) => t.id);
  assert.equal(items.length, 231);
  assert.equal(new Set(items).size, 231, "no item twice, none lost");
  const pages = stripe.state.calls.filter((c) => c.path === "/v1/balance_transactions" && c.query.payout === "po_big");
  assert.ok(pages.every((c) => c.query.limit === "100"));
  assert.equal(pages.filter((c) => c.query.starting_after).length, 3, "pages 2 and 3, page 2 asked twice (after its 429)");
  const [entry] = (await rows(mf, "SELECT json FROM entries WHERE id LIKE '%payout:po_big%'")).map((r) => JSON.parse(r.json));
  assert.ok(entry.lines.some((l) => l.account === "Assets:Bank" && l.debit === "223.10"), JSON.stringify(entry.lines.slice(0, 3)));
});

test("a connected account's charge is fetched with Stripe-Account (the stand-in has it only there)", async () => {
  stripe.put(charge("ch_conn1", 3000, "txn_conn1"), "acct_connected");
  stripe.putTxn(txn("txn_conn1", 3000, 117, "charge", "ch_conn1", T), { account: "acct_connected" });
  const e = { ...event("charge.succeeded", charge("ch_conn1", 3000, "txn_conn1"), "evt_conn1"), account: "acct_connected" };
  assert.equal((await sendStripe(mf, e)).status, 202);
  await drain(mf, { ms: 60000 });
  const call = stripe.state.calls.find((c) => c.path === "/v1/charges/ch_conn1");
  assert.equal(call.account, "acct_connected");
  const [entry] = (await rows(mf, "SELECT shop, json FROM entries WHERE json LIKE '%ch_conn1%'"));
  assert.equal(entry.shop, "acct_connected");
  assert.ok(JSON.parse(entry.json).lines.some((l) => l.account === "Expenses:PaymentFees:Stripe" && l.debit === "1.17"));
});

test("a payout Stripe is still reconciling waits; once reconciled it is itemised", async () => {
  const po = { ...payout, id: "po_late", amount: 500, balance_transaction: "txn_polate", reconciliation_status: "in_progress" };
  stripe.put(po);
  stripe.putTxn(txn("txn_late_ch", 500, 0, "charge", "ch_late", T), { payout: "po_late" });
  stripe.putTxn(txn("txn_polate", -500, 0, "payout", "po_late", T + 1), { payout: "po_late" });
  assert.equal((await sendStripe(mf, event("payout.paid", po, "evt_po_late"))).status, 202);
  const waiting = await waitFor("the payout to wait", async () =>
    (await rows(mf, "SELECT status, reason FROM events WHERE delivery_id = 'evt_po_late'")).find((e) => /not reconciled yet/.test(e.reason ?? "")));
  assert.equal(waiting.status, "received");
  assert.ok(!stripe.state.calls.some((c) => c.path === "/v1/balance_transactions" && c.query.payout === "po_late"), "not listed before it is reconciled");
  stripe.put({ ...po, reconciliation_status: "completed" });
  await drain(mf, { ms: 60000 });
  const [ev] = await rows(mf, "SELECT status, payload FROM events WHERE delivery_id = 'evt_po_late'");
  assert.equal(ev.status, "mapped");
  assert.equal(JSON.parse(ev.payload).balance_transactions.length, 2);
});

test("a manual payout is booked bare: Dr bank / Cr clearing, no listing asked of Stripe", async () => {
  const po = { ...payout, id: "po_manual", amount: 1234, automatic: false, balance_transaction: "txn_pomanual" };
  stripe.put(po);
  assert.equal((await sendStripe(mf, event("payout.paid", po, "evt_po_manual"))).status, 202);
  await drain(mf, { ms: 60000 });
  assert.ok(!stripe.state.calls.some((c) => c.query.payout === "po_manual" || c.path === "/v1/payouts/po_manual"));
  const [entry] = (await rows(mf, "SELECT json FROM entries WHERE id LIKE '%payout:po_manual%'")).map((r) => JSON.parse(r.json));
  assert.deepEqual(entry.lines.map((l) => [l.account, l.debit, l.credit]), [["Assets:Bank", "12.34", "0.00"], ["Assets:Clearing:Stripe", "0.00", "12.34"]]);
});

test("a payment intent is fetched with its charge and balance transaction: the fee is booked, the charge's own event is a duplicate", async () => {
  stripe.put(charge("ch_pi1", 4000, "txn_pi1"));
  stripe.putTxn(txn("txn_pi1", 4000, 146, "charge", "ch_pi1", T));
  const pi = { id: "pi_ch_pi1", object: "payment_intent", amount: 4000, amount_received: 4000, currency: "usd", created: T, status: "succeeded", latest_charge: "ch_pi1" };
  stripe.put(pi);
  assert.equal((await sendStripe(mf, event("payment_intent.succeeded", pi, "evt_pi1"))).status, 202);
  await drain(mf, { ms: 60000 });
  const call = stripe.state.calls.find((c) => c.path === "/v1/payment_intents/pi_ch_pi1");
  assert.deepEqual(call.expand, ["latest_charge.balance_transaction"]);
  const mine = async () => (await rows(mf, "SELECT json FROM entries WHERE json LIKE '%ch_pi1%'")).map((r) => JSON.parse(r.json));
  const [entry] = await mine();
  assert.ok(entry.lines.some((l) => l.account === "Expenses:PaymentFees:Stripe" && l.debit === "1.46"), JSON.stringify(entry.lines));
  assert.equal((await sendStripe(mf, event("charge.succeeded", charge("ch_pi1", 4000, "txn_pi1"), "evt_pi1_charge"))).status, 202);
  await drain(mf, { ms: 60000 });
  assert.equal((await mine()).length, 1, "one sale, with its fee");
});
