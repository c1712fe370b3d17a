//! The worker's report path timed natively: parse stored entry JSON (what D1 hands back) and run
//! `reports::report`, for the worker's per-request cap (10 000 entries) and the busy year
//! (100 000). A measure, not a check: `cargo test --release -p ledgerbridge-core --test report_cpu
//! -- --ignored --nocapture` prints the medians the README quotes.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ledgerbridge_core::reports::{report, ReportKind, ReportOptions};
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
