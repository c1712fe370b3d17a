// Xero stand-in, sales documents (issue #14): `PUT/POST /Contacts` (Name required and unique among
// contacts, else 400 ValidationException "… The contact name must be unique across all active
// contacts."), `GET /Contacts?where=ContactNumber=="…"`, `GET /Invoices?where=InvoiceNumber=="…"`,
// `GET /CreditNotes?where=CreditNoteNumber=="…"`, `PUT /Invoices` (ACCREC), `PUT /CreditNotes`
// (ACCRECCREDIT), `PUT /Payments`. Contracts from xero_accounting.yaml and round2-apis.md §5: a known
// contact, LineItems with known ItemCode and TaxType, unique InvoiceNumber / CreditNoteNumber, a
// payment to a BANK (or payments-enabled) account of at most the amount due; `Idempotency-Key`
// replay returns the original answer without acting.
import crypto from "node:crypto";
import { json, sleep } from "./common.mjs";
import { XERO_ACCOUNTS } from "./charts.mjs";

const refused = (...messages) => ({ ErrorNumber: 10, Type: "ValidationException", Message: "A validation exception occurred",
  Elements: [{ ValidationErrors: messages.map((Message) => ({ Message })) }] });
const cents = (v) => Math.round(Number(v ?? 0) * 100);

/** The documents part of the state: what a test seeds (item codes, tax types, contacts) and reads. */
export function documentsState({ items = ["SALE", "SHIP", "TIP", "GIFTCARD", "REFUND"], taxTypes = ["OUTPUT", "NONE"] } = {}) {
  // `missLookups`: that many ContactNumber lookups answer empty, as when another delivery creates
  // the contact between the worker's lookup and its create.
  // `forgetKeys` and `hang` (path → ms, once) as in qbo-documents.mjs.
  return { items: new Set(items), taxTypes: new Set(taxTypes), contacts: [], documents: [], payments: [], docKeys: new Map(), missLookups: 0, forgetKeys: false, hang: {} };
}

/** Adds a contact as a person would in Xero; returns it. */
export function seedContact(state, body) {
  const c = { ...body, ContactID: crypto.randomUUID(), ContactStatus: "ACTIVE" };
  state.contacts.push(c);
  return c;
}

const nameTaken = (state, name, exceptId) =>
  state.contacts.some((c) => c.ContactID !== exceptId && c.Name.toLowerCase() === String(name).toLowerCase());
const notUnique = (name) => refused(`The contact name ${name} is already assigned to another contact. The contact name must be unique across all active contacts.`);

function contacts(state, method, body) {
  const list = body.Contacts;
  if (!Array.isArray(list) || list.length !== 1) return [400, refused("one contact per request expected")];
  const c = list[0];
  if (c.ContactNumber !== undefined && String(c.ContactNumber).length > 50) return [400, refused("ContactNumber must not exceed 50 characters")];
  if (c.ContactID) {
    const found = state.contacts.find((x) => x.ContactID === c.ContactID);
    if (!found) return [404, { Title: "Not Found" }];
    if (c.Name !== undefined && nameTaken(state, c.Name, found.ContactID)) return [400, notUnique(c.Name)];
    Object.assign(found, c);
    return [200, { Status: "OK", Contacts: [found] }];
  }
  if (method !== "PUT" && method !== "POST") return [405, {}];
  if (typeof c.Name !== "string" || !c.Name.trim()) return [400, refused("The contact name must be specified.")];
  if (c.Name.length > 255) return [400, refused("The contact name must not exceed 255 characters")];
  if (nameTaken(state, c.Name)) return [400, notUnique(c.Name)];
  return [200, { Status: "OK", Contacts: [seedContact(state, c)] }];
}

function contactOf(state, ref) {
  if (ref?.ContactID) return state.contacts.find((c) => c.ContactID === ref.ContactID);
  if (ref?.ContactNumber) return state.contacts.find((c) => c.ContactNumber === ref.ContactNumber);
  return undefined;
}

function document(state, kind, body) {
  const list = body[kind === "ACCREC" ? "Invoices" : "CreditNotes"];
  if (!Array.isArray(list) || list.length !== 1) return [400, refused("one document per request expected")];
  const d = list[0];
  const numberField = kind === "ACCREC" ? "InvoiceNumber" : "CreditNoteNumber";
  if (d.Type !== kind) return [400, refused(`Type must be ${kind}`)];
  const contact = contactOf(state, d.Contact);
  if (!contact) return [400, refused("A valid contact must be specified")];
  if (!d.Date) return [400, refused("Date must be specified")];
  // Xero's published example (xero_accounting.yaml) words it "Invoice # must be unique."; a credit note's by analogy.
  if (state.documents.some((x) => x.kind === kind && x.body[numberField] === d[numberField])) return [400, refused(`${kind === "ACCREC" ? "Invoice" : "Credit Note"} # must be unique.`)];
  const items = Array.isArray(d.LineItems) ? d.LineItems : [];
  if (!items.length) return [400, refused("At least one line item must be specified")];
  let lines = 0;
  let tax = 0;
  for (const [i, l] of items.entries()) {
    if (!state.items.has(l.ItemCode)) return [400, refused(`Item code '${l.ItemCode}' is not valid (line ${i})`)];
    if (!state.taxTypes.has(l.TaxType)) return [400, refused(`The TaxType code '${l.TaxType}' does not exist or cannot be used for this type of transaction (line ${i})`)];
    const gross = Math.round(Number(l.Quantity) * Number(l.UnitAmount) * 100) - cents(l.DiscountAmount);
    if (gross !== cents(l.LineAmount)) return [400, refused(`LineAmount ${l.LineAmount} is not Quantity × UnitAmount less DiscountAmount (line ${i})`)];
    lines += cents(l.LineAmount);
    tax += cents(l.TaxAmount);
  }
  const total = d.LineAmountTypes === "Inclusive" ? lines : lines + tax;
  const id = crypto.randomUUID();
  const stored = { ...d, [kind === "ACCREC" ? "InvoiceID" : "CreditNoteID"]: id, Contact: { ContactID: contact.ContactID, Name: contact.Name },
    Total: total / 100, TotalTax: tax / 100, [dueField(kind)]: total / 100, Status: d.Status ?? "DRAFT" };
  state.documents.push({ id, kind, body: d, contactId: contact.ContactID, totalCents: total, dueCents: total, stored });
  return [200, { Status: "OK", [kind === "ACCREC" ? "Invoices" : "CreditNotes"]: [stored] }];
}

/** What is still open on a document: an invoice's `AmountDue`, a credit note's `RemainingCredit`. */
const dueField = (kind) => (kind === "ACCREC" ? "AmountDue" : "RemainingCredit");

function payment(state, body) {
  const list = body.Payments;
  if (!Array.isArray(list) || list.length !== 1) return [400, refused("one payment per request expected")];
  const p = list[0];
  const doc = p.Invoice
    ? state.documents.find((x) => x.kind === "ACCREC" && (x.id === p.Invoice.InvoiceID || x.body.InvoiceNumber === p.Invoice.InvoiceNumber))
    : state.documents.find((x) => x.kind === "ACCRECCREDIT" && (x.id === p.CreditNote?.CreditNoteID || x.body.CreditNoteNumber === p.CreditNote?.CreditNoteNumber));
  if (!doc) return [400, refused("Invoice or CreditNote could not be found")];
  if (doc.stored.Status !== "AUTHORISED") return [400, refused("Payments can only be made against Authorised documents")];
  const account = XERO_ACCOUNTS.find((a) => a.Code === p.Account?.Code && a.Status === "ACTIVE");
  if (!account || !(account.Type === "BANK" || account.EnablePaymentsToAccount)) return [400, refused("Payment must be made to a bank account or an account with payments enabled")];
  const amount = cents(p.Amount);
  if (!(amount > 0) || amount > doc.dueCents) return [400, refused("Payment amount exceeds the amount outstanding on this document")];
  doc.dueCents -= amount;
  doc.stored[dueField(doc.kind)] = doc.dueCents / 100;
  if (doc.dueCents === 0) doc.stored.Status = "PAID";
  const stored = { ...p, PaymentID: crypto.randomUUID(), Status: "AUTHORISED", PaymentType: doc.kind === "ACCREC" ? "ACCRECPAYMENT" : "ARCREDITPAYMENT" };
  state.payments.push({ id: stored.PaymentID, docId: doc.id, amountCents: amount, body: p });
  return [200, { Status: "OK", Payments: [stored] }];
}

/**
 * The documents routes of the Xero stand-in, after authentication and tenant checks; returns
 * false for paths that are not its own. `limits` are the rate-limit headers of this call.
 */
export async function handleDocuments(state, { req, url, body, res, faults, script, limits }) {
  const path = url.pathname.replace(/^\/api\.xro\/2\.0/, "");
  if (!["/Contacts", "/Invoices", "/CreditNotes", "/Payments"].includes(path)) return false;
  if (req.method === "GET" && path === "/Contacts") {
    const number = /^ContactNumber=="([^"]*)"$/.exec(url.searchParams.get("where") ?? "")?.[1];
    if (number === undefined) return json(res, 400, refused("where not understood")), true;
    const miss = state.missLookups > 0 && state.missLookups--;
    return json(res, 200, { Status: "OK", Contacts: miss ? [] : state.contacts.filter((c) => c.ContactNumber === number) }, limits), true;
  }
  if (req.method === "GET" && (path === "/Invoices" || path === "/CreditNotes")) {
    // `where=InvoiceNumber=="…"` / `CreditNoteNumber=="…"`, as far as the worker asks.
    const [kind, field, list] = path === "/Invoices" ? ["ACCREC", "InvoiceNumber", "Invoices"] : ["ACCRECCREDIT", "CreditNoteNumber", "CreditNotes"];
    const number = new RegExp(`^${field}=="([^"]*)"$`).exec(url.searchParams.get("where") ?? "")?.[1];
    state.calls.push({ path, where: url.searchParams.get("where"), at: Date.now() });
    if (number === undefined) return json(res, 400, refused("where not understood")), true;
    return json(res, 200, { Status: "OK", [list]: state.documents.filter((x) => x.kind === kind && x.body[field] === number).map((x) => x.stored) }, limits), true;
  }
  const key = req.headers["idempotency-key"];
  const call = { key, path, at: Date.now() };
  state.calls.push(call);
  if (key !== undefined && String(key).length > 128) return json(res, 400, refused("Idempotency-Key too long")), true;
  const f = faults?.pick(key);
  if (f?.status) return json(res, f.status, { Title: "injected" }, { ...(f.status === 429 ? { ...limits, "x-rate-limit-problem": "minute" } : {}), ...f.headers }), true;
  if (key && state.docKeys.has(key)) {
    const [status, saved] = state.docKeys.get(key);
    return json(res, status, saved, limits), true;
  }
  const step = script.next();
  if (step?.status) {
    const headers = step.status === 429 ? { ...limits, "x-rate-limit-problem": "minute", ...step.headers } : step.headers;
    return json(res, step.status, step.body ?? { Title: "scripted" }, headers), true;
  }
  let parsed;
  try { parsed = JSON.parse(body.toString("utf8")); } catch { return json(res, 400, { Title: "bad JSON" }), true; }
  const [status, answer] =
    path === "/Contacts" ? contacts(state, req.method, parsed)
      : req.method !== "PUT" && req.method !== "POST" ? [405, {}]
        : path === "/Invoices" ? document(state, "ACCREC", parsed)
          : path === "/CreditNotes" ? document(state, "ACCRECCREDIT", parsed)
            : payment(state, parsed);
  call.status = status;
  // Only what was done is remembered: a refusal is answered again from the current state.
  if (key && status === 200 && !state.forgetKeys) state.docKeys.set(key, [status, answer]);
  const hang = state.hang[path];
  delete state.hang[path];
  if (hang || step?.acceptThenHang || f?.acceptThenHang) await sleep(hang || step?.acceptThenHang || f.acceptThenHang);
  json(res, status, answer, limits);
  return true;
}
