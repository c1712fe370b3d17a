//! What is booked must agree with the platform's own totals, and amounts the platforms never send
//! negative are refused: a `price: "-25.00"` line used to book silently, debiting `Income:Sales`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::{map, Config, Platform};
use serde_json::{json, Value};

/// 2 × 10.00 with a 2.00 discount, 1.44 tax, 5.00 shipping with 0.40 tax, 1.00 tip: by hand,
/// total 20.00 − 2.00 + 1.44 + 5.00 + 0.40 + 1.00 = 25.84, tax 1.84, discounts 2.00.
fn shopify() -> Value {
    json!({
        "id": 1, "name": "#1", "currency": "USD", "processed_at": "2026-05-03T10:00:00-04:00",
        "payment_gateway_names": ["shopify_payments"],
        "total_price": "25.84", "total_tax": "1.84", "total_discounts": "2.00",
        "total_tip_received": "1.00",
        "line_items": [{"id": 1, "sku": "A", "quantity": 2, "price": "10.00",
            "discount_allocations": [{"amount": "2.00"}],
            "tax_lines": [{"title": "T", "price": "1.44"}]}],
        "shipping_lines": [{"title": "S", "price": "5.00", "tax_lines": [{"title": "T", "price": "0.40"}]}]
    })
}

fn refused(platform: Platform, body: &Value) -> (String, String, String) {
    let e = map(
        platform,
        &serde_json::to_vec(body).unwrap(),
        &Config::default(),
    )
    .expect_err("must be refused");
    (e.code().to_string(), e.path().to_string(), e.to_string())
}

fn maps(platform: Platform, body: &Value) -> ledgerbridge_core::Mapped {
    map(
        platform,
        &serde_json::to_vec(body).unwrap(),
        &Config::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn an_order_that_agrees_with_its_totals_maps() {
    let mapped = maps(Platform::Shopify, &shopify());
    assert_eq!(mapped.entries[0].lines[0].debit.0.to_string(), "2.00");
}

#[test]
fn a_negative_price_is_refused_with_its_path() {
    let mut body = shopify();
    body["line_items"][0]["price"] = json!("-25.00");
    let (code, path, _) = refused(Platform::Shopify, &body);
    assert_eq!(
        (code.as_str(), path.as_str()),
        ("E_NEGATIVE_AMOUNT", "line_items[0].price")
    );
}

#[test]
fn negative_tax_and_negative_shipping_are_refused_with_their_paths() {
    let mut body = shopify();
    body["line_items"][0]["tax_lines"][0]["price"] = json!("-1.44");
    let (code, path, _) = refused(Platform::Shopify, &body);
    assert_eq!(
        (code.as_str(), path.as_str()),
        ("E_NEGATIVE_AMOUNT", "line_items[0].tax_lines[0].price")
    );
    let mut body = shopify();
    body["shipping_lines"][0]["price"] = json!("-5.00");
    let (code, path, _) = refused(Platform::Shopify, &body);
    assert_eq!(
        (code.as_str(), path.as_str()),
        ("E_NEGATIVE_AMOUNT", "shipping_lines[0].price")
    );
}

#[test]
fn a_total_price_that_disagrees_names_both_figures_and_paths() {
    let mut body = shopify();
    body["total_price"] = json!("35.84");
    let (code, path, message) = refused(Platform::Shopify, &body);
    assert_eq!(
        (code.as_str(), path.as_str()),
        ("E_TOTAL_MISMATCH", "total_price")
    );
    for part in ["25.84", "35.84", "total_price", "line_items"] {
        assert!(message.contains(part), "{part} missing from: {message}");
    }
}

#[test]
fn total_tax_and_total_discounts_are_compared_too() {
    let mut body = shopify();
    body["total_tax"] = json!("0.84");
    assert_eq!(refused(Platform::Shopify, &body).1, "total_tax");
    let mut body = shopify();
    body["total_discounts"] = json!("0.00");
    assert_eq!(refused(Platform::Shopify, &body).1, "total_discounts");
}

#[test]
fn a_difference_within_one_minor_unit_per_line_is_rounding_not_a_mismatch() {
    let mut body = shopify();
    body["total_price"] = json!("25.85");
    maps(Platform::Shopify, &body);
}

#[test]
fn a_payload_without_totals_is_not_checked() {
    let mut body = shopify();
    for key in ["total_price", "total_tax", "total_discounts"] {
        body.as_object_mut().unwrap().remove(key);
    }
    maps(Platform::Shopify, &body);
}

#[test]
fn woocommerce_total_and_total_tax_are_compared() {
    let order = json!({
        "id": 7001, "number": "7001", "status": "processing", "currency": "USD",
        "date_created_gmt": "2026-05-04T09:15:00", "date_modified_gmt": "2026-05-04T09:15:09",
        "date_paid_gmt": "2026-05-04T09:15:07", "total": "27.00", "total_tax": "2.00",
        "payment_method": "stripe",
        "line_items": [{"id": 1, "name": "Mug", "sku": "MUG-1", "quantity": 2, "price": 12.5,
                        "subtotal": "25.00", "total": "25.00", "total_tax": "2.00",
                        "taxes": [{"id": 1, "total": "2.00"}]}],
        "tax_lines": [{"rate_id": 1, "label": "Tax", "tax_total": "2.00"}],
        "shipping_lines": [], "fee_lines": [], "coupon_lines": [], "refunds": []
    });
    maps(Platform::WooCommerce, &order);
    let mut wrong = order.clone();
    wrong["total"] = json!("37.00");
    assert_eq!(refused(Platform::WooCommerce, &wrong).0, "E_TOTAL_MISMATCH");
    let mut wrong = order;
    wrong["total_tax"] = json!("12.00");
    assert_eq!(refused(Platform::WooCommerce, &wrong).1, "total_tax");
}

#[test]
fn bigcommerce_total_inc_tax_is_compared() {
    let doc = json!({
        "order": {"id": 9001, "date_created": "Tue, 12 May 2026 14:03:27 +0000", "status_id": 11,
                  "currency_code": "USD", "total_inc_tax": "30.0000", "payment_method": "Credit Card"},
        "products": [{"id": 1, "sku": "TOTE-1", "name": "Tote", "quantity": 2,
                      "total_ex_tax": "30.0000", "total_inc_tax": "30.0000", "total_tax": "0.0000"}]
    });
    maps(Platform::BigCommerce, &doc);
    let mut wrong = doc;
    wrong["order"]["total_inc_tax"] = json!("40.0000");
    let (code, path, _) = refused(Platform::BigCommerce, &wrong);
    assert_eq!(
        (code.as_str(), path.as_str()),
        ("E_TOTAL_MISMATCH", "order.total_inc_tax")
    );
}
