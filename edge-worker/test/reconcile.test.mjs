// The WooCommerce reconciliation pull (reliability case 16): a store whose webhook never arrived
// is found by the next sweep through the REST API (a stand-in enforcing Basic auth and
// `modified_after`), booked once and posted once; the same version arriving by webhook later, or
// found again by the next sweep, books nothing more; a newer version is reversed and re-booked.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWebhookReceiver } from "./standins/webhook-receiver.mjs";
import { startWooCommerce } from "./standins/woocommerce.mjs";
import { WEBHOOK_SECRET, coreMapAs, fixtureConfig, fixtureOf, idle, rows, sendWoo, startWorker, waitFor } from "./helpers.mjs";

const SHOP = "shop.example.test";
const KEY = "ck_test";
const SECRET = "cs_test";
let mf, woo, receiver;

// The `simple` fixture, modified an hour ago (the first pull looks back 24 hours).
const gmt = (ms) => new Date(ms).toISOString().slice(0, 19);
const order = JSON.parse(fixtureOf("woocommerce", "simple"));
order.date_modified_gmt = gmt(Date.now() - 3_600_000);
const config = fixtureConfig("../woocommerce/simple", SHOP);

before(async () => {
  receiver = await startWebhookReceiver(WEBHOOK_SECRET);
  woo = await startWooCommerce({ key: KEY, secret: SECRET });
  mf = await startWorker({
    shops: { [SHOP]: { targets: ["webhook"], webhook_url: `${receiver.url}/hook`, mapping_toml: config, woocommerce: { base_url: woo.url } } },
    vars: { WOOCOMMERCE_API_KEY: KEY, WOOCOMMERCE_API_SECRET: SECRET },
  });
});
after(async () => { await mf?.dispose(); await woo?.close(); await receiver?.close(); });

const sweep = async () => { await (await mf.getWorker()).scheduled({ cron: "*/2 * * * *" }); await waitFor("idle", () => idle(mf), 20000); };
const ledger = async () => (await rows(mf, "SELECT json, state FROM entries WHERE shop = ? ORDER BY created_at, rowid", SHOP)).map((r) => ({ ...JSON.parse(r.json), state: r.state }));
const posted = () => receiver.log.filter((l) => l.status === 200 && !l.duplicate).map((l) => l.id);

test("an order whose webhook was lost is found by the next sweep, booked and posted once", async () => {
  woo.state.orders.set(order.id, order);
  await sweep();
  const want = coreMapAs("woocommerce", JSON.stringify(order), config).entries;
  const booked = await ledger();
  assert.deepEqual(booked.map(({ state, ...e }) => e), want);
  assert.deepEqual(posted(), want.map((e) => e.id));
  const [call] = woo.state.calls;
  assert.equal(call.query.dates_are_gmt, "true");
  assert.ok(call.query.modified_after < order.date_modified_gmt, "the first pull looks back");
  const [cursor] = await rows(mf, "SELECT cursor FROM pull_cursors WHERE source = 'woocommerce' AND shop = ?", SHOP);
  assert.equal(cursor.cursor, order.date_modified_gmt);
});

test("the same version by webhook, and found again by the next sweep, books and posts nothing more", async () => {
  assert.equal((await sendWoo(mf, order)).status, 202);
  await waitFor("idle", () => idle(mf));
  await sweep();
  assert.equal((await ledger()).length, 1);
  assert.equal(posted().length, 1);
  const events = await rows(mf, "SELECT topic, status, reason FROM events WHERE shop = ? ORDER BY id", SHOP);
  assert.deepEqual(events.map((e) => [e.topic, e.status]), [["order.reconciled", "mapped"], ["order.updated", "mapped"]]);
  assert.match(events[1].reason, /^duplicate: /);
  const last = woo.state.calls.at(-1).query.modified_after;
  assert.ok(last < order.date_modified_gmt && last >= gmt(Date.parse(`${order.date_modified_gmt}Z`) - 1000), `asks from just before the cursor: ${last}`);
});

test("a newer version found by the sweep (cancelled before payment) reverses the booked sale", async () => {
  const v2 = structuredClone(order);
  v2.date_modified_gmt = gmt(Date.now() - 60_000);
  v2.status = "cancelled";
  v2.date_paid_gmt = null;
  woo.state.orders.set(v2.id, v2);
  await sweep();
  const booked = await ledger();
  assert.deepEqual(booked.map((e) => e.state), ["reversed", "reversal"], "cancelled unpaid: the sale is reversed, nothing new booked");
  assert.equal(posted().length, 2);
});

test("a store that refuses the API key records nothing, and the sweeper carries on", async () => {
  const other = await startWorker({
    shops: { [SHOP]: { woocommerce: { base_url: woo.url } } },
    vars: { WOOCOMMERCE_API_KEY: KEY, WOOCOMMERCE_API_SECRET: "wrong" },
  });
  try {
    const calls = woo.state.calls.length;
    await (await other.getWorker()).scheduled({ cron: "*/2 * * * *" });
    assert.equal(woo.state.calls.length, calls + 1);
    assert.deepEqual(await rows(other, "SELECT id FROM events"), []);
    assert.deepEqual(await rows(other, "SELECT cursor FROM pull_cursors"), []);
  } finally {
    await other.dispose();
  }
});
