// Issue #15 item 10 (personal data), worker side: the retention sweep strips personal data from
// payloads whose entries are all posted (and the order still previews the same); POST /api/erasure
// redacts a WooCommerce or Stripe customer's payloads, found by the core by email or customer id;
// Shopify's customers/data_request is recorded and answered by GET /api/data-requests.
import { test } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import {
  API_KEY, CLIENT_ID, SHOPIFY_SECRET, fixture, fixtureOf, idle, rows, sendShopify, sendStripe, sendWoo, startWorker, waitFor,
} from "./helpers.mjs";

const SHOP = "demo.myshopify.com";
const WOO = "shop.example.test";
const CANARY = "canary.pii@example.test";
const cron = async (mf) => (await mf.getWorker()).scheduled({ cron: "*/2 * * * *" });

async function call(mf, path, { method = "GET", body, headers = { "x-api-key": API_KEY } } = {}) {
  const res = await mf.dispatchFetch(`http://localhost${path}`, { method, headers, body: body && JSON.stringify(body) });
  return { status: res.status, text: await res.text() };
}
const json = (r) => JSON.parse(r.text);
const b64url = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
/** A Shopify session token for `shop`, as App Bridge would fetch it (admin.test.mjs has the checks). */
function sessionToken(shop) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: `https://${shop}/admin`, dest: `https://${shop}`, aud: CLIENT_ID, sub: "42", exp: now + 60, nbf: now - 5, iat: now - 5 };
  const unsigned = `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url(claims)}`;
  return `${unsigned}.${crypto.createHmac("sha256", SHOPIFY_SECRET).update(unsigned).digest("base64url")}`;
}
const payloadOf = async (mf, orderId) =>
  (await rows(mf, "SELECT payload, redacted_at FROM events WHERE order_id = ? ORDER BY id", String(orderId)));

test("retention: once every entry of an event is posted and RETENTION_DAYS passed, its payload loses the customer, once; the preview does not change", async (t) => {
  const mf = await startWorker({
    shops: { [SHOP]: {}, "stuck.myshopify.com": { targets: ["webhook"], webhook_url: "http://127.0.0.1:9/unreachable" } },
    vars: { RETENTION_DAYS: "0" },
  });
  t.after(() => mf.dispose());
  const order = JSON.parse(fixture("simple"));
  assert.equal((await sendShopify(mf, order, { shop: SHOP })).status, 202);
  assert.equal((await sendShopify(mf, { ...order, id: 1 }, { shop: "stuck.myshopify.com" })).status, 202);
  await waitFor("mapped", async () => (await rows(mf, "SELECT 1 FROM events WHERE status != 'mapped'")).length === 0);
  const before = json(await call(mf, `/api/preview/shopify/${order.id}?shop=${SHOP}`));
  assert.ok((await payloadOf(mf, order.id))[0].payload.includes(CANARY));

  await cron(mf);
  const [held] = await payloadOf(mf, order.id);
  assert.ok(!held.payload.includes(CANARY) && !/canary/i.test(held.payload), held.payload.slice(0, 200));
  assert.ok(held.redacted_at > 0);
  const [stuck] = await payloadOf(mf, 1);
  assert.ok(stuck.payload.includes(CANARY), "an event with an unposted entry keeps its payload (a replay may map it again)");
  assert.equal(stuck.redacted_at, null);
  const after = json(await call(mf, `/api/preview/shopify/${order.id}?shop=${SHOP}`));
  for (const k of ["entries", "warnings", "profit"]) assert.deepEqual(after[k], before[k], k);

  await cron(mf);
  assert.equal((await payloadOf(mf, order.id))[0].redacted_at, held.redacted_at, "not redacted twice");
});

test("retention default: a payload younger than RETENTION_DAYS keeps its data", async (t) => {
  const mf = await startWorker();
  t.after(() => mf.dispose());
  const order = JSON.parse(fixture("simple"));
  assert.equal((await sendShopify(mf, order, { shop: SHOP })).status, 202);
  await waitFor("mapped", () => idle(mf));
  await cron(mf);
  const [held] = await payloadOf(mf, order.id);
  assert.ok(held.payload.includes(CANARY));
  assert.equal(held.redacted_at, null);
});

test("POST /api/erasure: a WooCommerce customer by email and a Stripe customer by id lose their stored data; others keep theirs", async (t) => {
  const mf = await startWorker();
  t.after(() => mf.dispose());
  const mine = JSON.parse(fixtureOf("woocommerce", "simple"));
  const other = JSON.parse(fixtureOf("woocommerce", "simple").replaceAll(CANARY, "someone.else@example.test")
    .replaceAll("Canary", "Other").replace(/"customer_id": *17/, '"customer_id": 18'));
  other.id = mine.id + 1;
  assert.equal((await sendWoo(mf, mine, { source: `https://${WOO}/` })).status, 202);
  assert.equal((await sendWoo(mf, { ...mine, status: "completed", date_modified_gmt: "2026-06-01T00:00:00" }, { source: `https://${WOO}/` })).status, 202);
  assert.equal((await sendWoo(mf, other, { source: `https://${WOO}/` })).status, 202);
  const charge = fixtureOf("stripe", "charge-fee-usd");
  assert.equal((await sendStripe(mf, charge)).status, 202);
  await waitFor("mapped", () => idle(mf));

  const denied = await call(mf, "/api/erasure", { method: "POST", headers: {}, body: { platform: "woocommerce", shop: WOO, customer: { email: CANARY } } });
  assert.equal(denied.status, 401);
  const nothing = await call(mf, "/api/erasure", { method: "POST", body: { platform: "woocommerce", shop: WOO } });
  assert.deepEqual([nothing.status, json(nothing).error.code, json(nothing).error.path], [400, "E_NOTHING_NAMED", "customer"]);

  const woo = await call(mf, "/api/erasure", { method: "POST", body: { platform: "woocommerce", shop: WOO, customer: { email: "CANARY.PII@example.test" } } });
  assert.equal(woo.status, 200, woo.text);
  assert.deepEqual(json(woo), { platform: "woocommerce", shop: WOO, orders: [String(mine.id)], events: 2, redacted: 2, contacts: 0 });
  for (const e of await payloadOf(mf, mine.id)) {
    assert.ok(!/canary/i.test(e.payload), e.payload.slice(0, 200));
    assert.ok(e.redacted_at > 0);
  }
  assert.ok((await payloadOf(mf, other.id))[0].payload.includes("someone.else@example.test"));

  const stripe = await call(mf, "/api/erasure", { method: "POST", body: { platform: "stripe", shop: "default", customer: { id: "cus_Canary" } } });
  assert.equal(stripe.status, 200, stripe.text);
  assert.equal(json(stripe).redacted, 1);
  const [held] = await rows(mf, "SELECT payload FROM events WHERE platform = 'stripe'");
  assert.ok(!/canary/i.test(held.payload), held.payload.slice(0, 300));
  assert.equal((await rows(mf, "SELECT count(*) AS n FROM entries"))[0].n > 0, true, "the ledger stays");
});

test("customers/data_request: recorded without the customer's contact details; GET /api/data-requests lists the orders and the personal data held", async (t) => {
  const mf = await startWorker({ shops: { [SHOP]: {} } });
  t.after(() => mf.dispose());
  const order = JSON.parse(fixture("simple"));
  const unrelated = { ...JSON.parse(fixture("tip")), customer: null };
  assert.equal((await sendShopify(mf, order, { shop: SHOP })).status, 202);
  assert.equal((await sendShopify(mf, unrelated, { shop: SHOP })).status, 202);
  await waitFor("mapped", () => idle(mf));
  const request = { shop_id: 954889, shop_domain: SHOP, orders_requested: [order.id],
    customer: { id: order.customer.id, email: CANARY, phone: "+1-555-0100-CANARY" }, data_request: { id: 9999 } };
  const other = await sendShopify(mf, { ...request, shop_domain: "other.myshopify.com" }, { shop: SHOP, topic: "customers/data_request" });
  assert.deepEqual([other.status, JSON.parse(other.body).error.code], [403, "E_SHOP_MISMATCH"]);
  const r = await sendShopify(mf, request, { shop: SHOP, topic: "customers/data_request" });
  assert.equal(r.status, 202, r.body);
  assert.equal((await sendShopify(mf, request, { shop: SHOP, topic: "customers/data_request", webhookId: crypto.randomUUID() })).status, 200, "same request id: recorded once");
  const stored = await rows(mf, "SELECT * FROM data_requests");
  assert.equal(stored.length, 1);
  assert.ok(!/canary/i.test(JSON.stringify(stored)), JSON.stringify(stored));

  assert.equal((await call(mf, "/api/data-requests", { headers: {} })).status, 401);
  const own = { authorization: `Bearer ${sessionToken(SHOP)}` };
  assert.equal(json(await call(mf, "/api/data-requests", { headers: own })).data_requests.length, 1, "a session token sees its shop's");
  const foreign = { authorization: `Bearer ${sessionToken("other.myshopify.com")}` };
  assert.equal((await call(mf, `/api/data-requests?shop=${SHOP}`, { headers: foreign })).status, 403);
  assert.deepEqual(json(await call(mf, "/api/data-requests", { headers: foreign })).data_requests, []);
  const erase = (headers, body) => call(mf, "/api/erasure", { method: "POST", headers, body });
  assert.equal((await erase(own, { platform: "woocommerce", shop: WOO, customer: { email: CANARY } })).status, 403, "a session token erases Shopify customers only");
  assert.equal((await erase(foreign, { platform: "shopify", shop: SHOP, orders: [order.id] })).status, 403, "nor another shop's");
  const listed = await call(mf, `/api/data-requests?shop=${SHOP}`);
  assert.equal(listed.status, 200, listed.text);
  const [req] = json(listed).data_requests;
  assert.equal(req.request_id, "9999");
  assert.deepEqual(req.orders_requested, [String(order.id)]);
  assert.deepEqual(req.held.map((h) => h.order_id), [String(order.id)]);
  const fields = req.held[0].events[0].personal_data;
  const paths = fields.map((f) => f.path);
  for (const p of ["email", "customer", "billing_address", "shipping_address"]) assert.ok(paths.includes(p), `${p} in ${paths}`);
  assert.equal(fields.find((f) => f.path === "email").value, CANARY);
});
