// The admin page's overview: status, connections, what needs attention, the order list and the
// ledger. Shared helpers live in ui.js; other views register with onLoad().
import { $, PAGE, STATES, api, cards, credential, el, extraLoads, guarded, preview, rowsTable, say, shopParam, td } from "./ui.js";

$("key").value = localStorage.getItem("lb-key") ?? "";
async function loadStatus() {
  const s = await api(`/api/status${shopParam()}`);
  const orders = Object.entries(STATES).map(([k, label]) => [`Orders: ${label.toLowerCase()}`, s.orders?.[k] ?? 0]);
  $("status").className = "";
  $("status").replaceChildren(
    cards([["Deliveries received", s.received], ...orders]),
    el("h3", { className: "sr-only", textContent: "Postings" }),
    cards([["Postings sent", s.posted], ["Postings waiting", s.pending], ["Postings parked", s.parked]]),
  );
}

const PROVIDERS = { qbo: "QuickBooks Online", xero: "Xero" };
async function loadConnections() {
  const shop = $("shop").value.trim();
  const { connections } = await api(`/api/connections${shopParam()}`);
  const rows = Object.entries(PROVIDERS).map(([p, label]) => {
    const c = connections.find((x) => x.provider === p && (!shop || x.shop === shop));
    return el("li", { dataset: { provider: p, connected: c ? "yes" : "no" } },
      el("span", { className: "what", textContent: label }),
      el("span", { className: "why", textContent: c ? `Connected to ${c.account_name ?? c.account_id}${c.account_name ? ` (${c.account_id})` : ""} since ${new Date(c.connected_at).toISOString().slice(0, 10)}` : "Not connected" }),
      c ? el("button", { type: "button", textContent: `Disconnect ${label}`, onclick: () => disconnect(p, label) })
        : el("button", { type: "button", className: "primary", textContent: `Connect ${label}`, onclick: () => connect(p) }));
  });
  $("connections").className = "";
  $("connections").replaceChildren(shop || window.shopify?.idToken
    ? el("ul", { className: "attention connections" }, ...rows)
    : el("p", { className: "muted", textContent: "Name a shop above to connect its books." }));
}
async function connect(provider) {
  const r = await api(`/api/connect/${provider}${shopParam()}`, { method: "POST" });
  // The provider's consent page cannot be framed: leave the Shopify admin's iframe for it.
  (window.top ?? window).location.href = r.authorize_url;
}
async function disconnect(provider, label) {
  const r = await api(`/api/connect/${provider}${shopParam()}`, { method: "DELETE" });
  await refresh();
  say(`${label} disconnected${r.revoked ? " and its access revoked" : ""}.`);
}
// Back from the provider: the callback left the code with its state; completing it needs this
// page's credential, so a code obtained elsewhere cannot be attached to this shop.
async function completeConnection() {
  const q = new URLSearchParams(location.search);
  history.replaceState(null, "", location.pathname);
  if (q.get("connect_error")) throw new Error(`${PROVIDERS[q.get("provider")] ?? "The provider"} was not connected: ${q.get("connect_error")}.`);
  if (!q.get("connect") || !q.get("state")) return;
  if (q.get("shop")) $("shop").value = q.get("shop");
  const r = await api(`/api/connect/${q.get("connect")}/complete`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ state: q.get("state") }) });
  return `${PROVIDERS[r.provider]} connected to ${r.account_name ?? r.account_id} for ${r.shop}.`;
}

async function loadAttention() {
  const a = await api(`/api/attention${shopParam()}`);
  const items = [
    ...a.events.map((e) => el("li", {},
      el("span", { className: "what", textContent: `${e.status === "waiting-for-order" ? "Refund waiting for order" : "Not booked"}: ${e.platform} ${e.topic}${e.order_id ? ` · order ${e.order_id}` : ""}` }),
      el("span", { className: "muted", textContent: e.shop }),
      el("span", { className: "why", textContent: e.status === "waiting-for-order"
        ? "The refund came before its order; it is booked as soon as the order arrives."
        : e.reason ?? "" }),
      ...e.problems.map((p) => el("code", { textContent: `${p.code}${p.path ? ` at ${p.path}` : ""}` })),
      e.order_id && e.status === "parked" ? el("button", { type: "button", className: "link", textContent: "Open order", onclick: () => openOrder(e.platform, e.shop, e.order_id) }) : null,
      e.status === "parked" ? replayButton({ shop: e.shop }, "Map again") : null)),
    ...a.postings.map((p) => el("li", {},
      el("span", { className: "what", textContent: `Not sent to ${p.target}: ${p.entry_id}` }),
      el("span", { className: "muted", textContent: `${p.attempts} attempts` }),
      el("span", { className: "why", textContent: p.reason ?? "" }),
      p.order_id ? el("button", { type: "button", className: "link", textContent: "Open order", onclick: () => openOrder(p.platform, p.shop, p.order_id) }) : null,
      replayButton({ shop: p.shop, target: p.target, entry_id: p.entry_id }, "Send again"))),
  ];
  $("attention").className = items.length ? "" : "muted";
  $("attention").replaceChildren(items.length ? el("ul", { className: "attention" }, ...items) : "Nothing needs attention.");
}
function replayButton(body, label) {
  return el("button", { type: "button", textContent: label, onclick: async (ev) => {
    ev.target.disabled = true;
    try {
      const r = await api("/api/replay", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      await refresh();
      say(`Replayed: ${r.events} events, ${r.postings} postings for ${r.shop ?? "all shops"}.`);
    } catch (e) { say(e.message, true); ev.target.disabled = false; }
  } });
}

let ordersCursor = null;
async function loadOrders(append = false) {
  const params = new URLSearchParams({ limit: String(PAGE) });
  const s = $("shop").value.trim(); if (s) params.set("shop", s);
  if ($("q").value.trim()) params.set("q", $("q").value.trim());
  if ($("state").value) params.set("state", $("state").value);
  if (append && ordersCursor) params.set("cursor", ordersCursor);
  const r = await api(`/api/orders?${params}`);
  ordersCursor = r.next_cursor;
  $("more").hidden = !ordersCursor;
  const rows = r.orders.map((o) => el("tr", { dataset: { orderId: o.order_id, state: o.state } },
    td("Order", el("button", { type: "button", className: "link", textContent: o.memo ?? `${o.platform} order ${o.order_id}`, onclick: () => openOrder(o.platform, o.shop, o.order_id) })),
    td("Date", o.date ?? new Date(o.last_at).toISOString().slice(0, 10)),
    td("Shop", o.shop),
    td("State", el("span", { className: `state ${o.state}`, textContent: STATES[o.state] ?? o.state }))));
  const host = $("orders");
  const existing = append ? host.querySelector("tbody") : null;
  if (existing) { existing.append(...rows); return; }
  host.className = rows.length ? "" : "muted";
  host.replaceChildren(rows.length ? rowsTable("Orders, newest activity first", ["Order", "Date", "Shop", "State"], rows) : "No orders match.");
}

async function openOrder(platform, shop, orderId) {
  const target = $("preview");
  try {
    const p = await api(`/api/preview/${platform}/${encodeURIComponent(orderId)}${shop ? `?shop=${encodeURIComponent(shop)}` : ""}`);
    const posted = rowsTable("Where each entry was posted", ["Entry", "Target", "State", "Reference"], p.postings.map((x) => el("tr", {},
      td("Entry", x.entry_id), td("Target", x.target), td("State", x.state), td("Reference", x.target_ref ?? x.reason ?? ""))));
    target.replaceChildren(el("h3", { textContent: `Order ${orderId} · ${p.shop}` }), await preview(p, `Entries of order ${orderId}`), posted);
  } catch (e) { target.replaceChildren(el("p", { className: "err", textContent: e.message })); }
  target.focus();
}

let ledger = [], ledgerTotals = [], entriesCursor = null;
async function loadEntries(append = false) {
  const params = new URLSearchParams({ format: "json", limit: String(PAGE), totals: "1" }); // totals: the widget needs no wasm
  const s = $("shop").value.trim(); if (s) params.set("shop", s);
  if (append && entriesCursor) params.set("cursor", entriesCursor);
  const res = await fetch(`/api/entries?${params}`, { headers: { authorization: `Bearer ${await credential()}` } });
  const body = await res.json();
  if (!res.ok) throw new Error(`${body?.error?.message ?? res.statusText} [${body?.error?.code}]`);
  entriesCursor = res.headers.get("x-next-cursor");
  $("entries-more").hidden = !entriesCursor;
  ledger = append ? ledger.concat(body.entries) : body.entries;
  ledgerTotals = append ? ledgerTotals.concat(body.totals) : body.totals;
  if (!ledger.length) { $("entries").className = "muted"; $("entries").textContent = "No entries yet."; return; }
  $("entries").className = "";
  $("entries").replaceChildren(await preview({ entries: ledger, warnings: [], totals: ledgerTotals }, "Ledger entries"));
}

async function refresh(done = "") {
  say("Loading…");
  try {
    await Promise.all([loadStatus(), loadConnections(), loadAttention(), loadOrders(), loadEntries(), ...extraLoads()]);
    say(done);
  } catch (e) { say(e.message, true); }
}
$("connect").onsubmit = guarded(refresh);
$("find").onsubmit = guarded(() => loadOrders());
$("state").onchange = guarded(() => loadOrders());
$("more").onclick = guarded(() => loadOrders(true));
$("entries-more").onclick = guarded(() => loadEntries(true));
$("byid").onsubmit = guarded(() => openOrder($("platform").value, $("shop").value.trim(), $("order").value.trim()));
if (new URLSearchParams(location.search).has("provider") || new URLSearchParams(location.search).has("connect")) {
  completeConnection().then((done) => refresh(done ?? ""), async (e) => { await refresh(); say(e.message, true); });
} else if ($("key").value || window.shopify?.idToken) refresh();
