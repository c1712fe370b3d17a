//! `LedgerError` → a real JS `Error` (stack, `instanceof Error`) with `name = "LedgerError"` and the
//! stable `code` and JSON `path` as own properties, so callers branch on `err.code`, never on text.

use ledgerbridge_core::LedgerError;
use wasm_bindgen::JsValue;

/// The `name` every error thrown by this module carries.
pub const ERROR_NAME: &str = "LedgerError";

pub fn to_js(error: &LedgerError) -> JsValue {
    let js = js_sys::Error::new(&error.to_string());
    js.set_name(ERROR_NAME);
    let target: &JsValue = js.as_ref();
    // Reflect::set only fails on frozen or proxied targets; a fresh Error is neither.
    let _ = js_sys::Reflect::set(target, &"code".into(), &error.code().into());
    let _ = js_sys::Reflect::set(target, &"path".into(), &error.path().into());
    js.into()
}

/// `?`-friendly form for the exported functions.
pub fn js_err(error: LedgerError) -> JsValue {
    to_js(&error)
}

/// A value of the wrong JS type where JSON text or an object was expected.
pub fn wrong_type(what: &str, expected: &str) -> LedgerError {
    LedgerError::InvalidType {
        path: String::new(),
        message: format!("{what} must be {expected}"),
    }
}
