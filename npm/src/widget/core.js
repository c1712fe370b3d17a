// Which wasm <ledger-preview> maps with. A lean module (npm/dist/widget/<name>/, scripts/build-npm)
// carries only what the widget calls (mapEvent, entryTotals) and reads JSON configs only: Shopify
// has its own, the other platforms share one. The full module is loaded only when a lean one
// refuses the input for what it lacks (a TOML config, a platform it does not carry), so nothing is
// lost, it only costs the bigger download. Each is fetched on first use, and once per page.

// Static specifiers and `new URL(…, import.meta.url)`: the forms bundlers follow to the files.
const LEAN = {
  shopify: {
    glue: () => import("../../dist/widget/shopify/ledgerbridge_wasm.js"),
    wasm: () => new URL("../../dist/widget/shopify/ledgerbridge_wasm_bg.wasm", import.meta.url),
  },
  others: {
    glue: () => import("../../dist/widget/others/ledgerbridge_wasm.js"),
    wasm: () => new URL("../../dist/widget/others/ledgerbridge_wasm_bg.wasm", import.meta.url),
  },
};

/** Codes a lean module answers for input only the full module handles. */
const FULL_ONLY = new Set(["E_UNSUPPORTED_CONFIG_SYNTAX", "E_UNSUPPORTED_PLATFORM"]);

const loaded = new Map();
function lean(name) {
  if (!loaded.has(name)) {
    const { glue, wasm } = LEAN[name];
    loaded.set(name, glue().then(async (module) => {
      await module.default({ module_or_path: wasm() });
      return module;
    }));
  }
  return loaded.get(name);
}

let full;
const loadFull = () => (full ??= import("../entrypoints/browser.js"));

// Only picks the file: the module itself decides whether it maps `platform` (the core's names).
const moduleFor = (platform) => (String(platform).trim().toLowerCase() === "shopify" ? "shopify" : "others");

/** `Mapped` for one payload: the platform's lean module, else the full one for what it refuses. */
export async function mapEvent(platform, payload, config) {
  const { mapEvent: leanMap } = await lean(moduleFor(platform));
  try {
    return leanMap(platform, payload, config);
  } catch (error) {
    if (!FULL_ONLY.has(error?.code)) throw error;
    return (await loadFull()).mapEvent(platform, payload, config);
  }
}

/** The core's totals row of each entry, from whichever lean module is loaded (else the platform's). */
export async function entryTotals(entries, platform) {
  const name = loaded.size ? loaded.keys().next().value : moduleFor(platform || "shopify");
  return (await lean(name)).entryTotals(entries);
}
