// Re-mapping past orders (issue #12 item 3): saving a mapping never touches booked entries; the
// explicit POST /api/remap does, as the core plans it. A dry run says per order what would change
// (with each entry before and after) and writes nothing; applying books, for each changed order, a
// reversal of its active entry and a new entry `<id>:remap-v<version>`, both posted to the QBO
// stand-in once through the outbox; applying again books nothing. Reports use the saved version:
// after a save whose tax account differs (and a re-map), /api/reports/tax names the new account.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startQbo } from "./standins/qbo.mjs";
import { API_KEY, fixture, idle, rows, sendShopify, startWorker, waitFor } from "./helpers.mjs";

const SHOP = "remap.myshopify.com";
const TAXED = "taxed.myshopify.com";
const EXPORTS = '[exports.qbo]\n"Assets:Clearing:Shopify-Payments" = "81"\n"Income:Sales" = "79"\n"Income:Web-Sales" = "83"\n';
const ORDERS = [7500000000001, 7500000000002, 7500000000003];
let mf, qbo;

before(async () => {
  qbo = await startQbo({ realm: "9130", clientId: "qbo-id", clientSecret: "qbo-secret", refreshToken: "rt-seed" });
  mf = await startWorker({
    shops: {
      [SHOP]: { targets: ["qbo"], mapping_toml: EXPORTS, qbo: { realm_id: "9130", base_url: qbo.url, token_url: qbo.tokenUrl } },
      [TAXED]: {},
    },
    vars: { QBO_CLIENT_ID: "qbo-id", QBO_CLIENT_SECRET: "qbo-secret", QBO_REFRESH_TOKEN: "rt-seed" },
  });
  for (const id of ORDERS) {
    assert.equal((await sendShopify(mf, { ...JSON.parse(fixture("simple")), id }, { shop: SHOP, topic: "orders/paid" })).status, 202);
  }
  assert.equal((await sendShopify(mf, JSON.parse(fixture("discount-shipping-tax")), { shop: TAXED, topic: "orders/paid" })).status, 202);
  await waitFor("booked and posted", () => idle(mf), 60_000);
});
after(async () => { await mf?.dispose(); await qbo?.close(); });

async function call(method, p, body) {
  const res = await mf.dispatchFetch(`http://localhost${p}`, {
    method, headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" }, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}
const remap = (shop, body) => call("POST", `/api/remap?shop=${shop}`, { from: "2026-01-01", to: "2026-12-31", ...body });
const save = (shop, toml) => call("PUT", `/api/config?shop=${shop}`, toml);
const entryIds = async (shop) => (await rows(mf, "SELECT id FROM entries WHERE shop = ? ORDER BY id", shop)).map((r) => r.id);
const sentToQbo = () => qbo.state.journals.map((j) => j.requestId);

test("no saved version: a re-map is refused, nothing written", async () => {
  const r = await remap(SHOP, {});
  assert.equal(r.status, 409, JSON.stringify(r.body));
  assert.equal(r.body.error.code, "E_NO_SAVED_MAPPING");
  const bad = await remap(SHOP, { from: "2026-05-40" });
  assert.deepEqual([bad.status, bad.body.error.code, bad.body.error.path], [400, "E_BAD_DATE", "from"]);
});

test("a saved version that books the same: the dry run finds every order unchanged", async () => {
  assert.equal((await save(SHOP, EXPORTS)).status, 201);
  const r = await remap(SHOP, {});
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual([r.body.dry_run, r.body.version, r.body.changed, r.body.unchanged, r.body.orders.length], [true, 1, 0, 3, 0]);
});

test("v2 with another sales account: dry run says 3 changed, apply reverses and re-posts once, apply again is a no-op", async () => {
  const booked = await entryIds(SHOP);
  assert.equal(booked.length, 3);
  const posted = sentToQbo().length;
  assert.equal(posted, 3);
  const v2 = await save(SHOP, `[accounts]\nsales = "Income:Web-Sales"\n${EXPORTS}`);
  assert.equal(v2.body.version, 2);
  assert.deepEqual(await entryIds(SHOP), booked, "a save rewrites nothing");

  const dry = await remap(SHOP, {});
  assert.equal(dry.status, 200, JSON.stringify(dry.body));
  assert.deepEqual([dry.body.version, dry.body.changed, dry.body.unchanged, dry.body.booked], [2, 3, 0, 0]);
  assert.deepEqual(dry.body.orders.map((o) => o.order_id).sort(), ORDERS.map(String));
  const [change] = dry.body.orders[0].changed;
  assert.equal(change.id, `${change.replaces}:remap-v2`);
  assert.ok(booked.includes(change.replaces));
  assert.deepEqual(change.before.lines.map((l) => l.account), ["Assets:Clearing:Shopify-Payments", "Income:Sales"]);
  assert.deepEqual(change.after.lines.map((l) => l.account), ["Assets:Clearing:Shopify-Payments", "Income:Web-Sales"]);
  assert.equal(change.amount, "25.00");
  assert.deepEqual(await entryIds(SHOP), booked, "a dry run writes nothing");

  const applied = await remap(SHOP, { dry_run: false });
  assert.equal(applied.status, 200, JSON.stringify(applied.body));
  assert.deepEqual([applied.body.changed, applied.body.booked], [3, 6]);
  await waitFor("re-mapped entries posted", () => idle(mf), 60_000);
  const all = await rows(mf, "SELECT id, state, config_version FROM entries WHERE shop = ? ORDER BY id", SHOP);
  assert.equal(all.length, 9);
  for (const id of booked) {
    assert.equal(all.find((e) => e.id === id).state, "reversed");
    assert.deepEqual(all.find((e) => e.id === `${id}:reversal`), { id: `${id}:reversal`, state: "reversal", config_version: 2 });
    assert.deepEqual(all.find((e) => e.id === `${id}:remap-v2`), { id: `${id}:remap-v2`, state: "active", config_version: 2 });
  }
  // The ledger export lists them; the QBO stand-in got each new entry exactly once.
  const res = await mf.dispatchFetch(`http://localhost/api/entries?shop=${SHOP}&format=json`, { headers: { authorization: `Bearer ${API_KEY}` } });
  const exported = await res.json();
  assert.equal(exported.length, 9);
  const remapped = exported.find((e) => e.id.endsWith(":remap-v2"));
  assert.deepEqual(remapped.lines.map((l) => [l.account, l.credit]), [["Assets:Clearing:Shopify-Payments", "0.00"], ["Income:Web-Sales", "25.00"]]);
  const sent = sentToQbo();
  assert.equal(sent.length, 9);
  assert.equal(new Set(sent).size, 9, "nothing posted twice");
  const web = qbo.state.journals.filter((j) => j.body.Line.some((l) => l.JournalEntryLineDetail.AccountRef.value === "83"));
  assert.equal(web.length, 3, "each re-mapped entry posted once, to the new account");
  const outbox = await rows(mf, "SELECT state, count(*) AS n FROM outbox WHERE shop = ? AND target = 'qbo' GROUP BY state", SHOP);
  assert.deepEqual(outbox, [{ state: "posted", n: 9 }]);

  const again = await remap(SHOP, { dry_run: false });
  assert.deepEqual([again.body.changed, again.body.booked, again.body.unchanged], [0, 0, 3]);
  await waitFor("idle", () => idle(mf), 20_000);
  assert.equal((await entryIds(SHOP)).length, 9);
  assert.equal(sentToQbo().length, 9);

  // A newer version of a re-mapped order (fulfilled, same money) is measured against the re-mapped
  // entry, the one in force: it books the same, so nothing is reversed or posted again.
  const order = JSON.parse(fixture("simple"));
  const later = { ...order, id: ORDERS[0], updated_at: "2026-05-05T10:00:00-04:00", fulfillment_status: "fulfilled" };
  assert.equal((await sendShopify(mf, later, { shop: SHOP, topic: "orders/updated" })).status, 202);
  await waitFor("the newer version mapped", () => idle(mf), 20_000);
  assert.equal((await entryIds(SHOP)).length, 9);
  assert.equal(sentToQbo().length, 9);
  const [head] = await rows(mf, "SELECT entry_id, version FROM heads WHERE logical_key = ?", `shopify:${SHOP}:sale:${ORDERS[0]}`);
  assert.match(head.entry_id, /:remap-v2$/);
  assert.equal(head.version, String(Date.parse(later.updated_at) / 1000), "the newer version was mapped, not dropped");
});

test("reports use the saved version: a tax account saved (and past orders re-mapped) is the one /api/reports/tax names", async () => {
  const tax = async () => {
    const res = await mf.dispatchFetch(`http://localhost/api/reports/tax?shop=${TAXED}&from=2026-05-01&to=2026-05-31`, { headers: { authorization: `Bearer ${API_KEY}` } });
    const body = await res.json();
    assert.equal(res.status, 200, JSON.stringify(body));
    return Object.fromEntries(body.periods.flatMap((p) => p.accounts).map((a) => [a.account, a.net_tax.amount]));
  };
  assert.equal((await tax())["Liabilities:SalesTax:NY-State-Tax"], "3.30");
  // Not under the default tax prefix: only the saved config says this account is a tax liability.
  assert.equal((await save(TAXED, '[tax]\n"NY State Tax" = "Liabilities:NY-Taxation"')).status, 201);
  const applied = await remap(TAXED, { dry_run: false });
  assert.deepEqual([applied.status, applied.body.changed, applied.body.booked], [200, 1, 2]);
  const after = await tax();
  assert.equal(after["Liabilities:NY-Taxation"], "3.30", JSON.stringify(after));
  assert.equal(after["Liabilities:SalesTax:New-York-City-Tax"], "4.01");
  assert.ok(!after["Liabilities:SalesTax:NY-State-Tax"] || after["Liabilities:SalesTax:NY-State-Tax"] === "0.00", JSON.stringify(after));
});
