//! wasm-bindgen-test in headless Chromium: the same module in a browser realm (JSON.parse,
//! TextDecoder and Error from the page, not Node).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use js_sys::Reflect;
use ledgerbridge_wasm::{map_event, map_event_json};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const INPUT: &str = include_str!("../../tests/fixtures/shopify/jpy-zero-decimal/input.json");
const CONFIG: &str = include_str!("../../tests/fixtures/shopify/jpy-zero-decimal/config.toml");

fn prop(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

#[wasm_bindgen_test]
fn runs_in_a_browser_page() {
    let global = js_sys::global();
    assert!(Reflect::has(&global, &"document".into()).unwrap());
}

#[wasm_bindgen_test]
fn maps_a_zero_decimal_currency_order() {
    let mapped = map_event("shopify", INPUT.into(), CONFIG.into()).unwrap();
    let profit = prop(&mapped, "profit");
    // jpy-zero-decimal (tests/fixtures/README.md): revenue 7455, margin 4223, no decimals.
    assert_eq!(prop(&profit, "currency").as_string().unwrap(), "JPY");
    assert_eq!(prop(&profit, "revenue").as_string().unwrap(), "7455");
    assert_eq!(prop(&profit, "margin").as_string().unwrap(), "4223");
}

#[wasm_bindgen_test]
fn errors_are_page_realm_errors() {
    let err = map_event_json("shopify", "{\"id\":".into(), JsValue::UNDEFINED).unwrap_err();
    let error: js_sys::Error = err.clone().dyn_into().unwrap();
    assert_eq!(String::from(error.name()), "LedgerError");
    assert_eq!(prop(&err, "code").as_string().unwrap(), "E_JSON");
}
