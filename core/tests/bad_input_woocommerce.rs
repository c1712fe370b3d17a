//! Broken WooCommerce payloads give a typed error naming the offending field, never a panic.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::{map, Config, Platform};
use serde_json::{json, Value};

fn order() -> Value {
    json!({
        "id": 7001, "number": "7001", "status": "processing", "currency": "USD",
        "date_created_gmt": "2026-05-04T09:15:00", "date_modified_gmt": "2026-05-04T09:15:09",
        "date_paid_gmt": "2026-05-04T09:15:07", "total": "25.00", "payment_method": "stripe",
        "line_items": [{"id": 1, "name": "Mug", "sku": "MUG-1", "quantity": 2, "price": 12.5,
                        "subtotal": "25.00", "total": "25.00", "total_tax": "", "taxes": [{"id": 1, "total": ""}]}],
        "tax_lines": [], "shipping_lines": [], "fee_lines": [], "coupon_lines": [], "refunds": []
    })
}

fn error_of(payload: &Value) -> (String, String) {
    let bytes = serde_json::to_vec(payload).unwrap();
    let e = map(Platform::WooCommerce, &bytes, &Config::default()).unwrap_err();
    (e.code().to_string(), e.path().to_string())
}

fn with(path: &[&str], value: Value) -> Value {
    let mut doc = order();
    let mut slot = &mut doc;
    for key in path {
        slot = match key.parse::<usize>() {
            Ok(i) => &mut slot[i],
            Err(_) => &mut slot[*key],
        };
    }
    *slot = value;
    doc
}

fn pair(code: &str, path: &str) -> (String, String) {
    (code.to_string(), path.to_string())
}

#[test]
fn the_base_payload_maps_and_blank_tax_shares_read_as_zero() {
    let mapped = map(
        Platform::WooCommerce,
        &serde_json::to_vec(&order()).unwrap(),
        &Config::default(),
    )
    .unwrap();
    assert_eq!(mapped.entries.len(), 1);
    assert_eq!(mapped.entries[0].lines.len(), 2);
}

#[test]
fn malformed_json_is_a_json_error() {
    let e = map(
        Platform::WooCommerce,
        br#"{"id": 1, "line_items": [}"#,
        &Config::default(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "E_JSON");
    let e = map(Platform::WooCommerce, b"webhook_id=12", &Config::default()).unwrap_err();
    assert_eq!(
        e.code(),
        "E_JSON",
        "the activation ping is form-encoded, not an order"
    );
}

#[test]
fn wrong_types_name_their_field() {
    assert_eq!(
        error_of(&with(&["line_items", "0", "subtotal"], json!(true))),
        pair("E_INVALID_TYPE", "line_items[0].subtotal")
    );
    assert_eq!(
        error_of(&with(&["line_items", "0", "quantity"], json!("2"))),
        pair("E_INVALID_TYPE", "line_items[0].quantity")
    );
    assert_eq!(
        error_of(&with(&["line_items"], json!({}))),
        pair("E_INVALID_TYPE", "line_items")
    );
    assert_eq!(
        error_of(&with(&["total"], json!("12,50"))),
        pair("E_INVALID_AMOUNT", "total")
    );
}

#[test]
fn a_negative_order_quantity_is_refused() {
    assert_eq!(
        error_of(&with(&["line_items", "0", "quantity"], json!(-2))),
        pair("E_INVALID_VALUE", "line_items[0].quantity")
    );
    assert_eq!(
        error_of(&with(
            &["line_items", "0", "quantity"],
            json!(5_000_000_000_i64)
        )),
        pair("E_INVALID_VALUE", "line_items[0].quantity")
    );
}

#[test]
fn unknown_currency_and_bad_dates_are_typed() {
    assert_eq!(
        error_of(&with(&["currency"], json!("XYZ"))),
        pair("E_UNKNOWN_CURRENCY", "currency")
    );
    assert_eq!(
        error_of(&with(&["date_paid_gmt"], json!("04/05/2026"))),
        pair("E_INVALID_TIMESTAMP", "date_paid_gmt")
    );
    let mut doc = order();
    doc.as_object_mut().unwrap().remove("date_created_gmt");
    assert_eq!(error_of(&doc), pair("E_MISSING_FIELD", "date_created_gmt"));
}

#[test]
fn huge_numbers_are_refused_not_rounded() {
    assert_eq!(
        error_of(&with(&["total"], json!("99999999999999999999.00"))),
        pair("E_AMOUNT_TOO_LARGE", "total")
    );
    let text = serde_json::to_string(&order()).unwrap();
    // Keys serialize sorted, so the first `"total":"25.00"` is the line's.
    let huge = text.replacen(r#""total":"25.00""#, r#""total":1e400"#, 1);
    let e = map(Platform::WooCommerce, huge.as_bytes(), &Config::default()).unwrap_err();
    assert_eq!(
        (e.code(), e.path()),
        ("E_INVALID_AMOUNT", "line_items[0].total"),
        "read from its text, never through f64"
    );
    // `price` is Woo's float echo of total / quantity and is not read, so even 1e400 there is harmless.
    let ignored = text.replace(r#""price":12.5"#, r#""price":1e400"#);
    assert!(ignored.contains("1e400"));
    assert!(map(
        Platform::WooCommerce,
        ignored.as_bytes(),
        &Config::default()
    )
    .is_ok());
}

#[test]
fn sub_cent_amounts_and_a_wrong_total_are_errors() {
    assert_eq!(
        error_of(&with(&["line_items", "0", "subtotal"], json!("25.001"))).0,
        "E_INVALID_AMOUNT"
    );
    // The stated total is compared with the lines before anything is booked, so the error
    // names the field rather than the unbalanced entry it would have made.
    assert_eq!(
        error_of(&with(&["total"], json!("30.00"))),
        pair("E_TOTAL_MISMATCH", "total")
    );
}

#[test]
fn a_refund_object_needs_the_fields_the_worker_adds() {
    let refund = json!({"id": 88, "date_created_gmt": "2026-05-10T16:42:11", "amount": "10.00", "refunded_payment": true,
                        "line_items": [], "order_id": 7001});
    assert_eq!(error_of(&refund), pair("E_MISSING_FIELD", "currency"));
    let mut no_order = refund.clone();
    no_order["currency"] = json!("USD");
    no_order.as_object_mut().unwrap().remove("order_id");
    assert_eq!(error_of(&no_order), pair("E_MISSING_FIELD", "order_id"));
    let mut ok = no_order.clone();
    ok["parent_id"] = json!(7001);
    let mapped = map(
        Platform::WooCommerce,
        &serde_json::to_vec(&ok).unwrap(),
        &Config::default(),
    )
    .unwrap();
    assert_eq!(mapped.entries[0].lines[0].account, "Income:Refunds");
    assert_eq!(
        mapped.entries[0].lines[1].account, "Assets:Receivable",
        "no payment_method: refunded through manual"
    );
}

#[test]
fn truncated_payloads_never_panic() {
    let text = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/woocommerce/coupon-shipping-tax/input.json"
    ))
    .unwrap();
    let text = text.trim_ascii_end();
    for end in (0..text.len()).step_by(7) {
        assert!(map(Platform::WooCommerce, &text[..end], &Config::default()).is_err());
    }
}
