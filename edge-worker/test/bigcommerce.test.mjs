// BigCommerce intake: its webhooks carry only the order id and authenticate with the custom
// header the webhook was registered with. The worker fetches the order from the V2 API (a
// stand-in enforcing the token, 404, 204 for empty sub-resources, 5xx), stores it in the event,
// and books what the core maps from it: the fixture's hand-worked entries.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startBigCommerce } from "./standins/bigcommerce.mjs";
import { API_KEY, ROOT, idle, rows, startWorker, waitFor } from "./helpers.mjs";

const HASH = "abc123";
const TOKEN = "bc-api-token";
const SECRET = "bc-webhook-secret";
const dir = (name) => path.join(ROOT, "tests/fixtures/bigcommerce", name);
const doc = (name) => JSON.parse(fs.readFileSync(path.join(dir(name), "input.json"), "utf8"));
const expected = (name) => JSON.parse(fs.readFileSync(path.join(dir(name), "expected.json"), "utf8"));
const configToml = (name) => {
  const file = path.join(dir(name), "config.toml");
  return fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n").filter((l) => !/^\s*shop\s*=/.test(l)).join("\n") : "";
};
let mf, api;
const simple = doc("simple");

before(async () => {
  api = await startBigCommerce({ storeHash: HASH, token: TOKEN, orders: new Map([[String(simple.order.id), simple]]) });
  mf = await startWorker({
    shops: { [HASH]: { mapping_toml: configToml("simple"), bigcommerce: { api_base: api.url } } },
    vars: { BIGCOMMERCE_SECRET: SECRET, BIGCOMMERCE_TOKEN: TOKEN },
  });
});
after(async () => { await mf?.dispose(); await api?.close(); });

let created = 1561479335;
function webhook(orderId, { scope = "store/order/created", secret = SECRET } = {}) {
  const body = JSON.stringify({ scope, store_id: "1025646", data: { type: "order", id: Number(orderId) }, hash: "x", created_at: created++, producer: `stores/${HASH}` });
  const headers = { "content-type": "application/json", ...(secret ? { "x-webhook-secret": secret } : {}) };
  return mf.dispatchFetch("http://localhost/webhooks/bigcommerce", { method: "POST", headers, body }).then(async (r) => ({ status: r.status, text: await r.text() }));
}

test("without the shared-secret header, or with a wrong one: 401, nothing recorded, counted", async () => {
  assert.equal((await webhook(simple.order.id, { secret: null })).status, 401);
  assert.equal((await webhook(simple.order.id, { secret: "nope" })).status, 401);
  assert.deepEqual(await rows(mf, "SELECT id FROM events WHERE platform = 'bigcommerce'"), []);
  const [r] = await rows(mf, "SELECT sum(n) AS n FROM rejection_counts WHERE platform = 'bigcommerce'");
  assert.equal(r.n, 2);
});

test("a webhook whose producer names no store hash is refused (400), not booked under a default shop", async () => {
  const body = JSON.stringify({ scope: "store/order/created", store_id: "1025646", data: { type: "order", id: 77 }, hash: "y", created_at: 1 });
  const res = await mf.dispatchFetch("http://localhost/webhooks/bigcommerce", {
    method: "POST", headers: { "content-type": "application/json", "x-webhook-secret": SECRET }, body,
  });
  const text = await res.text();
  assert.equal(res.status, 400, text);
  assert.equal(JSON.parse(text).error.code, "E_NO_SHOP");
  assert.deepEqual(await rows(mf, "SELECT id FROM events WHERE platform = 'bigcommerce'"), []);
});

test("a signed order webhook: the order is fetched (after a 503), stored, and booked as the fixture's entries", async () => {
  api.script.push({ status: 503 });
  const r = await webhook(simple.order.id);
  assert.equal(r.status, 202, r.text);
  assert.equal((await webhook(simple.order.id, { scope: "store/order/statusUpdated" })).status, 202);
  await waitFor("booked", async () => (await rows(mf, "SELECT id FROM entries WHERE platform = 'bigcommerce'")).length > 0 && idle(mf), 20000);
  const booked = (await rows(mf, "SELECT json FROM entries WHERE platform = 'bigcommerce' ORDER BY id")).map((e) => JSON.parse(e.json));
  const want = expected("simple").entries;
  assert.deepEqual(booked.map((e) => e.id), want.map((e) => e.id.replace(/^bigcommerce:[^:]+:/, `bigcommerce:${HASH}:`)));
  for (const [i, e] of booked.entries()) {
    const lines = (list) => list.map((l) => `${l.account} ${l.debit} ${l.credit}`).sort();
    assert.deepEqual(lines(e.lines), lines(want[i].lines));
  }
  const stored = await rows(mf, "SELECT payload, status FROM events WHERE platform = 'bigcommerce' ORDER BY id");
  assert.equal(stored.length, 2);
  assert.ok(stored.every((s) => s.status === "mapped"));
  assert.deepEqual(JSON.parse(stored[0].payload).order.id, simple.order.id, "the fetched order replaced the thin webhook");
  const paths = new Set(api.state.calls.map((c) => c.path));
  for (const part of ["", "/products", "/shipping_addresses", "/coupons"]) assert.ok(paths.has(`/stores/${HASH}/v2/orders/${simple.order.id}${part}`));
  const preview = await mf.dispatchFetch(`http://localhost/api/preview/bigcommerce/${simple.order.id}`, { headers: { "x-api-key": API_KEY } });
  assert.deepEqual((await preview.json()).entries, booked, "the preview maps the stored order");
});

test("an order the API does not know is parked with the reason", async () => {
  assert.equal((await webhook(999)).status, 202);
  const [ev] = await waitFor("parked", async () => {
    const r = await rows(mf, "SELECT status, reason FROM events WHERE platform = 'bigcommerce' AND order_id = '999'");
    return r[0]?.status === "parked" ? r : null;
  });
  assert.match(ev.reason, /BigCommerce has no order 999/);
});
