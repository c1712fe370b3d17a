// Document mode (issue #14, docs/documents.md): Shopify webhooks reach the QBO and Xero stand-ins
// as customers and sales documents (SalesReceipt / RefundReceipt / Invoice; Invoice + Payment /
// CreditNote + Payment / Invoice alone), through real workerd. The totals the stand-ins compute
// from what they received are checked against the journal totals worked out by hand in each
// fixture's expected.json, and the bodies against the reviewed `documents.json` snapshots.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startQbo } from "./standins/qbo.mjs";
import { startXero } from "./standins/xero.mjs";
import { seedCustomer } from "./standins/qbo-documents.mjs";
import { seedContact } from "./standins/xero-documents.mjs";
import { FIXTURES, drain, fixture, milli, oauthSeeds, rows, sendShopify, startWorker } from "./helpers.mjs";

const SHOP = "demo.myshopify.com"; // the fixtures' shop, so document ids and bodies match the snapshots
const UNMAPPED = "unmapped.myshopify.com"; // document mode with no item for most SKUs
// The documents setup core/tests/documents.rs made the snapshots with.
const MAPPING = `
[documents]
mode = "documents"
[documents.qbo]
shipping_item = "2"
tip_item = "3"
gift_card_item = "4"
adjustment_item = "5"
account = "35"
[documents.qbo.items]
"*" = "1"
"HOOD-*" = "6"
[documents.qbo.tax_codes]
"*" = "TAX"
[documents.xero]
shipping_item = "SHIP"
tip_item = "TIP"
gift_card_item = "GIFTCARD"
adjustment_item = "REFUND"
account = "090"
[documents.xero.items]
"*" = "SALE"
[documents.xero.tax_codes]
"*" = "OUTPUT"
`;
let mf, qbo, xero;

before(async () => {
  qbo = await startQbo({ realm: "9130", clientId: "qbo-id", clientSecret: "qbo-secret", refreshToken: "rt-seed", seedReusable: true });
  xero = await startXero({ tenant: "tenant-1", clientId: "xero-id", clientSecret: "xero-secret", refreshToken: "xrt-seed", perMinute: 1000, seedReusable: true });
  mf = await startWorker({
    shops: {
      [SHOP]: { targets: ["qbo", "xero"], mapping_toml: MAPPING,
        qbo: { realm_id: "9130", base_url: qbo.url, token_url: qbo.tokenUrl }, xero: { tenant_id: "tenant-1", base_url: xero.url, token_url: xero.tokenUrl } },
      [UNMAPPED]: { targets: ["qbo"], mapping_toml: MAPPING.replace('"*" = "1"', '"SOCK-*" = "1"'),
        qbo: { realm_id: "9130", base_url: qbo.url, token_url: qbo.tokenUrl } },
    },
    vars: {
      QBO_CLIENT_ID: "qbo-id", QBO_CLIENT_SECRET: "qbo-secret", XERO_CLIENT_ID: "xero-id", XERO_CLIENT_SECRET: "xero-secret",
      ...oauthSeeds([SHOP, UNMAPPED]),
    },
  });
});
after(async () => { await mf?.dispose(); await qbo?.close(); await xero?.close(); });

async function send(body, { again = false } = {}) {
  const r = await sendShopify(mf, body, { shop: SHOP, topic: "orders/updated" });
  // A body already recorded is acknowledged as a duplicate (200) and not recorded again.
  assert.equal(r.status, again ? 200 : 202, r.body);
}

/** The journal's money for the order (its clearing or receivable debit) and each refund (its clearing credit), from expected.json. */
function journalTotals(name) {
  const { entries } = JSON.parse(fs.readFileSync(path.join(FIXTURES, name, "expected.json"), "utf8"));
  const money = (e, side) => e.lines.filter((l) => /^Assets:(Clearing|Receivable)/.test(l.account)).reduce((a, l) => a + milli(l[side]), 0n);
  return {
    sale: entries.filter((e) => e.source.kind === "sale").map((e) => money(e, "debit")),
    refund: entries.filter((e) => e.source.kind === "refund").map((e) => money(e, "credit")),
  };
}
const cents = (c) => BigInt(c) * 10n; // the stand-ins' cents as thousandths

/** The raw body text of each post in the fixture's reviewed documents.json, per target. */
function snapshotBodies(name) {
  const text = fs.readFileSync(path.join(FIXTURES, name, "documents.json"), "utf8");
  const out = { qbo: [], xero: [] };
  let target;
  for (let line of text.split("\n")) {
    const t = /^\s*"(qbo|xero)":/.exec(line)?.[1];
    if (t) { target = t; continue; }
    line = line.trim().replace(/,$/, "");
    if (!target || !line.startsWith("{")) continue;
    out[target].push(line.slice(line.indexOf('"body":') + 7, line.lastIndexOf("}")));
  }
  return out;
}
const sent = (standin, test) => standin.requests.filter((r) => r.method !== "GET" && test(r)).map((r) => r.body);
const qboDocs = (orderId) => qbo.state.documents.filter((d) => d.body.PrivateNote.includes(`:${orderId}`));
const xeroDocs = (orderId) => xero.state.documents.filter((d) => d.body.Reference.includes(`:${orderId}`));

test("paid order: QBO SalesReceipt, Xero Invoice + Payment, as the snapshot, totalling what the journal books", async () => {
  await send(fixture("simple"));
  await drain(mf);
  const [receipt] = qboDocs("6123400000001");
  assert.equal(receipt.kind, "SalesReceipt");
  const totals = journalTotals("simple");
  assert.equal(cents(receipt.totalCents), totals.sale[0]);
  const customer = qbo.state.customers.find((c) => c.Id === receipt.body.CustomerRef.value);
  assert.equal(customer.DisplayName, "Canary Person");
  // The bodies went out as the core wrote them (amounts as decimal text), the customer's id first.
  const snap = snapshotBodies("simple");
  assert.deepEqual(sent(qbo, (r) => r.url.includes("/customer?")), [snap.qbo[0]]);
  assert.deepEqual(sent(qbo, (r) => r.url.includes("/salesreceipt?")), [`{"CustomerRef":{"value":"${customer.Id}"},${snap.qbo[1].slice(1)}`]);
  const [invoice] = xeroDocs("6123400000001");
  assert.equal(invoice.kind, "ACCREC");
  assert.equal(cents(invoice.totalCents), totals.sale[0]);
  assert.equal(invoice.stored.Status, "PAID", "the payment covers the invoice");
  assert.deepEqual(sent(xero, (r) => r.url.endsWith("/Invoices")),
    [snap.xero[1].replace('"Contact":{', `"Contact":{"ContactID":"${invoice.contactId}",`)]);
  assert.deepEqual(sent(xero, (r) => r.url.endsWith("/Payments")), [snap.xero[2]]);
  const posted = await rows(mf, "SELECT target, state, target_ref FROM outbox WHERE entry_id = ? ORDER BY target", `shopify:${SHOP}:order:6123400000001`);
  assert.deepEqual(posted.map((r) => [r.target, r.state]), [["qbo", "posted"], ["xero", "posted"]]);
  assert.equal(posted[0].target_ref, `SalesReceipt ${receipt.id}`);
  assert.match(posted[1].target_ref, new RegExp(`^Invoice ${invoice.id}; Payment [0-9a-f-]{36}$`));
  assert.equal(qbo.state.journals.length + xero.state.journals.length, 0, "no sale journal in document mode");
  const kept = await rows(mf, "SELECT posts FROM documents WHERE id = ?", `shopify:${SHOP}:order:6123400000001`);
  assert.deepEqual(kept.map((r) => r.posts), ["[]", "[]"], "no copy of a posted document (it names the customer)");
});

test("refund: QBO SalesReceipt + RefundReceipt, Xero CreditNote + refund Payment, totals as the journal", async () => {
  await send(fixture("full-refund"));
  await drain(mf);
  const totals = journalTotals("full-refund");
  const q = qboDocs("6123400000009").concat(qbo.state.documents.filter((d) => d.body.PrivateNote.includes(":refund:9123400000901")));
  assert.deepEqual(q.map((d) => [d.kind, cents(d.totalCents)]), [["SalesReceipt", totals.sale[0]], ["RefundReceipt", totals.refund[0]]]);
  const x = xero.state.documents.filter((d) => /:(order:6123400000009|refund:9123400000901)$/.test(d.body.Reference));
  assert.deepEqual(x.map((d) => [d.kind, cents(d.totalCents), d.stored.Status]),
    [["ACCREC", totals.sale[0], "PAID"], ["ACCRECCREDIT", totals.refund[0], "PAID"]]);
  const refundPaid = xero.state.payments.find((p) => p.docId === x[1].id);
  assert.equal(cents(refundPaid.amountCents), totals.refund[0]);
});

test("unpaid order, customer with no name and no email: QBO Invoice and Xero Invoice alone, to the guest contact", async () => {
  await send(fixture("manual-pending"));
  await drain(mf);
  const totals = journalTotals("manual-pending");
  const [inv] = qboDocs("6123400000016");
  assert.equal(inv.kind, "Invoice");
  assert.equal(cents(inv.totalCents), totals.sale[0]);
  assert.equal(qbo.state.customers.find((c) => c.Id === inv.body.CustomerRef.value).DisplayName, "Online customers");
  const [xinv] = xeroDocs("6123400000016");
  assert.equal(cents(xinv.totalCents), totals.sale[0]);
  assert.equal(xinv.stored.Status, "AUTHORISED");
  assert.equal(xero.state.payments.filter((p) => p.docId === xinv.id).length, 0, "nothing paid: no payment");
  assert.equal(xero.state.contacts.find((c) => c.ContactID === xinv.contactId).Name, "Online customers");
});

/** `simple` as another order of customer `customerId` with `name`. */
function order(id, { customerId = 7100000009001, first = "Storm", last = "Person", updated = "2026-05-03T12:10:02-04:00" } = {}) {
  const o = JSON.parse(fixture("simple"));
  Object.assign(o, { id, name: `#${id % 100000}`, order_number: id % 100000, updated_at: updated });
  o.customer = { ...o.customer, id: customerId, first_name: first, last_name: last };
  return o;
}
const customersOf = (id) => qbo.state.customers.filter((c) => c.Notes === `ledgerbridge id:${id}`);
const contactsOf = (id) => xero.state.contacts.filter((c) => c.ContactNumber === `id:${id}`);

test("one customer across a redelivery storm and two orders of the same customer", async () => {
  const first = order(7200000000001);
  // The same webhook several times (new delivery ids) and later versions of the same order.
  for (let i = 0; i < 4; i++) await send(first, { again: i > 0 });
  for (let i = 0; i < 3; i++) await send({ ...first, updated_at: `2026-05-03T12:1${i + 1}:02-04:00` });
  await send(order(7200000000002));
  await drain(mf);
  assert.equal(customersOf(7100000009001).length, 1);
  assert.equal(contactsOf(7100000009001).length, 1);
  for (const id of ["7200000000001", "7200000000002"]) {
    assert.equal(qboDocs(id).length, 1, `one SalesReceipt for ${id}`);
    assert.equal(xeroDocs(id).length, 1, `one Invoice for ${id}`);
  }
  const creates = qbo.state.calls.filter((c) => c.resource === "customer" && c.status === 200);
  assert.equal(new Set(creates.map((c) => c.requestId)).size, creates.length, "no customer posted twice");
});

test("a display name taken by someone else: the disambiguated name, posted once", async () => {
  seedCustomer(qbo.state, { DisplayName: "Dup Person" });
  seedContact(xero.state, { Name: "Dup Person" });
  await send(order(7200000000003, { customerId: 555, first: "Dup", last: "Person" }));
  await drain(mf);
  assert.deepEqual(customersOf(555).map((c) => c.DisplayName), ["Dup Person (555)"]);
  assert.deepEqual(contactsOf(555).map((c) => c.Name), ["Dup Person (555)"]);
  assert.equal(qboDocs("7200000000003")[0].body.CustomerRef.value, customersOf(555)[0].Id);
  assert.equal(xeroDocs("7200000000003")[0].contactId, contactsOf(555)[0].ContactID);
  // Another order of the same customer goes to the contact recorded, without a clash or a rename.
  const refusals = qbo.state.calls.filter((c) => c.status === 400).length;
  await send(order(7200000000004, { customerId: 555, first: "Dup", last: "Person" }));
  await drain(mf);
  assert.equal(qbo.state.calls.filter((c) => c.status === 400).length, refusals);
  assert.equal(customersOf(555).length, 1);
});

test("a 200-character name is cut to 100, a non-Latin name kept", async () => {
  const long = "L".repeat(120);
  await send(order(7200000000005, { customerId: 556, first: long, last: "M".repeat(79) }));
  await send(order(7200000000006, { customerId: 557, first: "山田", last: "太郎" }));
  await drain(mf);
  assert.equal(customersOf(556)[0].DisplayName, `${long} ${"M".repeat(79)}`.slice(0, 100));
  assert.equal(contactsOf(556)[0].Name.length, 100);
  assert.equal(customersOf(557)[0].DisplayName, "山田 太郎");
  assert.equal(contactsOf(557)[0].Name, "山田 太郎");
  for (const id of ["7200000000005", "7200000000006"]) assert.equal(qboDocs(id).length + xeroDocs(id).length, 2);
});

test("a 5xx and a 429 on the document: retried, posted once", async () => {
  // The customer is recorded already, so the scripted answer falls on the document itself.
  const before = qbo.state.calls.filter((c) => c.resource === "salesreceipt").length;
  qbo.script.push({ status: 503 });
  xero.script.push({ status: 429, headers: { "retry-after": "1" } });
  await send(order(7200000000007));
  await drain(mf);
  assert.equal(qboDocs("7200000000007").length, 1);
  assert.equal(xeroDocs("7200000000007").length, 1);
  const [q, x] = await rows(mf, "SELECT target, state, attempts FROM outbox WHERE entry_id = ? ORDER BY target", `shopify:${SHOP}:order:7200000000007`);
  assert.deepEqual([q.state, q.attempts, x.state], ["posted", 2, "posted"]);
  const calls = qbo.state.calls.filter((c) => c.resource === "salesreceipt").slice(before);
  assert.deepEqual(calls.map((c) => c.status), [undefined, 200], "refused once (scripted), then posted");
  assert.equal(calls[0].requestId, calls[1].requestId, "the retry carries the same requestid");
});

test("changed customer details update the customer (sparse, with its SyncToken) and the contact, still one of each", async () => {
  const o = order(7200000000008, { customerId: 558, first: "Moving", last: "Person" });
  await send(o);
  await drain(mf);
  const moved = order(7200000000009, { customerId: 558, first: "Moving", last: "Person" });
  moved.customer.email = "moved@example.test";
  await send(moved);
  await drain(mf);
  const [c] = customersOf(558);
  assert.equal(c.PrimaryEmailAddr.Address, "moved@example.test");
  assert.equal(c.SyncToken, "1");
  assert.equal(contactsOf(558)[0].EmailAddress, "moved@example.test");
  assert.equal(customersOf(558).length + contactsOf(558).length, 2);
  assert.equal(qboDocs("7200000000009")[0].body.CustomerRef.value, c.Id);
  // Unchanged details: no update call for the next order.
  const updates = qbo.state.calls.filter((x) => x.resource === "customer").length;
  const same = order(7200000000010, { customerId: 558, first: "Moving", last: "Person" });
  same.customer.email = "moved@example.test";
  await send(same);
  await drain(mf);
  assert.equal(qbo.state.calls.filter((x) => x.resource === "customer").length, updates);
});

test("a SKU with no item parks the event with the config key to fix; nothing is posted", async () => {
  const o = order(7200000000011);
  const r = await sendShopify(mf, o, { shop: UNMAPPED, topic: "orders/create" });
  assert.equal(r.status, 202, r.body);
  await drain(mf);
  const [event] = await rows(mf, "SELECT status, reason FROM events WHERE shop = ?", UNMAPPED);
  assert.equal(event.status, "parked");
  assert.match(event.reason, /^sales documents: .*E_CONFIG at documents\.qbo\.items\]/);
  assert.equal(qboDocs("7200000000011").length, 0);
  assert.deepEqual(await rows(mf, "SELECT * FROM outbox WHERE shop = ?", UNMAPPED), []);
});

test("a customer made before D1 lost its record is found again (QBO Notes, Xero ContactNumber), not duplicated", async () => {
  const q = seedCustomer(qbo.state, { DisplayName: "Lost Person", Notes: "ledgerbridge id:559" });
  const x = seedContact(xero.state, { Name: "Lost Person", ContactNumber: "id:559" });
  await send(order(7200000000012, { customerId: 559, first: "Lost", last: "Person" }));
  await drain(mf);
  assert.equal(qboDocs("7200000000012")[0].body.CustomerRef.value, q.Id);
  assert.equal(xeroDocs("7200000000012")[0].contactId, x.ContactID);
  assert.equal(customersOf(559).length + contactsOf(559).length, 2);
});

test("both names taken: the document parks naming them (one try each, no loop) and shows in /api/attention", async () => {
  seedCustomer(qbo.state, { DisplayName: "Twice Person" });
  seedCustomer(qbo.state, { DisplayName: "Twice Person (560)" });
  const before = qbo.state.calls.filter((c) => c.resource === "customer").length;
  await send(order(7200000000013, { customerId: 560, first: "Twice", last: "Person" }));
  await drain(mf);
  const id = `shopify:${SHOP}:order:7200000000013`;
  const [row] = await rows(mf, "SELECT state, attempts, reason FROM outbox WHERE entry_id = ? AND target = 'qbo'", id);
  assert.equal(row.state, "parked");
  assert.equal(row.attempts, 1);
  assert.match(row.reason, /QBO refused the customer names "Twice Person" and "Twice Person \(560\)" as taken \(error 6240\)/);
  assert.equal(qbo.state.calls.filter((c) => c.resource === "customer").length - before, 2, "the name, then the disambiguated one");
  assert.equal(qboDocs("7200000000013").length, 0);
  const res = await mf.dispatchFetch(`http://localhost/api/attention?shop=${SHOP}`, { headers: { "x-api-key": "test-api-key" } });
  const attention = await res.json();
  const parked = (attention.postings ?? attention.parked_postings ?? []).find((p) => p.entry_id === id);
  assert.ok(parked, JSON.stringify(attention).slice(0, 400));
  assert.equal(parked.order_key, `shopify:${SHOP}:order:7200000000013`);
});

test("Xero: a contact created meanwhile under the same ContactNumber is adopted, not renamed", async () => {
  const x = seedContact(xero.state, { Name: "Race Person", ContactNumber: "id:561" });
  xero.state.missLookups = 1; // our lookup runs before the other delivery's contact is visible
  await send(order(7200000000014, { customerId: 561, first: "Race", last: "Person" }));
  await drain(mf);
  assert.deepEqual(contactsOf(561).map((c) => c.Name), ["Race Person"]);
  assert.equal(xeroDocs("7200000000014")[0].contactId, x.ContactID);
});

test("customers/redact: a document not posted yet is made again without the customer, then posts to the guest contact", async () => {
  const id = `shopify:${SHOP}:order:7200000000013`; // parked above: both of its names are taken
  const [before] = await rows(mf, "SELECT posts FROM documents WHERE id = ? AND target = 'qbo'", id);
  assert.match(before.posts, /Twice Person/);
  const request = { shop_id: 1, shop_domain: SHOP, customer: { id: 560 }, orders_to_redact: [7200000000013] };
  assert.equal((await sendShopify(mf, request, { shop: SHOP, topic: "customers/redact" })).status, 202);
  await drain(mf);
  const [after] = await rows(mf, "SELECT posts FROM documents WHERE id = ? AND target = 'qbo'", id);
  assert.doesNotMatch(after.posts, /Twice/);
  const res = await mf.dispatchFetch("http://localhost/api/replay", { method: "POST",
    headers: { "x-api-key": "test-api-key", "content-type": "application/json" }, body: JSON.stringify({ shop: SHOP, target: "qbo", entry_id: id }) });
  assert.equal(res.status, 200);
  await drain(mf);
  const [receipt] = qboDocs("7200000000013");
  assert.equal(qbo.state.customers.find((c) => c.Id === receipt.body.CustomerRef.value).DisplayName, "Online customers");
});

const contactRows = (key) => rows(mf, "SELECT target, key, name FROM contacts WHERE shop = ? AND key = ? ORDER BY target", SHOP, key);
const erase = (body) => mf.dispatchFetch("http://localhost/api/erasure", { method: "POST",
  headers: { "x-api-key": "test-api-key", "content-type": "application/json" }, body: JSON.stringify({ platform: "shopify", shop: SHOP, ...body }) });

test("customers/redact forgets the contacts its orders' customer has at both targets; other customers' stay, and a later order finds the contact again", async () => {
  const storm = "id:7100000009001"; // the customer of the redelivery storm's two orders, above
  assert.deepEqual((await contactRows(storm)).map((r) => [r.target, r.name]), [["qbo", "Storm Person"], ["xero", "Storm Person"]]);
  const others = await rows(mf, "SELECT target, key FROM contacts WHERE shop = ? AND key != ? ORDER BY target, key", SHOP, storm);
  assert.ok(others.some((r) => r.key === "id:559") && others.some((r) => r.key === "guest"), JSON.stringify(others));
  // The storm recorded the first order in four versions.
  const [{ n: versions }] = await rows(mf, "SELECT count(*) AS n FROM events WHERE shop = ? AND order_id IN ('7200000000001', '7200000000002')", SHOP);
  assert.equal(versions, 5);
  const request = { shop_id: 1, shop_domain: SHOP, customer: { id: 7100000009001 }, orders_to_redact: [7200000000001, 7200000000002] };
  assert.equal((await sendShopify(mf, request, { shop: SHOP, topic: "customers/redact" })).status, 202);
  await drain(mf);
  assert.deepEqual(await contactRows(storm), []);
  assert.deepEqual(await rows(mf, "SELECT target, key FROM contacts WHERE shop = ? AND key != ? ORDER BY target, key", SHOP, storm), others);
  const [event] = await rows(mf, "SELECT status, reason FROM events WHERE topic = 'customers/redact' ORDER BY id DESC LIMIT 1");
  assert.deepEqual([event.status, event.reason], ["mapped", "5 stored payloads redacted, 2 contacts forgotten, 0 queued documents made again"]);
  // The row was a shortcut: the customer's next order goes to the contact each target has.
  await send(order(7200000000021));
  await drain(mf);
  assert.equal(customersOf(7100000009001).length, 1);
  assert.equal(contactsOf(7100000009001).length, 1);
  assert.equal(qbo.state.customers.find((c) => c.Id === qboDocs("7200000000021")[0].body.CustomerRef.value).Notes, `ledgerbridge id:7100000009001`);
});

test("POST /api/erasure by email forgets the customer's contacts, found by the id its orders carry", async () => {
  const email = "erase.me@example.test"; // the other orders here carry the fixture's address
  const mine = order(7200000000022, { customerId: 564, first: "Erase", last: "Me" });
  Object.assign(mine, { email, contact_email: email });
  mine.customer.email = email;
  await send(mine);
  await drain(mf);
  assert.deepEqual((await contactRows("id:564")).map((r) => r.target), ["qbo", "xero"]);
  const res = await erase({ customer: { email: "Erase.Me@Example.test" } });
  assert.equal(res.status, 200);
  const answer = await res.json();
  assert.deepEqual([answer.orders, answer.redacted, answer.contacts], [["7200000000022"], 1, 2]);
  assert.deepEqual(await contactRows("id:564"), []);
  assert.equal((await rows(mf, "SELECT count(*) AS n FROM contacts WHERE shop = ? AND key = 'id:559'", SHOP))[0].n, 2, "others stay");
});

test("POST /api/erasure: a document not posted yet is made again without the customer, through the consumer", async () => {
  seedCustomer(qbo.state, { DisplayName: "Thrice Person" });
  seedCustomer(qbo.state, { DisplayName: "Thrice Person (565)" });
  await send(order(7200000000023, { customerId: 565, first: "Thrice", last: "Person" }));
  await drain(mf);
  const id = `shopify:${SHOP}:order:7200000000023`;
  const [parked] = await rows(mf, "SELECT x.state, d.posts FROM documents d JOIN outbox x ON x.entry_id = d.id AND x.target = d.target WHERE d.id = ? AND d.target = 'qbo'", id);
  assert.equal(parked.state, "parked");
  assert.match(parked.posts, /Thrice Person/);
  const res = await erase({ customer: { id: "565" } });
  assert.equal(res.status, 200);
  assert.equal((await res.json()).contacts, 1, "the Xero contact (QBO refused both names: none made there)");
  await drain(mf);
  const [after] = await rows(mf, "SELECT posts FROM documents WHERE id = ? AND target = 'qbo'", id);
  assert.doesNotMatch(after.posts, /Thrice|565/);
  const [event] = await rows(mf, "SELECT status, reason FROM events WHERE topic = 'api/erasure' ORDER BY id DESC LIMIT 1");
  assert.deepEqual([event.status, event.reason], ["mapped", "after POST /api/erasure: 1 queued documents made again"]);
});

test("customers/data_request: GET /api/data-requests lists the contacts made for the customer beside the payloads", async () => {
  const request = { shop_id: 1, shop_domain: SHOP, orders_requested: [7200000000012], customer: { id: 559, email: "lost@example.test" }, data_request: { id: 5590 } };
  assert.equal((await sendShopify(mf, request, { shop: SHOP, topic: "customers/data_request" })).status, 202);
  const res = await mf.dispatchFetch(`http://localhost/api/data-requests?shop=${SHOP}`, { headers: { "x-api-key": "test-api-key" } });
  assert.equal(res.status, 200);
  const asked = (await res.json()).data_requests.find((r) => r.request_id === "5590");
  assert.deepEqual(asked.held.map((h) => h.order_id), ["7200000000012"]);
  assert.deepEqual(asked.contacts, [
    { target: "qbo", key: "id:559", name: "Lost Person" },
    { target: "xero", key: "id:559", name: "Lost Person" },
  ]);
});

/** Outbox rows of a document, by target. */
const postings = async (id) => Object.fromEntries((await rows(mf, "SELECT target, state, target_ref FROM outbox WHERE entry_id = ?", id)).map((r) => [r.target, r]));

test("an answer lost, then the key forgotten: the re-post finds the document by its number (QBO 6140, Xero \"Invoice # must be unique.\"), posts it once and pays it once", async () => {
  qbo.state.duplicateDocNumbers = true; // the company refuses repeated numbers: 6140
  qbo.state.forgetKeys = xero.state.forgetKeys = true; // past the targets' idempotency memory
  qbo.state.hang.salesreceipt = 3000; // made, but the answer is lost (the worker waits 1.5 s)
  xero.state.hang["/Invoices"] = 3000;
  try {
    await send(order(7200000000031, { customerId: 559, first: "Lost", last: "Person" }));
    await drain(mf);
  } finally {
    qbo.state.duplicateDocNumbers = qbo.state.forgetKeys = xero.state.forgetKeys = false;
  }
  const [receipt] = qboDocs("7200000000031");
  assert.equal(qboDocs("7200000000031").length, 1, "one SalesReceipt");
  const [invoice] = xeroDocs("7200000000031");
  assert.equal(xeroDocs("7200000000031").length, 1, "one Invoice");
  const paid = xero.state.payments.filter((p) => p.docId === invoice.id);
  assert.equal(paid.length, 1, "paid once");
  assert.equal(invoice.stored.Status, "PAID");
  const rows = await postings(`shopify:${SHOP}:order:7200000000031`);
  assert.deepEqual(rows.qbo, { target: "qbo", state: "posted", target_ref: `SalesReceipt ${receipt.id}` });
  assert.deepEqual(rows.xero, { target: "xero", state: "posted", target_ref: `Invoice ${invoice.id} (found by its number); Payment ${paid[0].id}` });
  assert.ok(qbo.state.calls.some((c) => c.query === `select Id from SalesReceipt where DocNumber = '${receipt.body.DocNumber}'`));
  assert.ok(xero.state.calls.some((c) => c.where === `InvoiceNumber=="${invoice.body.InvoiceNumber}"`));
});

test("Xero: the payment's answer lost, then the keys forgotten: the invoice is found paid and is not paid again", async () => {
  xero.state.forgetKeys = true;
  xero.state.hang["/Payments"] = 3000;
  try {
    await send(order(7200000000032, { customerId: 559, first: "Lost", last: "Person" }));
    await drain(mf);
  } finally {
    xero.state.forgetKeys = false;
  }
  const [invoice] = xeroDocs("7200000000032");
  assert.equal(xeroDocs("7200000000032").length, 1);
  assert.equal(xero.state.payments.filter((p) => p.docId === invoice.id).length, 1, "paid once");
  const rows = await postings(`shopify:${SHOP}:order:7200000000032`);
  assert.deepEqual(rows.xero, { target: "xero", state: "posted", target_ref: `Invoice ${invoice.id} (found by its number)` });
});
