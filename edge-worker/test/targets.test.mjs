// QBO and Xero stand-ins: target 5xx then success, timeout after the target accepted, 429 with
// Retry-After, expired access token → exactly one journal at the target, nothing lost; a posting
// that cannot succeed is parked with a readable reason while the others keep flowing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startQbo } from "./standins/qbo.mjs";
import { startXero } from "./standins/xero.mjs";
import { fixture, idle, openToken, rows, sendShopify, startWorker, waitFor } from "./helpers.mjs";

const QBO_SHOP = "qbo.myshopify.com";
const XERO_SHOP = "xero.myshopify.com";
const EXPORTS = `
[exports.qbo]
"Assets:Clearing:Shopify-Payments" = "81"
"Income:Sales" = "79"
[exports.xero]
"Assets:Clearing:Shopify-Payments" = "610"
"Income:Sales" = "200"
`;
let mf, qbo, xero;
let nextId = 7000000000001;

/** The `simple` order under a fresh id (one sale entry: clearing Dr 25.00 / sales Cr 25.00). */
function order(id = nextId++) {
  const o = JSON.parse(fixture("simple"));
  o.id = id;
  return o;
}

before(async () => {
  qbo = await startQbo({ realm: "9130", clientId: "qbo-id", clientSecret: "qbo-secret", refreshToken: "rt-seed" });
  xero = await startXero({ tenant: "tenant-1", clientId: "xero-id", clientSecret: "xero-secret", refreshToken: "xrt-seed" });
  mf = await startWorker({
    shops: {
      [QBO_SHOP]: { targets: ["qbo"], mapping_toml: EXPORTS, qbo: { realm_id: "9130", base_url: qbo.url, token_url: qbo.tokenUrl } },
      [XERO_SHOP]: { targets: ["xero"], mapping_toml: EXPORTS, xero: { tenant_id: "tenant-1", base_url: xero.url, token_url: xero.tokenUrl } },
    },
    vars: {
      QBO_CLIENT_ID: "qbo-id", QBO_CLIENT_SECRET: "qbo-secret", QBO_REFRESH_TOKEN: "rt-seed",
      XERO_CLIENT_ID: "xero-id", XERO_CLIENT_SECRET: "xero-secret", XERO_REFRESH_TOKEN: "xrt-seed",
    },
  });
});
after(async () => { await mf?.dispose(); await qbo?.close(); await xero?.close(); });

async function post(shop, body) {
  const r = await sendShopify(mf, body, { shop });
  assert.equal(r.status, 202, r.body);
  await waitFor("postings settled", () => idle(mf), 20000);
  const [row] = await rows(mf, "SELECT * FROM outbox WHERE entry_id LIKE ? AND target != 'd1'", `%:order:${body.id}:%`);
  return row;
}

const journalsFor = (target, body) => target.state.journals.filter((j) => JSON.stringify(j.body).includes(String(body.id)));

test("QBO: first posting refreshes the seeded token, stores the rotated refresh token, posts once", async () => {
  const body = order();
  const row = await post(QBO_SHOP, body);
  assert.equal(row.state, "posted");
  assert.match(row.target_ref, /^JournalEntry \d+$/);
  assert.equal(journalsFor(qbo, body).length, 1);
  assert.equal(qbo.state.refreshes, 1);
  const [tok] = await rows(mf, "SELECT access_token, refresh_token FROM tokens WHERE provider = 'qbo'");
  assert.equal(openToken(tok.refresh_token, "qbo", QBO_SHOP), qbo.state.refreshToken, "the rotated refresh token is the one stored");
  // Sealed at rest (security review, low): neither token is readable in D1.
  for (const v of [tok.access_token, tok.refresh_token]) {
    assert.match(v, /^lb1:/);
    for (const plain of [qbo.state.refreshToken, ...qbo.state.access.keys()]) assert.ok(!v.includes(plain), "no token in clear");
  }
});

test("QBO: 500 then success → one journal", async () => {
  qbo.script.push({ status: 500 });
  const body = order();
  const row = await post(QBO_SHOP, body);
  assert.equal(row.state, "posted");
  assert.equal(journalsFor(qbo, body).length, 1);
  assert.equal(row.attempts, 2);
});

test("QBO: timeout after the target accepted → the retry with the same requestid gets the original answer", async () => {
  qbo.script.push({ acceptThenHang: 3000 });
  const body = order();
  const row = await post(QBO_SHOP, body);
  assert.equal(row.state, "posted");
  const journals = journalsFor(qbo, body);
  assert.equal(journals.length, 1);
  assert.equal(row.target_ref, `JournalEntry ${journals[0].id}`);
  const calls = qbo.state.calls.filter((c) => c.requestId === journals[0].requestId);
  assert.equal(calls.length, 2, "posted twice with one requestid");
});

test("QBO: 429 with Retry-After is honoured → one journal", async () => {
  qbo.script.push({ status: 429, headers: { "retry-after": "2" } });
  const body = order();
  const before = qbo.state.calls.length;
  const row = await post(QBO_SHOP, body);
  assert.equal(row.state, "posted");
  assert.equal(journalsFor(qbo, body).length, 1);
  const calls = qbo.state.calls.slice(before);
  assert.equal(calls.length, 2);
  assert.ok(calls[1].at - calls[0].at >= 1900, `waited ${calls[1].at - calls[0].at} ms`);
});

test("QBO: expired access token → one refresh (single flight), then one journal", async () => {
  for (const k of qbo.state.access.keys()) qbo.state.access.set(k, 0);
  const refreshes = qbo.state.refreshes;
  const bodies = [order(), order(), order()];
  for (const b of bodies) assert.equal((await sendShopify(mf, b, { shop: QBO_SHOP })).status, 202);
  await waitFor("postings settled", () => idle(mf), 20000);
  for (const b of bodies) assert.equal(journalsFor(qbo, b).length, 1);
  assert.equal(qbo.state.refreshes, refreshes + 1);
  const [tok] = await rows(mf, "SELECT refresh_token FROM tokens WHERE provider = 'qbo'");
  assert.equal(openToken(tok.refresh_token, "qbo", QBO_SHOP), qbo.state.refreshToken);
});

test("QBO: a posting that cannot be built is parked with its reason; the next order still posts", async () => {
  const tip = JSON.parse(fixture("tip")); // books accounts (tips, fees) that have no QBO account mapped
  const parked = await post(QBO_SHOP, tip);
  assert.equal(parked.state, "parked");
  assert.match(parked.reason, /^cannot build the QBO journal entry: .*no qbo account is mapped .*E_CONFIG/);
  const body = order();
  assert.equal((await post(QBO_SHOP, body)).state, "posted");
  const res = await mf.dispatchFetch("http://localhost/api/status", { headers: { "x-api-key": "test-api-key" } });
  const status = await res.json();
  assert.ok(status.parked >= 1);
  assert.ok(status.parked_postings.some((p) => p.reason.includes("no qbo account is mapped")));
});

test("QBO: a revoked refresh token parks postings with the reason; after reconnecting, POST /api/replay posts each once", async () => {
  qbo.state.valid.clear(); // revoked: another app refreshed the chain, or the merchant disconnected
  for (const k of qbo.state.access.keys()) qbo.state.access.set(k, 0);
  const body = order();
  const parked = await post(QBO_SHOP, body);
  assert.equal(parked.state, "parked");
  assert.match(parked.reason, /qbo refused the refresh token .*invalid_grant.*reconnect .*QBO_REFRESH_TOKEN.*\/api\/replay/);
  assert.equal(journalsFor(qbo, body).length, 0);
  assert.deepEqual(await rows(mf, "SELECT * FROM tokens WHERE provider = 'qbo'"), [], "the dead token is forgotten");

  // Reconnecting issues the refresh token the QBO_REFRESH_TOKEN secret holds.
  qbo.state.valid.add("rt-seed");
  const replay = async (payload) => {
    const res = await mf.dispatchFetch("http://localhost/api/replay", {
      method: "POST", headers: { "x-api-key": "test-api-key", "content-type": "application/json" }, body: JSON.stringify(payload),
    });
    return { status: res.status, body: await res.json() };
  };
  assert.equal((await replay({ shop: QBO_SHOP, target: "nope", extra: 1 })).status, 400, "unknown fields refused");
  const r = await replay({ shop: QBO_SHOP, target: "qbo", entry_id: parked.entry_id });
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { shop: QBO_SHOP, postings: 1, events: 0 });
  await waitFor("replayed posting settled", () => idle(mf), 20000);
  const [row] = await rows(mf, "SELECT state, attempts FROM outbox WHERE entry_id = ? AND target = 'qbo'", parked.entry_id);
  assert.deepEqual(row, { state: "posted", attempts: 1 });
  assert.equal(journalsFor(qbo, body).length, 1);
  assert.equal((await replay({ shop: QBO_SHOP, entry_id: parked.entry_id })).body.postings, 0, "a posted entry is not replayed");
  assert.equal(journalsFor(qbo, body).length, 1);
});

test("QBO: a re-post after the requestid was forgotten meets 6140 and records the journal found by its DocNumber, not a second one", async () => {
  qbo.state.duplicateDocNumbers = true;
  const body = order();
  const first = await post(QBO_SHOP, body);
  assert.equal(first.state, "posted");
  assert.equal(journalsFor(qbo, body).length, 1);
  // QBO's requestid memory has expired; the posting is sent again (a replay after an outage).
  qbo.state.byRequestId.clear();
  await (await mf.getD1Database("LEDGER")).prepare("UPDATE outbox SET state = 'parked' WHERE entry_id = ? AND target = 'qbo'").bind(first.entry_id).run();
  const res = await mf.dispatchFetch("http://localhost/api/replay", { method: "POST", headers: { "x-api-key": "test-api-key" }, body: JSON.stringify({ entry_id: first.entry_id }) });
  assert.equal((await res.json()).postings, 1);
  await waitFor("replayed", () => idle(mf), 20000);
  const [again] = await rows(mf, "SELECT state, target_ref FROM outbox WHERE entry_id = ? AND target = 'qbo'", first.entry_id);
  assert.deepEqual(again, { state: "posted", target_ref: first.target_ref }, "the original journal is the one recorded");
  assert.equal(journalsFor(qbo, body).length, 1, "no second journal");
  assert.ok(qbo.state.calls.some((c) => c.query?.includes("where DocNumber =")), "looked up by DocNumber");
  qbo.state.duplicateDocNumbers = false;
});

test("Xero: 503, then 429 + Retry-After, then success → one journal per request, one journal in all", async () => {
  xero.script.push({ status: 503 }, { status: 429, headers: { "retry-after": "1" } });
  const body = order();
  const row = await post(XERO_SHOP, body);
  assert.equal(row.state, "posted");
  assert.match(row.target_ref, /^ManualJournal [0-9a-f-]{36}$/);
  const journals = journalsFor(xero, body);
  assert.equal(journals.length, 1);
  assert.equal(xero.state.calls.filter((c) => c.key === journals[0].key).length, 3);
});

test("Xero: timeout after accept and an expired token → the Idempotency-Key replay, one journal", async () => {
  xero.script.push({ acceptThenHang: 3000 });
  const body = order();
  assert.equal((await post(XERO_SHOP, body)).state, "posted");
  assert.equal(journalsFor(xero, body).length, 1);
  for (const k of xero.state.access.keys()) xero.state.access.set(k, 0);
  const next = order();
  assert.equal((await post(XERO_SHOP, next)).state, "posted");
  assert.equal(journalsFor(xero, next).length, 1);
  const [tok] = await rows(mf, "SELECT refresh_token FROM tokens WHERE provider = 'xero'");
  assert.equal(openToken(tok.refresh_token, "xero", XERO_SHOP), xero.state.refreshToken);
});

test("Xero: a refresh whose answer is lost after rotating → the old refresh token, within Xero's 30-minute grace, refreshes again; one journal", async () => {
  xero.expireAccess();
  xero.state.tokenScript.push({ rotateThenHang: 3000 }); // longer than TARGET_TIMEOUT_MS (1500)
  const refreshes = xero.state.refreshes;
  const body = order();
  assert.equal((await post(XERO_SHOP, body)).state, "posted");
  assert.equal(journalsFor(xero, body).length, 1);
  assert.equal(xero.state.refreshes, refreshes + 2, "the lost rotation, then one with the previous token");
  const [tok] = await rows(mf, "SELECT refresh_token FROM tokens WHERE provider = 'xero'");
  assert.equal(openToken(tok.refresh_token, "xero", XERO_SHOP), xero.state.refreshToken, "the newest refresh token is the one stored");
});

test("Xero: a spent budget defers the posting as rate limited, never calls the target, and charges no other window", async () => {
  const db = await mf.getD1Database("LEDGER");
  const day = `d:${Math.floor(Date.now() / 86_400_000)}`;
  const minuteNow = Math.floor(Date.now() / 60_000);
  const setBudget = (window, calls) => db.prepare("INSERT INTO rate_budget (provider, shop, window, calls) VALUES ('xero', ?1, ?2, ?3) ON CONFLICT DO UPDATE SET calls = ?3")
    .bind(XERO_SHOP, window, calls).run();
  const budget = async (window) => (await rows(mf, "SELECT calls FROM rate_budget WHERE provider = 'xero' AND shop = ? AND window = ?", XERO_SHOP, window))[0]?.calls;
  const deferred = async (body) => {
    assert.equal((await sendShopify(mf, body, { shop: XERO_SHOP })).status, 202);
    return waitFor("deferred", async () => {
      const [r] = await rows(mf, "SELECT state, attempts, reason, next_attempt_at FROM outbox WHERE entry_id LIKE ? AND target = 'xero'", `%:order:${body.id}:%`);
      return r?.reason ? r : null;
    });
  };
  const calls = xero.state.calls.length;
  // The tests before may have spent this 6-second slice's 5 calls (a slow machine runs them within
  // one slice), and the slice is checked first: start from no spending at all.
  await db.prepare("DELETE FROM rate_budget WHERE provider = 'xero'").run();

  // The minute's 60 spent (this minute and the next two, so a minute boundary cannot free one).
  for (let m = minuteNow; m < minuteNow + 3; m++) await setBudget(`m:${m}`, 60);
  await setBudget(day, 1234);
  let row = await deferred(order());
  assert.deepEqual([row.state, row.attempts, row.reason], ["pending", 0, "xero rate limited: budget of 60 calls per minute spent"]);
  assert.equal(await budget(day), 1234, "the day's budget is not charged for a call the minute's refused");

  // The day's 5 000 spent (case 27): deferred until the window resets, visible in /api/status.
  await db.prepare("DELETE FROM rate_budget WHERE provider = 'xero' AND window LIKE 'm:%'").run();
  await setBudget(day, 5000);
  row = await deferred(order());
  assert.deepEqual([row.state, row.attempts, row.reason], ["pending", 0, "xero rate limited: budget of 5000 calls per day spent"]);
  assert.ok(row.next_attempt_at > Date.now(), "due after the window resets");
  assert.equal(await budget(day), 5000, "the refused call is given back");
  assert.equal(await budget(`m:${Math.floor(Date.now() / 60_000)}`) ?? 0, 0, "nor charged to the minute");
  assert.equal(xero.state.calls.length, calls, "the target was never called");
  const status = await (await mf.dispatchFetch("http://localhost/api/status", { headers: { "x-api-key": "test-api-key" } })).json();
  assert.equal(status.retrying_postings.filter((p) => p.reason.includes("rate limited")).length, 2);
  await db.prepare("DELETE FROM rate_budget WHERE provider = 'xero'").run();
});

test("tokens at rest: a row stored in clear before sealing still refreshes and is sealed; without TOKEN_KEY postings park naming it", async () => {
  const db = await mf.getD1Database("LEDGER");
  const [sealed] = await rows(mf, "SELECT refresh_token FROM tokens WHERE provider = 'qbo'");
  const plain = openToken(sealed.refresh_token, "qbo", QBO_SHOP);
  await db.prepare("UPDATE tokens SET refresh_token = ?, access_token = NULL, access_expires_at = 0 WHERE provider = 'qbo'").bind(plain).run();
  // Waits for this posting alone: the budget test before leaves Xero postings deferred to the next
  // window, so the worker is not idle.
  const settled = (worker, body) => waitFor("posting settled", async () => {
    const [r] = await rows(worker, "SELECT state, reason FROM outbox WHERE entry_id LIKE ? AND target = 'qbo'", `%:order:${body.id}:%`);
    return r && r.state !== "pending" ? r : null;
  }, 20000);
  const body = order();
  assert.equal((await sendShopify(mf, body, { shop: QBO_SHOP })).status, 202);
  assert.equal((await settled(mf, body)).state, "posted");
  assert.equal(journalsFor(qbo, body).length, 1);
  const [tok] = await rows(mf, "SELECT refresh_token FROM tokens WHERE provider = 'qbo'");
  assert.equal(openToken(tok.refresh_token, "qbo", QBO_SHOP), qbo.state.refreshToken, "sealed again on the refresh");

  const keyless = await startWorker({
    shops: { [QBO_SHOP]: { targets: ["qbo"], mapping_toml: EXPORTS, qbo: { realm_id: "9130", base_url: qbo.url, token_url: qbo.tokenUrl } } },
    vars: { TOKEN_KEY: "", QBO_CLIENT_ID: "qbo-id", QBO_CLIENT_SECRET: "qbo-secret", QBO_REFRESH_TOKEN: qbo.state.refreshToken },
  });
  try {
    const calls = qbo.state.calls?.length;
    const other = order();
    assert.equal((await sendShopify(keyless, other, { shop: QBO_SHOP })).status, 202);
    const row = await settled(keyless, other);
    assert.equal(row.state, "parked");
    assert.match(row.reason, /set the TOKEN_KEY secret/);
    assert.deepEqual(await rows(keyless, "SELECT * FROM tokens"), [], "nothing stored without the key");
    assert.equal(qbo.state.calls?.length, calls, "QBO never called");
  } finally {
    await keyless.dispose();
  }
});
