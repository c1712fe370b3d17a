// Historical import of Stripe charges, `POST /api/backfill` (issue #11 item 4): List Charges in the
// window (`created[gte]`/`[lte]`, `starting_after` pages) with each balance transaction expanded,
// so a charge maps as the consumer's fetch leaves a webhook's: one booked by webhook first is
// unchanged; confirm books the others once.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startStripe } from "./standins/stripe.mjs";
import { API_KEY, coreMapAs, idle, milli, rows, sendStripe, startWorker, waitFor } from "./helpers.mjs";

const KEY = "sk_test_history";
const MAY = Date.UTC(2026, 4, 1) / 1000;
let mf, stripe;

const txn = (id, amount, fee, source, created) => ({
  id, object: "balance_transaction", amount, fee, net: amount - fee, currency: "usd", type: "charge", reporting_category: "charge", source, created,
  status: "available", fee_details: [{ amount: fee, currency: "usd", description: "Stripe processing fees", type: "stripe_fee" }],
});
const charge = (n, created) => ({
  id: `ch_hist${n}`, object: "charge", amount: 1000 * n, amount_captured: 1000 * n, amount_refunded: 0, balance_transaction: `txn_hist${n}`,
  captured: true, created, currency: "usd", paid: true, refunded: false, status: "succeeded", payment_intent: `pi_hist${n}`, description: `Order ${n}`,
});
const charges = [charge(1, MAY + 3600), charge(2, MAY + 86400 * 3), charge(3, MAY + 86400 * 20)];
const april = charge(4, MAY - 1);
const expanded = (c) => ({ ...c, balance_transaction: txn(c.balance_transaction, c.amount, 30 + c.amount / 50, c.id, c.created) });

before(async () => {
  stripe = await startStripe({ key: KEY });
  for (const c of [...charges, april]) {
    stripe.put(c);
    stripe.putTxn(expanded(c).balance_transaction);
  }
  mf = await startWorker({ shops: { default: { stripe: { api_base: stripe.url } } }, vars: { STRIPE_API_KEY: KEY } });
  // The first charge came by webhook; the consumer fetched its fee.
  const event = { id: "evt_hist1", object: "event", type: "charge.succeeded", created: MAY + 3601, data: { object: charges[0] } };
  assert.equal((await sendStripe(mf, event)).status, 202);
  await waitFor("idle", () => idle(mf));
});
after(async () => { await mf?.dispose(); await stripe?.close(); });

const backfill = async (body) => {
  const res = await mf.dispatchFetch("http://localhost/api/backfill", {
    method: "POST", headers: { authorization: `Bearer ${API_KEY}` }, body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};
const may = { platform: "stripe", shop: "default", from: "2026-05-01", to: "2026-05-31" };
const ids = async () => (await rows(mf, "SELECT id FROM entries ORDER BY created_at, rowid")).map((r) => r.id);
const counts = async () => Object.fromEntries(await Promise.all(["entries", "events", "outbox"].map(async (t) =>
  [t, (await rows(mf, `SELECT COUNT(*) AS n FROM ${t}`))[0].n])));
// What the core books for each charge, fee included, computed outside the worker.
const want = (c) => coreMapAs("stripe", JSON.stringify(expanded(c)), "").entries;
const total = (e) => {
  const m = e.lines.reduce((sum, l) => sum + milli(l.debit), 0n);
  return `${m / 1000n}.${String(m % 1000n).padStart(3, "0").slice(0, 2)}`;
};

test("the dry run lists the charges not booked, the webhook's as unchanged, and writes nothing", async () => {
  const booked = await ids();
  assert.deepEqual(booked, want(charges[0]).map((e) => e.id), "the webhook's charge booked as the core maps it with its fee");
  const was = await counts();
  const r = await backfill(may);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  // Newest first, as Stripe lists charges.
  const fresh = [charges[2], charges[1]].flatMap(want);
  assert.ok(fresh.every((e) => e.lines.some((l) => l.account.startsWith("Expenses:PaymentFees"))), "the core books the fee");
  assert.deepEqual(r.body.new.map((e) => [e.id, e.amount]), fresh.map((e) => [e.id, total(e)]), "mapped with the fee");
  assert.deepEqual([r.body.changed, r.body.unchanged, r.body.documents, r.body.truncated], [[], booked.length, 3, false]);
  assert.deepEqual(await counts(), was);
  const list = stripe.state.calls.find((c) => c.path === "/v1/charges");
  assert.deepEqual([list.query["created[gte]"], list.query["created[lte]"], list.expand], [String(MAY), String(MAY + 31 * 86400 - 1), ["data.balance_transaction"]]);
});

test("one charge a page: two pages a call, starting_after continues; confirm books the two once, twice books nothing", async () => {
  const paged = await backfill({ ...may, limit: 1 });
  assert.deepEqual([paged.body.pages, paged.body.documents, paged.body.truncated, paged.body.next], [2, 2, true, "ch_hist2"]);
  const rest = await backfill({ ...may, limit: 1, cursor: paged.body.next });
  assert.deepEqual([rest.body.pages, rest.body.documents, rest.body.truncated, rest.body.next], [1, 1, false, null]);
  assert.deepEqual(stripe.state.calls.filter((c) => c.path === "/v1/charges").slice(-3).map((c) => c.query.starting_after), [undefined, "ch_hist3", "ch_hist2"]);
  assert.deepEqual([...paged.body.new, ...rest.body.new].map((e) => e.id), [charges[2], charges[1]].flatMap(want).map((e) => e.id));
  const before = await ids();
  const r = await backfill({ ...may, confirm: true });
  assert.equal(r.body.recorded, 3);
  await waitFor("idle", () => idle(mf));
  const after1 = await ids();
  assert.deepEqual(after1.slice(before.length).sort(), [charges[1], charges[2]].flatMap(want).map((e) => e.id).sort());
  const again = await backfill({ ...may, confirm: true });
  assert.deepEqual([again.body.recorded, again.body.new], [0, []]);
  await waitFor("idle", () => idle(mf));
  assert.equal((await ids()).length, after1.length);
});
