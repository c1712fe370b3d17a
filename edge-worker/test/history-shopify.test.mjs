// Historical import of Shopify orders, `POST /api/backfill` (issue #11 item 4): REST orders created
// in the window (`status=any`, `created_at_min/max`, `Link` pages with `page_info` alone), each
// with its fees from the GraphQL fetch the consumer uses. An order booked by webhook first (fee
// included) and fulfilled since is therefore unchanged, not "changed"; confirm books the rest once.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startShopifyAdmin } from "./standins/shopify-admin.mjs";
import crypto from "node:crypto";
import { API_KEY, CLIENT_ID, SHOPIFY_SECRET, fixtureOf, idle, rows, sendShopify, startWorker, waitFor } from "./helpers.mjs";

const SHOP = "demo.myshopify.com";
const TOKEN = "shpat_test_history";
let mf, admin;

const base = JSON.parse(fixtureOf("shopify", "simple"));
const orderOn = (n, id = 6123400000100 + n) => ({
  ...structuredClone(base), id, created_at: `2026-05-0${n}T10:00:00-04:00`, updated_at: `2026-05-0${n}T10:00:20-04:00`,
});
const sale = (orderId) => ({ id: `gid://shopify/OrderTransaction/${orderId}1`, kind: "SALE", status: "SUCCESS", gateway: "shopify_payments",
  processedAt: "2026-05-03T23:29:40-04:00", amountSet: { shopMoney: { amount: "25.0", currencyCode: "USD" }, presentmentMoney: { amount: "25.0", currencyCode: "USD" } },
  fees: [{ amount: { amount: "1.03", currencyCode: "USD" }, flatFee: { amount: "0.3", currencyCode: "USD" }, rate: "0.029", rateName: "Online",
    flatFeeName: "Flat fee", taxAmount: { amount: "0.0", currencyCode: "USD" }, type: "processing_fee" }], parentTransaction: null });
const orders = [1, 2, 3, 4].map((n) => orderOn(n));
// The webhooked order was fulfilled since: a newer version that books the same money. Mapped with
// its fee it is unchanged; mapped without, it would differ from what was booked and look changed.
const fulfilled = { ...structuredClone(orders[0]), updated_at: "2026-05-02T12:00:00-04:00", fulfillment_status: "fulfilled" };
const april = { ...orderOn(1, 6123400000099), created_at: "2026-04-30T19:59:59-04:00" }; // 23:59:59 UTC: the window is in UTC days

before(async () => {
  admin = await startShopifyAdmin({ token: TOKEN, orders: new Map([...orders, april].map((o) => [String(o.id), [sale(o.id)]])) });
  admin.state.restOrders.push(fulfilled, ...orders.slice(1), april);
  mf = await startWorker({ shops: { [SHOP]: { shopify: { admin_base: admin.url } } }, vars: { SHOPIFY_ADMIN_TOKEN: TOKEN } });
  // The first order came by webhook, and was booked with the fee the consumer fetched.
  assert.equal((await sendShopify(mf, orders[0], { topic: "orders/paid" })).status, 202);
  await waitFor("idle", () => idle(mf));
});
after(async () => { await mf?.dispose(); await admin?.close(); });

const b64url = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
/** A Shopify session token for `shop`, as App Bridge would fetch it (admin.test.mjs has the checks). */
function sessionToken(shop) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: `https://${shop}/admin`, dest: `https://${shop}`, aud: CLIENT_ID, sub: "42", exp: now + 60, nbf: now - 5, iat: now - 5 };
  const unsigned = `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url(claims)}`;
  return `${unsigned}.${crypto.createHmac("sha256", SHOPIFY_SECRET).update(unsigned).digest("base64url")}`;
}
const backfill = async (body, key = API_KEY) => {
  const res = await mf.dispatchFetch("http://localhost/api/backfill", {
    method: "POST", headers: { authorization: `Bearer ${key}` }, body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};
const may = { platform: "shopify", shop: SHOP, from: "2026-05-01", to: "2026-05-31" };
const entries = async () => (await rows(mf, "SELECT json FROM entries ORDER BY created_at, rowid")).map((r) => JSON.parse(r.json));
const counts = async () => Object.fromEntries(await Promise.all(["entries", "events", "outbox"].map(async (t) =>
  [t, (await rows(mf, `SELECT COUNT(*) AS n FROM ${t}`))[0].n])));

let dry;
test("the dry run maps each order with its fees: the webhook's order is unchanged, nothing is written", async () => {
  const booked = await entries();
  assert.ok(booked.length >= 1 && booked.every((e) => e.lines.some((l) => l.account.startsWith("Expenses:PaymentFees"))), "webhook booked with the fee");
  const was = await counts();
  const r = await backfill(may);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  dry = r.body;
  assert.deepEqual(dry.changed, [], "fees fetched: the fulfilled order does not look changed");
  assert.equal(dry.unchanged, booked.length);
  assert.equal(dry.documents, 4, "April's order is outside the window");
  assert.equal(new Set(dry.new.map((e) => e.id.split(":")[3])).size, 3);
  assert.deepEqual(dry.failed, []);
  assert.deepEqual(await counts(), was);
  const list = admin.state.calls.find((c) => c.path.endsWith("/orders.json") && c.query.created_at_min);
  assert.deepEqual([list.query.status, list.query.created_at_min, list.query.created_at_max], ["any", "2026-05-01T00:00:00Z", "2026-05-31T23:59:59Z"]);
});

test("pages: two per call, then the page_info cursor continues", async () => {
  const first = await backfill({ ...may, limit: 1 });
  assert.deepEqual([first.body.pages, first.body.documents, first.body.truncated], [2, 2, true]);
  const rest = await backfill({ ...may, limit: 1, cursor: first.body.next });
  assert.equal(rest.status, 200, JSON.stringify(rest.body));
  assert.equal(rest.body.truncated, false);
  assert.deepEqual([...first.body.new, ...rest.body.new], dry.new);
  assert.equal((await backfill({ ...may, cursor: "not a cursor!" })).body.error.code, "E_BAD_CURSOR");
});

test("confirm books exactly the dry run's new entries, with fees; a second confirm books nothing", async () => {
  const was = (await entries()).length;
  const r = await backfill({ ...may, confirm: true });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.recorded, 4);
  await waitFor("idle", () => idle(mf));
  const booked = await entries();
  assert.deepEqual(booked.slice(was).map((e) => e.id).sort(), dry.new.map((e) => e.id).sort());
  assert.ok(booked.every((e) => e.lines.some((l) => l.account.startsWith("Expenses:PaymentFees"))));
  const graphql = admin.state.calls.filter((c) => c.path.endsWith("/graphql.json")).length;
  const again = await backfill({ ...may, confirm: true });
  assert.deepEqual([again.body.recorded, again.body.new, again.body.changed], [0, [], []]);
  await waitFor("idle", () => idle(mf));
  assert.equal((await entries()).length, booked.length);
  assert.equal(admin.state.calls.filter((c) => c.path.endsWith("/graphql.json")).length, graphql + 4, "the consumer fetched no fee again");
});

test("a session token backfills its own shop only", async () => {
  const own = await backfill(may, sessionToken(SHOP));
  assert.equal(own.status, 200, JSON.stringify(own.body));
  assert.equal(own.body.dry_run, true);
  const other = await backfill({ ...may, shop: "other.myshopify.com" }, sessionToken(SHOP));
  assert.deepEqual([other.status, other.body.error.code], [403, "E_FORBIDDEN"]);
});
