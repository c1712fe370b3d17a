//! An order created through Shopify's Admin API with an outside payment names its gateway `""`.
//! No payout ever clears a clearing account for "no gateway", so the money is owed like `manual`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::line_texts;
use ledgerbridge_core::{map, Config, Platform};
use serde_json::{json, Value};

fn order(gateway_names: Value, transactions: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "id": 7, "name": "#7", "currency": "USD", "processed_at": "2026-05-03T10:00:00-04:00",
        "payment_gateway_names": gateway_names,
        "line_items": [{"id": 1, "sku": "A", "quantity": 1, "price": "10.00"}],
        "transactions": transactions
    }))
    .unwrap()
}

fn codes(mapped: &ledgerbridge_core::Mapped) -> Vec<(&str, &str)> {
    mapped
        .warnings
        .iter()
        .map(|w| (w.code.as_str(), w.path.as_str()))
        .collect()
}

#[test]
fn an_empty_gateway_name_is_receivable_with_a_warning() {
    let body = order(json!([""]), json!([]));
    let mapped = map(Platform::Shopify, &body, &Config::default()).unwrap();
    assert_eq!(
        line_texts(&mapped.entries[0]),
        vec![
            ("Assets:Receivable", "10.00".into(), "0.00".into()),
            ("Income:Sales", "0.00".into(), "10.00".into()),
        ]
    );
    assert_eq!(
        codes(&mapped),
        vec![("W_UNNAMED_GATEWAY", "payment_gateway_names")]
    );
}

#[test]
fn a_transaction_with_an_empty_gateway_is_receivable_with_a_warning() {
    let body = order(
        json!([""]),
        json!([{"kind": "sale", "status": "success", "gateway": " ", "amount": "10.00"}]),
    );
    let mapped = map(Platform::Shopify, &body, &Config::default()).unwrap();
    assert_eq!(
        line_texts(&mapped.entries[0]),
        vec![
            ("Assets:Receivable", "10.00".into(), "0.00".into()),
            ("Income:Sales", "0.00".into(), "10.00".into()),
        ]
    );
    assert_eq!(
        codes(&mapped),
        vec![("W_UNNAMED_GATEWAY", "transactions[0].gateway")]
    );
}

#[test]
fn a_refund_through_an_empty_gateway_is_owed_back_from_receivable() {
    let mut body: Value = serde_json::from_slice(&order(
        json!([""]),
        json!([{"kind": "sale", "status": "success", "gateway": "", "amount": "10.00"}]),
    ))
    .unwrap();
    body["refunds"] = json!([{
        "id": 9, "processed_at": "2026-05-04T10:00:00-04:00",
        "refund_line_items": [{"line_item_id": 1, "quantity": 1, "subtotal": "10.00", "total_tax": "0.00"}],
        "transactions": [{"kind": "refund", "status": "success", "gateway": "", "amount": "10.00"}]
    }]);
    let mapped = map(
        Platform::Shopify,
        &serde_json::to_vec(&body).unwrap(),
        &Config::default(),
    )
    .unwrap();
    assert_eq!(
        line_texts(&mapped.entries[1]),
        vec![
            ("Income:Refunds", "10.00".into(), "0.00".into()),
            ("Assets:Receivable", "0.00".into(), "10.00".into()),
        ]
    );
    // Refund warnings name the field within the refund, as the refund's other warnings do.
    assert!(codes(&mapped).contains(&("W_UNNAMED_GATEWAY", "transactions[0].gateway")));
}
