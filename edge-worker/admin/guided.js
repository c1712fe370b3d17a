// The guided first run (issue #12): a shop with no saved mapping version (or a user who asks for
// it) is walked through five steps, one at a time: connect the books, import their chart of
// accounts, map the roles, save, and a dry run of the last 30 days. Each step borrows the
// controls the page already has (the connect buttons, the import form, the role pickers with
// their before/after preview, the save button) rather than copying them, so there is one way to
// do each thing; leaving the guide puts every borrowed control back where it was.
import { $, api, cards, el, onLoad, preview, say, shopParam } from "./ui.js";

const PROVIDERS = { qbo: "QuickBooks Online", xero: "Xero" };
const CSS = `
  #guide { border: 1px solid var(--accent); border-radius: var(--radius); padding: .75rem 1rem; margin: 1rem 0; background: var(--panel); }
  #guide h2 { margin-top: .25rem; }
  #guide .guide-nav { display: flex; flex-wrap: wrap; gap: .5rem; margin: 1rem 0 0; }
  #guide .guide-nav .leave { margin-left: auto; }
  #guide ul.attention { margin: .5rem 0; }
`;
document.head.append(el("style", { textContent: CSS }));

const TITLES = ["Connect your books", "Import your chart of accounts", "Map each role to one of your accounts", "Save the mapping", "Try it on the last 30 days"];
const KEY = "lb-guide";
const shop = () => $("shop").value.trim();
const shopKey = () => shop() || "embedded";
let step = 0;         // 0-based; the guide is closed while #guide is hidden
let version = null;   // the shop's saved mapping version, from the setup view
let imported = 0;     // accounts imported in this visit
let savedNow = null;  // the version saved from step 4
const borrowed = [];  // [node, placeholder]: controls lent to a step

// A step that borrows a control keeps its place with a marker, so giving it back is exact even
// after the setup view re-rendered around it (it replaces the roles' children, never the node).
function borrow(node) {
  if (!node) return null;
  const mark = document.createComment("guide");
  node.before(mark);
  borrowed.push([node, mark]);
  return node;
}
function giveBack() {
  for (const [node, mark] of borrowed.splice(0)) { mark.replaceWith(node); }
}

const remember = () => sessionStorage.setItem(KEY, JSON.stringify({ shop: shopKey(), step }));
function leave() {
  giveBack();
  $("guide").hidden = true;
  $("guide").replaceChildren();
  sessionStorage.removeItem(KEY);
  localStorage.setItem(`${KEY}-left:${shopKey()}`, "1");
  say("Guided setup closed: the mapping view below has every step.");
  $("setup-guide")?.focus();
}

async function connections() {
  const { connections } = await api(`/api/connections${shopParam()}`);
  return connections.filter((c) => !shop() || c.shop === shop());
}

async function render() {
  giveBack();
  remember();
  const status = el("div", { id: "guide-status", role: "status", ariaLive: "polite" });
  const body = el("div", { id: "guide-body" });
  const back = el("button", { type: "button", id: "guide-back", textContent: "Back", disabled: step === 0, onclick: () => go(step - 1) });
  const next = el("button", { type: "button", id: "guide-next", className: "primary", textContent: step === 4 ? "Finish" : "Next", onclick: () => (step === 4 ? finish() : go(step + 1)) });
  const heading = el("h2", { id: "guide-h", tabIndex: -1, textContent: TITLES[step] });
  $("guide").replaceChildren(
    el("p", { id: "guide-step", className: "muted", textContent: `Step ${step + 1} of 5` }),
    heading, body, status,
    el("div", { className: "guide-nav" }, back, next,
      el("button", { type: "button", className: "link leave", textContent: "Leave the guided setup", onclick: leave })));
  $("guide").hidden = false;
  heading.focus();
  await STEPS[step]({ body, status, next });
}
const go = (n) => { step = Math.max(0, Math.min(4, n)); return render().catch((e) => say(e.message, true)); };
function finish() {
  leave();
  say(`Setup done${version !== null ? `: version ${version} is in effect` : ""}. New orders are booked with it.`);
}

const STEPS = [
  // 1. Connect: the overview's own connect buttons (the OAuth flow leaves the page and comes back
  // here: the step is remembered for the tab).
  async ({ body, status, next }) => {
    const linked = await connections();
    body.replaceChildren(el("p", { textContent: "Connect the accounting company the shop's entries go to. You will sign in there and come back here." }),
      el("ul", { className: "attention connections" }, ...Object.entries(PROVIDERS).map(([p, label]) => {
        const c = linked.find((x) => x.provider === p);
        return el("li", { dataset: { provider: p, connected: c ? "yes" : "no" } },
          el("span", { className: "what", textContent: label }),
          el("span", { className: "why", textContent: c ? `Connected to ${c.account_name ?? c.account_id}` : "Not connected" }),
          c ? null : el("button", { type: "button", className: "primary", textContent: `Connect ${label}`,
            onclick: () => document.querySelector(`#connections li[data-provider=${p}] button`)?.click() }));
      })));
    next.disabled = !linked.length;
    status.textContent = linked.length ? `Connected: ${linked.map((c) => PROVIDERS[c.provider]).join(", ")}. Next: import its accounts.` : "Connect one to go on.";
  },
  // 2. Import: the setup view's form, with the connected provider chosen.
  async ({ body, status, next }) => {
    const linked = await connections();
    body.replaceChildren(el("p", { textContent: "Read the accounts of your books, so each role can be mapped to one of them." }));
    const form = borrow($("setup-form"));
    if (form) body.append(form);
    if (linked[0] && !imported) $("setup-provider").value = linked[0].provider;
    next.disabled = !imported;
    status.textContent = imported ? `${imported} accounts imported.` : "Import the accounts to go on.";
  },
  // 3. Map: the pickers and the live before/after preview.
  async ({ body, status }) => {
    body.replaceChildren(el("p", { textContent: "Pick one of your accounts for each role; only accounts of a fitting type are offered. The shop's recent orders are shown before and after your change; nothing is saved yet." }));
    for (const id of ["setup-roles", "setup-preview"]) { const n = borrow($(id)); if (n) body.append(n); }
    status.textContent = "Roles left as they are keep the deployment's account.";
  },
  // 4. Save: the setup view's save button; the version it made is shown.
  async ({ body, status, next }) => {
    body.replaceChildren(el("p", { textContent: "Save the mapping as a version. Entries already booked are never rewritten; new orders are booked with it." }));
    const save = borrow($("setup-save")?.parentElement);
    if (save) body.append(save);
    next.disabled = version === null;
    status.textContent = savedNow !== null ? `Saved as version ${savedNow}.` : version !== null ? `Version ${version} is in effect.` : "Save to go on.";
  },
  // 5. Dry run: the historical import's plan for the last 30 days, nothing written; a shop whose
  // platform cannot be pulled gets the preview of its recent orders instead.
  async ({ body, status }) => {
    const out = el("div", { id: "guide-dry" });
    body.replaceChildren(el("p", { textContent: "What the last 30 days of orders would book with this mapping. Nothing is written." }), out,
      el("p", {}, el("button", { type: "button", id: "guide-dry-run", textContent: "Run again", onclick: () => dryRun(out, status) })));
    await dryRun(out, status);
  },
];

const day = (ms) => new Date(ms).toISOString().slice(0, 10);
// The shop's platform (and, embedded in the Shopify admin where no shop is typed, its name) from
// its newest order; a shop without orders yet can only be a Shopify one by its name.
async function sourceOf() {
  const { orders } = await api(`/api/orders?limit=1${shopParam("&")}`);
  if (orders[0]?.platform) return { platform: orders[0].platform, name: orders[0].shop };
  return { platform: shop().endsWith(".myshopify.com") ? "shopify" : null, name: shop() };
}
async function dryRun(out, status) {
  status.textContent = "Running the dry run…";
  const { platform, name } = await sourceOf();
  const to = day(Date.now()), from = day(Date.now() - 29 * 86_400_000);
  let sum = null;
  try {
    if (!platform || !name) throw Object.assign(new Error("no orders yet"), { code: "E_UNSUPPORTED_PLATFORM" });
    let cursor = null;
    // Each call covers a few list pages; a busy month takes several (bounded: a guide, not an import).
    for (let calls = 0; calls < 10; calls++) {
      const r = await api("/api/backfill", { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ platform, shop: name, from, to, ...(cursor ? { cursor } : {}) }) });
      sum = sum ?? { new: 0, changed: 0, unchanged: 0, failed: 0, documents: 0, more: false };
      for (const k of ["new", "changed", "failed"]) sum[k] += r[k].length;
      sum.unchanged += r.unchanged; sum.documents += r.documents;
      cursor = r.truncated ? r.next : null;
      sum.more = !!cursor;
      if (!cursor) break;
    }
  } catch (e) {
    if (e.code !== "E_NOT_CONFIGURED" && e.code !== "E_UNSUPPORTED_PLATFORM") { status.textContent = ""; out.replaceChildren(el("p", { className: "err", textContent: e.message })); return; }
    return recentInstead(out, status);
  }
  out.replaceChildren(el("p", { textContent: `${sum.documents} orders from ${from} to ${to}${sum.more ? " (the first of them; the import continues past these)" : ""}:` }),
    cards([["New entries", sum.new], ["Changed entries", sum.changed], ["Unchanged entries", sum.unchanged], ["Not mappable", sum.failed]]));
  out.dataset.kind = "backfill";
  status.textContent = `Dry run done: ${sum.new} new, ${sum.changed} changed, ${sum.unchanged} unchanged. Nothing was written.`;
}
// No pull for this shop's platform: the saved mapping applied to its recent stored orders.
async function recentInstead(out, status) {
  const { config } = await api(`/api/config${shopParam()}`);
  const r = await api(`/api/config/preview${shopParam()}&n=20`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(config) });
  const ok = r.orders.filter((o) => !o.after.error);
  const mapped = { entries: ok.flatMap((o) => o.after.entries ?? []), warnings: ok.flatMap((o) => o.after.warnings ?? []) };
  out.dataset.kind = "preview";
  out.replaceChildren(el("p", { textContent: `This shop's platform has no history import set up, so here are its last ${r.orders.length} stored orders with the mapping (${r.orders.length - ok.length} not mappable).` }),
    ok.length ? await preview(mapped, "Recent orders with the saved mapping") : el("p", { className: "muted", textContent: "No orders yet." }));
  status.textContent = `Preview of ${r.orders.length} recent orders shown. Nothing was written.`;
}

document.addEventListener("lb-setup", (ev) => {
  const d = ev.detail;
  if (d.kind === "imported") { imported = d.count; if (!$("guide").hidden && step === 1) go(1); }
  if (d.kind === "saved") { version = savedNow = d.version; if (!$("guide").hidden && step === 3) go(3); }
  // Step 4's own status says how the save went: the page's message line may be out of sight.
  const saving = !$("guide").hidden && step === 3 ? $("guide-status") : null;
  if (saving && d.kind === "saving") saving.textContent = "Saving…";
  if (saving && d.kind === "refused") saving.textContent = `Not saved: ${d.message}`;
  if (d.kind !== "loaded") return;
  version = d.version;
  if (!$("setup-guide")) {
    $("setup-now")?.after(el("p", {}, el("button", { type: "button", id: "setup-guide", textContent: "Set up step by step",
      onclick: () => { localStorage.removeItem(`${KEY}-left:${shopKey()}`); go(0); } })));
  }
  if (!$("guide").hidden) return;
  const saved = JSON.parse(sessionStorage.getItem(KEY) ?? "null");
  if (saved?.shop === shopKey()) go(saved.step);
  else if (version === null && !localStorage.getItem(`${KEY}-left:${shopKey()}`)) go(0);
});
// The page (re)loads: a different shop starts afresh.
onLoad(() => { imported = 0; savedNow = null; });
