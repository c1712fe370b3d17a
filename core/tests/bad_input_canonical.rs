//! Broken canonical JSON gives a typed error naming the offending field, never a panic, even
//! though the tag (`type`) makes serde buffer the body.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::{map, Config, Platform};
use serde_json::{json, Value};

fn order() -> Value {
    json!({
        "type": "order", "id": "A-1", "processed_at": "2026-05-12T10:00:00+02:00",
        "version": "2026-05-12T10:05:00+02:00", "currency": "EUR", "gateway": "stripe",
        "lines": [{"id": "1", "sku": "CANDLE", "quantity": 2, "unit_price": "9.50"}]
    })
}

/// The error's code and path, the same whether `type` comes first (the documented form, read
/// straight into the kind's type) or where `json!`'s sorted keys put it (read after re-writing the
/// body without the tag).
fn error_of(payload: &Value) -> (String, String) {
    let sorted = code_and_path(&serde_json::to_vec(payload).unwrap());
    let first = code_and_path(&type_first(payload));
    assert_eq!(
        sorted, first,
        "the same error with `type` as the first member"
    );
    sorted
}

fn code_and_path(text: &[u8]) -> (String, String) {
    let e = map(Platform::Canonical, text, &Config::default()).unwrap_err();
    (e.code().to_string(), e.path().to_string())
}

fn type_first(payload: &Value) -> Vec<u8> {
    let mut rest = payload.as_object().unwrap().clone();
    let Some(kind) = rest.remove("type") else {
        return serde_json::to_vec(payload).unwrap();
    };
    let rest = serde_json::to_string(&rest).unwrap();
    let members = &rest[1..rest.len() - 1];
    let sep = if members.is_empty() { "" } else { "," };
    format!("{{\"type\":{kind}{sep}{members}}}").into_bytes()
}

fn pair(code: &str, path: &str) -> (String, String) {
    (code.to_string(), path.to_string())
}

#[test]
fn the_base_document_maps() {
    let mapped = map(
        Platform::Canonical,
        &serde_json::to_vec(&order()).unwrap(),
        &Config::default(),
    )
    .unwrap();
    assert_eq!(mapped.entries[0].lines[0].debit.0.to_string(), "19.00");
}

#[test]
fn the_tag_anywhere_maps_the_same() {
    let sorted = serde_json::to_vec(&order()).unwrap();
    let first = type_first(&order());
    assert!(first.starts_with(br#"{"type":"order","#));
    assert!(!sorted.starts_with(br#"{"type""#));
    let a = map(Platform::Canonical, &sorted, &Config::default()).unwrap();
    let b = map(Platform::Canonical, &first, &Config::default()).unwrap();
    assert_eq!(a.entries, b.entries);
    assert_eq!(a.entries[0].lines[0].debit.0.to_string(), "19.00");
}

#[test]
fn malformed_json_and_a_missing_or_unknown_type() {
    assert_eq!(
        map(
            Platform::Canonical,
            br#"{"type": "order", "#,
            &Config::default()
        )
        .unwrap_err()
        .code(),
        "E_JSON"
    );
    let mut doc = order();
    doc.as_object_mut().unwrap().remove("type");
    assert_eq!(error_of(&doc), pair("E_MISSING_FIELD", "type"));
    doc["type"] = json!("invoice");
    assert_eq!(error_of(&doc), pair("E_INVALID_VALUE", "type"));
    doc["type"] = json!(3);
    assert_eq!(error_of(&doc), pair("E_INVALID_TYPE", "type"));
}

#[test]
fn errors_inside_the_tagged_body_carry_their_path() {
    let mut doc = order();
    doc["lines"][0]["unit_price"] = json!(9.5);
    assert_eq!(
        error_of(&doc),
        pair("E_INVALID_TYPE", "lines[0].unit_price"),
        "amounts are decimal strings"
    );
    let mut doc = order();
    doc["lines"][0]["quantity"] = json!(-1);
    assert_eq!(error_of(&doc).1, "lines[0].quantity");
    let mut doc = order();
    doc["currency"] = json!("XYZ");
    assert_eq!(error_of(&doc), pair("E_UNKNOWN_CURRENCY", "currency"));
    let mut doc = order();
    doc["lines"][0]["unit_price"] = json!("99999999999999999999");
    assert_eq!(
        error_of(&doc),
        pair("E_INVALID_AMOUNT", "lines[0].unit_price")
    );
    let mut doc = order();
    doc["processed_at"] = json!("yesterday");
    assert_eq!(error_of(&doc), pair("E_INVALID_TIMESTAMP", "processed_at"));
    let mut doc = order();
    doc.as_object_mut().unwrap().remove("version");
    assert_eq!(error_of(&doc), pair("E_MISSING_FIELD", "version"));
}

#[test]
fn unknown_fields_are_refused_so_typos_do_not_vanish() {
    let mut doc = order();
    doc["lines"][0]["unit_prize"] = json!("9.50");
    assert_eq!(
        error_of(&doc),
        pair("E_INVALID_TYPE", "lines[0].unit_prize")
    );
    let mut doc = order();
    doc["taxes_include"] = json!(true);
    assert_eq!(error_of(&doc), pair("E_INVALID_TYPE", "taxes_include"));
}

#[test]
fn a_standalone_refund_error_names_its_nested_field() {
    let doc = json!({"type": "refund", "currency": "GBP", "refund": {"id": "R-9", "order_id": "C-5",
        "processed_at": "2026-05-15T12:00:00+01:00", "tenders": [{"gateway": "stripe", "kind": "chargeback", "amount": "5.95"}]}});
    assert_eq!(error_of(&doc).1, "refund.tenders[0].kind");
}

#[test]
fn truncated_documents_never_panic() {
    let text = serde_json::to_vec(&order()).unwrap();
    for end in 0..text.len() {
        assert!(map(Platform::Canonical, &text[..end], &Config::default()).is_err());
    }
}
