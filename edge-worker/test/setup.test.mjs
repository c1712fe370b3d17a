// The mapping per shop in D1, versioned (issue #12 item 3): a config the core refuses is a 400 with
// its code and field path and stores nothing; each save is a new version with who/when/what
// changed; entries record the version that mapped them and a later save never rewrites them; a
// preview maps the shop's recent orders with the current and a candidate config and stores nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { API_KEY, fixture, rows, sendShopify, startWorker, waitFor } from "./helpers.mjs";

const SHOP = "setup.myshopify.com";
let mf;
let nextId = 8100000000001;
const order = () => ({ ...JSON.parse(fixture("simple")), id: nextId++ });
before(async () => { mf = await startWorker({ shops: { [SHOP]: { mapping_toml: '[accounts]\nshipping = "Income:Delivery"' } } }); });
after(() => mf?.dispose());

async function api(method, p, body, type = "application/toml") {
  const res = await mf.dispatchFetch(`http://localhost${p}`, {
    method, headers: { authorization: `Bearer ${API_KEY}`, "content-type": type }, body,
  });
  return { status: res.status, body: await res.json() };
}
const q = `?shop=${SHOP}`;
const stored = async () => (await rows(mf, "SELECT count(*) AS n FROM shop_configs"))[0].n;
async function book(o) {
  assert.equal((await sendShopify(mf, o, { shop: SHOP, topic: "orders/paid" })).status, 202);
  return waitFor(`entries of ${o.id}`, async () => {
    const r = await rows(mf, "SELECT json, config_version FROM entries WHERE order_key = ?", `shopify:${SHOP}:order:${o.id}`);
    return r.length ? r : null;
  });
}
const accounts = (entryRows) => entryRows.flatMap((r) => JSON.parse(r.json).lines.map((l) => l.account));

test("without a saved version the deployment's mapping is in effect, and entries say so", async () => {
  const r = await api("GET", `/api/config${q}`);
  assert.equal(r.status, 200);
  assert.equal(r.body.version, null);
  assert.equal(r.body.source, "deployment");
  assert.equal(r.body.config.accounts.shipping, "Income:Delivery");
  assert.equal(r.body.roles.find((x) => x.path === "accounts.sales").account, "Income:Sales");
  const entries = await book(order());
  assert.ok(entries.every((e) => e.config_version === null));
  // The gateway of a recorded order gets its clearing and fee roles.
  const roles = (await api("GET", `/api/config${q}`)).body.roles;
  const clearing = roles.find((x) => x.path === 'gateways."shopify_payments".clearing');
  assert.deepEqual([clearing.account, clearing.classes], ["Assets:Clearing:Shopify-Payments", ["asset"]]);
});

test("a config the core refuses is a 400 at its field, in TOML or JSON, and nothing is stored", async () => {
  const toml = await api("PUT", `/api/config${q}`, '[accounts]\nsales = "Sales"');
  assert.equal(toml.status, 400);
  assert.equal(toml.body.error.code, "E_CONFIG");
  assert.equal(toml.body.error.path, "accounts.sales");
  const json = await api("PUT", `/api/config${q}`, JSON.stringify({ accounts: { sales: 5 } }), "application/json");
  assert.equal(json.status, 400);
  assert.equal(json.body.error.path, "accounts.sales");
  const unknown = await api("PUT", `/api/config${q}`, '[acounts]\nsales = "Income:X"');
  assert.equal(unknown.status, 400);
  assert.equal(await stored(), 0);
  assert.deepEqual((await api("GET", `/api/config/versions${q}`)).body.versions, []);
});

test("saves are versions with who and what changed; entries carry the version; old entries stay", async () => {
  const first = await book(order());
  const v1 = await api("PUT", `/api/config${q}`, '[accounts]\nsales = "Income:Shop"\nshipping = "Income:Delivery"');
  assert.equal(v1.status, 201, JSON.stringify(v1.body));
  assert.equal(v1.body.version, 1);
  assert.equal(v1.body.summary, "accounts.sales: Income:Sales → Income:Shop");
  const later = await book(order());
  assert.ok(later.every((e) => e.config_version === 1));
  assert.ok(accounts(later).includes("Income:Shop"));
  const v2 = await api("PUT", `/api/config${q}`, '[accounts]\nsales = "Income:Store"');
  assert.equal(v2.body.version, 2);
  assert.match(v2.body.summary, /accounts\.sales: Income:Shop → Income:Store/);
  assert.match(v2.body.summary, /accounts\.shipping: Income:Delivery → Income:Shipping/);
  const versions = (await api("GET", `/api/config/versions${q}`)).body.versions;
  assert.deepEqual(versions.map((v) => [v.version, v.created_by]), [[2, "api key"], [1, "api key"]]);
  const now = await api("GET", `/api/config${q}`);
  assert.equal(now.body.version, 2);
  assert.equal(now.body.config.accounts.sales, "Income:Store");
  // Booked entries are never rewritten by a save.
  const again = await rows(mf, "SELECT json, config_version FROM entries WHERE order_key = ?",
    `shopify:${SHOP}:order:${JSON.parse(first[0].json).source.id}`);
  assert.deepEqual(again, first);
  assert.ok(accounts(first).includes("Income:Sales"));
});

test("a version dated later waits for its date", async () => {
  const future = Date.now() + 3_600_000;
  const v3 = await api("PUT", `/api/config${q}&effective_at=${future}`, '[accounts]\nsales = "Income:Later"');
  assert.equal(v3.body.version, 3);
  const now = await api("GET", `/api/config${q}`);
  assert.equal(now.body.version, 2);
  assert.deepEqual(now.body.pending, { version: 3, effective_at: future });
  assert.ok((await book(order())).every((e) => e.config_version === 2));
});

test("a preview maps recent orders before and after a candidate and stores nothing", async () => {
  const n0 = await stored();
  const entries0 = (await rows(mf, "SELECT count(*) AS n FROM entries"))[0].n;
  const r = await api("POST", `/api/config/preview${q}&n=2`, '[accounts]\nsales = "Income:Candidate"');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.version, 2);
  assert.equal(r.body.orders.length, 2);
  for (const o of r.body.orders) {
    const lines = (side) => side.entries.flatMap((e) => e.lines.map((l) => l.account));
    assert.ok(lines(o.before).includes("Income:Store"), JSON.stringify(o.before));
    assert.ok(lines(o.after).includes("Income:Candidate"));
    assert.ok(!lines(o.after).includes("Income:Store"));
  }
  assert.deepEqual(r.body.changes.map((c) => c.path), ["accounts.sales"]);
  const bad = await api("POST", `/api/config/preview${q}`, '[accounts]\nsales = "Sales"');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.path, "accounts.sales");
  assert.equal((await api("POST", `/api/config/preview${q}&n=21`, "")).status, 400);
  assert.equal(await stored(), n0);
  assert.equal((await rows(mf, "SELECT count(*) AS n FROM entries"))[0].n, entries0);
});

test("setup calls need a credential and a configured shop", async () => {
  const res = await mf.dispatchFetch(`http://localhost/api/config${q}`, { method: "PUT", body: "" });
  assert.equal(res.status, 401);
  assert.equal((await api("GET", "/api/config?shop=stranger.myshopify.com")).status, 403);
  assert.equal((await api("GET", "/api/config")).status, 400);
});
