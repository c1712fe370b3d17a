//! wasm-bindgen-test under Node: the exported functions on real fixtures (expected values from the
//! hand-worked expected.json), the JS shape of errors, and that no hostile input traps the module.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use js_sys::{Array, Reflect, Uint8Array, JSON};
use ledgerbridge_core::Platform;
use ledgerbridge_wasm::{
    export_entries, formats, map_event, map_event_json, platforms, report_json, summarize_json,
    validate_config, version, Mapper,
};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;

const INPUT: &str = include_str!("../../tests/fixtures/shopify/discount-shipping-tax/input.json");
const CONFIG: &str = include_str!("../../tests/fixtures/shopify/discount-shipping-tax/config.toml");
const EXPECTED: &str =
    include_str!("../../tests/fixtures/shopify/discount-shipping-tax/expected.json");
const REFUND_INPUT: &str = include_str!("../../tests/fixtures/shopify/full-refund/input.json");
const REFUND_CONFIG: &str = include_str!("../../tests/fixtures/shopify/full-refund/config.toml");

fn js(text: &str) -> JsValue {
    JsValue::from_str(text)
}

fn prop(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

/// (account, debit, credit) of every line, sorted: the fixtures pin lines as a multiset.
fn lines(entry: &Value) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = entry["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            let s = |k: &str| l[k].as_str().unwrap().to_string();
            (s("account"), s("debit"), s("credit"))
        })
        .collect();
    out.sort();
    out
}

#[wasm_bindgen_test]
fn map_event_json_matches_the_hand_worked_fixture() {
    let text = map_event_json("shopify", js(INPUT), js(CONFIG)).unwrap();
    let got: Value = serde_json::from_str(&text).unwrap();
    let want: Value = serde_json::from_str(EXPECTED).unwrap();
    assert_eq!(got["profit"], want["profit"]);
    let (got, want) = (
        got["entries"].as_array().unwrap(),
        want["entries"].as_array().unwrap(),
    );
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert_eq!(g["id"], w["id"]);
        assert_eq!(g["date"], w["date"]);
        assert_eq!(lines(g), lines(w));
    }
}

#[wasm_bindgen_test]
fn map_event_returns_objects_with_decimal_strings() {
    let mapped = map_event("shopify", js(INPUT), js(CONFIG)).unwrap();
    let entries: Array = prop(&mapped, "entries").dyn_into().unwrap();
    let first_line = Array::from(&prop(&entries.get(0), "lines")).get(0);
    assert_eq!(prop(&first_line, "debit").as_string().unwrap(), "5.00");
    assert_eq!(
        prop(&prop(&mapped, "profit"), "margin")
            .as_string()
            .unwrap(),
        "82.40"
    );
    // An object payload and UTF-8 bytes give the same text as the JSON string.
    let text = map_event_json("shopify", js(INPUT), js(CONFIG)).unwrap();
    let object = JSON::parse(INPUT).unwrap();
    assert_eq!(map_event_json("shopify", object, js(CONFIG)).unwrap(), text);
    let bytes = Uint8Array::from(INPUT.as_bytes());
    assert_eq!(
        map_event_json("shopify", bytes.into(), js(CONFIG)).unwrap(),
        text
    );
}

#[wasm_bindgen_test]
fn errors_are_js_errors_with_name_code_and_path() {
    let bad =
        r#"{"id": 1, "currency": "USD", "line_items": [{"id": 7, "quantity": 1, "price": "1e3"}]}"#;
    let err = map_event_json("shopify", js(bad), JsValue::UNDEFINED).unwrap_err();
    let error: js_sys::Error = err.clone().dyn_into().expect("a real Error");
    assert_eq!(String::from(error.name()), "LedgerError");
    assert_eq!(prop(&err, "code").as_string().unwrap(), "E_INVALID_AMOUNT");
    assert_eq!(
        prop(&err, "path").as_string().unwrap(),
        "line_items[0].price"
    );
    assert!(String::from(error.message()).contains("line_items[0].price"));

    let err = map_event_json("amazon", js("{}"), JsValue::UNDEFINED).unwrap_err();
    assert_eq!(
        prop(&err, "code").as_string().unwrap(),
        "E_UNSUPPORTED_PLATFORM"
    );
    assert_eq!(prop(&err, "path").as_string().unwrap(), "");

    let err = map_event_json("shopify", JsValue::from_f64(1.5), JsValue::UNDEFINED).unwrap_err();
    assert_eq!(prop(&err, "code").as_string().unwrap(), "E_INVALID_TYPE");

    let err = validate_config(js("[accounts]\nsales = \"Sales\"\n")).unwrap_err();
    assert_eq!(prop(&err, "code").as_string().unwrap(), "E_CONFIG");
    assert_eq!(prop(&err, "path").as_string().unwrap(), "accounts.sales");
}

#[wasm_bindgen_test]
fn export_and_summarize_take_the_mapped_entries() {
    let mapped: Value = serde_json::from_str(
        &map_event_json("shopify", js(REFUND_INPUT), js(REFUND_CONFIG)).unwrap(),
    )
    .unwrap();
    let entries = mapped["entries"].to_string();
    let exported = export_entries(js(&entries), "json", JsValue::UNDEFINED).unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&exported).unwrap(),
        mapped["entries"]
    );
    let err = export_entries(js(&entries), "docx", JsValue::UNDEFINED).unwrap_err();
    assert_eq!(
        prop(&err, "code").as_string().unwrap(),
        "E_UNSUPPORTED_FORMAT"
    );
    // full-refund: sale and refund on 2026-05-08 net to zero except the income split (README).
    let days: Value = serde_json::from_str(&summarize_json(js(&entries), "day").unwrap()).unwrap();
    assert_eq!(days.as_array().unwrap().len(), 1);
    assert_eq!(days[0]["date"], "2026-05-08");
    assert_eq!(days[0]["links"].as_array().unwrap().len(), 2);
}

/// tests/fixtures/reports/tax-ny-two-rates.json, worked out by hand there.
const TAX_GOLDEN: &str = include_str!("../../tests/fixtures/reports/tax-ny-two-rates.json");

#[wasm_bindgen_test]
fn report_json_matches_the_hand_worked_golden_and_maps_errors() {
    let mapped: Value =
        serde_json::from_str(&map_event_json("shopify", js(INPUT), js(CONFIG)).unwrap()).unwrap();
    let entries = mapped["entries"].to_string();
    let golden: Value = serde_json::from_str(TAX_GOLDEN).unwrap();
    let text = report_json(
        "tax",
        js(&entries),
        js(&golden["options"].to_string()),
        js(CONFIG),
    )
    .unwrap();
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap(),
        golden["expected"]
    );
    let err = report_json(
        "profit",
        js(&entries),
        js(r#"{"by":"sku"}"#),
        JsValue::UNDEFINED,
    )
    .unwrap_err();
    assert_eq!(prop(&err, "code").as_string().unwrap(), "E_INVALID_VALUE");
    assert_eq!(prop(&err, "path").as_string().unwrap(), "options.by");
    for bad in ["[", "7", r#"{"from":"\u0000"}"#, r#"{"by":["day"]}"#] {
        assert!(
            report_json("tax", js(&entries), js(bad), JsValue::UNDEFINED).is_err(),
            "{bad}"
        );
    }
}

#[wasm_bindgen_test]
fn mapper_streams_bytes_and_counts() {
    let mut mapper = Mapper::new("shopify", js(CONFIG)).unwrap();
    let out = mapper.map_bytes(INPUT.as_bytes()).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        map_event_json("shopify", js(INPUT), js(CONFIG)).unwrap()
    );
    assert!(mapper.map_bytes(b"{").is_err());
    assert_eq!(mapper.keep(INPUT.as_bytes()).unwrap(), 1);
    assert_eq!(mapper.stats(), vec![2, 2, 0]);
    let kept: Value = serde_json::from_str(&mapper.export_kept("json", None).unwrap()).unwrap();
    assert_eq!(kept.as_array().unwrap().len(), 1);
}

#[wasm_bindgen_test]
fn capabilities() {
    assert_eq!(version(), ledgerbridge_core::VERSION);
    assert!(platforms().contains(&"shopify".to_string()));
    assert!(formats().contains(&"json".to_string()));
}

/// Inputs that have made parsers panic elsewhere: a panic here would trap the module (the test
/// runner reports `unreachable`), so every case must come back as a value or a LedgerError.
fn hostile() -> Vec<Vec<u8>> {
    let mut cases: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"null".to_vec(),
        b"[]".to_vec(),
        b"\"\"".to_vec(),
        vec![0xff, 0xfe, 0x00, 0x7b],
        "[".repeat(100_000).into_bytes(),
        br#"{"id": 1, "currency": "USD", "line_items": [{"id": 1, "quantity": 4294967296, "price": "1"}]}"#.to_vec(),
        br#"{"id": 1, "currency": "USD", "line_items": [{"id": 1, "quantity": 1, "price": "79228162514264337593543950335"}]}"#.to_vec(),
        br#"{"id": 1, "currency": "USD", "total_price": "-0.00", "line_items": [{"id": 1, "quantity": 3, "price": "1e308"}]}"#.to_vec(),
        br#"{"id": 1, "currency": "XXX", "line_items": []}"#.to_vec(),
        br#"{"id": "\ud800", "currency": "USD"}"#.to_vec(),
    ];
    // Every prefix length class and digit blow-ups of a real order.
    let input = INPUT.as_bytes();
    for cut in (0..input.len()).step_by(97) {
        cases.push(input[..cut].to_vec());
    }
    let huge = INPUT.replace("\"89.71\"", "\"99999999999999999999999999.99\"");
    cases.push(huge.into_bytes());
    let many_digits = INPUT.replace("\"5.00\"", "\"5.0000000000000000000000000001\"");
    cases.push(many_digits.into_bytes());
    cases
}

#[wasm_bindgen_test]
fn no_hostile_input_traps_the_module() {
    let mut errors = 0;
    for platform in Platform::ALL {
        for case in hostile() {
            let bytes = Uint8Array::from(case.as_slice());
            match map_event_json(platform.as_str(), bytes.into(), JsValue::UNDEFINED) {
                Ok(text) => assert!(text.starts_with("{\"entries\":")),
                Err(e) => {
                    assert_eq!(
                        String::from(e.dyn_into::<js_sys::Error>().unwrap().name()),
                        "LedgerError"
                    );
                    errors += 1;
                }
            }
        }
    }
    assert!(errors > 0);
    // The instance is still healthy afterwards.
    assert!(map_event_json("shopify", js(INPUT), js(CONFIG)).is_ok());
}
