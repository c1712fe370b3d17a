// Admin API: preview with a Shopify session token (HS256 with the app secret; exp/nbf with 10 s
// skew, aud, dest) or the API key; CORS only for the configured admin origins; exports.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import { ADMIN_ORIGIN, API_KEY, CLIENT_ID, SHOPIFY_SECRET, coreMap, fixture, fixtureConfig, idle, sendShopify, startWorker, waitFor } from "./helpers.mjs";

const SHOP = "demo.myshopify.com";
let mf;

const b64url = (v) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");
function sessionToken(claims = {}, secret = SHOPIFY_SECRET) {
  const now = Math.floor(Date.now() / 1000);
  const body = { iss: `https://${SHOP}/admin`, dest: `https://${SHOP}`, aud: CLIENT_ID, sub: "42", exp: now + 60, nbf: now - 5, iat: now - 5, jti: crypto.randomUUID(), ...claims };
  const unsigned = `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url(body)}`;
  return `${unsigned}.${crypto.createHmac("sha256", secret).update(unsigned).digest("base64url")}`;
}

before(async () => {
  // "*": the other shops these tests send to are accepted, with the default mapping.
  mf = await startWorker({ shops: { [SHOP]: { mapping_toml: fixtureConfig("simple", SHOP) }, "*": {} } });
  assert.equal((await sendShopify(mf, fixture("simple"), { shop: SHOP })).status, 202);
  assert.equal((await sendShopify(mf, fixture("tip"), { shop: "other.myshopify.com" })).status, 202);
  await waitFor("mapped", () => idle(mf));
});
after(() => mf?.dispose());

async function get(path, headers = {}) {
  const res = await mf.dispatchFetch(`http://localhost${path}`, { headers });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
const preview = (token, q = `?shop=${SHOP}`, headers = {}) =>
  get(`/api/preview/shopify/6123400000001${q}`, { authorization: `Bearer ${token}`, ...headers });

test("valid session token → the order's entries as the core maps them, and where they were posted", async () => {
  const r = await preview(sessionToken());
  assert.equal(r.status, 200, r.text);
  const body = JSON.parse(r.text);
  assert.deepEqual(body.entries, coreMap(fixture("simple"), fixtureConfig("simple", SHOP)).entries);
  assert.deepEqual(body.postings.map((p) => [p.target, p.state]), [["d1", "posted"]]);
  // The widget's totals row, from the core (shopify/simple: one 25.00 sale, its expected.json).
  assert.deepEqual(body.totals, [{ debits: "25.00", credits: "25.00", balanced: true }]);
  assert.equal((await preview(sessionToken(), "")).status, 200, "shop taken from the token");
});

test("expired (beyond 10 s skew), not yet valid, wrong audience, forged → 401; other shop → 403", async () => {
  const now = Math.floor(Date.now() / 1000);
  assert.equal((await preview(sessionToken({ exp: now - 5 }))).status, 200, "within the skew");
  assert.equal((await preview(sessionToken({ exp: now - 30 }))).status, 401);
  assert.equal((await preview(sessionToken({ nbf: now + 30 }))).status, 401);
  assert.equal((await preview(sessionToken({ aud: "another-app" }))).status, 401);
  assert.equal((await preview(sessionToken({}, "not-the-secret"))).status, 401);
  // Signed with the app's secret but not minted by Shopify for a shop (security review, low).
  assert.equal((await preview(sessionToken({ dest: "https://evil.example", iss: "https://evil.example/admin" }))).status, 401);
  assert.equal((await preview(sessionToken({ iss: "https://other.myshopify.com/admin" }))).status, 401);
  assert.equal((await preview(sessionToken(), "?shop=other.myshopify.com")).status, 403);
  assert.equal((await get("/api/preview/shopify/6123400000006?shop=other.myshopify.com", { authorization: `Bearer ${sessionToken()}` })).status, 403);
  assert.equal((await get("/api/preview/shopify/6123400000001")).status, 401, "no credential");
  assert.equal((await preview("wrong-api-key")).status, 401);
});

test("API key reads any platform and shop; unknown order → 404", async () => {
  assert.equal((await preview(API_KEY, "?shop=demo.myshopify.com")).status, 200);
  assert.equal((await get("/api/preview/shopify/6123400000006", { "x-api-key": API_KEY })).status, 200);
  assert.equal((await get("/api/preview/shopify/1", { "x-api-key": API_KEY })).status, 404);
});

test("CORS: the admin origin is allowed (preflight too), any other origin gets no allow header; Vary: Origin", async () => {
  const ok = await preview(sessionToken(), `?shop=${SHOP}`, { origin: ADMIN_ORIGIN });
  assert.equal(ok.headers.get("access-control-allow-origin"), ADMIN_ORIGIN);
  assert.match(ok.headers.get("vary"), /Origin/);
  const evil = await preview(sessionToken(), `?shop=${SHOP}`, { origin: "https://evil.example" });
  assert.equal(evil.headers.get("access-control-allow-origin"), null);
  assert.match(evil.headers.get("vary"), /Origin/);
  const pre = await mf.dispatchFetch("http://localhost/api/preview/shopify/1", {
    method: "OPTIONS", headers: { origin: ADMIN_ORIGIN, "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
  });
  await pre.text();
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get("access-control-allow-origin"), ADMIN_ORIGIN);
  assert.match(pre.headers.get("access-control-allow-headers"), /authorization/);
  const badPre = await mf.dispatchFetch("http://localhost/api/preview/shopify/1", { method: "OPTIONS", headers: { origin: "https://evil.example" } });
  await badPre.text();
  assert.equal(badPre.headers.get("access-control-allow-origin"), null);
});

test("entries export: json equals the booked entries, csv and beancount come from the core; a session token sees its shop only", async () => {
  const all = JSON.parse((await get("/api/entries?format=json", { "x-api-key": API_KEY })).text);
  assert.equal(all.length, 2);
  const mine = JSON.parse((await get("/api/entries", { authorization: `Bearer ${sessionToken()}` })).text);
  assert.deepEqual(mine, coreMap(fixture("simple"), fixtureConfig("simple", SHOP)).entries);
  const csv = await get(`/api/entries?format=csv&shop=${SHOP}`, { "x-api-key": API_KEY });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get("content-type"), /text\/csv/);
  assert.ok(csv.text.includes(mine[0].id));
  const bean = await get(`/api/entries?format=beancount&since=2026-05-01&shop=${SHOP}`, { "x-api-key": API_KEY });
  assert.equal(bean.status, 200);
  assert.ok(bean.text.includes("Income:Sales"));
  assert.equal(JSON.parse((await get("/api/entries?since=2026-06-01", { "x-api-key": API_KEY })).text).length, 0);
  assert.equal((await get("/api/entries?format=xml", { "x-api-key": API_KEY })).status, 400);
  // totals=1: the same entries beside each one's totals row (what the admin page's widget shows).
  const withTotals = JSON.parse((await get(`/api/entries?format=json&totals=1&shop=${SHOP}`, { "x-api-key": API_KEY })).text);
  assert.deepEqual(withTotals, { entries: mine, totals: [{ debits: "25.00", credits: "25.00", balanced: true }] });
  assert.ok(Array.isArray(JSON.parse((await get("/api/entries?format=json&totals=0", { "x-api-key": API_KEY })).text)));
});

test("status: the API key sees every shop and the rejections; a session token only its shop", async () => {
  const all = JSON.parse((await get("/api/status", { "x-api-key": API_KEY })).text);
  assert.equal(all.shop, null);
  assert.equal(all.received, 2);
  assert.equal(all.posted, 2, "one d1 posting per shop");
  assert.ok("rejected" in all);
  const mine = JSON.parse((await get("/api/status", { authorization: `Bearer ${sessionToken()}` })).text);
  assert.equal(mine.shop, SHOP);
  assert.equal(mine.received, 1);
  assert.equal(mine.posted, 1);
  assert.deepEqual(mine.rejected, {}, "rejections carry no verified shop");
  assert.equal((await get("/api/status?shop=other.myshopify.com", { authorization: `Bearer ${sessionToken()}` })).status, 403);
  const other = JSON.parse((await get("/api/status?shop=other.myshopify.com", { "x-api-key": API_KEY })).text);
  assert.equal(other.received, 1);
});

test("health, the admin page and the widget files it imports (static assets)", async () => {
  assert.equal((await get("/health")).text, "ok");
  const page = await get("/admin");
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type"), /text\/html/);
  // page → its module (app.js) → the shared helpers (ui.js) → the widget: every link is served
  const modules = [...page.text.matchAll(/<script type="module" src="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(modules.includes("/ledgerbridge/admin/app.js"), `the page loads app.js (${modules})`);
  for (const path of modules) assert.equal((await get(path)).status, 200, path);
  const appPath = "/ledgerbridge/admin/app.js";
  const app = await get(appPath);
  assert.equal(app.status, 200);
  assert.match(app.headers.get("content-type"), /javascript/);
  assert.match(app.text, /from "\.\/ui\.js"/);
  const ui = await get("/ledgerbridge/admin/ui.js");
  assert.equal(ui.status, 200);
  const widgetPath = ui.text.match(/import\("([^"]+ledger-preview\.js)"\)/)?.[1];
  assert.equal(widgetPath, "/ledgerbridge/src/widget/ledger-preview.js");
  const widget = await get(widgetPath);
  assert.equal(widget.status, 200);
  assert.match(widget.headers.get("content-type"), /javascript/);
  assert.match(widget.text, /customElements\.define\("ledger-preview"/);
  const wasm = await mf.dispatchFetch("http://localhost/ledgerbridge/dist/ledgerbridge_wasm_bg.wasm");
  const bytes = new Uint8Array(await wasm.arrayBuffer());
  assert.equal(wasm.status, 200);
  assert.match(wasm.headers.get("content-type"), /application\/wasm/);
  assert.deepEqual([...bytes.subarray(0, 4)], [0x00, 0x61, 0x73, 0x6d], "a wasm module");
});

test("a stored order the core refuses: 422 with the core's code, the field's path and the message", async () => {
  const shop = "refused.myshopify.com";
  const o = JSON.parse(fixture("simple"));
  o.id = 6123400000099;
  o.line_items[0].price = "12.5x";
  assert.equal((await sendShopify(mf, o, { shop })).status, 202);
  await waitFor("parked", () => idle(mf));
  const r = await get(`/api/preview/shopify/${o.id}?shop=${shop}`, { "x-api-key": API_KEY });
  assert.equal(r.status, 422, r.text);
  const { error } = JSON.parse(r.text);
  assert.equal(error.code, "E_INVALID_AMOUNT");
  assert.equal(error.path, "line_items[0].price");
  assert.match(error.message, /12\.5x/);
});

test("errors of the worker's own use the same E_ codes and shape: unknown platform, bad format", async () => {
  const nope = await get("/api/preview/magento/1", { "x-api-key": API_KEY });
  assert.equal(nope.status, 404);
  assert.deepEqual(JSON.parse(nope.text).error.code, "E_NOT_FOUND");
  const format = JSON.parse((await get("/api/entries?format=xml", { "x-api-key": API_KEY })).text).error;
  assert.equal(format.code, "E_UNSUPPORTED_FORMAT");
  assert.equal(typeof format.path, "string");
  const denied = JSON.parse((await get("/api/status")).text).error;
  assert.equal(denied.code, "E_UNAUTHORIZED");
});
