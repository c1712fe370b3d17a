// Which wasm <ledger-preview> maps with. Each platform has a lean module (npm/dist/widget/<platform>/,
// scripts/build-npm) with that platform's adapter only and only what the widget calls (mapEvent,
// entryTotals); it reads JSON configs only. The full module is loaded only when a lean one refuses
// the input for what it lacks (a TOML config; a platform name it does not know), so nothing is
// lost, it only costs the bigger download. Each module is fetched on first use, once per page.

// Static specifiers and `new URL(…, import.meta.url)`: the forms bundlers follow to the files.
const LEAN = {
  shopify: [() => import("../../dist/widget/shopify/ledgerbridge_wasm.js"),
    () => new URL("../../dist/widget/shopify/ledgerbridge_wasm_bg.wasm", import.meta.url)],
  woocommerce: [() => import("../../dist/widget/woocommerce/ledgerbridge_wasm.js"),
    () => new URL("../../dist/widget/woocommerce/ledgerbridge_wasm_bg.wasm", import.meta.url)],
  bigcommerce: [() => import("../../dist/widget/bigcommerce/ledgerbridge_wasm.js"),
    () => new URL("../../dist/widget/bigcommerce/ledgerbridge_wasm_bg.wasm", import.meta.url)],
  canonical: [() => import("../../dist/widget/canonical/ledgerbridge_wasm.js"),
    () => new URL("../../dist/widget/canonical/ledgerbridge_wasm_bg.wasm", import.meta.url)],
  stripe: [() => import("../../dist/widget/stripe/ledgerbridge_wasm.js"),
    () => new URL("../../dist/widget/stripe/ledgerbridge_wasm_bg.wasm", import.meta.url)],
};

/** Codes a lean module answers for input only the full module handles. */
const FULL_ONLY = new Set(["E_UNSUPPORTED_CONFIG_SYNTAX", "E_UNSUPPORTED_PLATFORM"]);

const loaded = new Map();
function lean(name) {
  if (!loaded.has(name)) {
    const [glue, wasm] = LEAN[name];
    loaded.set(name, glue().then(async (module) => {
      await module.default({ module_or_path: wasm() });
      return module;
    }));
  }
  return loaded.get(name);
}

let full;
const loadFull = () => (full ??= import("../entrypoints/browser.js"));

// Only picks a file: whether `platform` is mapped, and how, is the core's to say.
const leanFor = (platform) => {
  const name = String(platform ?? "").trim().toLowerCase();
  return Object.hasOwn(LEAN, name) ? name : null;
};

// Text the core will read as TOML (it reads JSON when the text starts with `{`): straight to the
// full module, rather than downloading a lean one to hear it refuse. Only a shortcut: the lean
// module's refusal below stays the rule.
const toml = (config) => typeof config === "string" && config.trim() !== "" && !config.trimStart().startsWith("{");

/** `Mapped` for one payload: the platform's lean module, else the full one for what it refuses. */
export async function mapEvent(platform, payload, config) {
  const name = toml(config) ? null : leanFor(platform);
  if (name) {
    const { mapEvent: leanMap } = await lean(name);
    try {
      return leanMap(platform, payload, config);
    } catch (error) {
      if (!FULL_ONLY.has(error?.code)) throw error;
    }
  }
  return (await loadFull()).mapEvent(platform, payload, config);
}

/** The core's totals row of each entry, from a module already loaded, else the platform's lean one. */
export async function entryTotals(entries, platform) {
  if (!loaded.size && full) return (await full).entryTotals(entries);
  const name = loaded.size ? loaded.keys().next().value : leanFor(platform) ?? "shopify";
  return (await lean(name)).entryTotals(entries);
}
