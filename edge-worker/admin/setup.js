// The mapping setup view (issue #12): import the connected books' chart of accounts, map each
// account role to one of the merchant's own accounts (pickers offer only the accounts the core
// allows for the role), see the shop's recent orders before and after on every change, save a
// new version (a refusal is shown at its role), and read the version history. The core decides
// everything (roles, classes, names, validation); this module only shows and sends.
import { $, api, el, guarded, onLoad, preview, say, shopParam } from "./ui.js";

const PROVIDERS = { qbo: "QuickBooks Online", xero: "Xero" };
const CSS = `
  #setup .roles { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 20rem), 1fr)); gap: .75rem; border: 0; padding: 0; margin: .5rem 0; }
  #setup .roles select { width: 100%; }
  #setup .role .now { font-size: .8rem; overflow-wrap: anywhere; }
  #setup .role [aria-invalid=true] { border-color: var(--bad); }
  #setup .beforeafter { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 24rem), 1fr)); gap: .75rem; }
  #setup .beforeafter > div { min-width: 0; }
  #setup textarea { font: .85rem ui-monospace, monospace; width: 100%; min-height: 8rem; color: var(--fg); background: var(--bg); border: 1px solid var(--border); border-radius: var(--radius); }
  #setup .role .create { display: grid; gap: .35rem; margin-top: .4rem; padding: .5rem; border: 1px dashed var(--border); border-radius: var(--radius); }
  #setup .role .create input, #setup .role .create select { width: 100%; }
  #setup ol.versions { padding-left: 1.5rem; }
  #setup ol.versions li { margin: .25rem 0; overflow-wrap: anywhere; }
`;
document.head.append(el("style", { textContent: CSS }));

let current = null;   // GET /api/config: the config in effect, its version and roles
let chart = null;     // GET /api/accounts/:provider: the accounts and each role's allowed ones
let previewSeq = 0;

// The guided first run (guided.js) follows the view through these events, not its internals.
const tell = (kind, detail = {}) => document.dispatchEvent(new CustomEvent("lb-setup", { detail: { kind, ...detail } }));

const shopNamed = () => $("shop").value.trim() || window.shopify?.idToken;

// A role's path as the core names it (`accounts.sales`, `sales[0].account`, `tax."VAT 20%"`).
function pathParts(path) {
  return [...path.matchAll(/"((?:[^"\\]|\\.)*)"|\[(\d+)\]|([A-Za-z_]\w*)/g)]
    .map((m) => (m[1] !== undefined ? JSON.parse(`"${m[1]}"`) : m[2] !== undefined ? Number(m[2]) : m[3]));
}
function setAt(obj, path, value) {
  const parts = pathParts(path);
  let at = obj;
  for (const p of parts.slice(0, -1)) at = at[p] ??= {};
  at[parts.at(-1)] = value;
}

// The config the pickers describe: each mapped role books to the chosen account's ledger name,
// which `exports.<provider>` ties to the account's id in the books.
function candidate() {
  const config = structuredClone(current.config);
  const provider = $("setup-provider").value;
  config.exports[provider] ??= {};
  for (const select of document.querySelectorAll("#setup-roles select")) {
    const account = chart?.accounts.find((a) => a.id === select.value);
    if (!account?.ledger) continue;
    setAt(config, select.dataset.path, account.ledger);
    config.exports[provider][account.ledger] = account.id;
  }
  return config;
}

function clearErrors() {
  for (const n of document.querySelectorAll("#setup [aria-invalid=true]")) n.removeAttribute("aria-invalid");
  for (const n of document.querySelectorAll("#setup .role .err, #setup-text-err")) n.textContent = "";
}
// A refusal from the core, shown at the role whose field it names (else under the text box).
function showRefusal(e) {
  clearErrors();
  const select = e.path && [...document.querySelectorAll("#setup-roles select")].find((s) => s.dataset.path === e.path);
  const target = select ?? $("setup-text");
  target.setAttribute("aria-invalid", "true");
  (select ? $(`${select.id}-err`) : $("setup-text-err")).textContent = e.message;
  target.focus();
  say(`Not saved: ${e.message}`, true);
}

function renderRoles() {
  const roles = chart?.roles ?? current.roles;
  const byId = new Map((chart?.accounts ?? []).map((a) => [a.id, a]));
  // Prefixes name many accounts (one per kind of platform charge): not one picker's choice.
  // What the user picked but has not saved survives a re-render (an account created meanwhile).
  const picked = new Map([...document.querySelectorAll("#setup-roles select")].map((s) => [s.dataset.path, s.value]));
  const items = roles.filter((r) => !r.path.endsWith("_prefix")).map((r, i) => {
    const id = `setup-role-${i}`;
    const select = el("select", { id, dataset: { path: r.path, was: r.mapped ?? "" }, disabled: !chart,
      onchange: () => (select.value === CREATE ? openCreate(r, select) : (select.dataset.was = select.value, repreview())) },
      el("option", { value: "", textContent: chart ? "Keep as it is" : "Import accounts first" }),
      ...(r.allowed ?? []).map((a) => el("option", { value: a, textContent: `${byId.get(a)?.name} (${a})`, selected: r.mapped === a })),
      chart && r.creatable?.length ? el("option", { value: CREATE, textContent: "Create account…" }) : null);
    const was = picked.get(r.path);
    if (was && was !== CREATE && [...select.options].some((o) => o.value === was)) select.value = select.dataset.was = was;
    select.setAttribute("aria-describedby", `${id}-now ${id}-err`);
    return el("div", { className: "role" },
      el("label", { htmlFor: id, textContent: r.label }), select,
      el("span", { id: `${id}-now`, className: "now muted", textContent: `Books to ${r.account}${r.mapped ? ` → ${r.mapped}` : ""}` }),
      el("span", { id: `${id}-err`, className: "err", role: "alert" }));
  });
  $("setup-roles").replaceChildren(...items);
}

// "Create account…": a missing account made in the books, of a kind the core allows for the
// role; a refusal is shown at its field (name, type or code), and the new account is then offered
// to every role of its class and picked for this one.
const CREATE = "__create";
const cleanMessage = (e) => e.message.replace(/ \[E_[A-Z_]+(?: at [^\]]*)?\]$/, "");
function openCreate(role, select) {
  const provider = $("setup-provider").value;
  const previous = select.dataset.was ?? "";
  select.value = previous;
  const host = select.parentElement;
  host.querySelector(".create")?.remove();
  const base = select.id;
  const field = (name, label, input) => {
    input.id = `${base}-new-${name}`;
    input.setAttribute("aria-describedby", `${input.id}-err`);
    return el("div", {}, el("label", { htmlFor: input.id, textContent: label }), input,
      el("span", { id: `${input.id}-err`, className: "err", role: "alert" }));
  };
  const kinds = role.creatable;
  const form = el("form", { className: "create", ariaLabel: `New account for ${role.label}` },
    field("name", "Account name", el("input", { type: "text", required: true, autocomplete: "off", maxLength: provider === "qbo" ? 100 : 150 })),
    field("type", "Type", el("select", {}, ...kinds.map((k, i) => el("option", { value: String(i), textContent: k.label })))),
    provider === "xero" ? field("code", "Code (up to 10 letters or digits)", el("input", { type: "text", required: true, autocomplete: "off", maxLength: 10 })) : null,
    el("p", { id: `${base}-new-err`, className: "err", role: "alert" }),
    el("p", { className: "bar" },
      el("button", { type: "submit", className: "primary", textContent: "Create account" }),
      el("button", { type: "button", textContent: "Cancel", onclick: () => { form.remove(); select.focus(); } })));
  form.onsubmit = async (ev) => {
    ev.preventDefault();
    for (const n of form.querySelectorAll("[aria-invalid=true]")) n.removeAttribute("aria-invalid");
    for (const n of form.querySelectorAll(".err")) n.textContent = "";
    const kind = kinds[Number($(`${base}-new-type`).value)];
    const body = { role: role.path, name: $(`${base}-new-name`).value, type: kind.type, ...(kind.subtype ? { subtype: kind.subtype } : {}),
      ...(provider === "xero" ? { code: $(`${base}-new-code`).value } : {}) };
    try {
      const r = await api(`/api/accounts/${provider}${shopParam()}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      chart.accounts.push(r.account);
      for (const other of chart.roles) if (other.classes.includes(r.account.class)) other.allowed.push(r.account.id);
      renderRoles();
      const picker = [...document.querySelectorAll("#setup-roles select")].find((s) => s.dataset.path === role.path);
      picker.value = picker.dataset.was = r.account.id;
      picker.focus();
      say(`${r.account.name} (${r.account.id}) created in ${PROVIDERS[provider]} and picked for ${role.label}.`);
      tell("created", { account: r.account });
      await repreview();
    } catch (e) {
      const at = ["name", "type", "code"].includes(e.path) ? $(`${base}-new-${e.path}`) : null;
      // Not about a field (the books unreachable, not connected): said under the form.
      if (!at) { $(`${base}-new-err`).textContent = cleanMessage(e); return; }
      at.setAttribute("aria-invalid", "true");
      $(`${at.id}-err`).textContent = cleanMessage(e);
      at.focus();
    }
  };
  host.append(form);
  $(`${base}-new-name`).focus();
}

async function repreview() {
  if (!current) return;
  const seq = ++previewSeq;
  let body;
  try { body = JSON.stringify(candidate()); } catch (e) { return say(e.message, true); }
  await previewWith(body, seq);
}
async function previewWith(body, seq = ++previewSeq) {
  clearErrors();
  let r;
  try {
    r = await api(`/api/config/preview${shopParam()}&n=5`, { method: "POST", headers: { "content-type": "application/json" }, body });
  } catch (e) { if (seq === previewSeq) showRefusal(e); return; }
  if (seq !== previewSeq) return;
  const side = (key) => ({ entries: r.orders.flatMap((o) => o[key].entries ?? []), warnings: r.orders.flatMap((o) => o[key].warnings ?? []) });
  const changed = r.changes.length ? `${r.changes.length} change${r.changes.length > 1 ? "s" : ""}` : "no change";
  $("setup-preview").replaceChildren(
    el("p", { className: "muted", textContent: r.orders.length ? `The last ${r.orders.length} orders with the mapping in effect and with your changes (${changed}, nothing saved yet).` : "No orders yet to preview." }),
    r.orders.length ? el("div", { className: "beforeafter" },
      el("div", { dataset: { side: "before" } }, el("h4", { textContent: "Before" }), await preview(side("before"), "Recent orders with the mapping in effect")),
      el("div", { dataset: { side: "after" } }, el("h4", { textContent: "After" }), await preview(side("after"), "Recent orders with your changes"))) : null);
  $("setup-save").disabled = false;
}

async function save(body) {
  // One click, one version: a second click while the first is on its way would save twice.
  $("setup-save").disabled = $("setup-save-text").disabled = true;
  tell("saving");
  let r;
  try {
    r = await api(`/api/config${shopParam()}`, { method: "PUT", headers: { "content-type": "application/json" }, body });
  } catch (e) {
    $("setup-save").disabled = false;
    tell("refused", { message: e.message });
    showRefusal(e);
    return;
  } finally {
    $("setup-save-text").disabled = false;
  }
  // What was previewed is now in effect: an old before/after would only mislead.
  $("setup-preview").replaceChildren(el("p", { className: "muted", textContent: `Version ${r.version} is saved. Change a role to preview again.` }));
  say(`Saved as version ${r.version}: ${r.summary}.`);
  tell("saved", { version: r.version });
  // The versions list and the roles in effect; the version stands whether or not this reload works.
  await loadSetup(true).catch((e) => say(`Saved as version ${r.version}; the mapping view did not reload: ${e.message}`, true));
}

async function loadVersions() {
  const { versions } = await api(`/api/config/versions${shopParam()}`);
  $("setup-versions").replaceChildren(versions.length
    ? el("ol", { className: "versions", reversed: true }, ...versions.map((v) => el("li", { dataset: { version: v.version } },
      el("strong", { textContent: `Version ${v.version}` }),
      ` · ${new Date(v.created_at).toISOString().slice(0, 16).replace("T", " ")} UTC by ${v.created_by}`,
      v.effective_at > v.created_at + 1000 ? ` · from ${new Date(v.effective_at).toISOString().slice(0, 10)}` : "",
      el("div", { className: "muted", textContent: v.summary }))))
    : el("p", { className: "muted", textContent: "No saved version: the deployment's mapping is in effect." }));
}

async function loadSetup(keepChart = false) {
  if (!shopNamed()) {
    $("setup").replaceChildren(el("p", { className: "muted", textContent: "Name a shop above to set up its mapping." }));
    return;
  }
  if (!$("setup-form")) build();
  current = await api(`/api/config${shopParam()}`);
  if (!keepChart) chart = null;
  else if (chart) chart = await api(`/api/accounts/${$("setup-provider").value}${shopParam()}`);
  $("setup-now").textContent = current.version === null
    ? "In effect: the deployment's mapping (no saved version yet)."
    : `In effect: version ${current.version}${current.pending ? ` (version ${current.pending.version} from ${new Date(current.pending.effective_at).toISOString().slice(0, 10)})` : ""}.`;
  $("setup-text").value = JSON.stringify(current.config, null, 2);
  renderRoles();
  await loadVersions();
  tell("loaded", { version: current.version });
}

function build() {
  $("setup").className = "";
  $("setup").replaceChildren(
    el("p", { id: "setup-now", className: "muted" }),
    el("form", { id: "setup-form", className: "bar", onsubmit: guarded(importChart) },
      el("label", {}, "Books", el("select", { id: "setup-provider" }, ...Object.entries(PROVIDERS).map(([v, t]) => el("option", { value: v, textContent: t })))),
      el("button", { id: "setup-import", type: "submit", textContent: "Import accounts" })),
    el("fieldset", { className: "roles", id: "setup-roles" }),
    el("h3", { textContent: "Before and after" }),
    el("div", { id: "setup-preview", ariaLive: "polite" }, el("p", { className: "muted", textContent: "Change a role to preview the shop's recent orders." })),
    el("p", {}, el("button", { id: "setup-save", type: "button", className: "primary", textContent: "Save as a new version", disabled: true, onclick: () => save(JSON.stringify(candidate())) })),
    el("details", {}, el("summary", { textContent: "Edit the mapping as TOML or JSON" }),
      el("label", { htmlFor: "setup-text", textContent: "Mapping (TOML or JSON)" }),
      el("textarea", { id: "setup-text", spellcheck: false }),
      el("span", { id: "setup-text-err", className: "err", role: "alert" }),
      el("p", { className: "bar" },
        el("button", { type: "button", textContent: "Preview this text", onclick: () => previewWith($("setup-text").value) }),
        el("button", { type: "button", id: "setup-save-text", textContent: "Save this text", onclick: () => save($("setup-text").value) }))),
    el("h3", { textContent: "Versions" }),
    el("div", { id: "setup-versions" }));
  $("setup-roles").prepend(el("legend", { className: "sr-only", textContent: "Account for each role" }));
}

async function importChart() {
  const provider = $("setup-provider").value;
  say(`Importing the ${PROVIDERS[provider]} chart of accounts…`);
  chart = await api(`/api/accounts/${provider}${shopParam()}`);
  renderRoles();
  say(`${chart.accounts.length} ${PROVIDERS[provider]} accounts imported: pick one per role.`);
  tell("imported", { provider, count: chart.accounts.length });
}

onLoad(loadSetup);
import "./remap.js";
