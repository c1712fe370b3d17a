// What every part of the admin page shares: the credential, the API client, the status line,
// and the few DOM builders the views are made of (no framework: plain modules, no build step).
// Entries are shown by the <ledger-preview> widget only, served from the worker's static assets
// (scripts/worker-assets), so the page and the npm package render (and round) them one way.
// Loaded beside the page's own code, never before it: the form handlers must be in place before
// the first click, or the browser would submit the form itself and reload the page.
const widget = import("/ledgerbridge/src/widget/ledger-preview.js")
  .then(() => !!customElements.get("ledger-preview"), () => false);
const NO_WIDGET = "the <ledger-preview> widget did not load from /ledgerbridge/ (run scripts/worker-assets before deploying)";
export const PAGE = 50;
export const STATES = { parked: "Needs a fix", waiting: "Waiting for its order", pending: "Sending", posted: "Posted", "nothing-booked": "Nothing to book" };
export const $ = (id) => document.getElementById(id);
export const el = (tag, { dataset = {}, ...props } = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset);
  node.append(...children.filter((c) => c != null));
  return node;
};
// Inside the Shopify admin, App Bridge hands out session tokens; elsewhere the API key is used.
export async function credential() {
  if (window.shopify?.idToken) return window.shopify.idToken();
  localStorage.setItem("lb-key", $("key").value);
  return $("key").value;
}
export async function api(path, init = {}) {
  const res = await fetch(path, { ...init, headers: { authorization: `Bearer ${await credential()}`, ...(init.headers ?? {}) } });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const e = body?.error ?? {};
    throw Object.assign(new Error(`${e.message ?? res.statusText}${e.code ? ` [${e.code}${e.path ? ` at ${e.path}` : ""}]` : ""}`),
      { code: e.code, path: e.path, status: res.status });
  }
  // What the worker says about the answer beyond its body (e.g. a ledger that lacks the sales in
  // document mode), kept off the body's own fields.
  const notice = res.headers.get("x-ledger-notice");
  if (notice && body && typeof body === "object") Object.defineProperty(body, "notice", { value: notice });
  return body;
}
export const shopParam = (sep = "?") => { const s = $("shop").value.trim(); return s ? `${sep}shop=${encodeURIComponent(s)}` : ""; };
export const say = (text, bad = false) => { $("msg").textContent = text; $("msg").className = bad ? "err" : "muted"; };
export async function preview(mapped, label) {
  if (!(await widget)) throw new Error(NO_WIDGET);
  const node = document.createElement("ledger-preview");
  node.setAttribute("label", label);
  node.mapped = mapped;
  return node;
}
export function cards(pairs) {
  return el("dl", { className: "cards" }, ...pairs.map(([k, v]) => el("div", {}, el("dt", { textContent: k }), el("dd", { textContent: String(v ?? 0) }))));
}
export function rowsTable(caption, heads, rows) {
  const table = el("table", { className: "rows" }, el("caption", { className: "sr-only", textContent: caption }));
  table.append(el("thead", {}, el("tr", {}, ...heads.map((h) => el("th", { scope: "col", textContent: h })))));
  table.append(el("tbody", {}, ...rows));
  return table;
}
export const td = (label, ...content) => el("td", { dataset: { label } }, ...content);
export const guarded = (fn) => async (ev) => { ev?.preventDefault(); try { await fn(); } catch (e) { say(e.message, true); } };

// Views beyond the overview (setup, reports) register what they load when the page (re)loads, so
// "Load" and a replay refresh every part of the page at once.
const loaders = [];
export const onLoad = (fn) => { loaders.push(fn); };
export const extraLoads = () => loaders.map((fn) => fn());
