//! Issue #15: a negative price, shipping charge or tax is refused with `E_NEGATIVE_AMOUNT` and its
//! path by WooCommerce and BigCommerce as by Shopify, while the negatives each platform documents
//! (Woo refunds and negative fee lines) still book.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::{map, Config, Platform};
use serde_json::{json, Value};

fn outcome(platform: Platform, doc: &Value) -> Result<usize, (String, String)> {
    map(
        platform,
        &serde_json::to_vec(doc).unwrap(),
        &Config::default(),
    )
    .map(|m| m.entries.len())
    .map_err(|e| (e.code().to_string(), e.path().to_string()))
}

fn refused(path: &str) -> Result<usize, (String, String)> {
    Err(("E_NEGATIVE_AMOUNT".to_string(), path.to_string()))
}

/// 35.00 + 0.00 shipping, paid 35.00 through Stripe; the edits below keep `total` equal to what
/// the lines add up to, so only the sign can be what refuses them.
fn woo() -> Value {
    json!({
        "id": 7101, "number": "7101", "status": "processing", "currency": "USD",
        "date_created_gmt": "2026-05-04T09:15:00", "date_modified_gmt": "2026-05-04T09:15:09",
        "date_paid_gmt": "2026-05-04T09:15:07", "total": "35.00", "payment_method": "stripe",
        "line_items": [{"id": 1, "name": "Mug", "sku": "MUG-1", "quantity": 1,
                        "subtotal": "35.00", "total": "35.00", "taxes": []}],
        "tax_lines": [], "shipping_lines": [], "fee_lines": [], "coupon_lines": [], "refunds": []
    })
}

#[test]
fn woocommerce_refuses_negative_prices_shipping_and_tax() {
    assert_eq!(outcome(Platform::WooCommerce, &woo()), Ok(1));

    let mut d = woo();
    d["line_items"].as_array_mut().unwrap().push(json!({
        "id": 2, "name": "Credit", "sku": "X", "quantity": 1, "subtotal": "-10.00", "total": "-10.00", "taxes": []
    }));
    d["total"] = json!("25.00");
    assert_eq!(
        outcome(Platform::WooCommerce, &d),
        refused("line_items[1].subtotal")
    );

    let mut d = woo();
    d["line_items"][0]["total"] = json!("-5.00");
    d["total"] = json!("-5.00");
    assert_eq!(
        outcome(Platform::WooCommerce, &d),
        refused("line_items[0].total")
    );

    let mut d = woo();
    d["shipping_lines"] = json!([{"method_title": "Flat", "total": "-5.00", "taxes": []}]);
    d["total"] = json!("30.00");
    assert_eq!(
        outcome(Platform::WooCommerce, &d),
        refused("shipping_lines[0].total")
    );

    let mut d = woo();
    d["line_items"][0]["taxes"] = json!([{"id": 1, "total": "-1.00"}]);
    d["tax_lines"] =
        json!([{"rate_id": 1, "label": "T", "tax_total": "-1.00", "shipping_tax_total": "0.00"}]);
    d["total"] = json!("34.00");
    d["total_tax"] = json!("-1.00");
    assert_eq!(
        outcome(Platform::WooCommerce, &d),
        refused("line_items[0].taxes[0].total")
    );
}

#[test]
fn woocommerce_documented_negatives_still_book() {
    // A negative fee line is Woo's cart discount, and the summary of a refund is negative.
    let mut d = woo();
    d["fee_lines"] = json!([{"id": 5, "name": "Loyalty", "total": "-5.00", "taxes": []}]);
    d["total"] = json!("30.00");
    d["refunds"] = json!([{"id": 9, "reason": "", "total": "-10.00"}]);
    assert_eq!(outcome(Platform::WooCommerce, &d), Ok(2));
}

/// Two products 20.00 + 10.00, paid 30.00.
fn bc() -> Value {
    json!({
        "order": {"id": 9101, "date_created": "Tue, 12 May 2026 14:03:27 +0000", "status_id": 11,
                  "currency_code": "USD", "total_inc_tax": "30.0000", "payment_method": "Credit Card"},
        "products": [
            {"id": 1, "sku": "A", "name": "A", "quantity": 1,
             "total_ex_tax": "20.0000", "total_inc_tax": "20.0000", "total_tax": "0.0000"},
            {"id": 2, "sku": "B", "name": "B", "quantity": 1,
             "total_ex_tax": "10.0000", "total_inc_tax": "10.0000", "total_tax": "0.0000"}
        ]
    })
}

#[test]
fn bigcommerce_refuses_negative_prices_shipping_tax_and_discounts() {
    assert_eq!(outcome(Platform::BigCommerce, &bc()), Ok(1));

    let mut d = bc();
    d["products"][1]["total_ex_tax"] = json!("-10.0000");
    d["products"][1]["total_inc_tax"] = json!("-10.0000");
    d["order"]["total_inc_tax"] = json!("10.0000");
    assert_eq!(
        outcome(Platform::BigCommerce, &d),
        refused("products[1].total_ex_tax")
    );

    let mut d = bc();
    d["order"]["shipping_cost_ex_tax"] = json!("-5.0000");
    d["order"]["shipping_cost_inc_tax"] = json!("-5.0000");
    d["order"]["total_inc_tax"] = json!("25.0000");
    assert_eq!(
        outcome(Platform::BigCommerce, &d),
        refused("order.shipping_cost_ex_tax")
    );

    let mut d = bc();
    d["products"][0]["total_tax"] = json!("-1.0000");
    d["products"][0]["total_inc_tax"] = json!("19.0000");
    d["order"]["total_inc_tax"] = json!("29.0000");
    assert_eq!(
        outcome(Platform::BigCommerce, &d),
        refused("products[0].total_tax")
    );
    // Without `total_tax` the tax is inclusive − exclusive, which must not come out negative.
    d["products"][0]
        .as_object_mut()
        .unwrap()
        .remove("total_tax");
    assert_eq!(
        outcome(Platform::BigCommerce, &d),
        refused("products[0].total_inc_tax")
    );

    let mut d = bc();
    d["products"][0]["applied_discounts"] = json!([{"id": "c", "amount": "-2.0000", "code": "X"}]);
    d["order"]["total_inc_tax"] = json!("32.0000");
    d["order"]["discount_amount"] = json!("-2.0000");
    assert_eq!(
        outcome(Platform::BigCommerce, &d),
        refused("products[0].applied_discounts[0].amount")
    );
}
