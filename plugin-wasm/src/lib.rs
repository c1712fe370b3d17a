//! # ledgerbridge-wasm
//!
//! The wasm-bindgen face of `ledgerbridge-core`. Only conversion and error mapping live here; every
//! accounting decision is the core's. Errors are thrown as JS `Error`s with `name = "LedgerError"`,
//! a stable `code` and the JSON `path`. Money crosses as decimal strings. The core has no panic
//! paths, so nothing here can trap the instance on bad input (`tests/node.rs` feeds it hostile input).
//!
//! Features (all default): `full` (everything beyond what `<ledger-preview>` calls), `toml` (TOML
//! configs) and one per platform adapter (`adapters.rs`). The widget's lean modules are built
//! without `full` and `toml` and with one platform each (scripts/build-npm, npm/dist/widget/).
//! `speed` (not default) gives Node's speed module its allocator (`speed_alloc.rs`) and the core's
//! `speed` feature.

mod adapters;
mod convert;
mod error;
#[cfg(any(
    test,
    all(target_arch = "wasm32", any(not(feature = "full"), feature = "speed"))
))]
mod lean_alloc;
#[cfg(feature = "full")]
mod records;
#[cfg(any(test, all(target_arch = "wasm32", feature = "speed")))]
mod speed_alloc;
#[cfg(feature = "full")]
mod tape;

use adapters::map;
use error::js_err;
#[cfg(feature = "full")]
use ledgerbridge_core::exporters::{export, Format};
#[cfg(feature = "full")]
use ledgerbridge_core::journal::{summarize as summarize_entries, SummaryBy};
#[cfg(feature = "full")]
use ledgerbridge_core::reports::{self, ReportKind};
#[cfg(feature = "full")]
use ledgerbridge_core::Entry;
use ledgerbridge_core::{Config, LedgerError, Mapped, Platform};
#[cfg(feature = "full")]
pub use records::RecordSplitter;
use wasm_bindgen::prelude::*;

type JsResult<T> = Result<T, JsValue>;

fn platform(name: &str) -> JsResult<Platform> {
    name.parse::<Platform>().map_err(js_err)
}

fn map_to_json(platform: Platform, payload: &[u8], config: &Config) -> Result<String, LedgerError> {
    let mapped: Mapped = map(platform, payload, config)?;
    Ok(convert::mapped_json(&mapped))
}

/// Maps one payload (JSON text, UTF-8 bytes or an object) to `{entries, warnings, profit}`.
/// `config` is TOML or JSON text, an object, or omitted for the default chart.
#[wasm_bindgen(js_name = mapEvent)]
pub fn map_event(platform_name: &str, payload: JsValue, config: JsValue) -> JsResult<JsValue> {
    let text = map_event_json(platform_name, payload, config)?;
    convert::parse(&text).map_err(js_err)
}

/// As `mapEvent`, but returns the compact JSON text (byte-identical to the native `map` example).
#[wasm_bindgen(js_name = mapEventJson)]
pub fn map_event_json(platform_name: &str, payload: JsValue, config: JsValue) -> JsResult<String> {
    let platform = platform(platform_name)?;
    let config = convert::config(&config).map_err(js_err)?;
    let payload = convert::payload_bytes(&payload).map_err(js_err)?;
    map_to_json(platform, &payload, &config).map_err(js_err)
}

#[cfg(feature = "full")]
#[doc(hidden)]
/// This instance's `WebAssembly.Memory`, for `npm/src/api.js` to encode payloads into
/// (`Mapper.__input`); not public API.
#[wasm_bindgen(js_name = __memory)]
pub fn memory() -> JsValue {
    wasm_bindgen::memory()
}

#[cfg(feature = "full")]
/// Renders entries (an array, or its JSON text) in a format: `json` plus whatever exporters the core
/// has (`qbo`, `xero`, `beancount`, `hledger`, `csv`...).
#[wasm_bindgen(js_name = exportEntries)]
pub fn export_entries(entries: JsValue, format: &str, config: JsValue) -> JsResult<String> {
    let format = format.parse::<Format>().map_err(js_err)?;
    let config = convert::config(&config).map_err(js_err)?;
    let entries = convert::entries(&entries).map_err(js_err)?;
    export(&entries, format, &config).map_err(js_err)
}

#[cfg(feature = "full")]
/// Summary entries, one per payout, day or month (`by`), as an array.
#[wasm_bindgen(js_name = summarize)]
pub fn summarize(entries: JsValue, by: &str) -> JsResult<JsValue> {
    let text = summarize_json(entries, by)?;
    convert::parse(&text).map_err(js_err)
}

#[cfg(feature = "full")]
/// As `summarize`, returning JSON text.
#[wasm_bindgen(js_name = summarizeJson)]
pub fn summarize_json(entries: JsValue, by: &str) -> JsResult<String> {
    let by = by.parse::<SummaryBy>().map_err(js_err)?;
    let entries = convert::entries(&entries).map_err(js_err)?;
    let summary = summarize_entries(&entries, by).map_err(js_err)?;
    Ok(ledgerbridge_core::json::write::to_string(&summary))
}

#[cfg(feature = "full")]
/// A report (`tax`, `profit`, `clearing`, `giftcards`, `refunds`) over entries, as compact JSON
/// text (byte-identical to the native `map --report`). `options` is `{from, to, by, currency}`;
/// `config` names the accounts, as for `mapEvent`.
#[wasm_bindgen(js_name = reportJson)]
pub fn report_json(
    kind: &str,
    entries: JsValue,
    options: JsValue,
    config: JsValue,
) -> JsResult<String> {
    let kind = kind.parse::<ReportKind>().map_err(js_err)?;
    let entries = convert::entries(&entries).map_err(js_err)?;
    let options = convert::report_options(&options).map_err(js_err)?;
    let config = convert::config(&config).map_err(js_err)?;
    let built = reports::report(kind, &entries, &config, &options).map_err(js_err)?;
    convert::to_json(&built).map_err(js_err)
}

#[cfg(feature = "full")]
/// Parses and validates a config; returns it normalised (every default filled in).
#[wasm_bindgen(js_name = validateConfig)]
pub fn validate_config(config: JsValue) -> JsResult<JsValue> {
    if config.is_undefined() || config.is_null() {
        return Err(js_err(error::wrong_type(
            "config",
            "TOML or JSON text or an object",
        )));
    }
    let config = convert::config(&config).map_err(js_err)?;
    let text = convert::to_json(&config).map_err(js_err)?;
    convert::parse(&text).map_err(js_err)
}

/// Per-entry `{debits, credits, balanced}` for display (the widget's totals row), as an array.
#[wasm_bindgen(js_name = entryTotals)]
pub fn entry_totals(entries: JsValue) -> JsResult<JsValue> {
    let entries = convert::entries(&entries).map_err(js_err)?;
    let totals: Vec<_> = entries
        .iter()
        .map(ledgerbridge_core::journal::totals)
        .collect();
    convert::parse(&ledgerbridge_core::json::write::to_string(&totals)).map_err(js_err)
}

/// The version of the engine.
#[wasm_bindgen]
pub fn version() -> String {
    ledgerbridge_core::VERSION.to_string()
}

/// The platforms this build maps, e.g. `["shopify"]`.
#[wasm_bindgen]
pub fn platforms() -> Vec<String> {
    adapters::carried()
        .map(|p| p.as_str().to_string())
        .collect()
}

#[cfg(feature = "full")]
/// The export formats this build renders, e.g. `["json", "csv"]`.
#[wasm_bindgen]
pub fn formats() -> Vec<String> {
    Format::ALL.iter().map(|f| f.as_str().to_string()).collect()
}

#[cfg(feature = "full")]
/// A platform and a parsed config held across many payloads: the streaming path (CLI, backfills)
/// parses the config once, takes UTF-8 bytes and gives UTF-8 bytes, so no text is re-encoded.
/// With `keep`, entries stay on the wasm side for a final `export`/`summarize`.
#[wasm_bindgen]
pub struct Mapper {
    platform: Platform,
    config: Config,
    kept: Vec<Entry>,
    records: u32,
    entries: u32,
    warnings: u32,
    /// The records of the last block (`mapRecords`/`keepRecords`) that failed: number in it, error.
    failures: Vec<(u32, LedgerError)>,
    /// How many records the last block held.
    block_count: u32,
    /// The payload buffer JS encodes a text into (`__input`), so its bytes are not copied in.
    input: Vec<u8>,
    /// The output of the last `__mapInput`/`__mapTape`, where JS reads it (`tape.rs`).
    out: tape::Out,
}

#[cfg(feature = "full")]
#[wasm_bindgen]
impl Mapper {
    #[wasm_bindgen(constructor)]
    pub fn new(platform_name: &str, config: JsValue) -> JsResult<Mapper> {
        Ok(Mapper {
            platform: platform(platform_name)?,
            config: convert::config(&config).map_err(js_err)?,
            kept: Vec::new(),
            records: 0,
            entries: 0,
            warnings: 0,
            failures: Vec::new(),
            block_count: 0,
            input: Vec::new(),
            out: tape::Out::default(),
        })
    }

    /// Room for a payload of up to `len` bytes in this mapper's own buffer, where
    /// `npm/src/api.js` encodes a text straight into wasm memory (no scratch copy, no copy in);
    /// then `__mapInput`. Memory may grow here, so JS takes its view after this returns. Not
    /// public API.
    #[doc(hidden)]
    #[wasm_bindgen(js_name = __input)]
    pub fn input(&mut self, len: usize) -> *mut u8 {
        if self.input.len() < len {
            self.input.resize(len, 0);
        }
        self.input.as_mut_ptr()
    }

    /// Maps the first `len` bytes of the `__input` buffer to the tape (as `__mapTape`) or the
    /// JSON text (as `mapJson`), left in this mapper's memory; returns the address JS reads it
    /// from (`tape.rs`), in Latin-1 when `latin1` and every character allows. Not public API.
    #[doc(hidden)]
    #[wasm_bindgen(js_name = __mapInput)]
    pub fn map_input(&mut self, len: usize, tape: bool, latin1: bool) -> JsResult<*const u32> {
        let input = std::mem::take(&mut self.input);
        let mapped = self.map_counted(input.get(..len).unwrap_or_default());
        self.input = input;
        let mapped = mapped?;
        Ok(if tape {
            self.out.tape(&mapped, latin1)
        } else {
            self.out.json(&mapped, latin1)
        })
    }

    /// Maps one payload to compact `Mapped` JSON bytes (no trailing newline).
    #[wasm_bindgen(js_name = mapBytes)]
    pub fn map_bytes(&mut self, payload: &[u8]) -> JsResult<Vec<u8>> {
        let mapped = self.map_counted(payload)?;
        Ok(convert::mapped_json(&mapped).into_bytes())
    }

    /// Maps one payload (JSON text, bytes or an object) to compact `Mapped` JSON text.
    #[wasm_bindgen(js_name = mapJson)]
    pub fn map_json(&mut self, payload: JsValue) -> JsResult<String> {
        let payload = convert::payload_bytes(&payload).map_err(js_err)?;
        let mapped = self.map_counted(&payload)?;
        Ok(convert::mapped_json(&mapped))
    }

    /// As `mapJson`, in the transport `npm/src/tape.js` turns into `mapEvent`'s objects, left in
    /// this mapper's memory as `__mapInput` leaves it. Not public API.
    #[doc(hidden)]
    #[wasm_bindgen(js_name = __mapTape)]
    pub fn map_tape(&mut self, payload: JsValue, latin1: bool) -> JsResult<*const u32> {
        let payload = convert::payload_bytes(&payload).map_err(js_err)?;
        let mapped = self.map_counted(&payload)?;
        Ok(self.out.tape(&mapped, latin1))
    }

    /// Maps one payload and keeps its entries for `exportKept`/`summarizeKept`; returns how many.
    #[wasm_bindgen(js_name = keep)]
    pub fn keep(&mut self, payload: &[u8]) -> JsResult<u32> {
        let mapped = self.map_counted(payload)?;
        let count = mapped.entries.len() as u32;
        self.kept.extend(mapped.entries);
        Ok(count)
    }

    /// The kept entries rendered in `format`, optionally summarised first (`by`: payout|day|month).
    #[wasm_bindgen(js_name = exportKept)]
    pub fn export_kept(&self, format: &str, by: Option<String>) -> JsResult<String> {
        let format = format.parse::<Format>().map_err(js_err)?;
        let entries = match by {
            Some(by) => {
                let by = by.parse::<SummaryBy>().map_err(js_err)?;
                summarize_entries(&self.kept, by).map_err(js_err)?
            }
            None => self.kept.clone(),
        };
        export(&entries, format, &self.config).map_err(js_err)
    }

    /// `{records, entries, warnings}` mapped so far (failed records are not counted).
    #[wasm_bindgen(js_name = stats)]
    pub fn stats(&self) -> Vec<u32> {
        vec![self.records, self.entries, self.warnings]
    }

    fn map_counted(&mut self, payload: &[u8]) -> JsResult<Mapped> {
        self.map_one(payload).map_err(js_err)
    }

    fn map_one(&mut self, payload: &[u8]) -> Result<Mapped, LedgerError> {
        let mapped = map(self.platform, payload, &self.config)?;
        // Counters for the CLI's summary line; saturate rather than wrap on absurd runs.
        self.records = self.records.saturating_add(1);
        self.entries = self.entries.saturating_add(mapped.entries.len() as u32);
        self.warnings = self.warnings.saturating_add(mapped.warnings.len() as u32);
        Ok(mapped)
    }
}

/// Measurement-only twins of `mapEvent`/`exportEntries` over serde-wasm-bindgen objects
/// (`--features bench-swb`; npm/bench/bench.mjs compares them with the JSON-text path).
#[cfg(feature = "bench-swb")]
#[doc(hidden)]
#[wasm_bindgen(js_name = __mapEventSwb)]
pub fn map_event_swb(platform_name: &str, payload: JsValue, config: JsValue) -> JsResult<JsValue> {
    let platform = platform(platform_name)?;
    let config = convert::config(&config).map_err(js_err)?;
    let payload = convert::payload_bytes(&payload).map_err(js_err)?;
    let mapped = map(platform, &payload, &config).map_err(js_err)?;
    convert::swb::to_js(&mapped).map_err(js_err)
}

#[cfg(feature = "bench-swb")]
#[doc(hidden)]
#[wasm_bindgen(js_name = __exportEntriesSwb)]
pub fn export_entries_swb(entries: JsValue, format: &str) -> JsResult<String> {
    let format = format.parse::<Format>().map_err(js_err)?;
    let entries = convert::swb::entries(entries).map_err(js_err)?;
    export(&entries, format, &Config::default()).map_err(js_err)
}
