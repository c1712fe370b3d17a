// DOM for document mode: the sales documents the poster will send, as the edge worker's preview
// gives them (`documents`: per target `{target, posts, documents}` or `{target, error}`, from the
// core's document_preview). Every amount and total is the core's decimal string; nothing is added
// up here. docs/documents.md.
import { errorBox, h, moneyFormatter } from "./render.js";

const TARGETS = {
  qbo: { name: "QuickBooks Online", contact: "Customer" },
  xero: { name: "Xero", contact: "Contact" },
};
const ZERO = /^-?0+(\.0+)?$/;

function contactLine(contact, label) {
  return h("span", { class: "contact-line" }, `${label}: `,
    h("span", { class: "contact", "data-shared-guest": String(contact.shared_guest === true) }, contact.name),
    contact.shared_guest ? h("span", { class: "badge" }, "shared guest contact") : "",
    contact.truncated ? h("span", { class: "badge" }, "name cut to 100 characters") : "");
}

function paymentLabel(payment, target) {
  const where = payment.account ? `account ${payment.account}` : "Undeposited Funds";
  return target === "xero" ? `Payment (own post), ${where}` : `Deposited to ${where}`;
}

function totalRow(label, value, cls) {
  return h("tr", { class: cls, "data-total": cls },
    h("th", { scope: "row", colspan: 2 }, label),
    h("td", { class: "num" }, value),
    h("td", {}, ""));
}

export function documentTable(doc, target, locale) {
  const money = moneyFormatter(locale, doc.currency);
  const labels = TARGETS[target] ?? { name: target, contact: "Contact" };
  const rows = (doc.lines ?? []).map((line) => h("tr", { class: "doc-line", "data-kind": line.kind },
    h("th", { scope: "row" }, line.description, h("span", { class: "item-ref" }, "item ", h("code", { class: "item" }, line.item))),
    h("td", { class: "num qty" }, line.quantity),
    h("td", { class: "num amount" }, money(line.amount)),
    h("td", { class: "tax-code" }, h("code", {}, line.tax_code))));
  // QBO takes the discount off as one line of its own; Xero's line amounts already carry it.
  const discount = target === "qbo" && !ZERO.test(doc.discount ?? "0")
    ? totalRow("Discount", money(`-${doc.discount}`), "discount") : null;
  const inclusive = doc.taxes_included ? " (included)" : "";
  return h("table", { class: "document", "data-document-id": doc.id, "data-target": target, "data-type": doc.type },
    h("caption", {}, h("span", { class: "doc-type" }, doc.type), ` ${doc.number}`,
      h("span", { class: "meta" }, contactLine(doc.contact, labels.contact), ` · ${doc.date} · ${doc.currency}`)),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Item"),
      h("th", { scope: "col", class: "num" }, "Qty"),
      h("th", { scope: "col", class: "num" }, "Amount"),
      h("th", { scope: "col" }, "Tax code"))),
    h("tbody", {}, rows),
    h("tfoot", {},
      totalRow("Subtotal", money(doc.subtotal), "subtotal"),
      discount,
      totalRow(`Tax${inclusive}`, money(doc.tax), "tax"),
      totalRow("Total", money(doc.total), "total"),
      doc.payment ? totalRow(paymentLabel(doc.payment, target), money(doc.payment.amount), "payment") : null));
}

function targetSection(one, locale) {
  const labels = TARGETS[one.target] ?? { name: one.target };
  const docs = one.documents ?? [];
  let body;
  if (one.error) body = errorBox(one.error);
  else if (!docs.length) body = h("p", { class: "empty" }, "No document for this event: it books as journals only.");
  else body = docs.map((doc) => documentTable(doc, one.target, locale));
  return h("section", { class: "target", "data-target": one.target, "aria-label": `${labels.name} documents` },
    h("h3", {}, labels.name), body);
}

/** The `documents` of a preview answer; null when there are none (journal mode). */
export function documentsSection(documents, locale) {
  if (!Array.isArray(documents)) return null;
  const count = documents.reduce((n, t) => n + (t.documents?.length ?? 0), 0);
  return h("section", { class: "documents", "aria-label": "Documents to post" },
    h("h2", {}, count === 1 ? "Document to post" : `Documents to post (${count})`),
    documents.length
      ? documents.map((one) => targetSection(one, locale))
      : h("p", { class: "empty" }, "No QuickBooks Online or Xero target for this shop: nothing would post these documents."));
}
