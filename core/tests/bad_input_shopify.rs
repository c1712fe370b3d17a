//! Bad Shopify input gets a typed error naming the JSON path, never a panic or a silent zero.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::{map, Config, Platform};
use serde_json::{json, Value};

fn order() -> Value {
    json!({
        "id": 1, "name": "#1", "currency": "USD", "processed_at": "2026-05-03T10:00:00-04:00",
        "payment_gateway_names": ["shopify_payments"],
        "line_items": [
            {"id": 1, "sku": "A", "quantity": 1, "price": "10.00", "tax_lines": [{"title": "T", "price": "0.80"}]},
            {"id": 2, "sku": "B", "quantity": 2, "price": "5.00"}
        ],
        "transactions": [{"kind": "sale", "status": "success", "gateway": "shopify_payments", "amount": "20.80"}]
    })
}

fn fails(body: &[u8]) -> (String, String) {
    let e = map(Platform::Shopify, body, &Config::default()).expect_err("must be refused");
    (e.code().to_string(), e.path().to_string())
}

fn fails_with(edit: impl FnOnce(&mut Value)) -> (String, String) {
    let mut body = order();
    edit(&mut body);
    fails(&serde_json::to_vec(&body).unwrap())
}

fn pair(code: &str, path: &str) -> (String, String) {
    (code.to_string(), path.to_string())
}

#[test]
fn the_base_order_maps() {
    let mapped = map(
        Platform::Shopify,
        &serde_json::to_vec(&order()).unwrap(),
        &Config::default(),
    )
    .unwrap();
    assert_eq!(mapped.entries.len(), 1);
}

#[test]
fn malformed_json() {
    assert_eq!(fails(b"{\"id\": 1, ").0, "E_JSON");
    assert_eq!(fails(b"").0, "E_JSON");
    assert_eq!(fails(b"not json").0, "E_JSON");
    assert_eq!(fails(b"[]").0, "E_INVALID_TYPE");
}

#[test]
fn wrong_types_name_the_field() {
    assert_eq!(
        fails_with(|o| o["line_items"][1]["quantity"] = json!("2")),
        pair("E_INVALID_TYPE", "line_items[1].quantity")
    );
    assert_eq!(
        fails_with(|o| o["line_items"][0]["price"] = json!(true)),
        pair("E_INVALID_TYPE", "line_items[0].price")
    );
    assert_eq!(
        fails_with(|o| o["line_items"] = json!({})),
        pair("E_INVALID_TYPE", "line_items")
    );
    assert_eq!(
        fails_with(|o| o["taxes_included"] = json!("yes")),
        pair("E_INVALID_TYPE", "taxes_included")
    );
}

#[test]
fn negative_and_fractional_quantities() {
    assert_eq!(
        fails_with(|o| o["line_items"][1]["quantity"] = json!(-2)),
        pair("E_INVALID_VALUE", "line_items[1].quantity")
    );
    assert_eq!(
        fails_with(|o| o["line_items"][1]["quantity"] = json!(1.5)),
        pair("E_INVALID_TYPE", "line_items[1].quantity")
    );
}

#[test]
fn missing_required_fields() {
    assert_eq!(
        fails_with(|o| {
            o.as_object_mut().unwrap().remove("currency");
        }),
        pair("E_MISSING_FIELD", "currency")
    );
    assert_eq!(
        fails_with(|o| {
            o.as_object_mut().unwrap().remove("id");
        }),
        pair("E_MISSING_FIELD", "id")
    );
    assert_eq!(
        fails_with(|o| {
            o["line_items"][1].as_object_mut().unwrap().remove("price");
        }),
        pair("E_MISSING_FIELD", "line_items[1].price")
    );
    assert_eq!(
        fails_with(|o| {
            o["line_items"][0]["tax_lines"][0]
                .as_object_mut()
                .unwrap()
                .remove("title");
        }),
        pair("E_MISSING_FIELD", "line_items[0].tax_lines[0].title")
    );
    assert_eq!(
        fails_with(|o| {
            o.as_object_mut().unwrap().remove("processed_at");
        }),
        pair("E_MISSING_FIELD", "processed_at")
    );
    assert_eq!(
        fails_with(|o| {
            o.as_object_mut().unwrap().remove("line_items");
        }),
        pair("E_MISSING_FIELD", "line_items")
    );
}

#[test]
fn unknown_currency() {
    assert_eq!(
        fails_with(|o| o["currency"] = json!("XYZ")),
        pair("E_UNKNOWN_CURRENCY", "currency")
    );
    assert_eq!(
        fails_with(|o| o["currency"] = json!("")),
        pair("E_UNKNOWN_CURRENCY", "currency")
    );
}

#[test]
fn bad_amounts() {
    assert_eq!(
        fails_with(|o| o["line_items"][0]["price"] = json!("1e3")),
        pair("E_INVALID_AMOUNT", "line_items[0].price")
    );
    assert_eq!(
        fails_with(|o| o["line_items"][0]["price"] = json!("NaN")),
        pair("E_INVALID_AMOUNT", "line_items[0].price")
    );
    assert_eq!(
        fails_with(|o| o["line_items"][0]["price"] = json!("")),
        pair("E_INVALID_AMOUNT", "line_items[0].price")
    );
    assert_eq!(
        fails_with(|o| o["transactions"][0]["amount"] = json!("-20.80")),
        pair("E_INVALID_AMOUNT", "transactions[0].amount")
    );
    // More digits than the currency has is an error, not a silent rounding.
    assert_eq!(
        fails_with(|o| o["line_items"][0]["price"] = json!("10.001")),
        pair("E_INVALID_AMOUNT", "line_items[0].price")
    );
}

#[test]
fn huge_numbers() {
    assert_eq!(
        fails_with(|o| o["line_items"][0]["price"] = json!("123456789012345678901234567890")),
        pair("E_AMOUNT_TOO_LARGE", "line_items[0].price")
    );
    let huge = br#"{"id": 1, "currency": "USD", "processed_at": "2026-05-03T10:00:00Z", "line_items": [{"id": 1, "quantity": 1, "price": 1e999999}]}"#;
    assert_eq!(fails(huge).0, "E_INVALID_AMOUNT");
    assert_eq!(
        fails_with(|o| o["line_items"][1]["quantity"] = json!(99_999_999_999u64)),
        pair("E_INVALID_VALUE", "line_items[1].quantity")
    );
    // Each amount is legal, the product is not: 10^9 units at just under 10^15 overflows nothing
    // silently.
    let result = fails_with(|o| {
        o["line_items"][1]["quantity"] = json!(1_000_000_000u32);
        o["line_items"][1]["price"] = json!("999999999999999.99");
    });
    assert!(
        ["E_AMOUNT_TOO_LARGE", "E_UNBALANCED_SOURCE"].contains(&result.0.as_str()),
        "{result:?}"
    );
}

#[test]
fn bad_timestamps() {
    assert_eq!(
        fails_with(|o| o["processed_at"] = json!("yesterday")),
        pair("E_INVALID_TIMESTAMP", "processed_at")
    );
    assert_eq!(
        fails_with(|o| o["updated_at"] = json!("2026-02-30T00:00:00Z")),
        pair("E_INVALID_TIMESTAMP", "updated_at")
    );
}

#[test]
fn payments_that_do_not_cover_the_order_are_named_not_absorbed() {
    let (code, _) = fails_with(|o| o["transactions"][0]["amount"] = json!("15.00"));
    assert_eq!(code, "E_UNBALANCED_SOURCE");
    let e = map(
        Platform::Shopify,
        &serde_json::to_vec(&{
            let mut o = order();
            o["transactions"][0]["amount"] = json!("15.00");
            o
        })
        .unwrap(),
        &Config::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("Shopify order #1"), "{e}");
}

#[test]
fn refund_errors_are_prefixed_with_the_refund() {
    let (code, path) = fails_with(|o| {
        o["refunds"] = json!([{"id": 9, "processed_at": "2026-05-04T10:00:00Z",
            "refund_line_items": [{"line_item_id": 1, "quantity": 1, "subtotal": "oops"}]}]);
    });
    assert_eq!(
        (code.as_str(), path.as_str()),
        (
            "E_INVALID_AMOUNT",
            "refunds[0].refund_line_items[0].subtotal"
        )
    );
}

#[test]
fn oversized_payloads_are_refused_before_parsing() {
    let big = vec![b' '; ledgerbridge_core::platforms::PAYLOAD_BYTES_MAX + 1];
    assert_eq!(fails(&big), pair("E_LIMIT_EXCEEDED", ""));
}
