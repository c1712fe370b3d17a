// DOM for a `Mapped` document. Every string from the payload goes in through textContent, never
// through HTML, so a product title cannot inject markup into the merchant's admin.

/** h("td", {class: "num"}, "12.00", child...) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const ZERO = /^-?0+(\.0+)?$/;

/**
 * Formats a decimal string as money. Intl.NumberFormat.format takes the string itself as an exact
 * decimal (ECMA-402 NumberFormat v3), so no amount is rounded through a float; the fraction digits
 * are the string's own (the core writes the currency's minor units).
 */
export function moneyFormatter(locale, currency) {
  let fmt;
  const digits = (s) => (s.includes(".") ? s.length - s.indexOf(".") - 1 : 0);
  return (amount) => {
    if (typeof amount !== "string" || amount === "") return "";
    try {
      fmt ??= new Map();
      const d = digits(amount);
      if (!fmt.has(d)) {
        fmt.set(d, new Intl.NumberFormat(locale, {
          style: "currency", currency, minimumFractionDigits: d, maximumFractionDigits: d,
        }));
      }
      return fmt.get(d).format(amount);
    } catch {
      return `${amount} ${currency}`; // unknown currency code or locale: show it plainly
    }
  };
}

let whyCounter = 0;

function lineRows(line, money) {
  const id = `why-${++whyCounter}`;
  const toggle = h("button", { type: "button", class: "why-toggle", "aria-expanded": "false", "aria-controls": id },
    "Why", h("span", { class: "sr-only" }, ` ${line.account}`));
  const why = h("tr", { class: "why", id, hidden: true }, h("td", { colspan: 4 }, line.why));
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    why.hidden = !open;
  });
  const cell = (amount) => h("td", { class: ZERO.test(amount) ? "num zero" : "num" }, ZERO.test(amount) ? "" : money(amount));
  return [h("tr", { class: "line" }, h("th", { scope: "row" }, line.account), cell(line.debit), cell(line.credit),
    h("td", {}, line.why ? toggle : "")), why];
}

export function entryTable(entry, totals, locale) {
  const money = moneyFormatter(locale, entry.currency);
  const kind = entry.source?.kind ? `${entry.source.kind} · ` : "";
  const balanced = totals?.balanced === true;
  return h("table", { class: "entry", "data-entry-id": entry.id },
    h("caption", {}, entry.memo || entry.id,
      h("span", { class: "meta" }, `${kind}${entry.date} · ${entry.currency} · `, h("code", {}, entry.id))),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Account"),
      h("th", { scope: "col", class: "num" }, "Debit"),
      h("th", { scope: "col", class: "num" }, "Credit"),
      h("th", { scope: "col" }, h("span", { class: "sr-only" }, "Explanation")))),
    h("tbody", {}, entry.lines.flatMap((line) => lineRows(line, money))),
    h("tfoot", {}, h("tr", { class: "totals" },
      h("th", { scope: "row" }, "Total"),
      h("td", { class: "num" }, money(totals?.debits)),
      h("td", { class: "num" }, money(totals?.credits)),
      h("td", { class: balanced ? "balanced" : "unbalanced" }, balanced ? "✓ Balanced" : "✗ Not balanced"))));
}

export function warningList(warnings) {
  if (!warnings?.length) return null;
  return h("section", { "aria-label": "Warnings" },
    h("h2", {}, `Warnings (${warnings.length})`),
    h("ul", { class: "warnings" }, warnings.map((w) =>
      h("li", { "data-code": w.code }, h("code", {}, w.code), w.path ? [" at ", h("code", {}, w.path)] : "", ": ", w.message))));
}

/**
 * Parts of the payload the core refused while the rest booked (a refund that does not add up):
 * they will not post, so they are an alert, not a warning.
 */
export function rejectedList(rejected) {
  if (!rejected?.length) return null;
  return h("section", { "aria-label": "Not booked", role: "alert" },
    h("h2", {}, `Not booked (${rejected.length})`),
    h("ul", { class: "rejected" }, rejected.map((r) =>
      h("li", { class: "error", "data-code": r.code },
        h("span", { class: "code" }, r.code),
        r.path ? [" at ", h("code", { class: "path" }, r.path)] : "",
        `: ${r.source?.kind ?? "part"} ${r.source?.id ?? ""} was not booked`,
        h("div", { class: "message" }, r.message)))));
}

const PROFIT_FIELDS = [
  ["revenue", "Revenue"], ["discounts", "Discounts"], ["refunds", "Refunds"],
  ["fees", "Fees"], ["cogs", "COGS"], ["margin", "Margin"],
];

export function profitList(profit, locale) {
  if (!profit) return null;
  const money = moneyFormatter(locale, profit.currency);
  return h("section", { "aria-label": "Profit" },
    h("h2", {}, "Order profit"),
    h("dl", { class: "profit" }, PROFIT_FIELDS.map(([key, label]) =>
      h("div", { class: key, "data-field": key }, h("dt", {}, label), h("dd", {}, money(profit[key]))))));
}

export function errorBox(error) {
  const code = error?.code ?? "E_PREVIEW";
  return h("div", { class: "error", role: "alert", "data-code": code },
    h("span", { class: "code" }, code),
    error?.path ? [" at ", h("code", { class: "path" }, error.path)] : "",
    h("div", { class: "message" }, error?.message ?? String(error)));
}
