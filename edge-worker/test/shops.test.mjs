// Which shop a delivery is booked under: only configured shops (issue #15 S4, S7), privacy requests
// only about the shop that sends them, one signed body recorded once per shop (a replay under a
// fresh delivery id is a duplicate), and refusals kept as bounded counters (S8).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { API_KEY, fixture, rows, sendShopify, sendWoo, startWorker } from "./helpers.mjs";

const SHOP = "demo.myshopify.com";
const OTHER = "second.myshopify.com";
let mf;
// No "*": only these shops are accepted.
before(async () => { mf = await startWorker({ shops: { [SHOP]: {}, [OTHER]: {}, "shop.example.test": {} } }); });
after(() => mf?.dispose());

const events = async () => (await rows(mf, "SELECT count(*) AS n FROM events"))[0].n;
const counted = async (platform, reason) =>
  (await rows(mf, "SELECT coalesce(sum(n), 0) AS n FROM rejection_counts WHERE platform = ? AND reason = ?", platform, reason))[0].n;
const code = (r) => JSON.parse(r.body).error.code;

test("a shop that is not configured is refused with 403, counted, nothing recorded", async () => {
  const n0 = await events();
  const r = await sendShopify(mf, fixture("simple"), { shop: "stranger.myshopify.com" });
  assert.equal(r.status, 403, r.body);
  assert.equal(code(r), "E_UNKNOWN_SHOP");
  const woo = await sendWoo(mf, { id: 1, status: "processing" }, { source: "https://elsewhere.example/" });
  assert.equal(woo.status, 403, woo.body);
  assert.equal(await events(), n0);
  assert.equal(await counted("shopify", "E_UNKNOWN_SHOP"), 1);
  assert.equal(await counted("woocommerce", "E_UNKNOWN_SHOP"), 1);
  // A configured shop, in any letter case, is accepted.
  assert.equal((await sendShopify(mf, fixture("simple"), { shop: "Demo.MyShopify.com" })).status, 202);
  assert.equal((await sendWoo(mf, { id: 2, status: "processing" })).status, 202);
});

test("a privacy request about another shop than the one sending it is refused", async () => {
  const n0 = await events();
  const aboutOther = { shop_id: 1, shop_domain: OTHER };
  const r = await sendShopify(mf, aboutOther, { shop: SHOP, topic: "shop/redact" });
  assert.equal(r.status, 403, r.body);
  assert.equal(code(r), "E_SHOP_MISMATCH");
  const unnamed = await sendShopify(mf, { shop_id: 1, orders_to_redact: [1] }, { shop: SHOP, topic: "customers/redact" });
  assert.equal(unnamed.status, 403, unnamed.body);
  assert.equal(await events(), n0);
  assert.equal(await counted("shopify", "E_SHOP_MISMATCH"), 2);
  const own = await sendShopify(mf, { shop_id: 1, shop_domain: "DEMO.myshopify.com", orders_to_redact: [] },
    { shop: SHOP, topic: "customers/redact" });
  assert.equal(own.status, 202, own.body);
});

test("one signed body under a fresh delivery id is a duplicate for its shop, not a new event", async () => {
  const body = fixture("tip");
  assert.equal((await sendShopify(mf, body, { shop: OTHER, webhookId: "first" })).status, 202);
  const again = await sendShopify(mf, body, { shop: OTHER, webhookId: "replayed-under-a-new-id" });
  assert.equal(again.status, 200, again.body);
  assert.match(again.body, /duplicate/);
  assert.equal((await rows(mf, "SELECT count(*) AS n FROM events WHERE shop = ?", OTHER))[0].n, 1);
  assert.equal((await rows(mf, "SELECT count(*) AS n FROM seen_bodies WHERE shop = ?", OTHER))[0].n, 1);
});

test("refusals are counters per platform, reason and day: a flood adds no rows and no attacker text", async () => {
  const body = JSON.stringify({ id: 9 });
  for (let i = 0; i < 5; i++) {
    assert.equal((await sendShopify(mf, body, { shop: SHOP, secret: "not-the-secret" })).status, 401);
    assert.equal((await sendShopify(mf, body, { shop: SHOP, topic: `products/${crypto.randomUUID()}` })).status, 200);
  }
  const bad = await rows(mf, "SELECT n FROM rejection_counts WHERE platform = 'shopify' AND reason = 'E_BAD_SIGNATURE'");
  assert.deepEqual(bad.map((r) => r.n), [5]);
  const reasons = (await rows(mf, "SELECT DISTINCT reason FROM rejection_counts")).map((r) => r.reason);
  assert.ok(reasons.includes("ignored-topic"), reasons.join());
  assert.ok(reasons.every((r) => /^(E_[A-Z_]+|ignored-topic)$/.test(r)), reasons.join());
  const status = await (await mf.dispatchFetch("http://localhost/api/status", { headers: { "x-api-key": API_KEY } })).json();
  assert.equal(status.rejected["shopify:E_BAD_SIGNATURE"], 5);
  assert.equal(status.rejected["shopify:ignored-topic"], 5);
});

test("the sweeper prunes counters older than 30 days and body hashes older than 7 days", async () => {
  const day = Math.floor(Date.now() / 86_400_000);
  const db = await mf.getD1Database("LEDGER");
  await db.batch([
    db.prepare("INSERT INTO rejection_counts (platform, reason, day, n) VALUES ('shopify', 'E_JSON', ?, 3)").bind(day - 31),
    db.prepare("INSERT INTO rejection_counts (platform, reason, day, n) VALUES ('shopify', 'E_JSON', ?, 4)").bind(day - 29),
    db.prepare("INSERT INTO seen_bodies (platform, shop, sha256, seen_at) VALUES ('shopify', ?, 'old', ?)").bind(SHOP, Date.now() - 8 * 86_400_000),
    db.prepare("INSERT INTO seen_bodies (platform, shop, sha256, seen_at) VALUES ('shopify', ?, 'recent', ?)").bind(SHOP, Date.now() - 6 * 86_400_000),
  ]);
  await (await mf.getWorker()).scheduled({ cron: "*/2 * * * *" });
  const kept = await rows(mf, "SELECT n FROM rejection_counts WHERE reason = 'E_JSON' ORDER BY day");
  assert.deepEqual(kept.map((r) => r.n), [4]);
  const hashes = await rows(mf, "SELECT sha256 FROM seen_bodies WHERE sha256 IN ('old', 'recent')");
  assert.deepEqual(hashes.map((r) => r.sha256), ["recent"]);
});
