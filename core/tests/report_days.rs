//! Day aggregates agree with the reports on entries: for fixture entries spread over random days,
//! `report_from_days(aggregate_day(each day))` is byte for byte `report(entries)` for every kind
//! and grouping a day aggregate answers (profit by order is refused; clearing's unsettled and
//! untied-payout lists are not kept, so they are compared empty), with the ids kept, with the
//! one-day order ids counted instead of listed, and with every id stripped (then against the
//! report with its figures' ids emptied).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use ledgerbridge_core::reports::{
    aggregate_day, config_fingerprint, report, report_from_days, DayAggregate, Report, ReportKind,
    ReportOptions,
};
use ledgerbridge_core::{map, Config, Entry, Platform};
use proptest::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// Every fixture of a platform that maps with the default chart, with the golden cases' own
/// configs: the pools entries are drawn from.
fn pools() -> &'static Vec<(Vec<Entry>, Config)> {
    static POOLS: OnceLock<Vec<(Vec<Entry>, Config)>> = OnceLock::new();
    POOLS.get_or_init(|| {
        let mut pools = Vec::new();
        for platform in [
            "shopify",
            "woocommerce",
            "stripe",
            "bigcommerce",
            "canonical",
        ] {
            let p: Platform = platform.parse().unwrap();
            let mut dirs: Vec<PathBuf> = fs::read_dir(fixtures().join(platform))
                .unwrap()
                .map(|e| e.unwrap().path())
                .collect();
            dirs.sort();
            let config = Config::default();
            let mut entries = Vec::new();
            for dir in dirs {
                let Ok(input) = fs::read(dir.join("input.json")) else {
                    continue;
                };
                if let Ok(mapped) = map(p, &input, &config) {
                    entries.extend(mapped.entries);
                }
            }
            assert!(!entries.is_empty(), "{platform}: no fixture mapped");
            pools.push((entries, config));
        }
        pools.extend(common::report_golden_pools());
        pools
    })
}

/// The report's JSON with every figure's ids emptied.
fn without(mut v: Value) -> Value {
    fn walk(v: &mut Value) {
        match v {
            Value::Object(map) => {
                if map.contains_key("amount") && map.contains_key("entries") {
                    map.insert("entries".into(), Value::Array(Vec::new()));
                }
                map.values_mut().for_each(walk);
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut v);
    v
}

fn days_of(entries: &[Entry], config: &Config) -> Vec<DayAggregate> {
    let mut by_day: BTreeMap<&str, Vec<Entry>> = BTreeMap::new();
    for e in entries {
        by_day.entry(e.date.as_str()).or_default().push(e.clone());
    }
    by_day
        .into_iter()
        .map(|(date, day)| aggregate_day(date, &day, config).unwrap())
        .collect()
}

/// Ids (source ids, linked orders) seen on more than one day: the ones a day may not count alone.
fn shared_ids(entries: &[Entry]) -> BTreeSet<String> {
    let mut dates: BTreeMap<String, BTreeSet<&str>> = BTreeMap::new();
    for e in entries {
        let linked = e.links.iter().filter_map(|l| l.strip_prefix("order:"));
        for id in std::iter::once(e.source.id.as_str()).chain(linked) {
            dates.entry(id.to_string()).or_default().insert(&e.date);
        }
    }
    dates
        .into_iter()
        .filter(|(_, d)| d.len() > 1)
        .map(|(id, _)| id)
        .collect()
}

fn check(entries: &[Entry], config: &Config, options: &ReportOptions) {
    let days = days_of(entries, config);
    let shared = shared_ids(entries);
    let localized: Vec<DayAggregate> = days
        .iter()
        .cloned()
        .map(|mut d| {
            d.localize(&|id| shared.contains(id));
            d
        })
        .collect();
    // Through storage, as the worker keeps them: JSON text, ids stripped.
    let stored: Vec<DayAggregate> = localized
        .iter()
        .cloned()
        .map(|d| {
            let text = serde_json::to_string(&d.without_ids()).unwrap();
            serde_json::from_str(&text).unwrap()
        })
        .collect();
    for kind in ReportKind::ALL {
        let Ok(mut direct) = report(kind, entries, config, options) else {
            assert!(report_from_days(kind, days.clone(), config, options).is_err());
            continue;
        };
        let from_days = report_from_days(kind, days.clone(), config, options);
        if kind == ReportKind::Profit && options.by.as_deref() == Some("order") {
            assert_eq!(from_days.unwrap_err().code(), "E_INVALID_VALUE");
            continue;
        }
        if let Report::Clearing(c) = &mut direct {
            for a in &mut c.accounts {
                a.unsettled.clear();
                a.payouts_not_tied.clear();
            }
        }
        let expected = serde_json::to_string(&direct).unwrap();
        same(
            &serde_json::to_string(&from_days.unwrap()).unwrap(),
            &expected,
            kind,
            options,
            "ids kept",
        );
        let got = report_from_days(kind, localized.clone(), config, options).unwrap();
        same(
            &serde_json::to_string(&got).unwrap(),
            &expected,
            kind,
            options,
            "localized",
        );
        let got = report_from_days(kind, stored.clone(), config, options).unwrap();
        let stripped = without(serde_json::to_value(&direct).unwrap());
        same(
            &serde_json::to_string(&serde_json::to_value(got).unwrap()).unwrap(),
            &serde_json::to_string(&stripped).unwrap(),
            kind,
            options,
            "stored without ids",
        );
    }
}

/// Equal texts, or a panic showing where they part (a year of ids is too long to print).
fn same(got: &str, expected: &str, kind: ReportKind, options: &ReportOptions, how: &str) {
    if got == expected {
        return;
    }
    let at = got
        .bytes()
        .zip(expected.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(expected.len()));
    let near = |s: &str| {
        s.get(at.saturating_sub(200)..(at + 200).min(s.len()))
            .unwrap_or("")
            .to_string()
    };
    panic!(
        "{kind} {options:?} {how}: differs at byte {at}\n got: …{}…\nwant: …{}…",
        near(got),
        near(expected)
    );
}

fn date(day: u32) -> String {
    // Days from 2025-12-01: crosses a month, a quarter, a year and ISO weeks.
    let (y, m, d) = match day {
        0..=30 => (2025, 12, day + 1),
        31..=61 => (2026, 1, day - 30),
        _ => (2026, 2, (day - 61).min(28)),
    };
    format!("{y:04}-{m:02}-{d:02}")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn day_aggregates_merge_to_the_report(
        pool in 0usize..100,
        picks in prop::collection::vec((0usize..1000, 0u32..80), 1..60),
        from in prop::option::of(0u32..80),
        span in prop::option::of(0u32..80),
        by in prop::option::of(prop::sample::select(vec!["day", "week", "month", "quarter", "channel", "order"])),
        currency in prop::option::of(prop::sample::select(vec!["USD", "EUR", "JPY"])),
    ) {
        let pools = pools();
        let (pool, config) = &pools[pool % pools.len()];
        // Copies of pool entries on random days, fresh ids; sorted by date as a ledger reads them
        // (booking order within a day).
        let mut entries: Vec<Entry> = picks
            .iter()
            .enumerate()
            .map(|(i, (pick, day))| {
                let mut e = pool[pick % pool.len()].clone();
                e.id = format!("{}~{i}", e.id);
                e.date = date(*day);
                e
            })
            .collect();
        entries.sort_by(|a, b| a.date.cmp(&b.date));
        let options = ReportOptions {
            from: from.map(date),
            to: from.zip(span).map(|(f, s)| date(f + s)),
            by: by.map(str::to_string),
            currency: currency.map(str::to_string),
        };
        check(&entries, config, &options);
    }
}

#[test]
fn every_pool_whole_by_month_and_by_day() {
    for (entries, config) in pools() {
        let mut entries = entries.clone();
        entries.sort_by(|a, b| a.date.cmp(&b.date));
        for by in [None, Some("day"), Some("month"), Some("channel")] {
            let options = ReportOptions {
                by: by.map(str::to_string),
                ..ReportOptions::default()
            };
            check(&entries, config, &options);
        }
    }
}

#[test]
fn a_day_aggregate_holds_one_day() {
    let (entries, config) = &pools()[0];
    let mut two = vec![entries[0].clone(), entries[0].clone()];
    two[1].date = "2030-01-01".into();
    let e = aggregate_day(&two[0].date.clone(), &two, config).unwrap_err();
    assert_eq!((e.code(), e.path()), ("E_INVALID_VALUE", "entries[1].date"));
}

#[test]
fn the_fingerprint_follows_what_names_the_accounts() {
    let base = Config::default();
    let same = config_fingerprint(&base);
    assert_eq!(same.len(), 16);
    assert_eq!(config_fingerprint(&base.clone()), same);
    let mut taxed = base.clone();
    taxed
        .tax
        .insert("State Tax".into(), "Liabilities:SalesTax:TX".into());
    assert_ne!(config_fingerprint(&taxed), same, "a tax title remapped");
    let mut renamed = base.clone();
    renamed.accounts.sales = "Income:Shop".into();
    assert_ne!(
        config_fingerprint(&renamed),
        same,
        "the sales account renamed"
    );
    // Unit costs change future entries, not how stored ones are read.
    let mut costed = base.clone();
    costed
        .costs
        .insert("SKU-1".into(), rust_decimal::Decimal::ONE);
    assert_eq!(config_fingerprint(&costed), same);
}
