//! The hand-written config JSON (`json::write` for `Config`) against serde_json over the derives,
//! and the day aggregates' config fingerprint against the serde text it used to hash (stored
//! fingerprints must not change): on every fixture config, the default and one with every field.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use ledgerbridge_core::json::write::to_string;
use ledgerbridge_core::reports::config_fingerprint;
use ledgerbridge_core::Config;
use std::path::{Path, PathBuf};

fn tomls(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            tomls(&path, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            out.push(path);
        }
    }
}

/// The fingerprint as it was computed before: FNV-1a over serde_json's text of the tuple.
fn serde_fingerprint(config: &Config) -> String {
    let parts = (
        &config.accounts,
        &config.sales,
        &config.tax,
        &config.gateways,
    );
    let text = serde_json::to_string(&parts).unwrap();
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

fn check(config: &Config, what: &str) {
    assert_eq!(
        to_string(config),
        serde_json::to_string(config).unwrap(),
        "{what}"
    );
    assert_eq!(
        config_fingerprint(config),
        serde_fingerprint(config),
        "{what}"
    );
}

#[test]
fn every_fixture_config_as_serde_writes_it() {
    let mut files = Vec::new();
    tomls(&common::fixtures_root(), &mut files);
    assert!(files.len() > 30, "fixture configs found: {}", files.len());
    let mut read = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        // Some fixture TOML files are refused on purpose (bad-input cases): nothing to write.
        if let Ok(config) = Config::load(&text) {
            check(&config, &file.display().to_string());
            read += 1;
        }
    }
    assert!(read > 30, "fixture configs read: {read}");
    check(&Config::default(), "default");
}

#[test]
fn every_field_and_escape_as_serde_writes_it() {
    let text = r#"
shop = "demo.myshopify.com"
refunds = "reverse"
expenses_paid_from = "bank"

[accounts]
card = "Liabilities:Amex"

[[sales]]
sku = "HAT-*"
product_type = "Hats"
vendor = "Vendor"
tag = "wholesale"
channel = "pos"
account = "Income:Hats"

[[sales]]
tag = "only-tag"
account = "Income:Tagged"

[tax]
"VAT 20%" = "Liabilities:VAT"
"État" = "Liabilities:Etat"

[gateways.paypal]
clearing = "Assets:PayPal"
fees = "Expenses:PayPal"

[gateways.manual]

[gateways.stripe]
fees = "Expenses:Stripe"

[costs]
"HAT-1" = "4.50"
"SOCK" = "0"
"BIG" = "123456789012.1234"
"NEG-ZERO-SCALE" = "0.000"

[exports.qbo]
"Income:Sales" = "79"

[exports.xero]
"Income:Sales" = "200"

[[fee_estimates]]
gateway = "paypal"
percent = "2.90"
fixed = "0.30"

[documents]
mode = "documents"
customers = false
guests = "individual"
guest_name = "Guests online"

[documents.qbo]
items = { "*" = "1", "HAT-*" = "7" }
shipping_item = "2"
tip_item = "3"
gift_card_item = "4"
adjustment_item = "5"
tax_codes = { "VAT 20%" = "TAX" }
untaxed_code = "NON"
account = "35"

[documents.xero]
items = { "*" = "SALES" }
account = "090"
"#;
    let mut config = Config::load(text).unwrap();
    // Text the loader's checks would refuse, set directly: the writer escapes what serde does.
    let odd = "a \"quoted\" \\ shop\u{1}\t\n</script> é 😀\u{7f}\u{2028}";
    config.shop = odd.to_string();
    config.accounts.sales = format!("Income:{odd}");
    config.tax.insert(odd.to_string(), odd.to_string());
    config.documents.guest_name = odd.to_string();
    config.sales[1].vendor = Some(odd.to_string());
    assert_eq!(config.sales.len(), 2);
    assert_eq!(config.fee_estimates.len(), 1);
    check(&config, "every field");
}
