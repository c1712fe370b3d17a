//! `document_preview`: its posts are `document_posts`' bytes on every fixture and both targets,
//! its views say what those posts say (type, contact, lines, tax), and two orders worked by hand
//! (tests/fixtures/README.md) give the totals below.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{cases, config_for};
use ledgerbridge_core::exporters::{document_posts, document_preview, DocumentView, Target};
use ledgerbridge_core::{Config, Platform};
use rust_decimal::Decimal;
use serde_json::Value;
use std::path::Path;
use std::str::FromStr;

/// The documents setup the documents.json snapshots were made with.
const DOCUMENTS: &str = include_str!("../../tests/fixtures/documents.toml");

fn config(case: &Path) -> Config {
    let mut config = config_for(case);
    config.documents = Config::load(DOCUMENTS).unwrap().documents;
    config
}

fn dec(v: &Value) -> Decimal {
    Decimal::from_str(&v.to_string()).unwrap_or_else(|_| panic!("not a number: {v}"))
}

fn s(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

/// The view against the post it describes (the contact post precedes it when new).
fn check(view: &DocumentView, post: &Value, target: Target, name: &str) {
    let why = format!("{name} {} {}", target.as_str(), view.id);
    match target {
        Target::Qbo => {
            assert_eq!(post["resource"], view.doc_type.to_lowercase(), "{why}");
            assert_eq!(post["customer"], view.contact.key, "{why}");
            let body = &post["body"];
            assert_eq!(body["DocNumber"], view.number, "{why}");
            let items: Vec<&Value> = body["Line"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|l| l["DetailType"] == "SalesItemLineDetail")
                .collect();
            assert_eq!(items.len(), view.lines.len(), "{why}");
            for (l, v) in items.iter().zip(&view.lines) {
                let d = &l["SalesItemLineDetail"];
                assert_eq!(d["ItemRef"]["value"], v.item, "{why}");
                assert_eq!(dec(&d["Qty"]), s(&v.quantity), "{why}");
                assert_eq!(dec(&l["Amount"]), s(&v.amount), "{why}");
                assert_eq!(d["TaxCodeRef"]["value"], v.tax_code, "{why}");
            }
            assert_eq!(
                dec(&body["TxnTaxDetail"]["TotalTax"]),
                s(&view.tax),
                "{why}"
            );
            let discount = body["Line"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["DetailType"] == "DiscountLineDetail")
                .map(|l| dec(&l["Amount"]))
                .unwrap_or_default();
            assert_eq!(discount, s(&view.discount), "{why}");
        }
        Target::Xero => {
            let (list, number) = match view.doc_type {
                "CreditNote" => ("CreditNotes", "CreditNoteNumber"),
                _ => ("Invoices", "InvoiceNumber"),
            };
            let body = &post["body"][list][0];
            assert_eq!(body["Contact"]["ContactNumber"], view.contact.key, "{why}");
            assert_eq!(body[number], view.number, "{why}");
            let items = body["LineItems"].as_array().unwrap();
            assert_eq!(items.len(), view.lines.len(), "{why}");
            for (l, v) in items.iter().zip(&view.lines) {
                assert_eq!(l["ItemCode"], v.item, "{why}");
                assert_eq!(dec(&l["Quantity"]), s(&v.quantity), "{why}");
                assert_eq!(dec(&l["LineAmount"]), s(&v.amount), "{why}");
                assert_eq!(l["TaxType"], v.tax_code, "{why}");
                assert_eq!(dec(&l["TaxAmount"]), s(&v.tax), "{why}");
            }
        }
    }
    let lines: Decimal = view.lines.iter().map(|l| s(&l.amount)).sum();
    assert_eq!(lines, s(&view.subtotal), "{why}");
}

#[test]
fn the_preview_posts_are_the_posted_bytes_and_each_view_says_what_its_post_says() {
    let mut checked = 0;
    for (platform, case) in cases() {
        let name = case.display().to_string();
        let input = std::fs::read(case.join("input.json")).unwrap();
        let config = config(&case);
        for target in [Target::Qbo, Target::Xero] {
            let Ok(posted) = document_posts(platform, &input, &config, target) else {
                assert!(
                    document_preview(platform, &input, &config, target).is_err(),
                    "{name}"
                );
                continue;
            };
            let preview = document_preview(platform, &input, &config, target).unwrap();
            // The worker answers with the core's writer; the derive is the oracle for its bytes.
            assert_eq!(
                ledgerbridge_core::json::write::to_string(&preview),
                serde_json::to_string(&preview).unwrap(),
                "{name}"
            );
            assert_eq!(
                serde_json::to_string(&preview.posts).unwrap(),
                posted,
                "{name}"
            );
            let posts: Vec<Value> = serde_json::from_str(&posted).unwrap();
            let is_document = |p: &&Value| match target {
                Target::Qbo => p["resource"] != "customer",
                Target::Xero => p["path"] == "/Invoices" || p["path"] == "/CreditNotes",
            };
            let documents: Vec<&Value> = posts.iter().filter(is_document).collect();
            assert_eq!(documents.len(), preview.documents.len(), "{name}");
            for (view, post) in preview.documents.iter().zip(documents) {
                check(view, post, target, &name);
                checked += 1;
            }
            let payments = posts.iter().filter(|p| p["path"] == "/Payments").count();
            let paid = preview.documents.iter().filter(|d| d.payment.is_some());
            if target == Target::Xero {
                assert_eq!(paid.count(), payments, "{name}");
            }
        }
    }
    assert!(checked > 40, "only {checked} documents checked");
}

#[test]
fn a_sale_and_its_refund_as_worked_by_hand() {
    let case = common::fixtures_root().join("shopify/partial-refund-restock");
    let input = std::fs::read(case.join("input.json")).unwrap();
    let config = config(&case);
    // 2 × 48.00 + 8.00 shipping + 6.50 tax; the refund: 48.00 + 8.00 + 3.50 tax.
    let qbo = document_preview(Platform::Shopify, &input, &config, Target::Qbo).unwrap();
    let got: Vec<_> = qbo
        .documents
        .iter()
        .map(|d| {
            (
                d.doc_type,
                d.subtotal.as_str(),
                d.tax.as_str(),
                d.total.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("SalesReceipt", "104.00", "6.50", "110.50"),
            ("RefundReceipt", "56.00", "3.50", "59.50")
        ]
    );
    let sale = &qbo.documents[0];
    assert_eq!(sale.contact.name, "Canary Person");
    assert!(!sale.contact.shared_guest);
    let lines: Vec<_> = sale
        .lines
        .iter()
        .map(|l| {
            (
                l.item.as_str(),
                l.quantity.as_str(),
                l.unit_price.as_str(),
                l.amount.as_str(),
                l.tax_code.as_str(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            ("6", "2", "48.00", "96.00", "TAX"),
            ("2", "1", "8.00", "8.00", "TAX")
        ]
    );
    let payment = sale.payment.as_ref().unwrap();
    assert_eq!(
        (payment.amount.as_str(), payment.account.as_deref()),
        ("110.50", Some("35"))
    );

    let xero = document_preview(Platform::Shopify, &input, &config, Target::Xero).unwrap();
    let types: Vec<_> = xero.documents.iter().map(|d| d.doc_type).collect();
    assert_eq!(types, ["Invoice", "CreditNote"]);
    let paid: Vec<_> = xero
        .documents
        .iter()
        .map(|d| {
            d.payment
                .as_ref()
                .map(|p| (p.amount.as_str(), p.separate_post))
        })
        .collect();
    assert_eq!(paid, [Some(("110.50", true)), Some(("59.50", true))]);
}

#[test]
fn a_discount_is_one_qbo_line_and_inside_xero_line_amounts() {
    let case = common::fixtures_root().join("shopify/discount-shipping-tax");
    let input = std::fs::read(case.join("input.json")).unwrap();
    let config = config(&case);
    // 50.00 + 2 × 18.00 + 8.00 − 11.60 discount + 7.31 tax = 89.71.
    let qbo = &document_preview(Platform::Shopify, &input, &config, Target::Qbo)
        .unwrap()
        .documents[0];
    assert_eq!(
        (
            qbo.subtotal.as_str(),
            qbo.discount.as_str(),
            qbo.tax.as_str(),
            qbo.total.as_str()
        ),
        ("94.00", "11.60", "7.31", "89.71")
    );
    let xero = &document_preview(Platform::Shopify, &input, &config, Target::Xero)
        .unwrap()
        .documents[0];
    assert_eq!(
        (
            xero.subtotal.as_str(),
            xero.discount.as_str(),
            xero.total.as_str()
        ),
        ("82.40", "11.60", "89.71")
    );
}

#[test]
fn a_guest_checkout_goes_to_the_shared_contact() {
    // A canonical order with no `customer`: a guest checkout.
    let order = r##"{"type": "order", "id": "g1", "name": "#g1", "processed_at": "2026-05-03T10:00:00Z",
        "version": "2026-05-03T10:00:00Z", "currency": "EUR", "gateway": "stripe",
        "lines": [{"id": "1", "sku": "MUG", "quantity": 1, "unit_price": "5.00"}]}"##;
    let config = Config::load(DOCUMENTS).unwrap();
    let preview = document_preview(Platform::Canonical, order.as_bytes(), &config, Target::Qbo);
    let view = &preview.unwrap().documents[0];
    assert_eq!(view.contact.name, "Online customers");
    assert_eq!(view.contact.key, "guest");
    assert!(view.contact.shared_guest);
}
