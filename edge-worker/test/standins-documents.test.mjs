// The document contracts the QBO and Xero stand-ins enforce (standins/qbo-documents.mjs,
// xero-documents.mjs), checked directly over HTTP: if a stand-in let a bad request through, the
// worker tests in documents.test.mjs would prove nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startQbo } from "./standins/qbo.mjs";
import { startXero } from "./standins/xero.mjs";

let qbo, xero, qboToken, xeroToken;

before(async () => {
  qbo = await startQbo({ realm: "1", clientId: "c", clientSecret: "s", refreshToken: "rt" });
  xero = await startXero({ tenant: "t", clientId: "c", clientSecret: "s", refreshToken: "xrt" });
  const basic = Buffer.from("c:s").toString("base64");
  const token = async (url) => (await (await fetch(url, { method: "POST", headers: { authorization: `Basic ${basic}` },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: url.includes("connect") ? "xrt" : "rt" }) })).json()).access_token;
  qboToken = await token(qbo.tokenUrl);
  xeroToken = await token(xero.tokenUrl);
});
after(async () => { await qbo?.close(); await xero?.close(); });

async function q(resource, requestid, body) {
  const res = await fetch(`${qbo.url}/v3/company/1/${resource}?requestid=${requestid}`, {
    method: "POST", headers: { authorization: `Bearer ${qboToken}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}
async function x(method, path, key, body) {
  const res = await fetch(`${xero.url}/api.xro/2.0${path}`, { method, headers: { authorization: `Bearer ${xeroToken}`, "xero-tenant-id": "t",
    "content-type": "application/json", ...(key ? { "idempotency-key": key } : {}) }, body: body && JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}
const line = (item, tax, amount = "10.00") => ({ DetailType: "SalesItemLineDetail", Amount: amount, SalesItemLineDetail: { ItemRef: { value: item }, Qty: 1, UnitPrice: amount, TaxCodeRef: { value: tax } } });

test("QBO: DisplayName required and unique (6240); requestid replays without a second customer", async () => {
  assert.equal((await q("customer", "r0", {})).status, 400);
  const a = await q("customer", "r1", { DisplayName: "Ann" });
  assert.equal(a.status, 200);
  assert.deepEqual(await q("customer", "r1", { DisplayName: "Ann" }), a, "same requestid, same answer");
  const dup = await q("customer", "r2", { DisplayName: "ann" });
  assert.equal(dup.status, 400);
  assert.equal(dup.body.Fault.Error[0].code, "6240");
  assert.equal(qbo.state.customers.length, 1);
  const found = await (await fetch(`${qbo.url}/v3/company/1/query?query=${encodeURIComponent("select * from Customer where DisplayName = 'Ann'")}`,
    { headers: { authorization: `Bearer ${qboToken}` } })).json();
  assert.equal(found.QueryResponse.Customer[0].Id, a.body.Customer.Id);
});

test("QBO: documents need known items, tax codes, customer (Invoice) and deposit account", async () => {
  const customer = qbo.state.customers[0].Id;
  assert.equal((await q("salesreceipt", "d1", { Line: [line("99", "TAX")] })).status, 400, "unknown item");
  assert.equal((await q("salesreceipt", "d2", { Line: [line("1", "VAT20")] })).status, 400, "unknown tax code");
  assert.equal((await q("invoice", "d3", { Line: [line("1", "TAX")] })).status, 400, "Invoice without CustomerRef");
  assert.equal((await q("salesreceipt", "d4", { Line: [line("1", "TAX")], DepositToAccountRef: { value: "999" } })).status, 400, "unknown account");
  assert.equal((await q("salesreceipt", "d5", { Line: [line("1", "TAX")], CustomerRef: { value: "nope" } })).status, 400, "unknown customer");
  const ok = await q("salesreceipt", "d6", { Line: [line("1", "TAX")], CustomerRef: { value: customer }, TxnTaxDetail: { TotalTax: "0.80" }, DepositToAccountRef: { value: "35" } });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.SalesReceipt.TotalAmt, 10.8);
  await q("salesreceipt", "d6", { Line: [line("1", "TAX")], CustomerRef: { value: customer } });
  assert.equal(qbo.state.documents.length, 1, "a repeated requestid creates nothing");
});

test("Xero: contact names unique, ContactNumber lookup, documents and payments validated, Idempotency-Key replays", async () => {
  assert.equal((await x("PUT", "/Contacts", "k0", { Contacts: [{ ContactNumber: "id:1" }] })).status, 400, "Name required");
  const c = await x("PUT", "/Contacts", "k1", { Contacts: [{ Name: "Bo", ContactNumber: "id:1" }] });
  assert.equal(c.status, 200);
  const dup = await x("PUT", "/Contacts", "k2", { Contacts: [{ Name: "BO", ContactNumber: "id:2" }] });
  assert.equal(dup.status, 400);
  assert.match(dup.body.Elements[0].ValidationErrors[0].Message, /must be unique/);
  const found = await (await fetch(`${xero.url}/api.xro/2.0/Contacts?where=${encodeURIComponent('ContactNumber=="id:1"')}`,
    { headers: { authorization: `Bearer ${xeroToken}`, "xero-tenant-id": "t" } })).json();
  assert.equal(found.Contacts[0].ContactID, c.body.Contacts[0].ContactID);
  const inv = (n, item = "SALE", tax = "OUTPUT") => ({ Invoices: [{ Type: "ACCREC", Contact: { ContactNumber: "id:1" }, Date: "2026-05-03", InvoiceNumber: n, Status: "AUTHORISED",
    LineAmountTypes: "Exclusive", LineItems: [{ Quantity: 2, UnitAmount: 5, ItemCode: item, TaxType: tax, TaxAmount: 0.8, LineAmount: 10 }] }] });
  assert.equal((await x("PUT", "/Invoices", "i0", inv("1", "NOPE"))).status, 400, "unknown item code");
  assert.equal((await x("PUT", "/Invoices", "i1", inv("1", "SALE", "BOGUS"))).status, 400, "unknown tax type");
  const ok = await x("PUT", "/Invoices", "i2", inv("1"));
  assert.equal(ok.status, 200);
  assert.equal(ok.body.Invoices[0].Total, 10.8);
  assert.deepEqual(await x("PUT", "/Invoices", "i2", inv("1")), ok, "same key, same answer");
  assert.equal((await x("PUT", "/Invoices", "i3", inv("1"))).status, 400, "InvoiceNumber unique");
  const pay = (amount, code = "090") => ({ Payments: [{ Invoice: { InvoiceNumber: "1" }, Account: { Code: code }, Date: "2026-05-03", Amount: amount }] });
  assert.equal((await x("PUT", "/Payments", "p0", pay(10.8, "200"))).status, 400, "not a bank account");
  assert.equal((await x("PUT", "/Payments", "p1", pay(11))).status, 400, "more than is due");
  assert.equal((await x("PUT", "/Payments", "p2", pay(10.8))).status, 200);
  assert.equal(xero.state.documents[0].stored.Status, "PAID");
});
