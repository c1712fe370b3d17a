//! JS values ↔ core inputs and outputs. Everything crosses as JSON text (the map output as the
//! core's hand-written `json::write`, the rest through serde_json): handing that text to the
//! engine's `JSON.parse` measured faster than building the objects field by field through
//! serde-wasm-bindgen (numbers in `npm/HACKING.md`), and it makes every face byte-identical.
//! `mapEvent`'s objects come from a cheaper transport still, `tape.rs`.

use crate::error::wrong_type;
use js_sys::{Uint8Array, JSON};
#[cfg(feature = "full")]
use ledgerbridge_core::reports::ReportOptions;
use ledgerbridge_core::{Config, Entry, LedgerError, Mapped, Result};
#[cfg(feature = "full")]
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

/// A payload given as JSON text, UTF-8 bytes, or any JSON-serialisable object.
pub fn payload_bytes(value: &JsValue) -> Result<Vec<u8>> {
    json_bytes(value, "payload")
}

/// JSON text, its UTF-8 bytes, or an object to stringify, as the bytes of `what`.
fn json_bytes(value: &JsValue, what: &str) -> Result<Vec<u8>> {
    if let Some(text) = value.as_string() {
        return Ok(text.into_bytes());
    }
    if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
        return Ok(bytes.to_vec());
    }
    stringify(value, what).map(String::into_bytes)
}

/// `undefined`/`null` → the default config; text → TOML or JSON; an object → its JSON.
pub fn config(value: &JsValue) -> Result<Config> {
    if value.is_undefined() || value.is_null() {
        return Ok(Config::default());
    }
    match value.as_string() {
        Some(text) => Config::load_text(&text),
        None => Config::load_json(&stringify(value, "config")?),
    }
}

/// Entries as a JSON array (text or its UTF-8 bytes) or an array of entry objects (what
/// `mapEvent` returned).
pub fn entries(value: &JsValue) -> Result<Vec<Entry>> {
    let bytes = json_bytes(value, "entries")?;
    ledgerbridge_core::journal::entries_from_json(&bytes)
}

#[cfg(feature = "full")]
/// Report options as a JSON object (text or an object); `undefined`/`null` → no options.
pub fn report_options(value: &JsValue) -> Result<ReportOptions> {
    if value.is_undefined() || value.is_null() {
        return Ok(ReportOptions::default());
    }
    let bytes = json_bytes(value, "options")?;
    ledgerbridge_core::json::from_json::<ReportOptions>(&bytes).map_err(|e| e.within("options"))
}

/// The map output's compact JSON text, by the core's hand-written writer (the same bytes as
/// `to_json`, several times cheaper: it is rendered on every call).
pub fn mapped_json(mapped: &Mapped) -> String {
    ledgerbridge_core::json::write::to_string(mapped)
}

/// Compact JSON text of a public shape, exactly as the native example prints it (serde_json: only
/// the full module's shapes; the lean modules' outputs go through the core's `json::write`).
#[cfg(feature = "full")]
pub fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| LedgerError::InvalidValue {
        path: String::new(),
        value: String::new(),
        reason: e.to_string(),
    })
}

/// JSON text → JS object via the engine's own parser.
pub fn parse(text: &str) -> Result<JsValue> {
    JSON::parse(text).map_err(|_| LedgerError::Json {
        path: String::new(),
        message: "output is not valid JSON".to_string(),
    })
}

fn stringify(value: &JsValue, what: &str) -> Result<String> {
    if !value.is_object() {
        return Err(wrong_type(what, "JSON text or a JSON-serialisable object"));
    }
    JSON::stringify(value)
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| wrong_type(what, "JSON-serialisable (no BigInt, no cycles)"))
}

/// serde-wasm-bindgen variants, kept only to measure against the JSON-text path (bench exports).
#[cfg(feature = "bench-swb")]
pub mod swb {
    use super::*;

    pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue> {
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        value
            .serialize(&serializer)
            .map_err(|e| LedgerError::InvalidValue {
                path: String::new(),
                value: String::new(),
                reason: e.to_string(),
            })
    }

    pub fn entries(value: JsValue) -> Result<Vec<Entry>> {
        serde_wasm_bindgen::from_value(value).map_err(|e| LedgerError::InvalidType {
            path: String::new(),
            message: e.to_string(),
        })
    }
}
