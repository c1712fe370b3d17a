//! The day-aggregate reader against the serde derive it replaced (kept on `DayAggregate` as the
//! oracle): on aggregates of every fixture's entries (ids kept, counted, stripped), both read the
//! stored text back to the same aggregate, written again byte for byte; on edits of that text,
//! both refuse the same documents with the same code and path.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use ledgerbridge_core::json::from_json;
use ledgerbridge_core::reports::{aggregate_day, day_from_json, DayAggregate};
use ledgerbridge_core::{map, Config, Entry, Platform};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// Every fixture that maps with the default chart, then each report golden's entries with its own
/// config: (entries, config) groups, each group spread over three days.
fn groups() -> Vec<(Vec<Entry>, Config)> {
    let mut all = Vec::new();
    for platform in Platform::ALL {
        let Ok(dir) = fs::read_dir(fixtures().join(platform.as_str())) else {
            continue;
        };
        let mut dirs: Vec<PathBuf> = dir.flatten().map(|e| e.path()).collect();
        dirs.sort();
        for d in dirs {
            let Ok(input) = fs::read(d.join("input.json")) else {
                continue;
            };
            if let Ok(mapped) = map(*platform, &input, &Config::default()) {
                all.extend(mapped.entries);
            }
        }
    }
    let mut groups = vec![(all, Config::default())];
    groups.extend(common::report_golden_pools());
    groups
}

/// The stored texts of every group's days: as aggregated, with ids seen once counted, stripped.
fn stored_texts() -> Vec<String> {
    let mut out = Vec::new();
    for (entries, config) in groups() {
        let mut days: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
        for (i, mut e) in entries.into_iter().enumerate() {
            e.date = format!("2026-01-0{}", 1 + i % 3);
            e.id = format!("{}~{i}", e.id);
            days.entry(e.date.clone()).or_default().push(e);
        }
        for (date, day) in days {
            let agg = aggregate_day(&date, &day, &config).unwrap();
            let mut counted = agg.clone();
            counted.localize(&|id| id.ends_with('1'));
            for a in [agg.clone(), counted, agg.without_ids()] {
                let text = serde_json::to_string(&a).unwrap();
                // The worker stores what the core's writer writes; the derive is its oracle.
                assert_eq!(ledgerbridge_core::json::write::to_string(&a), text);
                out.push(text);
            }
        }
    }
    out
}

type Verdict = Result<String, String>;

fn ours(text: &str) -> Verdict {
    day_from_json(text)
        .map(|d| serde_json::to_string(&d).unwrap())
        .map_err(|e| format!("{} at {}", e.code(), e.path()))
}

fn oracle(text: &str) -> Verdict {
    from_json::<DayAggregate>(text.as_bytes())
        .map(|d| serde_json::to_string(&d).unwrap())
        .map_err(|e| format!("{} at {}", e.code(), e.path()))
}

#[test]
fn stored_days_read_back_as_written() {
    let texts = stored_texts();
    // Not vacuous: every part of an aggregate occurs in some stored day.
    for part in [
        "\"tax\":",
        "\"profit\":",
        "\"channel\":",
        "\"channels\":",
        "\"giftcards\":",
        "\"refunds\":",
        "\"disputes\":",
        "\"clearing\":",
        "\"ids\":",
        "\"n\":",
        "\"missing\":",
        "\"e\":",
    ] {
        assert!(texts.iter().any(|t| t.contains(part)), "no day has {part}");
    }
    for text in &texts {
        assert_eq!(ours(text).as_ref(), Ok(text), "reader on {text}");
        assert_eq!(oracle(text).as_ref(), Ok(text), "derive on {text}");
    }
}

#[test]
fn edits_are_refused_as_the_derive_refuses_them() {
    let texts = stored_texts();
    let rich = texts
        .iter()
        .find(|t| t.contains("\"disputes\":") && t.contains("\"ids\":"))
        .or_else(|| texts.iter().max_by_key(|t| t.len()))
        .unwrap();
    let edits: Vec<(&str, &str)> = vec![
        ("\"date\":", "\"datum\":"),
        ("\"date\":", "\"date\":1,\"date\":"),
        ("\"a\":\"", "\"a\":\"x"),
        ("\"a\":\"", "\"a\":1,\"b\":\""),
        ("\"a\":", "\"z\":"),
        ("\"rows\":", "\"rowz\":"),
        ("\"USD\":", "\"XXX\":"),
        ("\"n\":", "\"n\":-"),
        ("\"ids\":[", "\"ids\":[1,"),
        ("\"e\":[", "\"e\":{"),
        ("\"entries\":{", "\"entries\":["),
        ("\"channel\":\"", "\"channel\":null,\"x\":\""),
        ("[{\"dispute\"", "[1,{\"dispute\""),
        ("\"status\":", "\"state\":"),
        ("}", "},"),
        ("\"tax\":{", "\"tax\":{\"unknown\":[1,{\"a\":2}],"),
    ];
    let mut tried = 0;
    for text in texts.iter().take(40).chain([rich]) {
        for (from, to) in &edits {
            let Some(at) = text.find(from) else { continue };
            let edited = format!("{}{to}{}", &text[..at], &text[at + from.len()..]);
            tried += 1;
            assert_eq!(ours(&edited), oracle(&edited), "{from} -> {to}");
        }
        for cut in [1, text.len() / 2, text.len() - 1] {
            let short = &text[..cut];
            assert!(
                ours(short).is_err() && oracle(short).is_err(),
                "cut at {cut}"
            );
        }
    }
    assert!(tried > 100, "only {tried} edits applied");
}
