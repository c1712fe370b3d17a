// The admin preview in document mode (issue #14): beside the journals that still book (costs),
// `/api/preview` carries per connected target the posts the poster will send, byte for byte the
// reviewed snapshot tests/fixtures/shopify/<case>/documents.json, and a view of each document whose
// totals were worked by hand; a journal-mode shop's answer has no `documents`; a mapping that
// cannot make a document says why per target instead of failing the preview.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { API_KEY, FIXTURES, ROOT, fixture, fixtureConfig, sendShopify, startWorker } from "./helpers.mjs";

const CASE = "partial-refund-restock";
const SHOP = "demo.myshopify.com";
const JOURNALS = "journals.myshopify.com";
const NO_ITEM = "no-item.myshopify.com";
const DOCUMENTS = fs.readFileSync(path.join(ROOT, "tests/fixtures/documents.toml"), "utf8");
const golden = fs.readFileSync(path.join(FIXTURES, CASE, "documents.json"), "utf8");
const order = JSON.parse(fixture(CASE));
// QBO and Xero are named but never connected here: the cost journals park without a call out.
let mf;

before(async () => {
  mf = await startWorker({
    shops: {
      [SHOP]: { targets: ["qbo", "xero"], mapping_toml: `${fixtureConfig(CASE, SHOP)}\n${DOCUMENTS}` },
      [JOURNALS]: { targets: ["qbo", "xero"], mapping_toml: fixtureConfig(CASE, JOURNALS) },
      // Only QBO, and its items name no SKU of the order.
      [NO_ITEM]: { targets: ["qbo"], mapping_toml: `${fixtureConfig(CASE, NO_ITEM)}\n${DOCUMENTS.replace('"*" = "1"', '"MUG-*" = "1"').replace('"HOOD-*" = "6"', "")}` },
    },
  });
  for (const shop of [SHOP, JOURNALS, NO_ITEM]) {
    assert.equal((await sendShopify(mf, order, { shop, topic: "orders/updated" })).status, 202);
  }
});
after(() => mf?.dispose());

async function preview(shop) {
  const res = await mf.dispatchFetch(`http://localhost/api/preview/shopify/${order.id}?shop=${shop}`, {
    headers: { authorization: `Bearer ${API_KEY}` },
  });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  return { text, body: JSON.parse(text) };
}

test("document mode: each target's posts are the documents.json snapshot, byte for byte", async () => {
  const { text, body } = await preview(SHOP);
  const want = JSON.parse(golden);
  assert.deepEqual(body.documents.map((d) => d.target), ["qbo", "xero"]);
  for (const d of body.documents) assert.deepEqual(d.posts, want[d.target], d.target);
  // The snapshot holds one post per line; each is in the answer as the core wrote it (`110.50`,
  // which a JSON.parse round trip would have turned into `110.5`).
  const lines = golden.split("\n").map((l) => l.trim().replace(/,$/, "")).filter((l) => l.startsWith('{"'));
  assert.equal(lines.length, want.qbo.length + want.xero.length);
  for (const line of lines) assert.ok(text.includes(line), `not in the answer as posted: ${line.slice(0, 80)}…`);
});

test("document mode: the views name the contact, lines, tax codes and the totals worked by hand", async () => {
  const { body } = await preview(SHOP);
  const [qbo, xero] = body.documents;
  const want = JSON.parse(golden);
  for (const view of [...qbo.documents, ...xero.documents]) {
    assert.equal(view.contact.name, want.qbo[0].body.DisplayName);
    assert.equal(view.contact.name, want.xero[0].body.Contacts[0].Name);
    assert.equal(view.contact.shared_guest, false);
  }
  // The QBO documents' lines are the snapshot's SalesItemLineDetail lines.
  for (const [i, view] of qbo.documents.entries()) {
    const lines = want.qbo[i + 1].body.Line.filter((l) => l.DetailType === "SalesItemLineDetail");
    assert.deepEqual(view.lines.map((l) => [l.item, l.quantity, l.amount, l.tax_code]),
      lines.map((l) => [l.SalesItemLineDetail.ItemRef.value, String(l.SalesItemLineDetail.Qty), l.Amount.toFixed(2), l.SalesItemLineDetail.TaxCodeRef.value]));
  }
  // Hand-worked (tests/fixtures/README.md): 2 × 48.00 + 8.00 + 6.50 tax; refund 48.00 + 8.00 + 3.50.
  const totals = (docs) => docs.map((d) => [d.type, d.number, d.subtotal, d.tax, d.total]);
  assert.deepEqual(totals(qbo.documents), [
    ["SalesReceipt", "1008", "104.00", "6.50", "110.50"], ["RefundReceipt", "1008-R000801", "56.00", "3.50", "59.50"]]);
  assert.deepEqual(totals(xero.documents), [
    ["Invoice", "1008", "104.00", "6.50", "110.50"], ["CreditNote", "1008-R000801", "56.00", "3.50", "59.50"]]);
  assert.deepEqual(xero.documents.map((d) => d.payment), [
    { amount: "110.50", account: "090", separate_post: true }, { amount: "59.50", account: "090", separate_post: true }]);
  assert.deepEqual(xero.documents[0].lines.map((l) => l.tax_code), ["OUTPUT", "OUTPUT"]);
  // The journals that still book: the cost of the hoodies sold and restocked, no sale or refund.
  assert.deepEqual(body.entries.map((e) => e.source.kind), ["sale-costs", "refund-costs"]);
  assert.equal(body.totals.length, body.entries.length);
});

test("journal mode: no documents field, the answer as before", async () => {
  const { body } = await preview(JOURNALS);
  assert.equal("documents" in body, false);
  assert.deepEqual(body.entries.map((e) => e.source.kind), ["sale", "refund"]);
});

test("a document the mapping cannot make: the preview names the config key per target", async () => {
  const { body } = await preview(NO_ITEM);
  assert.equal(body.documents.length, 1);
  const [qbo] = body.documents;
  assert.equal(qbo.target, "qbo");
  assert.equal(qbo.posts, undefined);
  assert.equal(qbo.error.code, "E_CONFIG");
  assert.equal(qbo.error.path, "documents.qbo.items");
  assert.match(qbo.error.message, /HOOD-1/);
});
