//! Broken BigCommerce documents give a typed error naming the offending field, never a panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::{map, Config, Platform};
use serde_json::{json, Value};

fn doc() -> Value {
    json!({
        "order": {"id": 9001, "date_created": "Tue, 12 May 2026 14:03:27 +0000", "status_id": 11,
                  "currency_code": "USD", "total_inc_tax": "30.0000", "payment_method": "Credit Card"},
        "products": [{"id": 1, "sku": "TOTE-1", "name": "Tote", "quantity": 2,
                      "total_ex_tax": "30.0000", "total_inc_tax": "30.0000", "total_tax": "0.0000"}]
    })
}

fn error_of(payload: &Value) -> (String, String) {
    let e = map(
        Platform::BigCommerce,
        &serde_json::to_vec(payload).unwrap(),
        &Config::default(),
    )
    .unwrap_err();
    (e.code().to_string(), e.path().to_string())
}

fn pair(code: &str, path: &str) -> (String, String) {
    (code.to_string(), path.to_string())
}

#[test]
fn the_base_document_maps_with_four_decimal_money() {
    let mapped = map(
        Platform::BigCommerce,
        &serde_json::to_vec(&doc()).unwrap(),
        &Config::default(),
    )
    .unwrap();
    assert_eq!(
        mapped.entries[0].lines[0].account,
        "Assets:Clearing:Credit-Card"
    );
    assert_eq!(mapped.entries[0].lines[0].debit.0.to_string(), "30.00");
}

#[test]
fn malformed_json_and_the_bare_webhook_are_refused() {
    assert_eq!(
        map(Platform::BigCommerce, b"{\"order\": ", &Config::default())
            .unwrap_err()
            .code(),
        "E_JSON"
    );
    let hook = json!({"store_id": "11111", "scope": "store/order/created", "data": {"type": "order", "id": 9001}});
    assert_eq!(
        error_of(&hook),
        pair("E_MISSING_FIELD", "order"),
        "the id-only webhook must be fetched first"
    );
}

#[test]
fn wrong_types_negative_quantities_and_currencies_name_their_field() {
    let mut d = doc();
    d["products"][0]["total_ex_tax"] = json!(false);
    assert_eq!(
        error_of(&d),
        pair("E_INVALID_TYPE", "products[0].total_ex_tax")
    );
    let mut d = doc();
    d["products"][0]["quantity"] = json!(-1);
    assert_eq!(
        error_of(&d),
        pair("E_INVALID_VALUE", "products[0].quantity")
    );
    let mut d = doc();
    d["order"]["currency_code"] = json!("XYZ");
    assert_eq!(
        error_of(&d),
        pair("E_UNKNOWN_CURRENCY", "order.currency_code")
    );
    let mut d = doc();
    d["order"]["date_created"] = json!("2026-05-12 14:03:27");
    assert_eq!(
        error_of(&d),
        pair("E_INVALID_TIMESTAMP", "order.date_created")
    );
}

#[test]
fn huge_and_sub_cent_amounts_are_refused() {
    let mut d = doc();
    d["order"]["total_inc_tax"] = json!("1000000000000000.0000");
    assert_eq!(
        error_of(&d),
        pair("E_AMOUNT_TOO_LARGE", "order.total_inc_tax")
    );
    let mut d = doc();
    d["products"][0]["total_ex_tax"] = json!("29.9950");
    assert_eq!(
        error_of(&d),
        pair("E_INVALID_AMOUNT", "products[0].total_ex_tax")
    );
    let mut d = doc();
    d["order"]["gift_certificate_amount"] = json!("0.0001");
    assert_eq!(
        error_of(&d),
        pair("E_INVALID_AMOUNT", "order.gift_certificate_amount")
    );
}

#[test]
fn unpaid_statuses_book_nothing() {
    for status in [0, 1, 5, 6, 7] {
        let mut d = doc();
        d["order"]["status_id"] = json!(status);
        let mapped = map(
            Platform::BigCommerce,
            &serde_json::to_vec(&d).unwrap(),
            &Config::default(),
        )
        .unwrap();
        assert!(mapped.entries.is_empty(), "status_id {status}");
    }
}

#[test]
fn truncated_documents_never_panic() {
    let text = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/bigcommerce/coupon-tax/input.json"
    ))
    .unwrap();
    let text = text.trim_ascii_end();
    for end in (0..text.len()).step_by(11) {
        assert!(map(Platform::BigCommerce, &text[..end], &Config::default()).is_err());
    }
}
