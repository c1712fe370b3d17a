//! The worker's report path timed natively: parse stored entry JSON (what D1 hands back) and run
//! `reports::report`, for the worker's per-request cap (10 000 entries) and the busy year
//! (100 000). A measure, not a check: `cargo test --release -p ledgerbridge-core --test report_cpu
//! -- --ignored --nocapture` prints the medians the README quotes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ledgerbridge_core::reports::{
    aggregate_day, report, report_from_days, DayAggregate, ReportKind, ReportOptions,
};
use ledgerbridge_core::{map, Config, Entry, Platform};
use std::path::Path;
use std::time::Instant;

fn mapped(case: &str) -> (Vec<Entry>, Config) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/shopify")
        .join(case);
    let input = std::fs::read(dir.join("input.json")).unwrap();
    let config = Config::load(&std::fs::read_to_string(dir.join("config.toml")).unwrap()).unwrap();
    (
        map(Platform::Shopify, &input, &config).unwrap().entries,
        config,
    )
}

/// `n` entries spread over 2025: copies of one taxed order's sale with fresh ids and dates.
fn year_of(n: usize) -> (Vec<String>, Config) {
    let (entries, config) = mapped("discount-shipping-tax");
    let rows = (0..n)
        .map(|i| {
            let mut e = entries[i % entries.len()].clone();
            e.id = format!("{}-{i}", e.id);
            let day = i % 365;
            e.date = format!("2025-{:02}-{:02}", 1 + day / 31 % 12, 1 + day % 28);
            serde_json::to_string(&e).unwrap()
        })
        .collect();
    (rows, config)
}

#[test]
#[ignore = "a measure; run with --release --ignored --nocapture"]
fn cpu_per_report_request() {
    let options = ReportOptions {
        from: Some("2025-01-01".into()),
        to: Some("2025-12-31".into()),
        by: Some("month".into()),
        currency: None,
    };
    for n in [10_000, 100_000] {
        let (rows, config) = year_of(n);
        for kind in ReportKind::ALL {
            let (mut total, mut parse, mut size) = (Vec::new(), Vec::new(), 0);
            for _ in 0..5 {
                let start = Instant::now();
                let entries: Vec<Entry> = rows
                    .iter()
                    .map(|r| serde_json::from_str(r).unwrap())
                    .collect();
                parse.push(start.elapsed());
                let doc = report(kind, &entries, &config, &options).unwrap();
                let body = serde_json::to_string(&doc).unwrap();
                total.push(start.elapsed());
                size = body.len();
            }
            total.sort();
            parse.sort();
            println!(
                "{n} entries, {kind}: median {:?} (parsing the rows {:?}), answer {size} bytes",
                total[2], parse[2]
            );
        }
    }
}

/// The worker's aggregated path: a year of day aggregates as D1 stores them (JSON, ids stripped)
/// parsed, merged and rendered per request; and what keeping one day fresh costs (re-aggregating
/// its entries). Copies get their own order ids, so the order sets are a real year's.
#[test]
#[ignore = "a measure; run with --release --ignored --nocapture"]
fn cpu_per_aggregated_report_request() {
    let options = ReportOptions {
        from: Some("2025-01-01".into()),
        to: Some("2025-12-31".into()),
        by: Some("month".into()),
        currency: None,
    };
    let (rows, config) = year_of(100_000);
    let mut entries: Vec<Entry> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let mut e: Entry = serde_json::from_str(r).unwrap();
            e.source.id = format!("{}-{i}", e.source.id);
            e
        })
        .collect();
    entries.sort_by(|a, b| a.date.cmp(&b.date));
    let mut by_day: std::collections::BTreeMap<String, Vec<Entry>> = Default::default();
    for e in &entries {
        by_day.entry(e.date.clone()).or_default().push(e.clone());
    }
    for localized in [false, true] {
        let mut rebuild = Vec::new();
        let stored: Vec<String> = by_day
            .iter()
            .map(|(date, day)| {
                let texts: Vec<String> = day
                    .iter()
                    .map(|e| serde_json::to_string(e).unwrap())
                    .collect();
                let start = Instant::now();
                let parsed: Vec<Entry> = texts
                    .iter()
                    .map(|t| serde_json::from_str(t).unwrap())
                    .collect();
                let mut agg = aggregate_day(date, &parsed, &config).unwrap();
                if localized {
                    agg.localize(&|_| false);
                }
                let text = serde_json::to_string(&agg.without_ids()).unwrap();
                rebuild.push(start.elapsed());
                text
            })
            .collect();
        rebuild.sort();
        let bytes: usize = stored.iter().map(String::len).sum();
        println!(
            "{} days of {} entries (order sets {}): stored {bytes} bytes; re-aggregating one day \
             (~{} entries): median {:?}",
            stored.len(),
            entries.len(),
            if localized { "counted" } else { "listed" },
            entries.len() / stored.len(),
            rebuild[rebuild.len() / 2]
        );
        for kind in ReportKind::ALL {
            let (mut total, mut size) = (Vec::new(), 0);
            for _ in 0..5 {
                let start = Instant::now();
                let days: Vec<DayAggregate> = stored
                    .iter()
                    .map(|t| serde_json::from_str(t).unwrap())
                    .collect();
                let doc = report_from_days(kind, days, &config, &options).unwrap();
                let body = serde_json::to_string(&doc).unwrap();
                total.push(start.elapsed());
                size = body.len();
            }
            total.sort();
            println!(
                "  from days, {kind}: median {:?}, answer {size} bytes",
                total[2]
            );
        }
    }
}
