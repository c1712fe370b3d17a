// QuickBooks Online stand-in, sales documents (issue #14): `POST …/customer` (create; sparse update
// with Id + SyncToken), the customer queries the worker makes, `salesreceipt`, `refundreceipt` and
// `invoice`. Contracts as documented (round2-apis.md §4): DisplayName required, no `:`, unique
// among customers (else 400 Fault 6240 "Duplicate Name Exists Error"); lines reference known items
// and tax codes; Invoice requires CustomerRef; references (customer, deposit account) must exist
// (else 610 Object Not Found); `requestid` replay returns the original answer without acting.
import { json, sleep } from "./common.mjs";
import { QBO_ACCOUNTS } from "./charts.mjs";

const fault = (code, Message, Detail = Message) => ({ Fault: { Error: [{ Message, Detail, code }], type: "ValidationFault" }, time: new Date().toISOString() });
const cents = (v) => Math.round(Number(v) * 100);
const DOCS = { salesreceipt: "SalesReceipt", refundreceipt: "RefundReceipt", invoice: "Invoice" };

/** The documents part of the state: what a test seeds (items, tax codes, customers) and reads. */
export function documentsState({ items = ["1", "2", "3", "4", "5", "6"], taxCodes = ["TAX", "NON"] } = {}) {
  // `forgetKeys`: requestids past QBO's (undocumented) memory, so what was done is not replayed.
  // `hang`: resource → ms, once: that resource's next call is done and answered only after ms (a
  // lost answer), whatever else the shared script holds for journal entries.
  return { items: new Set(items), taxCodes: new Set(taxCodes), customers: [], documents: [], docRequests: new Map(), forgetKeys: false, hang: {} };
}

/** Adds a customer as a person would in QBO (no requestid); returns it. */
export function seedCustomer(state, body) {
  const c = { ...body, Id: String(500 + state.customers.length), SyncToken: "0", Active: true };
  state.customers.push(c);
  return c;
}

const taken = (state, name, exceptId) =>
  state.customers.some((c) => c.Id !== exceptId && c.DisplayName.toLowerCase() === String(name).toLowerCase());

/** Answers a customer query the worker makes; undefined when the query is not one of them. */
export function queryCustomers(state, query) {
  const m = /^select \* from Customer where (DisplayName|Id) = '((?:[^'\\]|\\.)*)'$/i.exec(query ?? "");
  if (!m) return undefined;
  const value = m[2].replace(/\\(.)/g, "$1");
  const found = state.customers.filter((c) => (m[1] === "Id" ? c.Id === value : c.DisplayName.toLowerCase() === value.toLowerCase()));
  return { QueryResponse: found.length ? { Customer: found, startPosition: 1, maxResults: found.length } : {}, time: new Date().toISOString() };
}

/** Handles `POST /v3/company/{realm}/{resource}` for customers and documents: [status, body]. */
function act(state, resource, body) {
  if (resource === "customer") {
    const name = body.DisplayName;
    if (body.sparse === true && body.Id) {
      const c = state.customers.find((x) => x.Id === body.Id);
      if (!c) return [400, fault("610", "Object Not Found", `Customer ${body.Id}`)];
      if (body.SyncToken !== c.SyncToken) return [400, fault("5010", "Stale Object Error", "You and another user were working on the same thing")];
      if (name !== undefined && (typeof name !== "string" || !name.trim() || name.includes(":") || name.length > 500)) return [400, fault("2050", "Invalid DisplayName")];
      if (name !== undefined && taken(state, name, c.Id)) return [400, fault("6240", "Duplicate Name Exists Error", `The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name. Name=${name}`)];
      Object.assign(c, body, { sparse: undefined, SyncToken: String(Number(c.SyncToken) + 1) });
      delete c.sparse;
      return [200, { Customer: c, time: new Date().toISOString() }];
    }
    if (body.Id) return [400, fault("2010", "Request has invalid or unsupported property", "Id on create")];
    if (typeof name !== "string" || !name.trim()) return [400, fault("2020", "Required param missing, need to supply the required value for the API", "DisplayName")];
    if (name.includes(":") || name.length > 500) return [400, fault("2050", "String length is either shorter or longer than supported by specification", "DisplayName")];
    if (taken(state, name)) return [400, fault("6240", "Duplicate Name Exists Error", `The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name. Name=${name}`)];
    return [200, { Customer: seedCustomer(state, body), time: new Date().toISOString() }];
  }
  const kind = DOCS[resource];
  const lines = Array.isArray(body.Line) ? body.Line : [];
  if (!lines.length) return [400, fault("2020", "Required param missing, need to supply the required value for the API", "Line")];
  if (typeof body.DocNumber === "string" && body.DocNumber.length > 21) return [400, fault("2050", "String length is either shorter or longer than supported by specification", "DocNumber")];
  // A company set to refuse repeated numbers (the requestid being forgotten, QBO has no other way to know).
  if (state.duplicateDocNumbers && state.documents.some((d) => d.kind === kind && d.body.DocNumber === body.DocNumber)) {
    return [400, fault("6140", "Duplicate Document Number Error", `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${body.DocNumber}`)];
  }
  const customer = body.CustomerRef?.value;
  if (kind === "Invoice" && !customer) return [400, fault("2020", "Required param missing, need to supply the required value for the API", "Invoice.CustomerRef")];
  if (customer && !state.customers.some((c) => c.Id === customer)) return [400, fault("610", "Object Not Found", `Customer ${customer}`)];
  const deposit = body.DepositToAccountRef?.value;
  if (kind === "Invoice" && deposit) return [400, fault("2010", "Request has invalid or unsupported property", "Invoice.DepositToAccountRef")];
  if (deposit && !QBO_ACCOUNTS.some((a) => a.Id === deposit && a.Active && ["Bank", "Other Current Asset"].includes(a.AccountType))) {
    return [400, fault("610", "Object Not Found", `Account ${deposit}`)];
  }
  let items = 0;
  let discount = 0;
  for (const [i, l] of lines.entries()) {
    if (l.DetailType === "DiscountLineDetail") {
      if (l.DiscountLineDetail?.PercentBased !== false) return [400, fault("2020", "Required param missing", `Line[${i}].DiscountLineDetail`)];
      discount += cents(l.Amount);
      continue;
    }
    const d = l.SalesItemLineDetail;
    if (l.DetailType !== "SalesItemLineDetail" || !d) return [400, fault("2010", "Request has invalid or unsupported property", `Line[${i}].DetailType`)];
    if (!state.items.has(d.ItemRef?.value)) return [400, fault("610", "Object Not Found", `Line[${i}] Item ${d.ItemRef?.value}`)];
    if (!state.taxCodes.has(d.TaxCodeRef?.value)) return [400, fault("6000", "A business validation error has occurred", `Line[${i}] TaxCode ${d.TaxCodeRef?.value} is not a valid tax code`)];
    if (Math.abs(Math.round(Number(d.Qty) * Number(d.UnitPrice) * 100) - cents(l.Amount)) > 0) {
      return [400, fault("6070", "Amount is not equal to UnitPrice * Qty", `Line[${i}]`)];
    }
    items += cents(l.Amount);
  }
  const tax = cents(body.TxnTaxDetail?.TotalTax ?? 0);
  // Tax-inclusive lines carry their tax; otherwise it comes on top.
  const total = items - discount + (body.GlobalTaxCalculation === "TaxInclusive" ? 0 : tax);
  const id = String(1000 + state.documents.length);
  const doc = { ...body, Id: id, SyncToken: "0", TotalAmt: total / 100 };
  if (kind === "Invoice") doc.Balance = total / 100;
  state.documents.push({ id, kind, body, totalCents: total });
  return [200, { [kind]: doc, time: new Date().toISOString() }];
}

/**
 * The documents routes of the QBO stand-in (called after authentication and realm checks);
 * returns false for paths that are not its own. `faults` and `script` as for journal entries.
 */
export async function handleDocuments(state, { req, url, body, res, resource, faults, script }) {
  if (resource !== "customer" && !DOCS[resource]) return false;
  const requestId = url.searchParams.get("requestid");
  const call = { requestId, resource, at: Date.now() };
  state.calls.push(call);
  if (req.method !== "POST") return json(res, 405, fault("4000", "method")), true;
  if (!requestId || requestId.length > 50) return json(res, 400, fault("4000", "requestid")), true;
  const f = faults?.pick(requestId);
  if (f?.status) return json(res, f.status, { Fault: { Error: [{ Message: "injected" }] } }, f.headers), true;
  if (state.docRequests.has(requestId)) {
    const [status, saved] = state.docRequests.get(requestId);
    return json(res, status, saved), true;
  }
  const step = script.next();
  if (step?.status) return json(res, step.status, step.body ?? { Fault: { Error: [{ Message: "scripted" }] } }, step.headers), true;
  let parsed;
  try { parsed = JSON.parse(body.toString("utf8")); } catch { return json(res, 400, fault("4000", "bad JSON")), true; }
  const [status, answer] = act(state, resource, parsed);
  call.status = status;
  // Only what was done is remembered: a refusal is answered again from the current state.
  if (status === 200 && !state.forgetKeys) state.docRequests.set(requestId, [status, answer]);
  const hang = state.hang[resource];
  delete state.hang[resource];
  if (hang || step?.acceptThenHang || f?.acceptThenHang) await sleep(hang || step?.acceptThenHang || f.acceptThenHang);
  json(res, status, answer);
  return true;
}
