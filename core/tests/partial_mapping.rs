//! One bad part does not sink the whole document: an order's valid sale books while its refund
//! that does not add up is reported in `rejected`; a document with nothing mappable is an error.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::fixtures_root;
use ledgerbridge_core::{map, Config, Platform};

fn fixture(case: &str) -> Vec<u8> {
    std::fs::read(
        fixtures_root()
            .join("shopify")
            .join(case)
            .join("input.json"),
    )
    .unwrap()
}

#[test]
fn the_sale_books_and_the_bad_refund_is_named_with_both_figures() {
    let mapped = map(
        Platform::Shopify,
        &fixture("docs-example-bad-refund"),
        &Config::default(),
    )
    .unwrap();
    assert_eq!(mapped.entries.len(), 1);
    assert_eq!(mapped.entries[0].source.kind, "sale");
    let [rejected] = mapped.rejected.as_slice() else {
        panic!("one rejected part expected: {:?}", mapped.rejected)
    };
    assert_eq!(rejected.source.kind, "refund");
    assert_eq!(rejected.source.id, "509562969");
    assert_eq!(rejected.code, "E_UNBALANCED_SOURCE");
    assert_eq!(rejected.path, "refunds[0]");
    assert!(rejected.message.contains("399.29"), "{}", rejected.message);
    assert!(rejected.message.contains("209.00"), "{}", rejected.message);
}

#[test]
fn rejected_is_left_out_of_the_json_when_empty() {
    let mapped = map(Platform::Shopify, &fixture("simple"), &Config::default()).unwrap();
    let text = serde_json::to_string(&mapped).unwrap();
    assert!(!text.contains("rejected"), "{text}");
}

#[test]
fn a_refund_alone_that_does_not_add_up_is_still_an_error() {
    let body = br#"{"id": 9, "order_id": 7, "processed_at": "2026-05-04T10:00:00-04:00",
      "refund_line_items": [{"line_item_id": 1, "quantity": 1, "subtotal": "100.00", "total_tax": "0.00"}],
      "transactions": [{"kind": "refund", "status": "success", "gateway": "bogus", "amount": "10.00", "currency": "USD"}]}"#;
    let e = map(Platform::Shopify, body, &Config::default()).unwrap_err();
    assert_eq!(e.code(), "E_UNBALANCED_SOURCE");
}

#[test]
fn an_order_whose_only_part_fails_is_an_error() {
    let body = br#"{"id": 7, "currency": "USD", "processed_at": "2026-05-03T10:00:00-04:00",
      "payment_gateway_names": ["bogus"],
      "line_items": [{"id": 1, "quantity": 1, "price": "10.00"}],
      "transactions": [{"kind": "sale", "status": "success", "gateway": "bogus", "amount": "1.00"}]}"#;
    let e = map(Platform::Shopify, body, &Config::default()).unwrap_err();
    assert_eq!(e.code(), "E_UNBALANCED_SOURCE");
}
