// Historical import (issue #11 item 4), `POST /api/backfill`: a month of WooCommerce orders in a
// stand-in store (Basic auth, `after`/`before` on the creation date, pages), of which some were
// booked by webhook first and one changed since. The dry run answers the exact diff the core's
// plan makes against the ledger and writes nothing; `confirm` books exactly the new and changed
// entries (a reversal and the replacement); a second confirm books nothing more.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWebhookReceiver } from "./standins/webhook-receiver.mjs";
import { startWooCommerce } from "./standins/woocommerce.mjs";
import { API_KEY, WEBHOOK_SECRET, coreMapAs, fixtureConfig, fixtureOf, idle, milli, rows, sendWoo, startWorker, waitFor } from "./helpers.mjs";

const SHOP = "shop.example.test";
const KEY = "ck_test";
const SECRET = "cs_test";
let mf, woo, receiver;

const config = fixtureConfig("../woocommerce/simple", SHOP);
const base = JSON.parse(fixtureOf("woocommerce", "simple"));
// Order n of May 2026: created on day n, modified 9 seconds later.
const orderOn = (n) => {
  const o = structuredClone(base);
  const day = String(n).padStart(2, "0");
  o.id = 5000 + n;
  o.number = String(o.id);
  o.date_created_gmt = `2026-05-${day}T10:00:00`;
  o.date_modified_gmt = `2026-05-${day}T10:00:09`;
  o.date_paid_gmt = `2026-05-${day}T10:00:07`;
  return o;
};
const month = Array.from({ length: 7 }, (_, i) => orderOn(i + 1));
// Outside the window on both sides: never listed.
const outside = [orderOn(1), orderOn(1)];
outside[0].id = 4990; outside[0].date_created_gmt = "2026-04-30T23:59:59";
outside[1].id = 4991; outside[1].date_created_gmt = "2026-06-01T00:00:00";
// Order 5003 changed after its webhook: a third mug, modified a day later.
const changedV2 = structuredClone(month[2]);
changedV2.date_modified_gmt = "2026-05-04T08:00:00";
Object.assign(changedV2.line_items[0], { quantity: 3, subtotal: "37.50", total: "37.50" });
changedV2.total = "37.50";
const inStore = [month[0], month[1], changedV2, ...month.slice(3), ...outside];
const webhooked = [month[0], month[1], month[2]]; // 5003 in its first version

before(async () => {
  receiver = await startWebhookReceiver(WEBHOOK_SECRET);
  woo = await startWooCommerce({ key: KEY, secret: SECRET });
  for (const o of inStore) woo.state.orders.set(o.id, o);
  mf = await startWorker({
    shops: { [SHOP]: { targets: ["webhook"], webhook_url: `${receiver.url}/hook`, mapping_toml: config, woocommerce: { base_url: woo.url } } },
    vars: { WOOCOMMERCE_API_KEY: KEY, WOOCOMMERCE_API_SECRET: SECRET },
  });
  for (const o of webhooked) assert.equal((await sendWoo(mf, o)).status, 202);
  await waitFor("idle", () => idle(mf));
});
after(async () => { await mf?.dispose(); await woo?.close(); await receiver?.close(); });

const backfill = async (body, key = API_KEY) => {
  const res = await mf.dispatchFetch("http://localhost/api/backfill", {
    method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};
const may = { platform: "woocommerce", shop: SHOP, from: "2026-05-01", to: "2026-05-31" };
const counts = async () => Object.fromEntries(await Promise.all(["entries", "events", "outbox", "heads"].map(async (t) =>
  [t, (await rows(mf, `SELECT COUNT(*) AS n FROM ${t}`))[0].n])));
const sale = (o) => coreMapAs("woocommerce", JSON.stringify(o), config).entries;
const ledger = async () => (await rows(mf, "SELECT json, state FROM entries ORDER BY created_at, rowid")).map((r) => ({ ...JSON.parse(r.json), state: r.state }));

// An entry's total (Σ debits) as a decimal string: sale + cost of goods + fee lines.
const total = (e) => {
  const m = e.lines.reduce((sum, l) => sum + milli(l.debit), 0n);
  return `${m / 1000n}.${String(m % 1000n).padStart(3, "0").slice(0, 2)}`;
};
// What the core books for each order, computed outside the worker.
const fresh = month.slice(3).flatMap(sale);
const [v1] = sale(month[2]);
const [v2] = sale(changedV2);

test("the dry run answers the exact diff and writes nothing", async () => {
  const was = await counts();
  assert.equal(was.entries, 3, "the three webhooks booked one sale each");
  const r = await backfill(may);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.dry_run, true);
  assert.deepEqual(r.body.new, fresh.map((e) => ({ id: e.id, date: e.date, amount: total(e), currency: "USD" })));
  assert.deepEqual(r.body.changed, [{ id: v2.id, replaces: v1.id, amount: total(v2), currency: "USD" }]);
  assert.notEqual(total(v2), total(v1));
  assert.equal(r.body.unchanged, 2);
  assert.deepEqual(r.body.failed, []);
  assert.equal(r.body.documents, 7, "the orders outside May are not listed");
  assert.equal(r.body.truncated, false);
  assert.equal(r.body.next, null);
  assert.deepEqual(await counts(), was, "no entries, events, outbox rows or heads added");
  const call = woo.state.calls.at(-1).query;
  assert.deepEqual([call.after, call.before, call.orderby], ["2026-04-30T23:59:59", "2026-06-01T00:00:00", "date"]);
});

test("a small page size truncates after the page cap and the cursor continues where it stopped", async () => {
  const first = await backfill({ ...may, limit: 1 });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual([first.body.pages, first.body.documents, first.body.truncated, first.body.next], [2, 2, true, "3"]);
  const answers = [first.body];
  while (answers.at(-1).truncated) answers.push((await backfill({ ...may, limit: 1, cursor: answers.at(-1).next })).body);
  assert.deepEqual(answers.map((a) => a.documents), [2, 2, 2, 1], "two pages a call; the last page is short");
  const ids = answers.flatMap((a) => a.new).map((e) => e.id);
  assert.deepEqual(ids, fresh.map((e) => e.id), "together the calls cover the month once");
  assert.equal(answers.reduce((n, a) => n + a.unchanged, 0), 2);
});

test("confirm books exactly the new entries and the change as reversal and replacement", async () => {
  const r = await backfill({ ...may, confirm: true });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.dry_run, false);
  assert.equal(r.body.recorded, 7);
  await waitFor("idle", () => idle(mf));
  const booked = await ledger();
  const added = booked.slice(3).map(({ state, ...e }) => e);
  const want = [...fresh, v2];
  assert.equal(added.length, want.length + 1, "one reversal besides the new and replacement entries");
  assert.deepEqual(added.filter((e) => !e.id.endsWith(":reversal")).map((e) => e.id).sort(), want.map((e) => e.id).sort());
  assert.deepEqual(added.filter((e) => e.id.endsWith(":reversal")).map((e) => e.id), [`${v1.id}:reversal`]);
  assert.equal(booked.find((e) => e.id === v1.id).state, "reversed");
  const events = await rows(mf, "SELECT delivery_id, topic FROM events WHERE delivery_id LIKE 'backfill:%' ORDER BY delivery_id");
  assert.equal(events[0].delivery_id, `backfill:woocommerce:5001:${month[0].date_modified_gmt}`);
  assert.ok(events.every((e) => e.topic === "order.reconciled"));
});

test("confirm again, and the dry run after it, book and find nothing more", async () => {
  const was = await counts();
  const r = await backfill({ ...may, confirm: true });
  assert.equal(r.status, 200);
  assert.equal(r.body.recorded, 0, "the same delivery ids are duplicates at intake");
  assert.deepEqual([r.body.new, r.body.changed, r.body.unchanged], [[], [], 7]);
  await waitFor("idle", () => idle(mf));
  assert.deepEqual(await counts(), was);
});

test("refused: no credentials, a bad date, an unknown platform, a store that refuses the key", async () => {
  const anon = await mf.dispatchFetch("http://localhost/api/backfill", { method: "POST", body: JSON.stringify(may) });
  assert.equal(anon.status, 401);
  const date = await backfill({ ...may, from: "May 1" });
  assert.deepEqual([date.status, date.body.error.code, date.body.error.path], [400, "E_BAD_DATE", "from"]);
  const unknown = await backfill({ ...may, shop: "other.example.test" });
  assert.deepEqual([unknown.status, unknown.body.error.code, unknown.body.error.path], [409, "E_NOT_CONFIGURED", "shop"]);
  const limit = await backfill({ ...may, limit: 51 });
  assert.deepEqual([limit.status, limit.body.error.code], [400, "E_BAD_LIMIT"]);
  const stray = await backfill({ ...may, dry: true });
  assert.deepEqual([stray.status, stray.body.error.code], [400, "E_BAD_BODY"], "an unknown field is refused, not ignored");
  const bc = await backfill({ ...may, platform: "bigcommerce" });
  assert.deepEqual([bc.status, bc.body.error.code, bc.body.error.path], [400, "E_UNSUPPORTED_PLATFORM", "platform"]);
  const other = await startWorker({ shops: { [SHOP]: { woocommerce: { base_url: woo.url } } }, vars: { WOOCOMMERCE_API_KEY: KEY, WOOCOMMERCE_API_SECRET: "wrong" } });
  try {
    const res = await other.dispatchFetch("http://localhost/api/backfill", {
      method: "POST", headers: { authorization: `Bearer ${API_KEY}` }, body: JSON.stringify(may),
    });
    const body = await res.json();
    assert.deepEqual([res.status, body.error.code], [424, "E_SOURCE"]);
    assert.match(body.error.message, /401/);
  } finally {
    await other.dispose();
  }
});
