// Importing the merchant's chart of accounts (issue #12 item 2): QBO's `select * from Account` and
// Xero's `GET Accounts`, fetched with the shop's own tokens from stand-ins that enforce the bearer
// and the tenant; each role of the config comes back with the accounts of a class it allows (the
// core decides), and its current export. A shop that is not connected, or whose grant is dead, is
// told so.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startQbo } from "./standins/qbo.mjs";
import { startXero } from "./standins/xero.mjs";
import { API_KEY, seedSecret, startWorker } from "./helpers.mjs";

const SHOP = "chart.myshopify.com";
const DEAD = "dead.myshopify.com";
const LOOSE = "loose.myshopify.com";
let mf, qbo, xero;

before(async () => {
  qbo = await startQbo({ realm: "9130", clientId: "qbo-id", clientSecret: "qbo-secret", refreshToken: "rt-seed" });
  xero = await startXero({ tenant: "tenant-1", clientId: "xero-id", clientSecret: "xero-secret", refreshToken: "xrt-seed" });
  const targets = (realm, tenant) => ({
    qbo: { realm_id: realm, base_url: qbo.url, token_url: qbo.tokenUrl },
    xero: { tenant_id: tenant, base_url: xero.url, token_url: xero.tokenUrl },
  });
  mf = await startWorker({
    shops: {
      [SHOP]: { mapping_toml: '[exports.qbo]\n"Income:Sales" = "79"\n[exports.xero]\n"Income:Sales" = "200"', ...targets("9130", "tenant-1") },
      [DEAD]: targets("9130", "tenant-1"),
      [LOOSE]: targets("", ""),
    },
    vars: {
      QBO_CLIENT_ID: "qbo-id", QBO_CLIENT_SECRET: "qbo-secret", XERO_CLIENT_ID: "xero-id", XERO_CLIENT_SECRET: "xero-secret",
      [seedSecret("qbo", SHOP)]: "rt-seed", [seedSecret("xero", SHOP)]: "xrt-seed",
      [seedSecret("qbo", DEAD)]: "rt-never-issued", [seedSecret("xero", DEAD)]: "xrt-never-issued",
    },
  });
});
after(async () => { await mf?.dispose(); await qbo?.close(); await xero?.close(); });

async function get(p) {
  const res = await mf.dispatchFetch(`http://localhost${p}`, { headers: { authorization: `Bearer ${API_KEY}` } });
  return { status: res.status, body: await res.json() };
}
const role = (body, path) => body.roles.find((r) => r.path === path);

test("QBO: the company's active accounts, and each role offered only the classes it may use", async () => {
  const r = await get(`/api/accounts/qbo?shop=${SHOP}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const ids = r.body.accounts.map((a) => a.id);
  assert.ok(ids.includes("79") && ids.includes("35"));
  assert.ok(!ids.includes("87"), "inactive account listed");
  assert.deepEqual(r.body.accounts.find((a) => a.id === "89"), { id: "89", name: "Sales Tax Payable", type: "Other Current Liability", class: "liability", ledger: "Liabilities:Sales-Tax-Payable" });
  const sales = role(r.body, "accounts.sales");
  assert.equal(sales.mapped, "79");
  assert.deepEqual(sales.allowed, ["79", "83", "86"]);
  // A clearing or bank role: assets only (no income account); the non-posting one for no role.
  assert.deepEqual(role(r.body, "accounts.bank").allowed, ["35", "4", "81", "84", "82"]);
  assert.deepEqual(role(r.body, "accounts.gift_cards").allowed, ["89", "90", "41"]);
  assert.ok(r.body.roles.every((x) => !x.allowed.includes("91")));
  const query = qbo.state.calls.find((c) => /from Account/.test(c.query ?? ""));
  assert.equal(query.status, undefined, "the stand-in refused the worker's bearer");
});

test("Xero: the organisation's coded active accounts by code", async () => {
  const r = await get(`/api/accounts/xero?shop=${SHOP}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.ok(!r.body.accounts.some((a) => a.id === "205"), "archived account listed");
  assert.equal(role(r.body, "accounts.sales").mapped, "200");
  assert.deepEqual(role(r.body, "accounts.sales").allowed, ["200", "260"]);
  assert.deepEqual(role(r.body, "accounts.cogs").allowed, ["310", "404"]);
});

test("a dead grant and a shop never connected are told apart, nothing fetched without a token", async () => {
  const calls = qbo.state.calls.length;
  const dead = await get(`/api/accounts/qbo?shop=${DEAD}`);
  assert.equal(dead.status, 409, JSON.stringify(dead.body));
  assert.equal(dead.body.error.code, "E_NOT_CONNECTED");
  assert.equal(qbo.state.calls.length, calls, "the chart was asked for without a token");
  const loose = await get(`/api/accounts/xero?shop=${LOOSE}`);
  assert.equal(loose.status, 409);
  assert.equal(loose.body.error.code, "E_NOT_CONNECTED");
  assert.equal((await get(`/api/accounts/sage?shop=${SHOP}`)).status, 404);
  const anonymous = await mf.dispatchFetch(`http://localhost/api/accounts/qbo?shop=${SHOP}`);
  assert.equal(anonymous.status, 401);
});

async function create(provider, body) {
  const res = await mf.dispatchFetch(`http://localhost/api/accounts/${provider}?shop=${SHOP}`, {
    method: "POST", headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

test("QBO: a missing account is created for a role, of a kind the role allows, and then offered; a taken name is refused at the name", async () => {
  const before = await get(`/api/accounts/qbo?shop=${SHOP}`);
  // The kinds a role may create come from the core: income kinds for sales, none of another class.
  assert.deepEqual(role(before.body, "accounts.sales").creatable.map((k) => k.subtype), ["SalesOfProductIncome", "OtherPrimaryIncome", "DiscountsRefundsGiven"]);
  assert.ok(role(before.body, "accounts.bank").creatable.every((k) => k.class === "asset"));
  const made = await create("qbo", { role: "accounts.sales", name: "Web Sales", type: "Income", subtype: "SalesOfProductIncome" });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.deepEqual(made.body.account, { id: "200", name: "Web Sales", type: "Income", class: "income", ledger: "Income:Web-Sales" });
  const sent = qbo.requests.filter((r) => r.method === "POST" && /\/v3\/company\/9130\/account/.test(r.url));
  assert.equal(sent.length, 1);
  assert.deepEqual(JSON.parse(sent[0].body), { Name: "Web Sales", AccountType: "Income", AccountSubType: "SalesOfProductIncome" });
  assert.match(sent[0].headers.authorization, /^Bearer at-/);
  const after = await get(`/api/accounts/qbo?shop=${SHOP}`);
  assert.ok(role(after.body, "accounts.sales").allowed.includes("200"), "the new account is offered to its role");
  assert.ok(!role(after.body, "accounts.bank").allowed.includes("200"));

  const taken = await create("qbo", { role: "accounts.sales", name: "web sales", type: "Income", subtype: "SalesOfProductIncome" });
  assert.equal(taken.status, 400);
  assert.deepEqual([taken.body.error.code, taken.body.error.path], ["E_ACCOUNT_REFUSED", "name"]);
  assert.doesNotMatch(taken.body.error.message, /[{}]/, "no raw provider text");
  // A kind the role may not use, or a name QBO would refuse, is refused before anything is sent.
  const wrongKind = await create("qbo", { role: "accounts.bank", name: "Sales 2", type: "Income", subtype: "SalesOfProductIncome" });
  assert.deepEqual([wrongKind.status, wrongKind.body.error.code, wrongKind.body.error.path], [400, "E_INVALID_VALUE", "type"]);
  const colon = await create("qbo", { role: "accounts.sales", name: "Sales:Web", type: "Income", subtype: "SalesOfProductIncome" });
  assert.deepEqual([colon.status, colon.body.error.path], [400, "name"]);
  const noRole = await create("qbo", { role: "accounts.nothing", name: "X", type: "Income", subtype: "SalesOfProductIncome" });
  assert.deepEqual([noRole.status, noRole.body.error.path], [400, "role"]);
  assert.equal(qbo.requests.filter((r) => r.method === "POST" && /\/account\?/.test(r.url)).length, 2, "only the valid requests were sent");
  assert.equal(qbo.state.chart.created.length, 1);
});

test("Xero: a missing account is created with its code; a taken code or name is refused at its field", async () => {
  const made = await create("xero", { role: "accounts.gift_cards", name: "Gift cards (web)", type: "CURRLIAB", code: "826" });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.deepEqual(made.body.account, { id: "826", name: "Gift cards (web)", type: "CURRLIAB", class: "liability", ledger: "Liabilities:Gift-Cards-Web" });
  const sent = xero.requests.filter((r) => r.method === "PUT" && r.url === "/api.xro/2.0/Accounts");
  assert.deepEqual(JSON.parse(sent[0].body), { Code: "826", Name: "Gift cards (web)", Type: "CURRLIAB" });
  assert.equal(sent[0].headers["xero-tenant-id"], "tenant-1");
  const r = await get(`/api/accounts/xero?shop=${SHOP}`);
  assert.ok(role(r.body, "accounts.gift_cards").allowed.includes("826"));
  const code = await create("xero", { role: "accounts.gift_cards", name: "Another", type: "CURRLIAB", code: "820" });
  assert.deepEqual([code.status, code.body.error.code, code.body.error.path], [400, "E_ACCOUNT_REFUSED", "code"]);
  const name = await create("xero", { role: "accounts.sales", name: "Sales", type: "REVENUE", code: "201" });
  assert.deepEqual([name.status, name.body.error.path], [400, "name"]);
  const noCode = await create("xero", { role: "accounts.sales", name: "Web", type: "REVENUE" });
  assert.deepEqual([noCode.status, noCode.body.error.code, noCode.body.error.path], [400, "E_INVALID_VALUE", "code"]);
  assert.equal(xero.state.chart.created.length, 1);
});
