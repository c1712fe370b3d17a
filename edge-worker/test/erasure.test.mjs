// Shopify's privacy webhooks: customers/redact rewrites the stored payloads of the named orders
// without personal data, shop/redact those of the whole shop; the ledger and the preview stay
// exactly as they were, and the erasure request itself is never stored with the customer in it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { API_KEY, fixture, idle, rows, sendShopify, startWorker, waitFor } from "./helpers.mjs";

const SHOP = "erase.myshopify.com";
const GONE = "gone.myshopify.com";
// The canary PII planted in the fixtures (tests/fixtures/README.md).
const CANARIES = ["canary.pii@example.test", "Canary Person", "+1-555-0100-CANARY", "Canary Road", "Apt CANARY", "Canaryville", "Canarystadt"];
const hasCanary = (text) => CANARIES.some((c) => text.includes(c));
let mf;

before(async () => {
  mf = await startWorker({ shops: {} });
  for (const [shop, name] of [[SHOP, "simple"], [SHOP, "tip"], [GONE, "simple"], [GONE, "multi-currency"]]) {
    assert.equal((await sendShopify(mf, fixture(name), { shop, topic: "orders/paid" })).status, 202);
  }
  await waitFor("mapped", () => idle(mf));
});
after(() => mf?.dispose());

const settle = () => waitFor("idle", () => idle(mf));
const payloads = async (shop) => rows(mf, "SELECT order_id, payload FROM events WHERE shop = ? AND resource = 'order' ORDER BY id", shop);
const ledger = async (shop) => rows(mf, "SELECT id, json, state FROM entries WHERE shop = ? ORDER BY id", shop);
const preview = async (shop, orderId) => {
  const res = await mf.dispatchFetch(`http://localhost/api/preview/shopify/${orderId}?shop=${shop}`, { headers: { "x-api-key": API_KEY } });
  const body = await res.json();
  return { status: res.status, entries: body.entries, profit: body.profit };
};

test("customers/redact: the named order's payload loses the customer; others, the ledger and the preview do not change", async () => {
  const simpleId = String(JSON.parse(fixture("simple")).id);
  const tipId = String(JSON.parse(fixture("tip")).id);
  const before = { stored: await payloads(SHOP), ledger: await ledger(SHOP), preview: await preview(SHOP, simpleId) };
  assert.ok(before.stored.every((r) => hasCanary(r.payload)), "the fixtures carry the canaries, so the check below can fail");

  const request = { shop_id: 954889, shop_domain: SHOP, customer: { id: 191167, email: "canary.pii@example.test", phone: "+1-555-0100-CANARY" },
    orders_to_redact: [Number(simpleId)] };
  assert.equal((await sendShopify(mf, request, { shop: SHOP, topic: "customers/redact" })).status, 202);
  await settle();

  const after = await payloads(SHOP);
  assert.equal(hasCanary(after.find((r) => r.order_id === simpleId).payload), false);
  assert.equal(after.find((r) => r.order_id === tipId).payload, before.stored.find((r) => r.order_id === tipId).payload, "not named: untouched");
  assert.deepEqual(await ledger(SHOP), before.ledger);
  assert.deepEqual(await preview(SHOP, simpleId), before.preview, "the redacted payload maps to the same entries");
  const [req] = await rows(mf, "SELECT payload, status, reason FROM events WHERE shop = ? AND resource = 'redact'", SHOP);
  assert.equal(hasCanary(req.payload), false, "the request is stored without the customer");
  assert.deepEqual([req.status, req.reason], ["mapped", "1 stored payloads redacted, 0 contacts forgotten, 0 queued documents made again"]);
});

test("shop/redact: every stored payload of the shop loses its people; the ledger stays and balances", async () => {
  const before = await ledger(GONE);
  assert.equal((await sendShopify(mf, { shop_id: 1, shop_domain: GONE }, { shop: GONE, topic: "shop/redact" })).status, 202);
  await settle();
  const stored = await payloads(GONE);
  assert.equal(stored.length, 2);
  assert.ok(stored.every((r) => !hasCanary(r.payload)));
  assert.deepEqual(await ledger(GONE), before);
  for (const e of before) {
    const lines = JSON.parse(e.json).lines;
    const cents = (k) => lines.reduce((a, l) => a + BigInt(l[k].replace(".", "")), 0n);
    assert.equal(cents("debit"), cents("credit"), e.id);
  }
  assert.ok((await payloads(SHOP)).some((r) => hasCanary(r.payload)), "another shop's payloads are not touched");
});
