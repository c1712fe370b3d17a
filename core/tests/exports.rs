//! Exporters: exact text worked out by hand for a few entries, errors, keys and determinism.
//! Hashes in expected values (DocNumber, requestid) were computed with an independent FNV-1a-128
//! (Python), checked against the published test vector for "a".

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::exporters::{
    doc_number, export, qbo_journal_entry, qbo_request_id, xero_idempotency_key,
    xero_manual_journal, Format,
};
use ledgerbridge_core::{map, Config, Entry, Platform};
use serde_json::json;
use std::path::Path;

const ID_B: &str = "shopify:demo.myshopify.com:order:5551234:sale:1777816800";

fn entry_b() -> Entry {
    serde_json::from_value(json!({
        "id": ID_B, "date": "2026-05-03", "currency": "USD", "memo": "Shopify order #1001, \"gift\"",
        "source": {"platform": "shopify", "shop": "demo.myshopify.com", "kind": "sale", "id": "5551234", "version": "1777816800"},
        "lines": [
            {"account": "Assets:Clearing:Shopify-Payments", "debit": "54.13", "credit": "0.00", "why": "payment"},
            {"account": "Income:Sales", "debit": "0.00", "credit": "50.00", "why": "line_items[0]"},
            {"account": "Liabilities:SalesTax:CA", "debit": "0.00", "credit": "4.13", "why": "tax"}
        ]
    }))
    .unwrap()
}

fn entry_kwd() -> Entry {
    serde_json::from_value(json!({
        "id": "shopify:s:order:7:sale:1", "date": "2026-02-28", "currency": "KWD",
        "memo": "Order \"#7\" \\ back;slash\nsecond line ; end",
        "source": {"platform": "shopify", "shop": "s", "kind": "sale", "id": "7", "version": "1"},
        "lines": [
            {"account": "Assets:Bank", "debit": "1234.250", "credit": "0.000", "why": "w"},
            {"account": "Income:Sales", "debit": "0.000", "credit": "1234.250", "why": "b"}
        ]
    }))
    .unwrap()
}

fn mapped_config() -> Config {
    Config::load(
        r#"
[exports.qbo]
"Assets:Clearing:Shopify-Payments" = "81"
"Income:Sales" = "79"
"Liabilities:SalesTax:CA" = "33"
[exports.xero]
"Assets:Clearing:Shopify-Payments" = "610"
"Income:Sales" = "200"
"Liabilities:SalesTax:CA" = "820"
"#,
    )
    .unwrap()
}

fn simple_fixture() -> (Config, Vec<Entry>) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/shopify/simple");
    let config = Config::load(&std::fs::read_to_string(dir.join("config.toml")).unwrap()).unwrap();
    let mapped = map(
        Platform::Shopify,
        &std::fs::read(dir.join("input.json")).unwrap(),
        &config,
    )
    .unwrap();
    (config, mapped.entries)
}

#[test]
fn beancount_text_of_the_simple_fixture() {
    let (config, entries) = simple_fixture();
    let expected = "\
2026-05-03 open Assets:Clearing:Shopify-Payments USD
2026-05-03 open Income:Sales USD

2026-05-03 * \"Shopify\" \"Shopify order #1001\"
  entry_id: \"shopify:demo.myshopify.com:order:6123400000001:sale:1777865402\"
  source: \"shopify:sale:6123400000001\"
  Assets:Clearing:Shopify-Payments   25.00 USD
  Income:Sales                      -25.00 USD
";
    assert_eq!(
        export(&entries, Format::Beancount, &config).unwrap(),
        expected
    );
}

#[test]
fn beancount_escapes_strings_and_keeps_three_decimals() {
    let expected = r##"2026-02-28 open Assets:Bank KWD
2026-02-28 open Income:Sales KWD

2026-02-28 * "Shopify" "Order \"#7\" \\ back;slash second line ; end"
  entry_id: "shopify:s:order:7:sale:1"
  source: "shopify:sale:7"
  Assets:Bank    1234.250 KWD
  Income:Sales  -1234.250 KWD
"##;
    assert_eq!(
        export(&[entry_kwd()], Format::Beancount, &Config::default()).unwrap(),
        expected
    );
}

#[test]
fn hledger_text_declares_everything_and_keeps_memo_on_the_header() {
    let expected = r##"decimal-mark .

commodity 1000.000 KWD

account Assets:Bank
account Income:Sales

2026-02-28 * (7-44cd6fdb6a) Order "#7" \ back,slash second line , end  ; entry_id:shopify:s:order:7:sale:1
    Assets:Bank    1234.250 KWD
    Income:Sales  -1234.250 KWD
"##;
    assert_eq!(
        export(&[entry_kwd()], Format::Hledger, &Config::default()).unwrap(),
        expected
    );
}

#[test]
fn csv_rows_with_rfc4180_quoting() {
    let memo = "\"Shopify order #1001, \"\"gift\"\"\"";
    let expected = format!(
        "entry_id,date,account,debit,credit,currency,memo,source
{ID_B},2026-05-03,Assets:Clearing:Shopify-Payments,54.13,,USD,{memo},shopify:sale:5551234
{ID_B},2026-05-03,Income:Sales,,50.00,USD,{memo},shopify:sale:5551234
{ID_B},2026-05-03,Liabilities:SalesTax:CA,,4.13,USD,{memo},shopify:sale:5551234
"
    );
    assert_eq!(
        export(&[entry_b()], Format::Csv, &Config::default()).unwrap(),
        expected
    );
    assert_eq!(
        export(&[], Format::Csv, &Config::default()).unwrap(),
        "entry_id,date,account,debit,credit,currency,memo,source\n"
    );
}

#[test]
fn qbo_journal_entry_body() {
    let line = |amount: &str, why: &str, posting: &str, value: &str, name: &str| {
        format!(
            r#"{{"DetailType":"JournalEntryLineDetail","Amount":{amount},"Description":"{why}","JournalEntryLineDetail":{{"PostingType":"{posting}","AccountRef":{{"value":"{value}","name":"{name}"}}}}}}"#
        )
    };
    let expected = format!(
        r#"{{"TxnDate":"2026-05-03","DocNumber":"5551234-31dd1e4070","PrivateNote":"{ID_B} Shopify order #1001, \"gift\"","CurrencyRef":{{"value":"USD"}},"Line":[{},{},{}]}}"#,
        line(
            "54.13",
            "payment",
            "Debit",
            "81",
            "Assets:Clearing:Shopify-Payments"
        ),
        line("50.00", "line_items[0]", "Credit", "79", "Income:Sales"),
        line("4.13", "tax", "Credit", "33", "Liabilities:SalesTax:CA"),
    );
    let body = qbo_journal_entry(&entry_b(), &mapped_config()).unwrap();
    assert_eq!(body, expected);
    // The multi-entry export is the array of the same bodies.
    assert_eq!(
        export(&[entry_b(), entry_b()], Format::Qbo, &mapped_config()).unwrap(),
        format!("[{body},{body}]")
    );
    assert_eq!(
        qbo_request_id(&entry_b()),
        "lb1-31dd1e40701d8c29e6173cf090568eb4"
    );
}

#[test]
fn qbo_amounts_keep_the_currency_digits() {
    let mut jpy = entry_b();
    jpy.currency = ledgerbridge_core::money::Currency::from_code("JPY").unwrap();
    jpy.lines = serde_json::from_value(json!([
        {"account": "Income:Sales", "debit": "5413", "credit": "0", "why": "a"},
        {"account": "Income:Sales", "debit": "0", "credit": "5413", "why": "b"}
    ]))
    .unwrap();
    let body = qbo_journal_entry(&jpy, &mapped_config()).unwrap();
    assert!(body.contains(r#""Amount":5413,"#), "{body}");
    let kwd = entry_kwd();
    let mut config = mapped_config();
    config.exports.qbo.insert("Assets:Bank".into(), "1".into());
    let body = qbo_journal_entry(&kwd, &config).unwrap();
    assert!(body.contains(r#""Amount":1234.250,"#), "{body}");
}

#[test]
fn xero_manual_journal_body() {
    let expected = format!(
        r#"{{"ManualJournals":[{{"Narration":"Shopify order #1001, \"gift\" [{ID_B}]","Date":"2026-05-03","LineAmountTypes":"NoTax","Status":"POSTED","JournalLines":[{{"LineAmount":54.13,"AccountCode":"610","Description":"payment"}},{{"LineAmount":-50.00,"AccountCode":"200","Description":"line_items[0]"}},{{"LineAmount":-4.13,"AccountCode":"820","Description":"tax"}}]}}]}}"#
    );
    assert_eq!(
        xero_manual_journal(&entry_b(), &mapped_config()).unwrap(),
        expected
    );
    let two = export(&[entry_b(), entry_kwd()], Format::Xero, &{
        let mut c = mapped_config();
        c.exports.xero.insert("Assets:Bank".into(), "090".into());
        c
    })
    .unwrap();
    let doc: serde_json::Value = serde_json::from_str(&two).unwrap();
    assert_eq!(doc["ManualJournals"].as_array().unwrap().len(), 2);
    assert!(two.contains(r#""LineAmount":-1234.250,"#));
}

#[test]
fn unmapped_accounts_are_config_errors_naming_the_account() {
    let mut config = mapped_config();
    config.exports.qbo.remove("Liabilities:SalesTax:CA");
    config
        .exports
        .xero
        .insert("Liabilities:SalesTax:CA".into(), "  ".into());
    for err in [
        qbo_journal_entry(&entry_b(), &config).unwrap_err(),
        export(&[entry_b()], Format::Qbo, &config).unwrap_err(),
    ] {
        assert_eq!((err.code(), err.path()), ("E_CONFIG", "exports.qbo"));
        assert!(err.to_string().contains("Liabilities:SalesTax:CA"), "{err}");
    }
    let err = xero_manual_journal(&entry_b(), &config).unwrap_err();
    assert_eq!((err.code(), err.path()), ("E_CONFIG", "exports.xero"));
    assert!(err.to_string().contains("Liabilities:SalesTax:CA"), "{err}");
}

#[test]
fn invalid_entries_are_refused_with_their_path() {
    let mut unbalanced = entry_b();
    unbalanced.lines[2].credit.0 = rust_decimal::Decimal::new(412, 2);
    for format in Format::ALL {
        let err = export(&[entry_b(), unbalanced.clone()], *format, &mapped_config()).unwrap_err();
        assert_eq!(err.code(), "E_UNBALANCED", "{format:?}");
    }
    assert_eq!(
        qbo_journal_entry(&unbalanced, &mapped_config())
            .unwrap_err()
            .code(),
        "E_UNBALANCED"
    );
    let mut bad_account = entry_b();
    bad_account.lines[1].account = "Revenue:Sales".into();
    let err = export(
        &[entry_b(), bad_account],
        Format::Beancount,
        &Config::default(),
    )
    .unwrap_err();
    assert_eq!(
        (err.code(), err.path()),
        ("E_INVALID_VALUE", "[1].lines[1].account")
    );
    let mut bad_date = entry_b();
    bad_date.date = "2026-02-30".into();
    let err = export(&[bad_date], Format::Hledger, &Config::default()).unwrap_err();
    assert_eq!((err.code(), err.path()), ("E_INVALID_VALUE", "[0].date"));
}

#[test]
fn keys_fit_their_limits() {
    let mut long = entry_b();
    long.id = format!("shopify:{}:order:1:sale:1", "x".repeat(200));
    long.source.id = "ORD-2026-000123456789".into();
    assert_eq!(doc_number(&long).len(), 21);
    assert!(doc_number(&long).starts_with("0123456789-"));
    long.source.id = "--".into();
    assert!(doc_number(&long).starts_with("LB-"));
    assert_eq!(qbo_request_id(&long).len(), 36);
    assert_eq!(xero_idempotency_key(&entry_b()), ID_B);
    let hashed = xero_idempotency_key(&long);
    assert!(hashed.starts_with("lb1-") && hashed.len() == 36, "{hashed}");
    let mut reversal = entry_b();
    reversal.id.push_str(":reversal");
    assert_ne!(qbo_request_id(&reversal), qbo_request_id(&entry_b()));
    assert_ne!(doc_number(&reversal), doc_number(&entry_b()));
}

#[test]
fn format_names() {
    let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
    assert_eq!(
        names,
        ["json", "qbo", "xero", "beancount", "hledger", "csv"]
    );
    for format in Format::ALL {
        assert_eq!(
            format.as_str().to_uppercase().parse::<Format>().unwrap(),
            *format
        );
    }
    assert_eq!(
        "ledger".parse::<Format>().unwrap_err().code(),
        "E_UNSUPPORTED_FORMAT"
    );
}

#[test]
fn exports_are_deterministic_and_ledgers_ignore_input_order() {
    let (_, simple) = simple_fixture();
    let mut entries = vec![entry_b(), entry_kwd()];
    entries.extend(simple);
    let mut config = mapped_config();
    for account in [
        "Assets:Bank",
        "Assets:Clearing:Shopify-Payments",
        "Income:Sales",
    ] {
        config
            .exports
            .qbo
            .entry(account.into())
            .or_insert_with(|| "1".into());
        config
            .exports
            .xero
            .entry(account.into())
            .or_insert_with(|| "2".into());
    }
    let mut reversed = entries.clone();
    reversed.reverse();
    for format in Format::ALL {
        let first = export(&entries, *format, &config).unwrap();
        assert_eq!(
            first,
            export(&entries, *format, &config).unwrap(),
            "{format:?}"
        );
        for entry in &entries {
            assert!(first.contains(&entry.id), "{format:?} lost {}", entry.id);
        }
        if matches!(format, Format::Beancount | Format::Hledger) {
            assert_eq!(
                first,
                export(&reversed, *format, &config).unwrap(),
                "{format:?}"
            );
        }
    }
}
