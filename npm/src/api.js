// The public API over the raw wasm-bindgen exports. Every entrypoint (node, browser, workerd)
// initialises the wasm its own way and then re-exports this module. Conversion only: every
// accounting decision is made by the Rust core.
import * as raw from "../dist/ledgerbridge_wasm.js";

/**
 * Maps one platform payload to `{ entries, warnings, profit }`.
 * The core renders its JSON text and `JSON.parse` builds the objects: measured faster than
 * building them through serde-wasm-bindgen (HACKING.md), and identical to the native output.
 */
export function mapEvent(platform, payload, config) {
  return JSON.parse(mapEventJson(platform, payload, config));
}

/** As `mapEvent`, returning the compact `Mapped` JSON text (byte-identical to the native CLI). */
export function mapEventJson(platform, payload, config) {
  const mapper = cachedMapper(platform, config);
  return mapper ? mapper.mapJson(payload) : raw.mapEventJson(platform, payload, config);
}

// Parsed configs, so a page or worker mapping many orders with the same config text parses its
// TOML once rather than per order. Keyed by the exact text; a few entries cover real use.
const MAPPERS_MAX = 8;
const mappers = new Map();
function cachedMapper(platform, config) {
  if (typeof platform !== "string" || !(config === undefined || config === null || typeof config === "string")) {
    return null;
  }
  const key = `${platform}\0${config ?? ""}`;
  let mapper = mappers.get(key);
  if (!mapper) {
    mapper = new raw.Mapper(platform, config ?? undefined); // throws the same errors as mapEventJson
    if (mappers.size >= MAPPERS_MAX) {
      const [oldKey, old] = mappers.entries().next().value;
      mappers.delete(oldKey);
      old.free();
    }
    mappers.set(key, mapper);
  }
  return mapper;
}

/** Renders entries as `json`, `qbo`, `xero`, `beancount`, `hledger` or `csv` (what the core has). */
export function exportEntries(entries, format, config) {
  return raw.exportEntries(entries, format, config);
}

/** One summary entry per payout, day or month. */
export function summarize(entries, by) {
  return JSON.parse(raw.summarizeJson(entries, by));
}

/** Parses and validates a config (TOML/JSON text or an object); returns it with defaults filled. */
export function validateConfig(config) {
  return raw.validateConfig(config);
}

/** Engine version. */
export function version() {
  return raw.version();
}

/** Platforms and export formats this build supports. */
export function platforms() {
  return raw.platforms();
}
export function formats() {
  return raw.formats();
}

/** `true` for errors thrown by ledgerbridge (they carry `code` and `path`). */
export function isLedgerError(error) {
  return error instanceof Error && error.name === "LedgerError" && typeof error.code === "string";
}

/**
 * A platform + parsed config for many payloads (backfills, the CLI): takes and returns UTF-8
 * bytes, parses the config once. Call `free()` when done (or use `using` where supported).
 */
export function createMapper(platform, config) {
  return new raw.Mapper(platform, config);
}

export { Mapper } from "../dist/ledgerbridge_wasm.js";

/** Per-entry totals `{debits, credits, balanced}` from the core's balance check (for display). */
export function entryTotals(entries) {
  return raw.entryTotals(entries);
}
