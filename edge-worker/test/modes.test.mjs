// Posting modes (issue #11 item 3) and /api/clearing (item 4a) on workerd, against the QBO and Xero
// stand-ins: per-order postings, then a SHOPS edit to per-payout mid-month (the same D1), a sale
// held, the payout arrives → one journal per deposit at each target, leaving out what was posted
// per order, and the targets' books total per account what the ledger does; daily summaries;
// a re-priced summarized sale corrected per order; the clearing report with an open sale, an untied
// payout and a parked payout that does not add up; a switch back to per-order.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startQbo } from "./standins/qbo.mjs";
import { startXero } from "./standins/xero.mjs";
import { API_KEY, CLIENT_ID, SHOPIFY_SECRET, drain, idle, milli, oauthSeeds, rows, sendStripe, startWorker, waitFor } from "./helpers.mjs";

const SHOP = "default"; // a Stripe account's own events
const DAILY = "acct_daily";
const CODES = { "Assets:Bank": "090", "Assets:Clearing:Stripe": "610", "Expenses:PaymentFees:Stripe": "404", "Income:Sales": "200" };
const QBO_IDS = { "Assets:Bank": "35", "Assets:Clearing:Stripe": "81", "Expenses:PaymentFees:Stripe": "90", "Income:Sales": "79" };
const toml = (table, map) => `[exports.${table}]\n` + Object.entries(map).map(([a, c]) => `"${a}" = "${c}"`).join("\n") + "\n";
const MAPPING = toml("qbo", QBO_IDS) + toml("xero", CODES);
let qbo, xero, mf, dir;
const now = Math.floor(Date.now() / 1000);

function shops(posting, daily = {}) {
  const base = (extra) => ({
    targets: ["qbo", "xero"], mapping_toml: MAPPING,
    qbo: { realm_id: "9130", base_url: qbo.url, token_url: qbo.tokenUrl },
    xero: { tenant_id: "tenant-1", base_url: xero.url, token_url: xero.tokenUrl }, ...extra,
  });
  return { [SHOP]: base({ posting }), [DAILY]: base({ posting: daily }) };
}

async function start(posting, migrateDb) {
  await mf?.dispose();
  mf = await startWorker({
    shops: shops(posting, { qbo: "daily", xero: "daily" }),
    vars: {
      QBO_CLIENT_ID: "qbo-id", QBO_CLIENT_SECRET: "qbo-secret",
      XERO_CLIENT_ID: "xero-id", XERO_CLIENT_SECRET: "xero-secret",
      // One token chain per shop (each shop connects its own company).
      ...oauthSeeds([SHOP, DAILY]),
    },
    options: { d1Persist: dir },
    migrateDb,
  });
}

/** A succeeded charge with its fee (fee = 3% rounded down), `daysAgo` days before now. */
function charge(id, cents, daysAgo = 0) {
  const t = now - daysAgo * 86400;
  const fee = Math.floor(cents * 0.03);
  return { id, object: "charge", amount: cents, amount_captured: cents, captured: true, created: t, currency: "usd", paid: true,
    status: "succeeded", balance_transaction: { id: `txn_${id}`, object: "balance_transaction", amount: cents, fee, net: cents - fee,
      currency: "usd", type: "charge", source: id, created: t } };
}
const net = (c) => c.balance_transaction.net;

/** The worker's payout envelope settling `charges`; `short` cents less deposited than they net. */
function payout(id, charges, short = 0) {
  const total = charges.reduce((a, c) => a + net(c), 0);
  return { payout: { id, object: "payout", amount: total - short, arrival_date: now, created: now, currency: "usd", status: "paid" },
    balance_transactions: charges.map((c) => ({ ...c.balance_transaction, id: `txn_${c.id}` })) };
}

async function send(body) {
  const r = await sendStripe(mf, body);
  assert.equal(r.status, 202, r.body);
  await drain(mf, { ms: 30000, sweepMs: 500 });
}

/** Net per account in thousandths over what a target received (its accounts mapped back). */
function qboBooks(journals) {
  const byId = Object.fromEntries(Object.entries(QBO_IDS).map(([a, i]) => [i, a]));
  const out = {};
  for (const j of journals) for (const l of j.body.Line) {
    const acct = byId[l.JournalEntryLineDetail.AccountRef.value];
    const v = milli(String(l.Amount)) * (l.JournalEntryLineDetail.PostingType === "Debit" ? 1n : -1n);
    out[acct] = (out[acct] ?? 0n) + v;
  }
  return clean(out);
}
function xeroBooks(journals) {
  const byCode = Object.fromEntries(Object.entries(CODES).map(([a, c]) => [c, a]));
  const out = {};
  for (const j of journals) for (const l of j.body.JournalLines) out[byCode[l.AccountCode]] = (out[byCode[l.AccountCode]] ?? 0n) + milli(String(l.LineAmount));
  return clean(out);
}
const clean = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== 0n).map(([k, v]) => [k, String(v)]).sort());
async function ledgerBooks(shop) {
  const out = {};
  for (const r of await rows(mf, "SELECT json FROM entries WHERE shop = ?", shop)) {
    for (const l of JSON.parse(r.json).lines) out[l.account] = (out[l.account] ?? 0n) + milli(l.debit) - milli(l.credit);
  }
  return clean(out);
}
const ofShop = (journals, needle) => journals.filter((j) => JSON.stringify(j.body).includes(needle));

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "lb-modes-"));
  qbo = await startQbo({ realm: "9130", clientId: "qbo-id", clientSecret: "qbo-secret", refreshToken: "rt-seed", seedReusable: true });
  xero = await startXero({ tenant: "tenant-1", clientId: "xero-id", clientSecret: "xero-secret", refreshToken: "xrt-seed", seedReusable: true });
});
after(async () => { await mf?.dispose(); await qbo?.close(); await xero?.close(); fs.rmSync(dir, { recursive: true, force: true }); });

const c1 = charge("ch_modes1", 10000), c2 = charge("ch_modes2", 5000), c3 = charge("ch_modes3", 3000);

test("switched from per-order to per-payout mid-month: one journal per deposit, without what went per order", async () => {
  await start({}, true);
  await send(c1);
  await send(c2);
  assert.equal(qbo.state.journals.length, 2, "per order: one journal per sale");
  assert.equal(xero.state.journals.length, 2);

  // The merchant edits SHOPS: both targets per payout. Same D1, no re-setup.
  await start({ qbo: "per-payout", xero: "per-payout" }, false);
  await send(c3);
  const held = await rows(mf, "SELECT target, state FROM outbox WHERE entry_id LIKE '%ch_modes3%' AND target != 'd1' ORDER BY target");
  assert.deepEqual(held.map((r) => r.state), ["held", "held"]);
  assert.equal(qbo.state.journals.length, 2, "a held sale is not posted");

  const po = payout("po_modes1", [c1, c2, c3]);
  await send(po);
  const sid = "summary:payout:stripe:default:po_modes1:USD";
  for (const [target, standin] of [["qbo", qbo], ["xero", xero]]) {
    assert.equal(standin.state.journals.length, 3, `${target}: exactly one more journal, the deposit's`);
    const states = await rows(mf, "SELECT entry_id, state, target_ref FROM outbox WHERE target = ? ORDER BY entry_id", target);
    const of = (needle) => states.find((r) => r.entry_id.includes(needle));
    assert.equal(of("ch_modes1").state, "posted");
    assert.equal(of("ch_modes2").state, "posted");
    assert.deepEqual([of("ch_modes3").state, of("ch_modes3").target_ref], ["summarized", sid]);
    assert.deepEqual([of("po_modes1").state, of("po_modes1").target_ref], ["summarized", sid]);
    assert.equal(states.find((r) => r.entry_id === sid).state, "posted");
  }
  // The summary's bank line is the deposit, to the cent; clearing keeps what went per order.
  const deposit = milli((po.payout.amount / 100).toFixed(2));
  const qj = qbo.state.journals[2].body;
  const bank = qj.Line.filter((l) => l.JournalEntryLineDetail.AccountRef.value === QBO_IDS["Assets:Bank"]);
  assert.equal(bank.length, 1);
  assert.deepEqual([bank[0].JournalEntryLineDetail.PostingType, milli(String(bank[0].Amount))], ["Debit", deposit]);
  const xj = xero.state.journals[2].body;
  const xbank = xj.JournalLines.filter((l) => l.AccountCode === CODES["Assets:Bank"]);
  assert.deepEqual(xbank.map((l) => milli(String(l.LineAmount))), [deposit]);
  const clearing = xj.JournalLines.filter((l) => l.AccountCode === CODES["Assets:Clearing:Stripe"]);
  assert.deepEqual(clearing.map((l) => milli(String(l.LineAmount))), [-milli(((net(c1) + net(c2)) / 100).toFixed(2))]);
  // Per account, per-order + summary = the ledger (which keeps per-order entries): clearing is 0.
  const books = await ledgerBooks(SHOP);
  assert.equal(books["Assets:Clearing:Stripe"], undefined);
  assert.deepEqual(qboBooks(qbo.state.journals), books);
  assert.deepEqual(xeroBooks(xero.state.journals), books);

  // A newer version of summarized sale 3 (re-priced): the reversal of what the summary holds goes
  // out per order as a correction, and the new version per order too (its payout's summary is made).
  const c3b = charge("ch_modes3", 3500);
  c3b.created = c3b.balance_transaction.created = c3.created + 60;
  await send({ id: "evt_c3b", object: "event", type: "charge.updated", created: c3b.created, data: { object: c3b } });
  for (const [target, standin] of [["qbo", qbo], ["xero", xero]]) {
    assert.equal(standin.state.journals.length, 5, `${target}: the reversal and the new version`);
    const fixes = await rows(mf, "SELECT entry_id, state FROM outbox WHERE target = ? AND entry_id LIKE '%ch_modes3%' ORDER BY entry_id", target);
    assert.deepEqual(fixes.map((r) => [r.entry_id.endsWith(":reversal"), r.state]), [[false, "summarized"], [true, "posted"], [false, "posted"]]);
  }
  assert.deepEqual(qboBooks(qbo.state.journals), await ledgerBooks(SHOP));
  assert.deepEqual(xeroBooks(xero.state.journals), await ledgerBooks(SHOP));

  // Sweeps later: nothing more is posted; a redelivered payout books nothing new.
  const worker = await mf.getWorker();
  await worker.scheduled({ cron: "*/2 * * * *" });
  await send(po).catch(() => {}); // a duplicate body answers 200, not 202
  await drain(mf, { ms: 10000, sweepMs: 300 });
  assert.equal(qbo.state.journals.length, 5);
  assert.equal(xero.state.journals.length, 5);
});

test("daily: a day that is over becomes one journal per target; a late entry of that day goes per order", async () => {
  const event = (c) => ({ id: `evt_${c.id}`, object: "event", type: "charge.succeeded", account: DAILY, created: c.created, data: { object: c } });
  const before = [qbo.state.journals.length, xero.state.journals.length];
  const d1 = charge("ch_day1", 2000, 2), d2 = charge("ch_day2", 4000, 2), today = charge("ch_today", 1000, 0);
  // Mapped as they come; the day's summary is the sweeper's, after the day ends.
  for (const c of [d1, d2, today]) assert.equal((await sendStripe(mf, event(c))).status, 202);
  await waitFor("mapped", () => idle(mf), 20000);
  assert.equal(qbo.state.journals.length, before[0], "nothing posted before the sweep");
  await (await mf.getWorker()).scheduled({ cron: "*/2 * * * *" });
  await drain(mf, { ms: 20000, sweepMs: 300 });
  const day = new Date((now - 2 * 86400) * 1000).toISOString().slice(0, 10);
  const sid = `summary:day:${DAILY}:${day}:USD`;
  assert.equal(qbo.state.journals.length - before[0], 1, "one journal for the day that is over");
  assert.equal(xero.state.journals.length - before[1], 1);
  const [summary] = await rows(mf, "SELECT json, covers FROM summaries WHERE id = ? AND target = 'xero'", sid);
  assert.equal(summary.covers, 2);
  const [held] = await rows(mf, "SELECT state FROM outbox WHERE entry_id LIKE '%ch_today%' AND target = 'qbo'");
  assert.equal(held.state, "held", "today is not over");
  // A sale of that day delivered late: its day's summary is made, so it goes on its own.
  await send(event(charge("ch_day3", 500, 2)));
  await (await mf.getWorker()).scheduled({ cron: "*/2 * * * *" }); // the next sweep sends it
  await drain(mf, { ms: 20000, sweepMs: 300 });
  assert.equal(qbo.state.journals.length - before[0], 2);
  const [late] = await rows(mf, "SELECT state FROM outbox WHERE entry_id LIKE '%ch_day3%' AND target = 'qbo'");
  assert.equal(late.state, "posted");
  assert.ok(ofShop(qbo.state.journals, "ch_day3").length === 1);
});

test("GET /api/clearing: balance, open entries with their age, untied payouts, parked payouts", async () => {
  const get = (q = "", key = API_KEY) => mf.dispatchFetch(`http://localhost/api/clearing${q}`, { headers: key ? { "x-api-key": key } : {} });
  assert.equal((await get("", null)).status, 401);
  const c4 = charge("ch_modes4", 2500, 3);
  await send(c4);
  // A payout whose items do not add up to its amount: the core refuses it; the event parks.
  const bad = payout("po_bad", [c4]);
  bad.payout.amount += 7;
  const r = await sendStripe(mf, bad);
  assert.equal(r.status, 202, r.body);
  await drain(mf, { ms: 20000, sweepMs: 300 });
  const res = await get(`?shop=${SHOP}`);
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.equal(body.shops.length, 1);
  const [report] = body.shops;
  const [acct] = report.accounts;
  assert.deepEqual([acct.account, acct.currency], ["Assets:Clearing:Stripe", "USD"]);
  // Payout 1 settled sale 3 at its first price: the re-priced version leaves the difference.
  const diff = net(charge("ch_modes3", 3500)) - net(c3);
  assert.equal(acct.balance, ((net(c4) + diff) / 100).toFixed(2));
  assert.deepEqual(acct.open.map((o) => [o.entry_id.includes("ch_modes4"), o.amount, o.age_days]), [[true, (net(c4) / 100).toFixed(2), 3]]);
  assert.deepEqual(acct.untied.map((u) => [u.payout.includes("po_modes1"), u.difference]), [[true, (diff / 100).toFixed(2)]]);
  assert.equal(report.parked_payouts.length, 1);
  assert.match(report.parked_payouts[0].reason, /E_UNBALANCED_SOURCE/);
  // A Shopify session token reads its own shop only (here: a shop without entries).
  const b64url = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const t = Math.floor(Date.now() / 1000);
  const claims = { iss: "https://s.myshopify.com/admin", dest: "https://s.myshopify.com", aud: CLIENT_ID, sub: "1", exp: t + 60, nbf: t - 5, iat: t - 5, jti: "j" };
  const unsigned = `${b64url({ alg: "HS256", typ: "JWT" })}.${b64url(claims)}`;
  const token = `${unsigned}.${crypto.createHmac("sha256", SHOPIFY_SECRET).update(unsigned).digest("base64url")}`;
  assert.equal((await get(`?shop=${SHOP}`, token)).status, 403);
  const own = await (await get("", token)).json();
  assert.deepEqual(own.shops.map((s) => [s.shop, s.accounts.length]), [["s.myshopify.com", 0]]);
  // Every shop with entries when no shop is asked for.
  const all = await (await get()).json();
  assert.deepEqual(all.shops.map((s) => s.shop).sort(), [DAILY, SHOP].sort());
});

test("switched back to per-order: what was held goes out on the next sweep, each entry once", async () => {
  const before = [qbo.state.journals.length, xero.state.journals.length];
  const held = await rows(mf, "SELECT entry_id, target FROM outbox WHERE state = 'held' AND shop = ? ORDER BY entry_id, target", SHOP);
  assert.deepEqual(held.map((r) => [r.entry_id.includes("ch_modes4"), r.target]), [[true, "qbo"], [true, "xero"]]);
  await start({}, false);
  await (await mf.getWorker()).scheduled({ cron: "*/2 * * * *" });
  await drain(mf, { ms: 20000, sweepMs: 300 });
  assert.deepEqual([qbo.state.journals.length - before[0], xero.state.journals.length - before[1]], [1, 1]);
  assert.equal(ofShop(qbo.state.journals, "ch_modes4").length, 1);
  const states = await rows(mf, "SELECT state, count(*) AS n FROM outbox WHERE shop = ? AND target = 'qbo' GROUP BY state ORDER BY state", SHOP);
  // sales 1, 2, 4, the summary, the reversal of sale 3 and its new version; sale 3 and the payout.
  assert.deepEqual(states.map((r) => [r.state, r.n]), [["posted", 6], ["summarized", 2]]);
  // Per account the target's books are the ledger's: nothing lost, nothing twice.
  assert.deepEqual(qboBooks(qbo.state.journals.filter((j) => !JSON.stringify(j.body).includes(DAILY))), await ledgerBooks(SHOP));
});
