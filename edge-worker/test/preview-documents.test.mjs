// The admin preview in document mode (issue #14): beside the journals that still book (costs),
// `/api/preview` carries per connected target the posts the poster will send, byte for byte the
// reviewed snapshot tests/fixtures/shopify/<case>/documents.json, and a view of each document whose
// totals were worked by hand; a journal-mode shop's answer has no `documents`; a mapping that
// cannot make a document says why per target instead of failing the preview. Then the admin page
// in Debian's Chromium shows them through <ledger-preview>: contact, lines, tax codes and totals
// read from the DOM, at 390 px dark and 1280 px light, nothing wider than the screen, axe-core
// finding nothing serious; leaves its screenshot in the temp dir (ledgerbridge-documents-preview.png;
// docs/documents-preview.png is a copy).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import os from "node:os";
import { API_KEY, FIXTURES, ROOT, fixture, fixtureConfig, sendShopify, startWorker } from "./helpers.mjs";
import { launchChromium, axeViolations } from "./browser.mjs";

const CASE = "partial-refund-restock";
const SHOP = "demo.myshopify.com";
const JOURNALS = "journals.myshopify.com";
const NO_ITEM = "no-item.myshopify.com";
const GUEST = "guest.myshopify.com"; // manual-pending: a guest's order still owed
const DOCUMENTS = fs.readFileSync(path.join(ROOT, "tests/fixtures/documents.toml"), "utf8");
const golden = fs.readFileSync(path.join(FIXTURES, CASE, "documents.json"), "utf8");
const order = JSON.parse(fixture(CASE));
let mf, base, browser, context;

// QBO and Xero are named but never connected here: the cost journals park without a call out.
before(async () => {
  mf = await startWorker({
    shops: {
      [SHOP]: { targets: ["qbo", "xero"], mapping_toml: `${fixtureConfig(CASE, SHOP)}\n${DOCUMENTS}` },
      [JOURNALS]: { targets: ["qbo", "xero"], mapping_toml: fixtureConfig(CASE, JOURNALS) },
      // Only QBO, and its items name no SKU of the order.
      [NO_ITEM]: { targets: ["qbo"], mapping_toml: `${fixtureConfig(CASE, NO_ITEM)}\n${DOCUMENTS.replace('"*" = "1"', '"MUG-*" = "1"').replace('"HOOD-*" = "6"', "")}` },
      [GUEST]: { targets: ["qbo", "xero"], mapping_toml: DOCUMENTS },
    },
    options: { host: "127.0.0.1", port: 0 },
  });
  base = (await mf.ready).href.replace(/\/$/, "");
  for (const shop of [SHOP, JOURNALS, NO_ITEM]) {
    assert.equal((await sendShopify(mf, order, { shop, topic: "orders/updated" })).status, 202);
  }
  assert.equal((await sendShopify(mf, fixture("manual-pending"), { shop: GUEST, topic: "orders/create" })).status, 202);
});
after(async () => {
  await browser?.close();
  await mf?.dispose();
});

async function preview(shop, id = order.id) {
  const res = await mf.dispatchFetch(`http://localhost/api/preview/shopify/${id}?shop=${shop}`, {
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

// ------------------------------------------------------------------ the widget in Chromium

const usd = (amount) => `$${amount}`; // every amount of this order is under $1 000

/** What the widget shows of each document, read from its shadow DOM. */
function readDocuments(page) {
  return page.evaluate(() => {
    const root = document.querySelector("#preview ledger-preview").shadowRoot;
    const text = (el) => el?.textContent.trim();
    return [...root.querySelectorAll("table.document")].map((t) => ({
      target: t.dataset.target,
      type: t.dataset.type,
      contact: text(t.querySelector("caption .contact")),
      sharedGuest: t.querySelector("caption .contact").dataset.sharedGuest,
      heads: [...t.querySelectorAll("thead th[scope=col]")].map(text),
      lines: [...t.querySelectorAll("tbody tr")].map((r) =>
        [text(r.querySelector("th[scope=row] code.item")), ...[...r.querySelectorAll("td")].map(text)]),
      totals: Object.fromEntries([...t.querySelectorAll("tfoot tr")].map((r) => [r.dataset.total, text(r.querySelector("td"))])),
    }));
  });
}

/** The documents the snapshot posts, as the widget should show them (amounts as dollars). */
function wantDocuments() {
  const want = JSON.parse(golden);
  const qbo = want.qbo.filter((p) => p.resource !== "customer").map((p) => ({
    target: "qbo",
    type: { salesreceipt: "SalesReceipt", refundreceipt: "RefundReceipt", invoice: "Invoice" }[p.resource],
    contact: want.qbo[0].body.DisplayName,
    lines: p.body.Line.filter((l) => l.DetailType === "SalesItemLineDetail").map((l) => [
      l.SalesItemLineDetail.ItemRef.value, String(l.SalesItemLineDetail.Qty), usd(l.Amount.toFixed(2)), l.SalesItemLineDetail.TaxCodeRef.value]),
    tax: usd(p.body.TxnTaxDetail.TotalTax.toFixed(2)),
  }));
  const xero = want.xero.filter((p) => p.path === "/Invoices" || p.path === "/CreditNotes").map((p) => {
    const doc = (p.body.Invoices ?? p.body.CreditNotes)[0];
    return {
      target: "xero",
      type: p.path === "/Invoices" ? "Invoice" : "CreditNote",
      contact: want.xero[0].body.Contacts[0].Name,
      lines: doc.LineItems.map((l) => [l.ItemCode, String(l.Quantity), usd(l.LineAmount.toFixed(2)), l.TaxType]),
      tax: usd((doc.LineItems.reduce((cents, l) => cents + Math.round(l.TaxAmount * 100), 0) / 100).toFixed(2)),
    };
  });
  return [...qbo, ...xero];
}

async function openOrder(page, shop = SHOP) {
  page.setDefaultTimeout(60_000);
  await page.goto(`${base}/admin`);
  await page.fill("#key", API_KEY);
  await page.fill("#shop", shop);
  await page.click("#load");
  await page.waitForFunction(() => document.querySelectorAll("#orders tbody tr").length === 1);
  await page.click("#orders tbody tr button");
  await page.waitForFunction(() => document.querySelector("#preview ledger-preview")?.shadowRoot?.querySelector("table.document tbody tr"));
}

const seriousAxe = (page) => axeViolations(page);

function checkShown(shown) {
  const want = wantDocuments();
  assert.deepEqual(shown.map((d) => [d.target, d.type]), want.map((d) => [d.target, d.type]));
  // Hand-worked (tests/fixtures/README.md): the sale 110.50 and the refund 59.50, on both targets.
  const totals = { SalesReceipt: "$110.50", Invoice: "$110.50", RefundReceipt: "$59.50", CreditNote: "$59.50" };
  for (const [i, d] of shown.entries()) {
    const w = want[i];
    assert.equal(d.contact, w.contact, `${d.target} ${d.type}`);
    assert.equal(d.sharedGuest, "false");
    assert.deepEqual(d.heads, ["Item", "Qty", "Amount", "Tax code"]);
    assert.deepEqual(d.lines, w.lines, `${d.target} ${d.type}`);
    assert.equal(d.totals.tax, w.tax, `${d.target} ${d.type}`);
    assert.equal(d.totals.total, totals[d.type], `${d.target} ${d.type}`);
  }
  // Xero pays what went through the gateway with a Payment of its own, as the snapshot posts it.
  const payments = JSON.parse(golden).xero.filter((p) => p.path === "/Payments").map((p) => usd(p.body.Payments[0].Amount.toFixed(2)));
  assert.deepEqual(shown.filter((d) => d.target === "xero").map((d) => d.totals.payment), payments);
}

test("Chromium, 390 px dark: the admin page's preview shows the documents as the snapshot posts them", async () => {
  browser = await launchChromium("preview-documents", { colorScheme: "dark" });
  context = browser.context;
  const page = await context.newPage();
  const errors = [];
  const wasm = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("request", (r) => r.url().endsWith(".wasm") && wasm.push(r.url()));
  await openOrder(page);
  checkShown(await readDocuments(page));
  const widget = page.locator("#preview ledger-preview");
  const headings = await widget.evaluate((w) => [...w.shadowRoot.querySelectorAll("h2, h3")].map((x) => x.textContent));
  assert.deepEqual(headings, ["Documents to post (4)", "QuickBooks Online", "Xero", "Journals that still book (2)", "Order profit"]);
  const bg = await widget.evaluate((w) => getComputedStyle(w.shadowRoot.querySelector(".root")).color);
  assert.equal(bg, "rgb(230, 237, 243)", "the widget follows dark mode (--ledger-fg)");
  const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, view: innerWidth,
    widget: [...document.querySelectorAll("ledger-preview")].map((w) => w.scrollWidth - w.clientWidth) }));
  assert.ok(widths.page <= widths.view, `page is ${widths.page} px wide on a ${widths.view} px screen`);
  assert.ok(widths.widget.every((d) => d <= 0), `a widget scrolls sideways: ${widths.widget}`);
  assert.deepEqual(await seriousAxe(page), []);
  assert.deepEqual(wasm, [], "the documents render without the wasm core");
  assert.deepEqual(errors, []);
  await widget.screenshot({ path: path.join(os.tmpdir(), "ledgerbridge-documents-preview.png") });
});

test("Chromium, 1280 px light: the same documents, axe finds nothing serious", async () => {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.emulateMedia({ colorScheme: "light" });
  await openOrder(page);
  checkShown(await readDocuments(page));
  const fg = await page.locator("#preview ledger-preview").evaluate((w) => getComputedStyle(w.shadowRoot.querySelector(".root")).color);
  assert.equal(fg, "rgb(31, 35, 40)", "light mode (--ledger-fg)");
  // The reports of a document-mode shop say, above the charts, what the ledger lacks.
  await page.waitForFunction(() => document.querySelector("#reports .notice"));
  assert.match(await page.locator("#reports .notice").textContent(), /sales and refunds are posted as documents and are not in this ledger/);
  assert.deepEqual(await seriousAxe(page), []);
});

test("Chromium: a guest's unpaid order is an Invoice to the shared guest contact, with nothing paid", async () => {
  const want = JSON.parse(fs.readFileSync(path.join(FIXTURES, "manual-pending", "documents.json"), "utf8"));
  const { body } = await preview(GUEST, JSON.parse(fixture("manual-pending")).id);
  assert.deepEqual(body.documents.map((d) => d.documents.map((v) => [v.type, v.contact.key, v.contact.shared_guest, v.payment])),
    [[["Invoice", "guest", true, null]], [["Invoice", "guest", true, null]]]);
  const page = await context.newPage();
  await openOrder(page, GUEST);
  const shown = await readDocuments(page);
  assert.deepEqual(shown.map((d) => [d.target, d.type, d.contact, d.sharedGuest]), [
    ["qbo", "Invoice", want.qbo[0].body.DisplayName, "true"], ["xero", "Invoice", want.xero[0].body.Contacts[0].Name, "true"]]);
  const badges = await page.locator("#preview ledger-preview").evaluate((w) =>
    [...w.shadowRoot.querySelectorAll("caption .badge")].map((b) => b.textContent));
  assert.deepEqual(badges, ["shared guest contact", "shared guest contact"]);
  // Hand-worked: 45.00 + 10.00 delivery, no tax; owed, so no payment row.
  for (const d of shown) assert.deepEqual(d.totals, { subtotal: "$55.00", tax: "$0.00", total: "$55.00" });
  assert.deepEqual(shown[0].lines, want.qbo[1].body.Line.map((l) =>
    [l.SalesItemLineDetail.ItemRef.value, String(l.SalesItemLineDetail.Qty), usd(l.Amount.toFixed(2)), l.SalesItemLineDetail.TaxCodeRef.value]));
  assert.deepEqual(await seriousAxe(page), []);
});

test("reports in document mode say the sales are not in the ledger; in journal mode they say nothing", async () => {
  const report = (shop) => fetch(`${base}/api/reports/profit?shop=${shop}&from=2026-01-01&to=2026-12-31`, { headers: { authorization: `Bearer ${API_KEY}` } });
  const documents = await report(SHOP);
  assert.equal(documents.status, 200);
  assert.match(documents.headers.get("x-ledger-notice") ?? "", /sales and refunds are posted as documents and are not in this ledger/);
  await documents.arrayBuffer();
  const journals = await report(JOURNALS);
  assert.equal(journals.status, 200);
  assert.equal(journals.headers.get("x-ledger-notice"), null);
  await journals.arrayBuffer();
});
