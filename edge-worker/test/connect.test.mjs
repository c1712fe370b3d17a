// Connecting QuickBooks Online and Xero from /admin in Chromium (issue #12 item 1): the OAuth 2.0
// authorization-code flow against stand-ins that enforce the client, scopes, registered redirect
// URI and single-use codes; tokens stored sealed per shop, the account (QBO realm, Xero tenant)
// learnt from the flow, orders then posted with them; disconnecting revokes the grant. The state is
// single use and bound to the credential that started it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startQbo } from "./standins/qbo.mjs";
import { startXero } from "./standins/xero.mjs";
import { API_KEY, fixture, idle, openToken, rows, sendShopify, startWorker, waitFor } from "./helpers.mjs";
import { launchChromium } from "./browser.mjs";

const SHOP = "books.myshopify.com";
const EXPORTS = `
[exports.qbo]
"Assets:Clearing:Shopify-Payments" = "81"
"Income:Sales" = "79"
[exports.xero]
"Assets:Clearing:Shopify-Payments" = "610"
"Income:Sales" = "200"
`;
let mf, base, qbo, xero, browser, context;
let nextId = 7300000000001;
const order = () => ({ ...JSON.parse(fixture("simple")), id: nextId++ });
const auth = { authorization: `Bearer ${API_KEY}` };

before(async () => {
  // No seed secrets: the only way to a token is connecting.
  qbo = await startQbo({ realm: "4620816365", clientId: "qbo-id", clientSecret: "qbo-secret", refreshToken: "never-issued" });
  xero = await startXero({ tenant: "b1e2-tenant", clientId: "xero-id", clientSecret: "xero-secret", refreshToken: "never-issued" });
  mf = await startWorker({
    shops: { [SHOP]: { targets: ["qbo", "xero"], mapping_toml: EXPORTS,
      qbo: { base_url: qbo.url, token_url: qbo.tokenUrl, authorize_url: qbo.authorizeUrl, revoke_url: qbo.revokeUrl },
      xero: { base_url: xero.url, token_url: xero.tokenUrl, authorize_url: xero.authorizeUrl, revoke_url: xero.revokeUrl, connections_url: xero.connectionsUrl } } },
    vars: { QBO_CLIENT_ID: "qbo-id", QBO_CLIENT_SECRET: "qbo-secret", XERO_CLIENT_ID: "xero-id", XERO_CLIENT_SECRET: "xero-secret" },
    options: { host: "127.0.0.1", port: 0 },
  });
  base = (await mf.ready).href.replace(/\/$/, "");
  qbo.codes.redirectUris = [`${base}/oauth/callback/qbo`];
  xero.codes.redirectUris = [`${base}/oauth/callback/xero`];
  browser = await launchChromium("connect");
  context = browser.context;
});
after(async () => {
  await browser?.close();
  await mf?.dispose(); await qbo?.close(); await xero?.close();
});

async function api(method, p, body) {
  const res = await fetch(`${base}${p}`, { method, headers: { ...auth, "content-type": "application/json" }, body: body && JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

test("before connecting, a posting parks naming what to do", async () => {
  assert.equal((await sendShopify(mf, order(), { shop: SHOP, topic: "orders/paid" })).status, 202);
  await waitFor("parked", async () => (await rows(mf, "SELECT target, reason FROM outbox WHERE state = 'parked'")).length === 2);
  const parked = await rows(mf, "SELECT target, reason FROM outbox WHERE state = 'parked' ORDER BY target");
  for (const p of parked) assert.match(p.reason, /connect it on the admin page/);
});

test("connect QuickBooks and Xero from the page: consent, back, sealed tokens, the account, then the parked order posts once", async () => {
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${base}/admin`);
  await page.fill("#key", API_KEY);
  await page.fill("#shop", SHOP);
  await page.click("#load");
  for (const [provider, label] of [["qbo", "QuickBooks Online"], ["xero", "Xero"]]) {
    await page.click(`#connections button:has-text("Connect ${label}")`);
    await page.waitForURL(`${base}/admin`);
    await page.waitForFunction((p) => document.querySelector(`#connections li[data-provider=${p}]`)?.dataset.connected === "yes", provider);
    await page.waitForFunction((l) => document.querySelector("#msg").textContent.startsWith(`${l} connected`), label);
  }
  assert.match(await page.textContent("#connections li[data-provider=qbo]"), /4620816365/);
  assert.match(await page.textContent("#connections li[data-provider=xero]"), /Demo Company \(Global\)/);
  assert.deepEqual(errors, []);

  const tokens = await rows(mf, "SELECT provider, shop, access_token, refresh_token FROM tokens ORDER BY provider");
  assert.deepEqual(tokens.map((t) => [t.provider, t.shop]), [["qbo", SHOP], ["xero", SHOP]]);
  for (const t of tokens) {
    assert.equal(openToken(t.refresh_token, t.provider, SHOP), (t.provider === "qbo" ? qbo : xero).state.refreshToken, "sealed, and the one the provider issued");
  }
  assert.equal(qbo.codes.authorizations, 1);
  assert.equal(xero.codes.authorizations, 1);

  const replay = await api("POST", "/api/replay", { shop: SHOP });
  assert.equal(replay.status, 200);
  await waitFor("posted", () => idle(mf));
  assert.equal(qbo.state.journals.length, 1);
  assert.equal(xero.state.journals.length, 1);
  assert.equal((await rows(mf, "SELECT count(*) AS n FROM outbox WHERE state = 'posted' AND target IN ('qbo','xero')"))[0].n, 2);
});

test("a state is single use, bound to who started it, and a callback cannot be replayed", async () => {
  const started = await api("POST", `/api/connect/qbo?shop=${SHOP}`);
  assert.equal(started.status, 200);
  const url = new URL(started.body.authorize_url);
  assert.equal(url.searchParams.get("redirect_uri"), `${base}/oauth/callback/qbo`);
  const state = url.searchParams.get("state");
  assert.ok(state.length >= 43, "256 random bits");
  assert.equal((await rows(mf, "SELECT count(*) AS n FROM oauth_states WHERE state_hash = ?", state))[0].n, 0, "stored hashed");

  // Not yet called back: nothing to complete.
  assert.equal((await api("POST", "/api/connect/qbo/complete", { state })).body.error.code, "E_NOT_AUTHORIZED_YET");
  const consent = await fetch(url, { redirect: "manual" });
  const callback = await fetch(consent.headers.get("location"), { redirect: "manual" });
  assert.match(callback.headers.get("location"), /\/admin\?connect=qbo&state=/);
  const again = await fetch(consent.headers.get("location"), { redirect: "manual" });
  assert.match(again.headers.get("location"), /connect_error=expired/, "a replayed callback changes nothing");

  // Another caller (a session token for the same shop is another session) cannot complete it.
  assert.equal((await api("POST", "/api/connect/xero/complete", { state })).status, 403, "for another provider");
  assert.equal((await api("POST", "/api/connect/qbo/complete", { state })).status, 200);
  assert.equal((await api("POST", "/api/connect/qbo/complete", { state })).status, 404, "used once");
  assert.equal((await api("POST", "/api/connect/qbo/complete", { state: "forged" })).status, 404);
  // A denied consent comes back as an error the page shows, and stores nothing.
  qbo.codes.deny = true;
  const denied = await api("POST", `/api/connect/qbo?shop=${SHOP}`);
  const back = await fetch((await fetch(denied.body.authorize_url, { redirect: "manual" })).headers.get("location"), { redirect: "manual" });
  assert.match(back.headers.get("location"), /connect_error=access_denied/);
  qbo.codes.deny = false;
});

test("disconnect revokes the grant at the provider and forgets it; the next order parks until reconnected", async () => {
  const refresh = qbo.state.refreshToken;
  const res = await api("DELETE", `/api/connect/qbo?shop=${SHOP}`);
  assert.deepEqual(res.body, { provider: "qbo", shop: SHOP, revoked: true });
  assert.deepEqual(qbo.state.revoked, [refresh]);
  assert.deepEqual(await rows(mf, "SELECT provider FROM tokens WHERE provider = 'qbo'"), []);
  assert.deepEqual(await rows(mf, "SELECT provider FROM connections WHERE provider = 'qbo'"), []);
  const before = qbo.state.journals.length;
  assert.equal((await sendShopify(mf, order(), { shop: SHOP, topic: "orders/paid" })).status, 202);
  await waitFor("parked", async () => (await rows(mf, "SELECT 1 FROM outbox WHERE target = 'qbo' AND state = 'parked'")).length === 1);
  assert.equal(qbo.state.journals.length, before);
  assert.equal((await api("GET", `/api/connections?shop=${SHOP}`)).body.connections.map((c) => c.provider).join(), "xero");
});
