// Poison and outsized work (reliability plan cases 9, 22, 23): a payload with wrong types or a
// missing field is acknowledged and parked with the core's code and JSON path (no retry storm);
// a target that refuses (4xx) parks its posting while the other postings of the batch go through;
// a target failing past RETRY_LIMIT parks with the attempts counted; a body over the 128 KB queue
// message limit is booked and posted, since only ids travel on the queue.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startWebhookReceiver } from "./standins/webhook-receiver.mjs";
import { API_KEY, WEBHOOK_SECRET, fixture, fixtureOf, idle, rows, sendShopify, startWorker, waitFor } from "./helpers.mjs";

const SHOP = "poison.myshopify.com";
// A mapping given as JSON (not TOML) with an account name the core refuses: no root account.
const BAD_MAPPING_SHOP = "bad-mapping.myshopify.com";
let mf, receiver;
let nextId = 7300000000001;
const order = (edit = () => {}) => { const o = JSON.parse(fixture("simple")); o.id = nextId++; edit(o); return o; };

before(async () => {
  receiver = await startWebhookReceiver(WEBHOOK_SECRET);
  mf = await startWorker({ shops: {
    [SHOP]: { targets: ["webhook"], webhook_url: `${receiver.url}/hook` },
    [BAD_MAPPING_SHOP]: { targets: ["webhook"], webhook_url: `${receiver.url}/hook`, mapping: { accounts: { sales: "Sales" } } },
  } });
});
after(async () => { await mf?.dispose(); await receiver?.close(); });

const settle = () => waitFor("idle", () => idle(mf), 30000);
const eventOf = async (id) => (await rows(mf, "SELECT status, reason FROM events WHERE shop = ? AND order_id = ?", SHOP, String(id)))[0];
const postingOf = async (id) => (await rows(mf, "SELECT state, attempts, reason FROM outbox WHERE entry_id LIKE ? AND target = 'webhook'", `%:order:${id}:%`))[0];

test("wrong types and a missing field: 202, then parked with the code and path, never retried", async () => {
  const wrongType = order((o) => { o.line_items[0].quantity = "two"; });
  const missing = order((o) => { delete o.currency; });
  for (const body of [wrongType, missing]) assert.equal((await sendShopify(mf, body, { shop: SHOP })).status, 202);
  await settle();
  const a = await eventOf(wrongType.id);
  assert.equal(a.status, "parked");
  assert.match(a.reason, /line_items\[0\]\.quantity/);
  const b = await eventOf(missing.id);
  assert.equal(b.status, "parked");
  assert.match(b.reason, /currency/);
  assert.match(b.reason, /\[E_[A-Z_]+ at /, "the core's stable code is in the reason");
  assert.equal(receiver.log.filter((l) => [wrongType.id, missing.id].some((id) => l.id?.includes(`:${id}:`))).length, 0);
});

test("a target's 4xx parks that posting with the target's answer; the next posting goes through", async () => {
  receiver.script.push({ status: 422, body: "unprocessable: account 4000 is archived" });
  const refused = order();
  assert.equal((await sendShopify(mf, refused, { shop: SHOP })).status, 202);
  await settle();
  const next = order();
  assert.equal((await sendShopify(mf, next, { shop: SHOP })).status, 202);
  await settle();
  const p = await postingOf(refused.id);
  assert.deepEqual([p.state, p.attempts], ["parked", 1]);
  assert.match(p.reason, /422.*account 4000 is archived/);
  assert.equal((await postingOf(next.id)).state, "posted");
});

test("a target failing past RETRY_LIMIT (4 here) parks the posting with the attempts it made", async () => {
  receiver.script.push(...Array.from({ length: 4 }, () => ({ status: 503, headers: { "retry-after": "0" } })));
  const body = order();
  assert.equal((await sendShopify(mf, body, { shop: SHOP })).status, 202);
  const p = await waitFor("parked", async () => {
    const r = await postingOf(body.id);
    return r?.state === "parked" ? r : null;
  }, 30000);
  assert.equal(p.attempts, 4);
  assert.match(p.reason, /^gave up after 4 attempts: target answered 503/);
});

test("a webhook body over 128 KB (the queue's message limit) is booked and posted: only ids are queued", async () => {
  const big = order((o) => { o.note_attributes = Array.from({ length: 1500 }, (_, i) => ({ name: `gift-message-${i}`, value: "x".repeat(80) })); });
  const text = JSON.stringify(big);
  assert.ok(text.length > 128 * 1024, `${text.length} bytes`);
  assert.equal((await sendShopify(mf, text, { shop: SHOP })).status, 202);
  await settle();
  assert.equal((await eventOf(big.id)).status, "mapped");
  assert.equal((await postingOf(big.id)).state, "posted");
});

test("a shop whose JSON mapping the core refuses: its events park with E_CONFIG and the field, nothing is booked", async () => {
  const o = order();
  assert.equal((await sendShopify(mf, o, { shop: BAD_MAPPING_SHOP })).status, 202);
  await settle();
  const [ev] = await rows(mf, "SELECT status, reason FROM events WHERE shop = ? AND order_id = ?", BAD_MAPPING_SHOP, String(o.id));
  assert.equal(ev.status, "parked");
  assert.match(ev.reason, /\[E_CONFIG at accounts\.sales\]/);
  assert.equal((await rows(mf, "SELECT count(*) AS n FROM entries WHERE shop = ?", BAD_MAPPING_SHOP))[0].n, 0);
  assert.equal(receiver.log.filter((l) => l.id?.includes(`:${o.id}:`)).length, 0);
});

test("one bad part of a document (Shopify's documentation order 450789469, whose refund does not add up): the sale books and posts, the event parks naming the refund", async () => {
  const body = JSON.parse(fixtureOf("shopify", "docs-example-bad-refund"));
  assert.equal((await sendShopify(mf, body, { shop: SHOP, topic: "orders/updated" })).status, 202);
  await settle();
  const entries = await rows(mf, "SELECT id FROM entries WHERE id LIKE ?", `%:order:${body.id}:%`);
  assert.deepEqual(entries.map((e) => e.id.split(":").slice(3, 5).join(":")), ["450789469:sale"], "the sale is booked, nothing of the refund");
  assert.equal((await postingOf(body.id)).state, "posted");
  const ev = await eventOf(body.id);
  assert.equal(ev.status, "parked");
  assert.match(ev.reason, /^partly booked: refund 509562969 not booked: .*\[E_UNBALANCED_SOURCE at refunds\[0\]\]/);
  const status = await (await mf.dispatchFetch(`http://localhost/api/status?shop=${SHOP}`, { headers: { "x-api-key": API_KEY } })).json();
  assert.ok(Object.keys(status.event_reasons).some((r) => r.includes("refund 509562969 not booked")), JSON.stringify(status.event_reasons));
});
