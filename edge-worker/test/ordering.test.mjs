// Duplicates and ordering: the same delivery twice, two deliveries of one version, an update
// before its create, a refund before its order, a stale retry → the same ledger (balances and
// active entries) as in-order delivery, and nothing posted twice. Plus the sweeper as relay.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWebhookReceiver } from "./standins/webhook-receiver.mjs";
import fs from "node:fs";
import path from "node:path";
import { FIXTURES, WEBHOOK_SECRET, balances, fixture, idle, rows, sendShopify, startWorker, waitFor } from "./helpers.mjs";

const IN_ORDER = "in-order.myshopify.com";
const SHUFFLED = "shuffled.myshopify.com";
const CANCELLED = "cancelled.myshopify.com";
const CANCELLED_LATE = "cancelled-late.myshopify.com";
let mf, receiver;

// The refund-webhook fixture refunds order 6123400000012; versions 1 and 2 of that order are the
// `simple` fixture re-numbered, version 2 an hour later at a higher price.
const refund = fixture("refund-webhook");
// The refund's entry id as worked out by hand in the fixture (tests/fixtures/shopify/refund-webhook).
const refundId = JSON.parse(fs.readFileSync(path.join(FIXTURES, "refund-webhook/expected.json"), "utf8")).entries[0].id;
const v1 = (() => { const o = JSON.parse(fixture("simple")); o.id = 6123400000012; return o; })();
const v2 = (() => {
  const o = structuredClone(v1);
  o.updated_at = "2026-05-04T00:30:02-04:00";
  o.line_items[0].price = "30.00";
  for (const k of ["total_price", "subtotal_price", "current_total_price", "current_subtotal_price", "total_line_items_price"]) {
    if (k in o) o[k] = "30.00";
  }
  return o;
})();

before(async () => {
  receiver = await startWebhookReceiver(WEBHOOK_SECRET);
  const shop = { targets: ["webhook"], webhook_url: `${receiver.url}/hook` };
  mf = await startWorker({ shops: { [IN_ORDER]: shop, [SHUFFLED]: shop, [CANCELLED]: shop, [CANCELLED_LATE]: shop } });
});
after(async () => { await mf?.dispose(); await receiver?.close(); });

const settle = () => waitFor("idle", () => idle(mf));
const entriesOf = async (shop) =>
  (await rows(mf, "SELECT json, state FROM entries WHERE shop = ? ORDER BY id", shop)).map((r) => ({ ...JSON.parse(r.json), state: r.state }));
const strip = (id) => id.replace(/^shopify:[^:]+:/, "");

test("in-order delivery: v1, v2 (reversal of v1 + v2), refund", async () => {
  for (const [body, topic] of [[v1, "orders/create"], [v2, "orders/updated"], [refund, "refunds/create"]]) {
    assert.equal((await sendShopify(mf, body, { shop: IN_ORDER, topic })).status, 202);
    await settle();
  }
  const ids = (await entriesOf(IN_ORDER)).map((e) => `${strip(e.id)} ${e.state}`);
  assert.deepEqual(ids, [
    "order:6123400000012:sale:1777865402 reversed",
    "order:6123400000012:sale:1777865402:reversal reversal",
    "order:6123400000012:sale:1777869002 active",
    `${strip(refundId)} active`,
  ].sort());
});

test("shuffled delivery with duplicates converges to the same ledger, nothing posted twice", async () => {
  const send = (body, topic, webhookId) => sendShopify(mf, body, { shop: SHUFFLED, topic, webhookId });
  assert.equal((await send(refund, "refunds/create", "r-1")).status, 202);
  await settle();
  const [waiting] = await rows(mf, "SELECT status FROM events WHERE shop = ? AND resource = 'refund'", SHUFFLED);
  assert.equal(waiting.status, "waiting-for-order");
  assert.deepEqual(await entriesOf(SHUFFLED), []);

  assert.equal((await send(v2, "orders/updated", "u-2")).status, 202); // update before create
  await settle();
  assert.equal((await send(v2, "orders/updated", "u-2")).status, 200); // same delivery twice
  // Another delivery of the same bytes (another topic's subscription): the body was recorded for
  // this shop, so it is a duplicate whatever its delivery id.
  assert.equal((await send(v2, "orders/paid", "p-2")).status, 200);
  assert.equal((await send(v1, "orders/create", "c-1")).status, 202); // the create, late: stale
  await settle();
  assert.equal((await send(v1, "orders/create", "c-1-retry")).status, 200); // the same body again
  assert.equal((await send(refund, "refunds/create", "r-1")).status, 200);
  await settle();

  const shuffled = await entriesOf(SHUFFLED);
  const inOrder = await entriesOf(IN_ORDER);
  assert.deepEqual(balances(shuffled), balances(inOrder));
  const active = (list) => list.filter((e) => e.state === "active").map((e) => strip(e.id));
  assert.deepEqual(active(shuffled), active(inOrder));
  assert.equal(shuffled.length, 2, "no reversal needed when the stale version never booked");

  const posted = receiver.log.filter((l) => l.id?.startsWith(`shopify:${SHUFFLED}:`));
  assert.equal(posted.length, 2, JSON.stringify(posted));
  assert.ok(posted.every((l) => l.status === 200 && !l.duplicate));
  const statuses = await rows(mf, "SELECT status, count(*) AS n FROM events WHERE shop = ? GROUP BY status", SHUFFLED);
  assert.deepEqual(statuses, [{ status: "mapped", n: 3 }]);
});

// The cancelled-unpaid fixture (order 6123400000010, cancelled at 10:30, updated 10:30:01) and the
// version before it: authorized at 10:00, not cancelled, updated 10:00:01, which books a sale.
const cancelled = fixture("cancelled-unpaid");
const authorized = (() => {
  const o = JSON.parse(cancelled);
  Object.assign(o, { cancelled_at: null, cancel_reason: null, financial_status: "authorized", updated_at: "2026-05-09T10:00:01-04:00" });
  o.transactions = o.transactions.filter((t) => t.kind !== "void");
  return o;
})();

test("an order cancelled before payment reverses its posted sale; the late pending version books nothing", async () => {
  const send = (shop, body, topic) => sendShopify(mf, body, { shop, topic });
  assert.equal((await send(CANCELLED, authorized, "orders/create")).status, 202);
  await settle();
  assert.equal((await send(CANCELLED, cancelled, "orders/cancelled")).status, 202);
  await settle();
  const booked = await entriesOf(CANCELLED);
  assert.deepEqual(booked.map((e) => `${strip(e.id)} ${e.state} ${e.date}`), [
    "order:6123400000010:sale:1778335201 reversed 2026-05-09",
    "order:6123400000010:sale:1778335201:reversal reversal 2026-05-09",
  ]);
  assert.deepEqual(balances(booked), {}, "the sale and its reversal net every account to zero");
  const posted = receiver.log.filter((l) => l.id?.startsWith(`shopify:${CANCELLED}:`) && l.status === 200);
  assert.deepEqual(posted.map((l) => strip(l.id)).sort(), booked.map((e) => strip(e.id)));
  const [head] = await rows(mf, "SELECT entry_id, version FROM heads WHERE logical_key LIKE ?", `shopify:${CANCELLED}:sale:%`);
  assert.deepEqual(head, { entry_id: null, version: "1778337001" });

  // Cancellation first, then the pending version's delivery arriving late: never booked at all.
  assert.equal((await send(CANCELLED_LATE, cancelled, "orders/cancelled")).status, 202);
  await settle();
  assert.equal((await send(CANCELLED_LATE, authorized, "orders/create")).status, 202);
  await settle();
  assert.deepEqual(await entriesOf(CANCELLED_LATE), []);
  assert.equal(receiver.log.filter((l) => l.id?.startsWith(`shopify:${CANCELLED_LATE}:`)).length, 0);
});

test("the sweeper re-enqueues an event whose queue message was lost", async () => {
  const db = await mf.getD1Database("LEDGER");
  const body = fixture("tip");
  // As if the worker died between the D1 write and Queue.send.
  await db.prepare(`INSERT INTO events (platform, shop, topic, delivery_id, resource, order_id, payload, received_at, updated_at)
                    VALUES ('shopify', ?1, 'orders/create', 'lost-1', 'order', '6123400000006', ?2, 0, 0)`).bind(IN_ORDER, body).run();
  const worker = await mf.getWorker();
  await worker.scheduled({ cron: "*/2 * * * *" });
  await waitFor("swept event mapped and posted", async () =>
    (await rows(mf, "SELECT state FROM outbox WHERE entry_id LIKE '%:order:6123400000006:%' AND target = 'webhook'"))[0]?.state === "posted");
  assert.ok([...receiver.received.keys()].some((id) => id.includes(":order:6123400000006:")));
});
