// The public API over the raw wasm-bindgen exports. Every entrypoint (node, browser, workerd)
// initialises the wasm its own way and then re-exports this module. Conversion only: every
// accounting decision is made by the Rust core.
import * as raw from "../dist/ledgerbridge_wasm.js";
import { fromTape, hasLatin1, outText } from "./tape.js";

/**
 * Maps one platform payload to `{ entries, warnings, profit }`.
 * The core sends the output's strings in order (its tape) and `fromTape` builds the objects: faster
 * than `JSON.parse` of the JSON text, itself faster than serde-wasm-bindgen (HACKING.md); the
 * objects stringify to exactly the JSON text.
 */
export function mapEvent(platform, payload, config) {
  const mapper = cachedMapper(platform, config);
  if (mapper && typeof payload === "string" && payload.length <= INPUT_MAX) return fromTape(wasmMemory(), mapInput(mapper, payload, true));
  if (mapper) return fromTape(wasmMemory(), mapper.__mapTape(utf8(payload), hasLatin1()));
  // A config given as an object is parsed per call, by a mapper of its own.
  const once = new raw.Mapper(platform, config);
  try {
    return fromTape(wasmMemory(), once.__mapTape(utf8(payload), hasLatin1()));
  } finally {
    once.free();
  }
}

/** As `mapEvent`, returning the compact `Mapped` JSON text (byte-identical to the native CLI). */
export function mapEventJson(platform, payload, config) {
  const mapper = cachedMapper(platform, config);
  if (mapper && typeof payload === "string" && payload.length <= INPUT_MAX) return outText(wasmMemory(), mapInput(mapper, payload, false));
  return mapper ? mapper.mapJson(utf8(payload)) : raw.mapEventJson(platform, utf8(payload), config);
}

// A text payload is encoded straight into the mapper's buffer in wasm memory: no scratch buffer
// and no copy into wasm. `__input` may grow the memory, which detaches an older `buffer`, so the
// view is taken after it. Texts past INPUT_MAX UTF-16 units take the copying path, so a mapper
// does not keep a buffer of three times a huge payload.
const INPUT_MAX = 1 << 18;
let memory = null;
const wasmMemory = () => (memory ??= raw.__memory());
function mapInput(mapper, text, tape) {
  const room = text.length * 3;
  const at = mapper.__input(room);
  const { written } = encoder.encodeInto(text, new Uint8Array(wasmMemory().buffer, at, room));
  return mapper.__mapInput(written, tape, hasLatin1());
}

// JSON goes in as UTF-8 bytes encoded here: the glue's own string path copies a string into wasm
// memory one character at a time, which cost as much as mapping a 15 KB order. Objects are
// stringified here for the same reason; anything JSON.stringify refuses goes in as it is, so the
// core reports it with its error code.
const encoder = new TextEncoder();
function utf8(value) {
  if (typeof value === "string") return encodeText(value);
  if (value === null || typeof value !== "object" || ArrayBuffer.isView(value)) return value;
  let text;
  try {
    text = JSON.stringify(value);
  } catch {
    return value;
  }
  return typeof text === "string" ? encodeText(text) : value;
}

// Encoding into one reused buffer is 5x cheaper than a fresh `encode` (measured on a 15 KB order).
// Safe to reuse: every call copies the bytes into wasm memory before it returns. `encodeInto`
// writes at most 3 bytes per UTF-16 unit; texts that could need more than 1 MB get their own.
const SCRATCH_MAX = 1 << 20;
let scratch = new Uint8Array(1 << 16);
function encodeText(text) {
  const worst = text.length * 3;
  if (worst > scratch.length) {
    if (worst > SCRATCH_MAX) return encoder.encode(text);
    scratch = new Uint8Array(worst);
  }
  const { written } = encoder.encodeInto(text, scratch);
  return scratch.subarray(0, written);
}

// Parsed configs, so a page or worker mapping many orders with the same config text parses its
// TOML once rather than per order. Keyed by the exact text; a few entries cover real use.
// The last one is checked first without building the key: joining a config's text into a key
// and hashing it on every call cost about as much as encoding the payload.
const MAPPERS_MAX = 8;
const mappers = new Map();
let last = { platform: null, config: null, mapper: null };
function cachedMapper(platform, config) {
  if (typeof platform !== "string" || !(config === undefined || config === null || typeof config === "string")) {
    return null;
  }
  if (last.mapper !== null && platform === last.platform && (config ?? "") === last.config) return last.mapper;
  const mapper = keyedMapper(platform, config);
  last = { platform, config: config ?? "", mapper };
  return mapper;
}

function keyedMapper(platform, config) {
  const key = `${platform}\0${config ?? ""}`;
  let mapper = mappers.get(key);
  if (!mapper) {
    mapper = new raw.Mapper(platform, config ?? undefined); // throws the same errors as mapEventJson
    if (mappers.size >= MAPPERS_MAX) {
      const [oldKey, old] = mappers.entries().next().value;
      mappers.delete(oldKey);
      if (last.mapper === old) last = { platform: null, config: null, mapper: null };
      old.free();
    }
    mappers.set(key, mapper);
  }
  return mapper;
}

/** Renders entries as `json`, `qbo`, `xero`, `beancount`, `hledger` or `csv` (what the core has). */
export function exportEntries(entries, format, config) {
  return raw.exportEntries(utf8(entries), format, config);
}

/** One summary entry per payout, day or month. */
export function summarize(entries, by) {
  return JSON.parse(raw.summarizeJson(utf8(entries), by));
}

/**
 * A report over entries: `kind` is `tax`, `profit`, `clearing`, `giftcards` or `refunds`;
 * `options` is `{ from, to, by, currency, config }` (`config` names the accounts, as for
 * `mapEvent`; the rest go to the core as they are). Every figure names the entries behind it.
 */
export function report(kind, entries, options) {
  return JSON.parse(reportJson(kind, entries, options));
}

/** As `report`, returning the compact JSON text (byte-identical to the native `map --report`). */
export function reportJson(kind, entries, options) {
  let config;
  let rest = options;
  if (options !== null && typeof options === "object" && !Array.isArray(options) && "config" in options) {
    ({ config, ...rest } = options);
  }
  // Options cross as text, not through `utf8`: its scratch buffer holds the entries' bytes.
  const optionsText = rest !== null && typeof rest === "object" ? JSON.stringify(rest) : rest;
  return raw.reportJson(kind, utf8(entries), optionsText, config);
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

export { Mapper, RecordSplitter } from "../dist/ledgerbridge_wasm.js";

/**
 * Yields the payloads of a byte stream (an async iterable of Uint8Array, such as a file stream or
 * stdin) as Uint8Array records, split by the core exactly as the native CLI splits a file: one
 * JSON document, or JSONL in constant memory. `onBytes(n)` is called as input is consumed.
 */
export async function* splitRecords(chunks, onBytes = () => {}) {
  const splitter = new raw.RecordSplitter();
  try {
    for await (const chunk of chunks) {
      onBytes(chunk.length);
      yield* splitter.push(chunk);
    }
    yield* splitter.finish();
  } finally {
    splitter.free();
  }
}

/** Per-entry totals `{debits, credits, balanced}` from the core's balance check (for display). */
export function entryTotals(entries) {
  return raw.entryTotals(utf8(entries));
}
