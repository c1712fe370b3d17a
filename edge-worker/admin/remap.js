// "Re-map past orders" (issue #12): saving a mapping never changes what is booked; this panel is
// the explicit way to book past orders with the saved version. Pick a range → preview (what the
// core would change per order, each entry before and after; nothing written) → confirm → the
// reversals and new entries are booked and queued to the books like any entry. Applying twice
// books nothing more. Shown in the Mapping view once a saved version is in effect.
import { $, api, cards, el, preview, say, shopParam } from "./ui.js";

const CSS = `
  #remap { border-top: 1px solid var(--border); margin-top: 1rem; padding-top: .5rem; }
  #remap .range { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; }
  #remap .range label { display: grid; gap: .2rem; }
  #remap .order { margin: .75rem 0; }
  #remap .order h4 { margin: .25rem 0; overflow-wrap: anywhere; }
`;
document.head.append(el("style", { textContent: CSS }));

// Orders shown side by side in a preview: enough to judge, light enough for a phone.
const SHOWN = 10;
// Calls per action: each covers at most 100 stored events (the endpoint's bound).
const CALLS = 20;
const day = (ms) => new Date(ms).toISOString().slice(0, 10);
let version = null;
let previewed = null; // the range the shown preview is for: confirming applies exactly that

async function run(dryRun) {
  const range = { from: $("remap-from").value, to: $("remap-to").value };
  const sum = { changed: 0, unchanged: 0, booked: 0, orders: [], failed: [], version: null };
  let cursor = null;
  for (let calls = 0; calls < CALLS; calls++) {
    const r = await api(`/api/remap${shopParam()}`, { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...range, dry_run: dryRun, ...(cursor ? { cursor } : {}) }) });
    sum.version = r.version;
    for (const k of ["changed", "unchanged", "booked"]) sum[k] += r[k];
    sum.orders.push(...r.orders); sum.failed.push(...r.failed);
    cursor = r.truncated ? r.next : null;
    if (!cursor) break;
  }
  return { range, sum };
}

function fieldError(e) {
  const input = e.path === "to" ? $("remap-to") : e.path === "from" ? $("remap-from") : null;
  if (!input) return say(e.message.replace(/ \[E_[A-Z_]+(?: at [^\]]*)?\]$/, ""), true);
  input.setAttribute("aria-invalid", "true");
  $("remap-range-err").textContent = e.message.replace(/ \[E_[A-Z_]+(?: at [^\]]*)?\]$/, "");
  input.focus();
}

async function previewRemap() {
  for (const n of document.querySelectorAll("#remap [aria-invalid=true]")) n.removeAttribute("aria-invalid");
  $("remap-range-err").textContent = "";
  $("remap-status").textContent = "Previewing…";
  let result;
  try { result = await run(true); } catch (e) { $("remap-status").textContent = ""; return fieldError(e); }
  const { range, sum } = result;
  previewed = range;
  const n = sum.orders.length;
  const out = [
    cards([["Orders that change", n], ["Entries replaced", sum.changed], ["Entries unchanged", sum.unchanged], ["Not mappable", sum.failed.length]]),
  ];
  for (const o of sum.orders.slice(0, SHOWN)) {
    const before = { entries: o.changed.map((c) => c.before).filter(Boolean), warnings: [] };
    const after = { entries: o.changed.map((c) => c.after), warnings: [] };
    out.push(el("div", { className: "order", dataset: { orderId: o.order_id } },
      el("h4", { textContent: `Order ${o.order_id}` }),
      el("div", { className: "beforeafter" },
        el("div", { dataset: { side: "before" } }, el("h5", { textContent: "Booked now" }), await preview(before, `Order ${o.order_id} as booked now`)),
        el("div", { dataset: { side: "after" } }, el("h5", { textContent: `With version ${sum.version}` }), await preview(after, `Order ${o.order_id} with version ${sum.version}`)))));
  }
  if (n > SHOWN) out.push(el("p", { className: "muted", textContent: `and ${n - SHOWN} more orders.` }));
  out.push(el("p", {}, el("button", { type: "button", id: "remap-apply", className: "primary", disabled: n === 0,
    textContent: n ? `Re-map ${n} order${n > 1 ? "s" : ""}` : "Nothing to re-map", onclick: apply })));
  $("remap-result").replaceChildren(...out);
  $("remap-status").textContent = n
    ? `${n} order${n > 1 ? "s" : ""} from ${range.from} to ${range.to} would be reversed and booked again with version ${sum.version}. Nothing is written until you confirm.`
    : `No order from ${range.from} to ${range.to} books differently with version ${sum.version}.`;
}

async function apply() {
  if (!previewed || previewed.from !== $("remap-from").value || previewed.to !== $("remap-to").value) return previewRemap();
  $("remap-apply").disabled = true;
  $("remap-status").textContent = "Re-mapping…";
  let result;
  try { result = await run(false); } catch (e) { $("remap-status").textContent = ""; $("remap-apply").disabled = false; return fieldError(e); }
  const { sum } = result;
  previewed = null;
  $("remap-result").replaceChildren(cards([["Orders re-mapped", sum.orders.length], ["Entries booked", sum.booked]]));
  $("remap-status").textContent = sum.booked
    ? `Done: ${sum.orders.length} order${sum.orders.length > 1 ? "s" : ""} re-mapped with version ${sum.version}: ${sum.booked / 2} reversals and ${sum.booked / 2} new entries booked and sent to your books.`
    : "Nothing left to re-map: these orders are booked with this version already.";
}

function render() {
  const setup = $("setup-versions");
  if (!setup) return;
  let panel = $("remap");
  if (version === null) { panel?.remove(); return; }
  if (!panel) {
    const year = new Date().getUTCFullYear();
    panel = el("div", { id: "remap" },
      el("h3", { id: "remap-h", textContent: "Re-map past orders" }),
      el("p", { className: "muted", id: "remap-why" }),
      el("form", { className: "range", onsubmit: (ev) => { ev.preventDefault(); previewRemap().catch((e) => say(e.message, true)); } },
        el("label", {}, "From", el("input", { type: "date", id: "remap-from", value: `${year}-01-01`, required: true })),
        el("label", {}, "To", el("input", { type: "date", id: "remap-to", value: day(Date.now()), required: true })),
        el("button", { type: "submit", id: "remap-preview", textContent: "Preview" })),
      el("span", { id: "remap-range-err", className: "err", role: "alert" }),
      el("p", { id: "remap-status", role: "status", ariaLive: "polite" }),
      el("div", { id: "remap-result" }));
    setup.after(panel);
    for (const id of ["remap-from", "remap-to"]) $(id).setAttribute("aria-describedby", "remap-range-err");
  }
  $("remap-why").textContent = `Saving never changes what is booked. To book past orders with version ${version}, preview them here: each order that books differently is reversed and booked again, and both go to your books.`;
}

document.addEventListener("lb-setup", (ev) => {
  const d = ev.detail;
  if (d.kind === "loaded" || d.kind === "saved") {
    if (d.version !== undefined && d.version !== version) { previewed = null; $("remap-result")?.replaceChildren(); if ($("remap-status")) $("remap-status").textContent = ""; }
    version = d.version ?? version;
    render();
  }
});
