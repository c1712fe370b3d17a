// Reports view: four charts drawn as hand-written SVG from GET /api/reports/:kind, each beside
// the table of the same numbers (the table is the accessible form; the SVG is role="img" with a
// title and desc) and a CSV download of that table. Amounts stay decimal strings from the API to
// the table and the CSV (Intl formats strings exactly); only pixel positions use Number().
import { $, api, el, guarded, onLoad, rowsTable, say, td } from "./ui.js";

const SVG = "http://www.w3.org/2000/svg";
const W = 480, H = 220, PAD = { l: 56, r: 12, t: 12, b: 36 };

const style = document.createElement("style");
style.textContent = `
  .reports { display: grid; gap: 1rem; }
  .report { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: .5rem 1rem; margin: 0;
    border: 1px solid var(--border); border-radius: var(--radius); padding: .75rem; min-width: 0; }
  .report > h3 { grid-column: 1 / -1; font-size: 1rem; margin: 0; }
  .report svg { width: 100%; height: auto; display: block; }
  .report .grid { stroke: var(--border); } .report .axis { fill: var(--muted); font-size: 11px; }
  .report .s0 { fill: var(--accent); stroke: var(--accent); } .report .s1 { fill: var(--ok); stroke: var(--ok); }
  .report .s2 { fill: var(--warn); stroke: var(--warn); } .report .s3 { fill: var(--bad); stroke: var(--bad); }
  .report polyline[class] { fill: none; stroke-width: 2; }
  .report .box { overflow-x: auto; min-width: 0; }
  .report .legend { font-size: .8rem; color: var(--muted); margin: 0; }
  .report .legend span::before { content: ""; display: inline-block; width: .7em; height: .7em; margin: 0 .3em 0 .8em; }
  .report .legend .s0::before { background: var(--accent); } .report .legend .s1::before { background: var(--ok); }
  .report .legend .s2::before { background: var(--warn); } .report .legend .s3::before { background: var(--bad); }
  .report td data { white-space: nowrap; font-variant-numeric: tabular-nums; }
  @media (max-width: 48rem) { .report { grid-template-columns: minmax(0, 1fr); } }
`;
document.head.append(style);

const svg = (tag, attrs = {}, ...kids) => {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
  n.append(...kids);
  return n;
};
const money = (amount, currency) => {
  try { return new Intl.NumberFormat(undefined, { style: "currency", currency }).format(amount); } catch { return `${amount} ${currency}`; }
};
// An amount cell keeps the API's exact string in <data value> (what tests and the CSV read).
const amountCell = (label, amount, currency) => td(label, el("data", { value: amount ?? "", textContent: amount == null ? "–" : money(amount, currency) }));

/** A chart frame: axes scaled to the values, a title and desc for assistive tech. */
function frame(title, desc, values) {
  const max = Math.max(0, ...values), min = Math.min(0, ...values);
  const span = max - min || 1;
  const y = (v) => PAD.t + (H - PAD.t - PAD.b) * (1 - (v - min) / span);
  const id = `c${Math.random().toString(36).slice(2, 8)}`;
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": `${id}-t ${id}-d` },
    svg("title", { id: `${id}-t` }, title), svg("desc", { id: `${id}-d` }, desc));
  for (const v of [min, (min + max) / 2, max]) {
    root.append(svg("line", { class: "grid", x1: PAD.l, x2: W - PAD.r, y1: y(v), y2: y(v) }),
      svg("text", { class: "axis", x: PAD.l - 4, y: y(v) + 4, "text-anchor": "end" }, v.toFixed(0)));
  }
  return { root, y, zero: y(0) };
}
function xLabels(root, labels, x) {
  const step = Math.ceil(labels.length / 8);
  labels.forEach((l, i) => { if (i % step === 0) root.append(svg("text", { class: "axis", x: x(i), y: H - PAD.b + 16, "text-anchor": "middle" }, l)); });
}
/** Bars per series (side by side) and optional lines, over labelled slots. */
function chart(title, desc, labels, { bars = [], lines = [] }) {
  const all = [...bars, ...lines].flatMap((s) => s.values);
  const { root, y, zero } = frame(title, desc, all);
  const slot = (W - PAD.l - PAD.r) / Math.max(labels.length, 1);
  const x = (i) => PAD.l + slot * (i + 0.5);
  const bw = Math.min((slot * 0.7) / Math.max(bars.length, 1), 40);
  bars.forEach((s, k) => s.values.forEach((v, i) => {
    const x0 = x(i) - (bw * bars.length) / 2 + bw * k;
    root.append(svg("rect", { class: `s${s.color}`, x: x0, width: Math.max(bw - 1, 1), y: Math.min(y(v), zero), height: Math.max(Math.abs(zero - y(v)), 1) }));
  }));
  for (const s of lines) {
    root.append(svg("polyline", { class: `s${s.color}`, points: s.values.map((v, i) => `${x(i)},${y(v)}`).join(" ") }));
    s.values.forEach((v, i) => root.append(svg("circle", { class: `s${s.color}`, cx: x(i), cy: y(v), r: 3 })));
  }
  xLabels(root, labels, x);
  return root;
}
const legend = (series) => el("p", { className: "legend", ariaHidden: "true" },
  ...series.map((s) => el("span", { className: `s${s.color}`, textContent: s.name })));

function csvLink(name, heads, data) {
  const cell = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v ?? ""));
  const text = [heads, ...data].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
  return el("a", { href: URL.createObjectURL(new Blob([text], { type: "text/csv" })), download: `${name}.csv`, textContent: `Download ${name}.csv` });
}

/** One report block: heading, chart (+ legend), the table in a scrolling box, the CSV. */
function block(kind, heading, chartNode, series, caption, heads, rows, csvRows) {
  return el("figure", { className: "report", dataset: { report: kind } },
    el("h3", { textContent: heading }),
    el("div", {}, chartNode ?? el("p", { className: "muted", textContent: "Nothing in this range." }), series.length ? legend(series) : null),
    el("div", { className: "box" }, rowsTable(caption, heads, rows), csvLink(`${kind}-${$("r-from").value}-${$("r-to").value}`, heads, csvRows)));
}
const firstCurrency = (list) => list[0]?.currency;

function salesBlock(doc) {
  const cur = firstCurrency(doc.rows);
  const rows = doc.rows.filter((r) => r.currency === cur);
  const series = [{ name: "Revenue", color: 0, values: rows.map((r) => Number(r.revenue.amount)) },
    { name: "Margin", color: 1, values: rows.map((r) => Number(r.margin.amount)) }];
  const heads = ["Period", "Currency", "Revenue", "Margin", "Margin %", "Orders"];
  const data = doc.rows.map((r) => [r.group, r.currency, r.revenue.amount, r.margin.amount, r.margin_percent ?? "", r.orders]);
  return block("profit", "Sales and margin", rows.length ? chart(`Sales and margin (${cur})`, `Revenue bars and margin line per period, ${rows.length} periods`, rows.map((r) => r.group), { bars: [series[0]], lines: [series[1]] }) : null,
    rows.length ? series : [], "Sales and margin per period", heads,
    doc.rows.map((r) => el("tr", {}, td("Period", r.group), td("Currency", r.currency), amountCell("Revenue", r.revenue.amount, r.currency),
      amountCell("Margin", r.margin.amount, r.currency), td("Margin %", r.margin_percent ?? "–"), td("Orders", String(r.orders)))), data);
}

function taxBlock(doc) {
  const flat = doc.periods.flatMap((p) => p.accounts.map((a) => ({ ...a, currency: p.currency })));
  const cur = firstCurrency(flat);
  const shown = flat.filter((a) => a.currency === cur);
  const s = [{ name: "Collected", color: 0, values: shown.map((a) => Number(a.tax_collected.amount)) },
    { name: "Refunded", color: 3, values: shown.map((a) => Number(a.tax_refunded.amount)) },
    { name: "Net", color: 1, values: shown.map((a) => Number(a.net_tax.amount)) }];
  const name = (acct) => acct.split(":").pop();
  const heads = ["Account", "Currency", "Taxable sales", "Tax collected", "Tax refunded", "Net tax"];
  const data = flat.map((a) => [a.account, a.currency, a.taxable_sales.amount, a.tax_collected.amount, a.tax_refunded.amount, a.net_tax.amount]);
  return block("tax", "Tax per jurisdiction", shown.length ? chart(`Tax per account (${cur})`, `Collected, refunded and net tax for ${shown.length} tax accounts`, shown.map((a) => name(a.account)), { bars: s }) : null,
    shown.length ? s : [], "Tax per account", heads,
    flat.map((a) => el("tr", {}, td("Account", el("code", { textContent: a.account })), td("Currency", a.currency),
      amountCell("Taxable sales", a.taxable_sales.amount, a.currency), amountCell("Tax collected", a.tax_collected.amount, a.currency),
      amountCell("Tax refunded", a.tax_refunded.amount, a.currency), amountCell("Net tax", a.net_tax.amount, a.currency))), data);
}

function clearingBlock(doc) {
  const accts = doc.accounts;
  const periods = [...new Set(accts.flatMap((a) => a.periods.map((p) => p.period)))].sort();
  const cur = firstCurrency(accts);
  const s = accts.filter((a) => a.currency === cur).slice(0, 4).map((a, k) => {
    const at = Object.fromEntries(a.periods.map((p) => [p.period, p.closing]));
    let last = a.opening.amount;
    return { name: a.account.split(":").pop(), color: k, values: periods.map((p) => Number((last = at[p] ?? last))) };
  });
  const oldest = (a) => a.unsettled.reduce((m, u) => Math.max(m, u.age_days), 0);
  const heads = ["Account", "Currency", "Balance", "Unpaid items", "Oldest unpaid (days)", "Payouts not tied"];
  const data = accts.map((a) => [a.account, a.currency, a.closing, a.unsettled.length, oldest(a), a.payouts_not_tied.length]);
  return block("clearing", "Clearing balance per gateway", s.length && periods.length ? chart(`Clearing balance over time (${cur})`, `Balance at the end of each period for ${s.length} clearing accounts`, periods, { lines: s }) : null,
    s.length && periods.length ? s : [], `Clearing accounts as of ${doc.as_of}`, heads,
    accts.map((a) => el("tr", {}, td("Account", el("code", { textContent: a.account })), td("Currency", a.currency), amountCell("Balance", a.closing, a.currency),
      td("Unpaid items", String(a.unsettled.length)), td("Oldest unpaid (days)", String(oldest(a))), td("Payouts not tied", String(a.payouts_not_tied.length)))), data);
}

function giftBlock(doc) {
  const cur = firstCurrency(doc.periods);
  const shown = doc.periods.filter((p) => p.currency === cur);
  const s = [{ name: "Liability at end", color: 2, values: shown.map((p) => Number(p.closing)) }];
  const heads = ["Period", "Currency", "Opening", "Sold", "Redeemed", "Closing"];
  const data = doc.periods.map((p) => [p.period, p.currency, p.opening, p.sold.amount, p.redeemed.amount, p.closing]);
  return block("giftcards", "Gift-card liability", shown.length ? chart(`Gift-card liability (${cur})`, `Outstanding gift-card balance at the end of ${shown.length} periods`, shown.map((p) => p.period), { bars: s }) : null,
    shown.length ? s : [], "Gift-card roll-forward", heads,
    doc.periods.map((p) => el("tr", {}, td("Period", p.period), td("Currency", p.currency), amountCell("Opening", p.opening, p.currency),
      amountCell("Sold", p.sold.amount, p.currency), amountCell("Redeemed", p.redeemed.amount, p.currency), amountCell("Closing", p.closing, p.currency))), data);
}

async function loadReports() {
  const out = $("reports");
  const shop = $("shop").value.trim();
  if (!shop && !window.shopify) { out.className = "muted"; out.textContent = "Name a shop above to see its reports."; return; }
  const q = (by) => new URLSearchParams({ ...(shop ? { shop } : {}), from: $("r-from").value, to: $("r-to").value, ...(by ? { by } : {}) });
  const by = $("r-by").value;
  const [profit, tax, clearing, gift] = await Promise.all([
    api(`/api/reports/profit?${q(by)}`), api(`/api/reports/tax?${q()}`), api(`/api/reports/clearing?${q(by)}`), api(`/api/reports/giftcards?${q(by)}`)]);
  out.className = "reports";
  const notice = profit.notice ? [el("p", { className: "notice", role: "note", textContent: `Note: ${profit.notice}.` })] : [];
  out.replaceChildren(...notice, salesBlock(profit), taxBlock(tax), clearingBlock(clearing), giftBlock(gift));
}

// Default range: the last twelve months to today (a year is the API's limit).
const today = new Date().toISOString().slice(0, 10);
if (!$("r-to").value) $("r-to").value = today;
if (!$("r-from").value) { const d = new Date(); d.setUTCFullYear(d.getUTCFullYear() - 1); d.setUTCDate(d.getUTCDate() + 1); $("r-from").value = d.toISOString().slice(0, 10); }
$("report-range").addEventListener("submit", guarded(async () => { await loadReports(); say("Reports loaded."); }));
const load = () => loadReports().catch((e) => { $("reports").className = "err"; $("reports").textContent = e.message; });
onLoad(load);
// app.js may already have loaded the page before this module registered (modules run in order).
if ($("key").value || window.shopify?.idToken) load();
