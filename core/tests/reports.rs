//! Report goldens: tests/fixtures/reports/*.json, each worked out by hand from its fixtures'
//! entries (tests/fixtures/reports/README.md shows the arithmetic), never from this code's output.
//! Also the option errors: typed, with the option's path.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::reports::{report, ReportKind, ReportOptions};
use ledgerbridge_core::{map, Config, Entry, Platform};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn entries_of(case: &Value) -> (Vec<Entry>, Config) {
    let platform: Platform = case["platform"].as_str().unwrap().parse().unwrap();
    let config = match case["config"].as_str() {
        Some(path) => {
            Config::load(fs::read_to_string(fixtures().join(path)).unwrap().as_str()).unwrap()
        }
        None => Config::default(),
    };
    let mut entries = Vec::new();
    for dir in case["inputs"].as_array().unwrap() {
        let input = fs::read(fixtures().join(dir.as_str().unwrap()).join("input.json")).unwrap();
        entries.extend(map(platform, &input, &config).unwrap().entries);
    }
    (entries, config)
}

#[test]
fn every_golden_matches() {
    let mut names: Vec<PathBuf> = fs::read_dir(fixtures().join("reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    names.sort();
    assert!(names.len() >= 6, "goldens missing");
    for path in names {
        let case: Value = serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
        let (entries, config) = entries_of(&case);
        let kind: ReportKind = case["kind"].as_str().unwrap().parse().unwrap();
        let options: ReportOptions = serde_json::from_value(case["options"].clone()).unwrap();
        let got = serde_json::to_value(report(kind, &entries, &config, &options).unwrap()).unwrap();
        assert_eq!(got, case["expected"], "{}", path.display());
    }
}

fn one_sale() -> Vec<Entry> {
    let input = fs::read(fixtures().join("shopify/simple/input.json")).unwrap();
    map(Platform::Shopify, &input, &Config::default())
        .unwrap()
        .entries
}

fn error(kind: ReportKind, options: &str) -> (String, String) {
    let options: ReportOptions = serde_json::from_str(options).unwrap();
    let e = report(kind, &one_sale(), &Config::default(), &options).unwrap_err();
    (e.code().to_string(), e.path().to_string())
}

#[test]
fn bad_options_are_typed_errors_with_their_path() {
    let pair = |c: &str, p: &str| (c.to_string(), p.to_string());
    assert_eq!(
        error(ReportKind::Tax, r#"{"from":"2026-02-30"}"#),
        pair("E_INVALID_VALUE", "options.from")
    );
    assert_eq!(
        error(
            ReportKind::Tax,
            r#"{"from":"2026-05-02","to":"2026-05-01"}"#
        ),
        pair("E_INVALID_VALUE", "options.to")
    );
    assert_eq!(
        error(ReportKind::Tax, r#"{"by":"year"}"#),
        pair("E_INVALID_VALUE", "options.by")
    );
    assert_eq!(
        error(ReportKind::Tax, r#"{"by":"order"}"#),
        pair("E_INVALID_VALUE", "options.by")
    );
    assert_eq!(
        error(ReportKind::Profit, r#"{"by":"sku"}"#),
        pair("E_INVALID_VALUE", "options.by")
    );
    assert_eq!(
        error(ReportKind::Profit, r#"{"currency":"XYZ"}"#),
        pair("E_UNKNOWN_CURRENCY", "options.currency")
    );
    assert!("ledger".parse::<ReportKind>().is_err());
}

#[test]
fn an_unbalanced_entry_is_refused_with_its_index() {
    let mut entries = one_sale();
    entries[0].lines[0].debit.0 += rust_decimal::Decimal::ONE;
    let e = report(
        ReportKind::Profit,
        &entries,
        &Config::default(),
        &ReportOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "E_UNBALANCED");
    assert_eq!(e.path(), "entries[0]");
}

#[test]
fn dates_and_currency_filter_what_is_reported() {
    let entries = one_sale();
    let date = entries[0].date.clone();
    let only = |options: ReportOptions| {
        let got = report(ReportKind::Profit, &entries, &Config::default(), &options).unwrap();
        serde_json::to_value(got).unwrap()["rows"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(
        only(ReportOptions {
            from: Some(date.clone()),
            to: Some(date.clone()),
            ..Default::default()
        }),
        1
    );
    assert_eq!(
        only(ReportOptions {
            from: Some("2099-01-01".into()),
            ..Default::default()
        }),
        0
    );
    assert_eq!(
        only(ReportOptions {
            currency: Some("JPY".into()),
            ..Default::default()
        }),
        0
    );
}
