//! Sales documents (issue #14) on every fixture: each document's total is what the journal books
//! for the same order or refund; the Xero bodies satisfy Xero's OpenAPI schemas; the QBO bodies
//! carry the fields QuickBooks documents as required; and the posts equal the reviewed snapshots
//! `tests/fixtures/<platform>/<case>/documents.json` (`LEDGERBRIDGE_BLESS=1` rewrites them; read
//! the diff before committing it).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
#[path = "validators/openapi.rs"]
#[allow(dead_code)]
mod openapi;

use common::{cases, config_for};
use ledgerbridge_core::exporters::{document_posts, sales_documents, DocumentKind, Target};
use ledgerbridge_core::platforms::customer_of;
use ledgerbridge_core::{map, Config, Entry, Platform};
use rust_decimal::Decimal;
use serde_json::value::RawValue;
use serde_json::Value;
use std::path::Path;

/// A documents setup every fixture maps with: catch-all items and tax codes, so that the checks
/// below run on every order and refund.
const DOCUMENTS: &str = include_str!("../../tests/fixtures/documents.toml");

fn config(case: &Path) -> Config {
    let mut config = config_for(case);
    config.documents = Config::load(DOCUMENTS).unwrap().documents;
    config
}

fn fee_account(config: &Config, account: &str) -> bool {
    account.starts_with(&format!("{}:", config.accounts.fees_prefix))
        || config
            .gateways
            .values()
            .any(|g| g.fees.as_deref() == Some(account))
}

/// What the journal books as the customer's money for an entry, from its lines netted per
/// account (a negative fee line's tax debits the tax account it also credits): for a sale, what
/// the accounts credited on balance received, less the discounts; for a refund, what the accounts
/// debited on balance gave back. Cost of goods, stock and gateway fees are not the customer's
/// money and are left out, and so are gift cards redeemed (a tender, not a line).
fn booked(entry: &Entry, config: &Config) -> Decimal {
    let a = &config.accounts;
    let costs =
        |account: &str| account == a.cogs || account == a.inventory || fee_account(config, account);
    let refund = entry.source.kind == "refund";
    let mut net: std::collections::BTreeMap<&str, Decimal> = Default::default();
    for l in entry.lines.iter().filter(|l| !costs(&l.account)) {
        // The gift-card liability is both sold (a line) and redeemed (a tender) in one entry:
        // only the line's side counts.
        let given = match (l.account == a.gift_cards, refund) {
            (true, false) => -l.credit.0,
            (true, true) => l.debit.0,
            (false, _) => l.debit.0 - l.credit.0,
        };
        *net.entry(l.account.as_str()).or_default() += if refund { given } else { -given };
    }
    let discounts = if refund {
        Decimal::ZERO
    } else {
        -net.remove(a.discounts.as_str()).unwrap_or_default()
    };
    net.values()
        .filter(|v| v.is_sign_positive())
        .sum::<Decimal>()
        - discounts
}

#[test]
fn every_document_total_is_what_the_journal_books() {
    let mut checked = 0;
    for (platform, case) in cases() {
        let name = case.display().to_string();
        let input = std::fs::read(case.join("input.json")).unwrap();
        // The journal the document replaces: the same config in journal mode.
        let config = in_mode(&case, "journals");
        let Ok(mapped) = map(platform, &input, &config) else {
            continue;
        };
        let event = platform.parse(&input).unwrap();
        for target in [Target::Qbo, Target::Xero] {
            let customer = customer_of(platform, &input).unwrap();
            let docs = sales_documents(platform, &event, customer.as_ref(), &config, target)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            for doc in docs {
                let (kind, source_id) = doc
                    .id
                    .rsplit_once(':')
                    .map(|(head, id)| {
                        let kind = if head.ends_with(":refund") {
                            "refund"
                        } else {
                            "sale"
                        };
                        (kind, id)
                    })
                    .unwrap();
                let Some(entry) = mapped
                    .entries
                    .iter()
                    .find(|e| e.source.kind == kind && e.source.id == source_id)
                else {
                    // A part the engine refused books nothing; its document is not compared.
                    assert!(
                        !mapped.rejected.is_empty(),
                        "{name}: no entry for {}",
                        doc.id
                    );
                    continue;
                };
                assert_eq!(doc.total(), booked(entry, &config), "{name}: {}", doc.id);
                checked += 1;
            }
        }
    }
    assert!(checked >= 60, "only {checked} documents compared");
}

fn posts(platform: Platform, input: &[u8], config: &Config, target: Target) -> Vec<Value> {
    serde_json::from_str(&document_posts(platform, input, config, target).unwrap()).unwrap()
}

#[test]
fn xero_posts_of_every_fixture_match_the_openapi_schema() {
    let spec = openapi::Spec::load_subset("tests/validators/xero_documents.yaml", "Invoices");
    let mut checked = 0;
    for (platform, case) in cases() {
        let input = std::fs::read(case.join("input.json")).unwrap();
        for post in posts(platform, &input, &config(&case), Target::Xero) {
            let path = post["path"].as_str().unwrap();
            let schema = path.trim_start_matches('/');
            let errors = spec.validate(schema, &post["body"]);
            assert!(errors.is_empty(), "{}: {path}: {errors:#?}", case.display());
            let key = post["idempotency_key"].as_str().unwrap();
            assert!(key.len() <= 128 && key.is_ascii());
            checked += 1;
        }
    }
    assert!(checked >= 100, "only {checked} Xero posts checked");
}

/// QuickBooks' documented rules for what is sent (round2-apis.md §4): a customer needs a
/// DisplayName (unique, no `:`), a sales document needs `Line` with an amount and a detail per line,
/// `Amount = Qty × UnitPrice` on item lines, `DocNumber` ≤ 21, `requestid` ≤ 50.
#[test]
fn qbo_posts_of_every_fixture_carry_the_documented_fields() {
    let mut checked = 0;
    for (platform, case) in cases() {
        let name = case.display().to_string();
        let input = std::fs::read(case.join("input.json")).unwrap();
        for post in posts(platform, &input, &config(&case), Target::Qbo) {
            let body = &post["body"];
            assert!(post["requestid"].as_str().unwrap().len() <= 50);
            if post["resource"] == "customer" {
                let display = body["DisplayName"].as_str().unwrap();
                assert!(
                    !display.is_empty() && display.chars().count() <= 100,
                    "{name}"
                );
                assert!(!display.contains(':'), "{name}");
                checked += 1;
                continue;
            }
            assert!(["salesreceipt", "invoice", "refundreceipt"]
                .contains(&post["resource"].as_str().unwrap()));
            assert!(body["DocNumber"].as_str().unwrap().chars().count() <= 21);
            assert_eq!(body["TxnDate"].as_str().unwrap().len(), 10);
            let lines = body["Line"].as_array().unwrap();
            assert!(!lines.is_empty(), "{name}");
            for line in lines {
                let detail = line["DetailType"].as_str().unwrap();
                assert!(line[detail].is_object(), "{name}: {line}");
                let amount = line["Amount"].as_f64().unwrap();
                if detail == "SalesItemLineDetail" {
                    let d = &line[detail];
                    assert!(!d["ItemRef"]["value"].as_str().unwrap().is_empty());
                    assert!(!d["TaxCodeRef"]["value"].as_str().unwrap().is_empty());
                    let product = d["Qty"].as_f64().unwrap() * d["UnitPrice"].as_f64().unwrap();
                    assert!((product - amount).abs() < 1e-6, "{name}: {line}");
                } else {
                    assert_eq!(detail, "DiscountLineDetail");
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 60, "only {checked} QBO posts checked");
}

/// The simple Shopify order, read by hand: #1001 of 2026-05-03 (local), one Classic Tee
/// (TEE-BLK-M) at 25.00, no tax, paid through Shopify Payments, customer 7100000001001.
#[test]
fn the_simple_order_as_a_sales_receipt_and_a_paid_invoice() {
    let case = common::fixtures_root().join("shopify/simple");
    let input = std::fs::read(case.join("input.json")).unwrap();
    let config = config(&case);
    let qbo = posts(Platform::Shopify, &input, &config, Target::Qbo);
    assert_eq!(qbo.len(), 2);
    assert_eq!(qbo[0]["resource"], "customer");
    assert_eq!(qbo[0]["customer"], "id:7100000001001");
    assert_eq!(qbo[0]["body"]["DisplayName"], "Canary Person");
    let receipt = document_posts(Platform::Shopify, &input, &config, Target::Qbo).unwrap();
    let body = r#""body":{"DocNumber":"1001","TxnDate":"2026-05-03","CurrencyRef":{"value":"USD"},"PrivateNote":"ledgerbridge shopify:demo.myshopify.com:order:6123400000001","Line":[{"DetailType":"SalesItemLineDetail","Amount":25.00,"Description":"Classic Tee (TEE-BLK-M)","SalesItemLineDetail":{"ItemRef":{"value":"1"},"Qty":1,"UnitPrice":25,"TaxCodeRef":{"value":"NON"}}}],"TxnTaxDetail":{"TotalTax":0.00},"DepositToAccountRef":{"value":"35"}}"#;
    assert!(receipt.contains(body), "{receipt}");
    assert_eq!(qbo[1]["resource"], "salesreceipt");
    assert_eq!(qbo[1]["customer"], "id:7100000001001");

    let xero = document_posts(Platform::Shopify, &input, &config, Target::Xero).unwrap();
    let invoice = r#""body":{"Invoices":[{"Type":"ACCREC","Contact":{"ContactNumber":"id:7100000001001"},"Date":"2026-05-03","DueDate":"2026-05-03","LineAmountTypes":"Exclusive","InvoiceNumber":"1001","Reference":"shopify:demo.myshopify.com:order:6123400000001","CurrencyCode":"USD","Status":"AUTHORISED","LineItems":[{"Description":"Classic Tee (TEE-BLK-M)","Quantity":1,"UnitAmount":25,"ItemCode":"SALE","TaxType":"NONE","TaxAmount":0.00,"LineAmount":25.00}]}]}"#;
    assert!(xero.contains(invoice), "{xero}");
    let payment = r#""body":{"Payments":[{"Invoice":{"InvoiceNumber":"1001"},"Account":{"Code":"090"},"Date":"2026-05-03","Amount":25.00,"Reference":"shopify:demo.myshopify.com:order:6123400000001"}]}"#;
    assert!(xero.contains(payment), "{xero}");
}

#[test]
fn unpaid_orders_are_invoices_and_refunds_refund_receipts() {
    let kinds = |platform: Platform, case: &str| -> Vec<DocumentKind> {
        let dir = common::fixtures_root().join(platform.as_str()).join(case);
        let input = std::fs::read(dir.join("input.json")).unwrap();
        let event = platform.parse(&input).unwrap();
        let customer = customer_of(platform, &input).unwrap();
        sales_documents(
            platform,
            &event,
            customer.as_ref(),
            &config(&dir),
            Target::Qbo,
        )
        .unwrap()
        .into_iter()
        .map(|d| d.kind)
        .collect()
    };
    // manual-pending: gateway "manual", no transaction: the customer still owes it.
    assert_eq!(
        kinds(Platform::Shopify, "manual-pending"),
        [DocumentKind::Invoice]
    );
    // on-hold (awaiting a bank transfer) books nothing yet, so it bills nothing yet either; nor
    // does an order cancelled before payment.
    assert_eq!(kinds(Platform::WooCommerce, "on-hold-bacs"), []);
    assert_eq!(kinds(Platform::Shopify, "cancelled-unpaid"), []);
    assert_eq!(
        kinds(Platform::Shopify, "full-refund"),
        [DocumentKind::Receipt, DocumentKind::Refund]
    );
    assert_eq!(
        kinds(Platform::Shopify, "refund-webhook"),
        [DocumentKind::Refund]
    );
}

#[test]
fn an_unmapped_item_is_a_config_error_with_its_path() {
    let case = common::fixtures_root().join("shopify/discount-shipping-tax");
    let input = std::fs::read(case.join("input.json")).unwrap();
    let mut config = config(&case);
    config.documents.qbo.shipping_item = None;
    let e = document_posts(Platform::Shopify, &input, &config, Target::Qbo).unwrap_err();
    assert_eq!(
        (e.code(), e.path()),
        ("E_CONFIG", "documents.qbo.shipping_item")
    );
    config.documents.xero.account = None;
    let e = document_posts(Platform::Shopify, &input, &config, Target::Xero).unwrap_err();
    assert_eq!((e.code(), e.path()), ("E_CONFIG", "documents.xero.account"));
}

/// One post per line, so a changed amount shows as a one-line diff.
fn snapshot(qbo: &str, xero: &str) -> String {
    let lines = |raw: &str| {
        let posts: Vec<Box<RawValue>> = serde_json::from_str(raw).unwrap();
        posts
            .iter()
            .map(|p| format!("    {}", p.get()))
            .collect::<Vec<_>>()
            .join(",\n")
    };
    format!(
        "{{\n  \"qbo\": [\n{}\n  ],\n  \"xero\": [\n{}\n  ]\n}}\n",
        lines(qbo),
        lines(xero)
    )
}

#[test]
fn posts_equal_the_reviewed_snapshots() {
    let bless = std::env::var_os("LEDGERBRIDGE_BLESS").is_some();
    let mut compared = 0;
    for (platform, case) in cases() {
        let input = std::fs::read(case.join("input.json")).unwrap();
        let config = config(&case);
        let qbo = document_posts(platform, &input, &config, Target::Qbo).unwrap();
        let xero = document_posts(platform, &input, &config, Target::Xero).unwrap();
        let path = case.join("documents.json");
        if qbo == "[]" && xero == "[]" {
            assert!(!path.exists(), "{}: no documents now", path.display());
            continue;
        }
        let text = snapshot(&qbo, &xero);
        if bless {
            std::fs::write(&path, &text).unwrap();
        }
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|_| panic!("{} is missing", path.display()));
        assert_eq!(text, want, "{}", path.display());
        compared += 1;
    }
    assert!(compared >= 40, "only {compared} snapshots");
}

fn canonical_order(id: &str, customer: &str) -> String {
    format!(
        r##"{{"type": "order", "id": "{id}", "name": "#{id}", "processed_at": "2026-05-03T10:00:00Z",
        "version": "2026-05-03T10:00:00Z", "currency": "EUR", "gateway": "stripe",
        "lines": [{{"id": "1", "sku": "MUG", "quantity": 1, "unit_price": "5.00"}}], "customer": {customer}}}"##
    )
}

fn customer_post(order: &str) -> Value {
    let config = Config::load(DOCUMENTS).unwrap();
    posts(Platform::Canonical, order.as_bytes(), &config, Target::Qbo)
        .into_iter()
        .next()
        .unwrap()
}

/// The bad customers of issue #14, each with its documented result (docs/documents.md).
#[test]
fn bad_customers_get_their_documented_contact() {
    let nobody = customer_post(&canonical_order("1", r#"{"id": "c-1", "company": " "}"#));
    assert_eq!(
        (&nobody["customer"], &nobody["body"]["DisplayName"]),
        (&json("guest"), &json("Online customers"))
    );

    let long = format!("{}{}", "Bartholomew ".repeat(16), "Z".repeat(8)); // 200 characters
    assert_eq!(long.chars().count(), 200);
    let cut = customer_post(&canonical_order(
        "2",
        &format!(r#"{{"id": "c-2", "name": "{long}"}}"#),
    ));
    let display = cut["body"]["DisplayName"].as_str().unwrap();
    assert_eq!(display, &long[..100]);
    let unique = cut["on_duplicate_name"].as_str().unwrap();
    // " (c-2)" is 6 characters: 94 of the name are left.
    assert_eq!(unique, format!("{} (c-2)", &long[..94]));
    assert_eq!(unique.chars().count(), 100);

    let kanji = customer_post(&canonical_order(
        "3",
        r#"{"id": "c-3", "name": "山田 太郎"}"#,
    ));
    assert_eq!(kanji["body"]["DisplayName"], "山田 太郎");

    // Two customers with one name: the same display name, told apart by key and fallback name.
    let a = customer_post(&canonical_order(
        "4",
        r#"{"id": "c-4", "name": "Ana Lima"}"#,
    ));
    let b = customer_post(&canonical_order(
        "5",
        r#"{"id": "c-5", "name": "Ana Lima"}"#,
    ));
    assert_eq!(a["body"]["DisplayName"], b["body"]["DisplayName"]);
    assert_ne!(a["customer"], b["customer"]);
    assert_ne!(a["requestid"], b["requestid"]);
    assert_eq!(a["on_duplicate_name"], "Ana Lima (c-4)");
    assert_eq!(b["on_duplicate_name"], "Ana Lima (c-5)");
}

/// Two orders of one customer: one customer post (same key, same requestid), two documents.
#[test]
fn one_customer_across_orders_is_one_contact() {
    let config = Config::load(DOCUMENTS).unwrap();
    let who = r#"{"id": "c-9", "name": "Ana Lima", "email": "ana@example.test"}"#;
    let first = posts(
        Platform::Canonical,
        canonical_order("10", who).as_bytes(),
        &config,
        Target::Xero,
    );
    let second = posts(
        Platform::Canonical,
        canonical_order("11", who).as_bytes(),
        &config,
        Target::Xero,
    );
    assert_eq!(
        first[0], second[0],
        "the contact post is the same for both orders"
    );
    assert_eq!(first[0]["body"]["Contacts"][0]["ContactNumber"], "id:c-9");
    assert_ne!(first[1]["idempotency_key"], second[1]["idempotency_key"]);
    assert_eq!(
        first[1]["body"]["Invoices"][0]["Contact"]["ContactNumber"],
        "id:c-9"
    );
}

fn json(text: &str) -> Value {
    Value::String(text.to_string())
}

fn in_mode(case: &Path, mode: &str) -> Config {
    let mut config = config(case);
    config.documents.mode = serde_json::from_value(json(mode)).unwrap();
    config
}

/// The Stripe charge of `charge-fee-usd`, read by hand: 54.13 USD charged, Stripe kept 1.87. In
/// document mode the invoice books the 54.13; the journal keeps only the fee.
#[test]
fn document_mode_keeps_the_stripe_fee_as_a_journal() {
    let case = common::fixtures_root().join("stripe/charge-fee-usd");
    let input = std::fs::read(case.join("input.json")).unwrap();
    let mapped = map(Platform::Stripe, &input, &in_mode(&case, "documents")).unwrap();
    assert_eq!(mapped.entries.len(), 1);
    let e = &mapped.entries[0];
    assert_eq!(
        e.id,
        "stripe:default:order:ch_3PcA1001:sale-costs:1777816800"
    );
    assert_eq!(
        common::line_texts(e),
        [
            ("Expenses:PaymentFees:Stripe", "1.87".into(), "0.00".into()),
            ("Assets:Clearing:Stripe", "0.00".into(), "1.87".into()),
        ]
    );
    let docs = sales_documents(
        Platform::Stripe,
        &Platform::Stripe.parse(&input).unwrap(),
        customer_of(Platform::Stripe, &input).unwrap().as_ref(),
        &in_mode(&case, "documents"),
        Target::Xero,
    )
    .unwrap();
    assert_eq!(docs[0].paid, Decimal::new(5413, 2));
}

/// On every fixture, document mode books no sale or refund journal; what it keeps of one (fees,
/// cost of goods) is lines the journal-mode entry has, plus their clearing or inventory
/// counterpart; payouts and disputes are untouched; the profit is the same.
#[test]
fn document_mode_journals_are_the_fee_and_cost_lines_of_every_fixture() {
    let mut kept = 0;
    for (platform, case) in cases() {
        let name = case.display().to_string();
        let input = std::fs::read(case.join("input.json")).unwrap();
        let (Ok(journals), Ok(documents)) = (
            map(platform, &input, &in_mode(&case, "journals")),
            map(platform, &input, &in_mode(&case, "documents")),
        ) else {
            continue;
        };
        assert_eq!(journals.profit, documents.profit, "{name}");
        let config = in_mode(&case, "documents");
        for e in &documents.entries {
            e.check().unwrap();
            let Some(kind) = e.source.kind.strip_suffix("-costs") else {
                assert!(
                    !["sale", "refund"].contains(&e.source.kind.as_str()),
                    "{name}"
                );
                assert!(journals.entries.contains(e), "{name}: {} changed", e.id);
                continue;
            };
            let original = journals
                .entries
                .iter()
                .find(|o| o.source.kind == kind && o.source.id == e.source.id)
                .unwrap_or_else(|| panic!("{name}: no {kind} for {}", e.id));
            for line in &e.lines {
                let same = original.lines.iter().any(|o| {
                    o.account == line.account && o.debit == line.debit && o.credit == line.credit
                });
                let counterpart = line.account == config.accounts.inventory
                    || line.account.starts_with(&config.accounts.clearing_prefix)
                    || config
                        .gateways
                        .values()
                        .any(|g| g.clearing.as_deref() == Some(&line.account));
                assert!(same || counterpart, "{name}: {} {line:?}", e.id);
                assert!(
                    line.account != config.accounts.sales
                        && !line.account.starts_with("Liabilities:SalesTax"),
                    "{name}: {line:?}"
                );
            }
            kept += 1;
        }
    }
    assert!(kept >= 10, "only {kept} fee/cost journals kept");
}
