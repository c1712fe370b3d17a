// <ledger-preview>: the journal entries (and, in document mode, the sales documents) an order will
// post, before anything is posted.
//
//   <ledger-preview platform="shopify" payload='{"id":...}' config='shop = "x"'></ledger-preview>
//   <ledger-preview src="/api/preview/shopify/5551234" token="..."></ledger-preview>
//
// Inputs (attributes or properties): platform + payload (+ config) mapped in the browser by the
// wasm core, or src: a URL returning `Mapped` JSON (e.g. the edge worker's preview endpoint), sent
// with `Authorization: Bearer <token>` when token is set. The `mapped` property takes a `Mapped`
// object directly. In document mode the worker's answer also has `documents` (the sales documents
// the poster will send, per target), shown before the journals that still book (documents.js).
// `locale` picks the number format (default: the page's). Re-renders whenever an
// input changes; fires `ledger-preview:render` (detail: the Mapped) or `ledger-preview:error`.
import { STYLES } from "./styles.js";
import { entryTable, errorBox, h, profitList, rejectedList, warningList } from "./render.js";
import { documentsSection } from "./documents.js";
import * as core from "./core.js";

const INPUTS = ["platform", "payload", "config", "src", "token", "locale", "label"];

// The wasm core is loaded on first use only: to map a payload, or for the totals row of entries
// that arrive without theirs (`mapped.totals`, one per entry, as the edge worker's preview sends).
// Entries from the worker therefore render without downloading the wasm at all; mapping in the
// page loads the platform's lean module (core.js), the full one only for a TOML config.

/** The core's totals row of each entry: the ones given with them when there is one per entry. */
async function totalsOf(entries, given, platform) {
  if (Array.isArray(given) && given.length === entries.length) return given;
  if (!entries.length) return [];
  return core.entryTotals(entries, platform);
}

export class LedgerPreview extends HTMLElement {
  static observedAttributes = INPUTS;

  #props = {};
  #mapped = null;
  #scheduled = false;
  #generation = 0;
  #abort = null;

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = STYLES;
    this.body = h("div", { class: "root", part: "root", "aria-live": "polite" });
    root.append(style, this.body);
  }

  connectedCallback() {
    // Properties set on the element before this class was defined shadow the accessors; re-set them.
    for (const name of [...INPUTS, "mapped"]) {
      if (Object.prototype.hasOwnProperty.call(this, name)) {
        const value = this[name];
        delete this[name];
        this[name] = value;
      }
    }
    this.#schedule();
  }

  disconnectedCallback() {
    this.#abort?.abort();
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue) return;
    delete this.#props[name]; // the attribute just written wins over an older property value
    this.#schedule();
  }

  /** A `Mapped` object to show as is (no mapping, no fetch). */
  get mapped() {
    return this.#mapped;
  }
  set mapped(value) {
    this.#mapped = value;
    this.#schedule();
  }

  // Properties mirror the attributes; payload and config also take objects.
  get platform() { return this.#read("platform"); }
  set platform(v) { this.#set("platform", v); }
  get payload() { return this.#read("payload"); }
  set payload(v) { this.#set("payload", v); }
  get config() { return this.#read("config"); }
  set config(v) { this.#set("config", v); }
  get src() { return this.#read("src"); }
  set src(v) { this.#set("src", v); }
  get token() { return this.#read("token"); }
  set token(v) { this.#set("token", v); }
  get locale() { return this.#read("locale"); }
  set locale(v) { this.#set("locale", v); }
  get label() { return this.#read("label"); }
  set label(v) { this.#set("label", v); }

  #set(name, value) {
    this.#props[name] = value;
    this.#schedule();
  }

  #read(name) {
    return name in this.#props ? this.#props[name] : this.getAttribute(name);
  }

  // Several inputs usually change together (platform + payload): render once, after all of them.
  #schedule() {
    if (this.#scheduled) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      if (this.isConnected) this.#render();
    });
  }

  async #render() {
    const generation = ++this.#generation;
    this.#abort?.abort();
    this.#abort = null;
    const current = () => generation === this.#generation;
    try {
      const mapped = await this.#resolve();
      if (!current()) return;
      if (!mapped) {
        this.#show(h("p", { class: "empty" }, "No order to preview."));
        return;
      }
      const totals = await totalsOf(mapped.entries ?? [], mapped.totals, this.#read("platform"));
      if (!current()) return;
      this.#showMapped(mapped, totals);
      this.dispatchEvent(new CustomEvent("ledger-preview:render", { detail: mapped }));
    } catch (error) {
      if (!current() || error?.name === "AbortError") return;
      this.#show(errorBox(error));
      this.setAttribute("aria-invalid", "true");
      this.dispatchEvent(new CustomEvent("ledger-preview:error", { detail: error }));
    }
  }

  async #resolve() {
    if (this.#mapped) return this.#mapped;
    const src = this.#read("src");
    if (src) return this.#fetch(src);
    const payload = this.#read("payload");
    if (payload === null || payload === undefined || payload === "") return null;
    const platform = this.#read("platform") || "shopify";
    const config = this.#read("config") ?? undefined;
    return core.mapEvent(platform, payload, config === null || config === "" ? undefined : config);
  }

  async #fetch(src) {
    this.#show(h("p", { class: "loading", "aria-busy": "true" }, "Loading preview…"));
    this.#abort = new AbortController();
    const token = this.#read("token");
    const response = await fetch(src, {
      headers: { Accept: "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      signal: this.#abort.signal,
    });
    const text = await response.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    if (!response.ok) {
      // The worker answers errors as {code, path, message}; anything else is shown by status.
      const problem = body && typeof body === "object" ? body.error ?? body : {};
      throw Object.assign(new Error(problem.message ?? `${response.status} ${response.statusText}`), {
        name: "LedgerError",
        code: problem.code ?? `HTTP_${response.status}`,
        path: problem.path ?? "",
        status: response.status,
      });
    }
    if (!body || !Array.isArray(body.entries)) {
      throw Object.assign(new Error(`${src} did not return {entries, warnings, profit}`), {
        code: "E_PREVIEW_RESPONSE",
        path: "",
      });
    }
    return body;
  }

  #showMapped(mapped, totals) {
    this.removeAttribute("aria-invalid");
    const locale = this.#read("locale") || undefined;
    const entries = mapped.entries ?? [];
    // Document mode (the worker's preview sends `documents`): the documents first, then the
    // journals that still book beside them (fees, cost of goods).
    const documents = documentsSection(mapped.documents, locale);
    const title = documents
      ? entries.length === 1 ? "Journal that still books" : `Journals that still book (${entries.length})`
      : entries.length === 1 ? "Journal entry" : `Journal entries (${entries.length})`;
    this.#show(
      documents,
      entries.length
        ? h("section", { "aria-label": this.#read("label") || "Journal entries" }, // unique per widget when a page shows several
          h("h2", {}, title),
          entries.map((entry, i) => entryTable(entry, totals[i], locale)))
        : h("p", { class: "empty" }, documents ? "No journal books beside the documents." : "Nothing to post for this order."),
      rejectedList(mapped.rejected),
      warningList(mapped.warnings),
      profitList(mapped.profit, locale),
    );
  }

  #show(...nodes) {
    this.body.replaceChildren(...nodes.filter(Boolean));
  }
}

if (!customElements.get("ledger-preview")) customElements.define("ledger-preview", LedgerPreview);
