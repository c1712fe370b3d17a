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
        let doc = report(kind, &entries, &config, &options).unwrap();
        // The worker answers with the core's writer; the derive is the oracle for its bytes.
        assert_eq!(
            ledgerbridge_core::json::write::to_string(&doc),
            serde_json::to_string(&doc).unwrap(),
            "{}",
            path.display()
        );
        let got = serde_json::to_value(doc).unwrap();
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
fn summary_entries_are_refused() {
    let summary = ledgerbridge_core::journal::summarize(
        &one_sale(),
        ledgerbridge_core::journal::SummaryBy::Day,
    )
    .unwrap();
    let e = report(
        ReportKind::Tax,
        &summary,
        &Config::default(),
        &ReportOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "E_INVALID_VALUE");
    assert_eq!(e.path(), "entries[0].source.kind");
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

/// A hand-written sale entry: `(account, debit, credit, why)` lines.
fn entry(id: &str, date: &str, lines: &[(&str, &str, &str, &str)]) -> Entry {
    let lines: Vec<Value> = lines
        .iter()
        .map(|(a, d, c, w)| serde_json::json!({"account": a, "debit": d, "credit": c, "why": w}))
        .collect();
    serde_json::from_value(serde_json::json!({
        "id": format!("shopify:s:order:{id}:sale:1"), "date": date, "currency": "USD", "memo": "m",
        "source": {"platform": "shopify", "shop": "s", "kind": "sale", "id": id, "version": "1"},
        "lines": lines,
    }))
    .unwrap()
}

#[test]
fn item_level_tax_splits_taxable_from_untaxed_and_order_level_tax_covers_the_untaxed_items() {
    const TAX: &str = "Liabilities:SalesTax:State";
    // Order 1: only line 0 is taxed (5.00 on 60.00); line 1 (40.00) is not.
    let one = entry(
        "1",
        "2026-05-01",
        &[
            (
                "Assets:Clearing:Stripe",
                "105.00",
                "0.00",
                "payment[0]: paid",
            ),
            ("Income:Sales", "0.00", "60.00", "line_items[0]: A"),
            (TAX, "0.00", "5.00", "line_items[0].tax_lines[0]: \"State\""),
            ("Income:Sales", "0.00", "40.00", "line_items[1]: B"),
        ],
    );
    // Order 2: a tax on the order, not on a line: both lines (70.00 + 30.00) count as taxed.
    let two = entry(
        "2",
        "2026-05-02",
        &[
            (
                "Assets:Clearing:Stripe",
                "110.00",
                "0.00",
                "payment[0]: paid",
            ),
            ("Income:Sales", "0.00", "70.00", "line_items[0]: A"),
            ("Income:Sales", "0.00", "30.00", "line_items[1]: B"),
            (TAX, "0.00", "10.00", "tax_lines[0]: \"State\""),
        ],
    );
    let got = report(
        ReportKind::Tax,
        &[one.clone(), two.clone()],
        &Config::default(),
        &ReportOptions::default(),
    )
    .unwrap();
    let got = serde_json::to_value(got).unwrap();
    let period = &got["periods"][0];
    // By hand: total 60 + 40 + 70 + 30 = 200; taxed 60 + 100 = 160; untaxed 40 (order 1's B).
    assert_eq!(period["total_sales"]["amount"], "200.00");
    assert_eq!(period["untaxed_sales"]["amount"], "40.00");
    assert_eq!(
        period["untaxed_sales"]["entries"],
        serde_json::json!([one.id])
    );
    let row = &period["accounts"][0];
    assert_eq!(row["taxable_sales"]["amount"], "160.00");
    assert_eq!(row["non_taxable_sales"]["amount"], "40.00");
    assert_eq!(row["tax_collected"]["amount"], "15.00");
    assert_eq!(row["orders"], 2);
    // 15 / 160 = 0.09375, a midpoint: rates round half to even, to 0.0938.
    assert_eq!(row["effective_rate"], "0.0938");

    // Cancelling order 1 (its reversal) takes its sales back but is not another order.
    let reversed = one.reversal("2026-05-03");
    let refunds = report(
        ReportKind::Refunds,
        &[one, two, reversed],
        &Config::default(),
        &ReportOptions::default(),
    )
    .unwrap();
    let refunds = serde_json::to_value(refunds).unwrap();
    assert_eq!(refunds["periods"][0]["orders"], 2);
    assert_eq!(refunds["periods"][0]["sales"]["amount"], "100.00");
}

#[test]
fn gift_cards_outstanding_before_the_range_still_show() {
    let path = fixtures().join("reports/giftcards-sold-and-redeemed.json");
    let case: Value = serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap();
    let (entries, config) = entries_of(&case);
    // Both entries are dated 2026-05-06: 50.00 sold − 25.00 redeemed = 25.00 owed on 7 May.
    let options = ReportOptions {
        from: Some("2026-05-07".into()),
        ..Default::default()
    };
    let got =
        serde_json::to_value(report(ReportKind::GiftCards, &entries, &config, &options).unwrap())
            .unwrap();
    let expected = serde_json::json!({"kind": "giftcards", "periods": [{
        "period": "all", "currency": "USD", "opening": "25.00",
        "sold": {"amount": "0.00", "entries": []}, "redeemed": {"amount": "0.00", "entries": []},
        "closing": "25.00"}]});
    assert_eq!(got, expected);
}

#[test]
fn span_days_counts_both_ends_and_only_ordered_dates() {
    let opts = |from: &str, to: &str| ReportOptions {
        from: Some(from.into()),
        to: Some(to.into()),
        ..Default::default()
    };
    assert_eq!(opts("2024-01-01", "2024-01-01").span_days(), Some(1));
    // 2024 is a leap year: 366 days from New Year's Day to New Year's Eve.
    assert_eq!(opts("2024-01-01", "2024-12-31").span_days(), Some(366));
    assert_eq!(opts("2023-03-01", "2024-02-29").span_days(), Some(366));
    assert_eq!(opts("2024-02-02", "2024-02-01").span_days(), None);
    assert_eq!(opts("2024-02-30", "2024-03-01").span_days(), None);
    assert_eq!(ReportOptions::default().span_days(), None);
}
