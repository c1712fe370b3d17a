//! Fees that WooCommerce gateway plugins keep in the order's `meta_data[]` are booked with the sale
//! when they are in the order's currency, and only then.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::{map, Config, Mapped, Platform};
use serde_json::{json, Value};

/// A paid 40.00 USD order through `method`, with `meta` as its order meta.
fn order(method: &str, meta: Value) -> Value {
    json!({
        "id": 7201, "number": "7201", "status": "processing", "currency": "USD",
        "date_created_gmt": "2026-05-04T09:15:00", "date_modified_gmt": "2026-05-04T09:15:09",
        "date_paid_gmt": "2026-05-04T09:15:07", "total": "40.00", "payment_method": method,
        "line_items": [{"id": 1, "name": "Lamp", "sku": "L", "quantity": 1,
                        "subtotal": "40.00", "total": "40.00", "taxes": []}],
        "meta_data": meta
    })
}

fn mapped(doc: &Value) -> Mapped {
    map(
        Platform::WooCommerce,
        &serde_json::to_vec(doc).unwrap(),
        &Config::default(),
    )
    .unwrap()
}

/// The fee debited with the sale, as text (`None` when no fee line).
fn fee(doc: &Value) -> Option<String> {
    let m = mapped(doc);
    let lines: Vec<Value> = m.entries[0]
        .lines
        .iter()
        .map(|l| serde_json::to_value(l).unwrap())
        .collect();
    let fees: Vec<String> = lines
        .iter()
        .filter(|l| {
            l["account"]
                .as_str()
                .unwrap()
                .starts_with("Expenses:PaymentFees:")
        })
        .map(|l| l["debit"].as_str().unwrap().to_string())
        .collect();
    assert!(fees.len() <= 1, "{fees:?}");
    fees.into_iter().next()
}

fn codes(doc: &Value) -> Vec<String> {
    mapped(doc).warnings.into_iter().map(|w| w.code).collect()
}

fn error_of(doc: &Value) -> (String, String) {
    let e = map(
        Platform::WooCommerce,
        &serde_json::to_vec(doc).unwrap(),
        &Config::default(),
    )
    .unwrap_err();
    (e.code().to_string(), e.path().to_string())
}

fn meta(key: &str, value: Value) -> Value {
    json!({"id": 1, "key": key, "value": value})
}

#[test]
fn the_stripe_gateway_fee_is_read_with_its_legacy_key_as_fallback() {
    let d = order("stripe", json!([meta("_stripe_fee", json!("1.46"))]));
    assert_eq!(fee(&d).as_deref(), Some("1.46"));
    let d = order("stripe", json!([meta("Stripe Fee", json!("1.46"))]));
    assert_eq!(fee(&d).as_deref(), Some("1.46"));
    let d = order(
        "stripe",
        json!([
            meta("Stripe Fee", json!("9.99")),
            meta("_stripe_fee", json!("1.46"))
        ]),
    );
    assert_eq!(fee(&d).as_deref(), Some("1.46"));
    assert_eq!(fee(&order("stripe", json!([]))), None);
}

#[test]
fn a_fee_in_another_currency_is_not_booked_and_says_so() {
    let d = order(
        "stripe",
        json!([
            meta("_stripe_fee", json!("1.32")),
            meta("_stripe_currency", json!("EUR"))
        ]),
    );
    assert_eq!(fee(&d), None);
    assert!(codes(&d).contains(&"W_FEE_NOT_BOOKED".to_string()));

    let d = order(
        "stripe",
        json!([
            meta("_stripe_fee", json!("1.46")),
            meta("_stripe_currency", json!("USD"))
        ]),
    );
    assert_eq!(fee(&d).as_deref(), Some("1.46"));
    assert!(codes(&d).is_empty());

    let d = order(
        "woocommerce_payments",
        json!([
            meta("_wcpay_transaction_fee", json!("1.46")),
            meta("_wcpay_intent_currency", json!("CAD"))
        ]),
    );
    assert_eq!(fee(&d), None);
    assert!(codes(&d).contains(&"W_FEE_NOT_BOOKED".to_string()));
}

#[test]
fn paypal_fee_and_platform_fees_are_one_fee() {
    let breakdown = json!({
        "gross_amount": {"currency_code": "USD", "value": "40.00"},
        "paypal_fee": {"currency_code": "USD", "value": "1.89"},
        "platform_fees": [{"amount": {"currency_code": "USD", "value": "0.40"}, "payee": {"merchant_id": "M"}}],
        "net_amount": {"currency_code": "USD", "value": "37.71"}
    });
    let d = order(
        "ppcp-gateway",
        json!([meta("_ppcp_paypal_fees", breakdown.clone())]),
    );
    assert_eq!(fee(&d).as_deref(), Some("2.29"));

    let mut foreign = breakdown;
    foreign["paypal_fee"]["currency_code"] = json!("GBP");
    let d = order("ppcp-gateway", json!([meta("_ppcp_paypal_fees", foreign)]));
    assert_eq!(fee(&d), None);
    assert!(codes(&d).contains(&"W_FEE_NOT_BOOKED".to_string()));
}

#[test]
fn another_plugins_fee_meta_is_not_this_tenders_fee() {
    let d = order("ppcp-gateway", json!([meta("_stripe_fee", json!("1.46"))]));
    assert_eq!(fee(&d), None);
    let d = order(
        "cod",
        json!([meta("_wcpay_transaction_fee", json!("1.46"))]),
    );
    assert_eq!(fee(&d), None);
}

#[test]
fn bad_fee_meta_names_its_path() {
    let d = order(
        "stripe",
        json!([
            meta("_stripe_intent_id", json!("pi_1")),
            meta("_stripe_fee", json!("-1.46"))
        ]),
    );
    assert_eq!(
        error_of(&d),
        (
            "E_NEGATIVE_AMOUNT".to_string(),
            "meta_data[1].value".to_string()
        )
    );
    let d = order("stripe", json!([meta("_stripe_fee", json!("1,46"))]));
    assert_eq!(error_of(&d).1, "meta_data[0].value");
    let d = order(
        "ppcp-gateway",
        json!([meta(
            "_ppcp_paypal_fees",
            json!({"paypal_fee": {"currency_code": "USD", "value": "x"}})
        )]),
    );
    assert_eq!(
        error_of(&d),
        (
            "E_INVALID_AMOUNT".to_string(),
            "meta_data[0].value.paypal_fee.value".to_string()
        )
    );
}
