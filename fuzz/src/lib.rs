//! Invariants the fuzz targets check on every input. A violated invariant panics, which libFuzzer
//! reports as a crash with the input saved under `fuzz/artifacts/<target>/`.

/// The edge worker's `verify` module, compiled here from its own file: it needs only hmac, sha2
/// and base64, while depending on the worker crate would instrument its whole host runtime too.
#[path = "../../edge-worker/src/verify.rs"]
pub mod verify;

use ledgerbridge_core::exporters::{export, Format};
use ledgerbridge_core::{map, Config, Entry, LedgerError, Mapped, Platform, ERROR_CODES};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// Maps `data` twice with the default config. Both runs must agree byte for byte; an error must be
/// a typed one with a published code; a success must give balanced entries that every exporter
/// takes or refuses with a typed error.
pub fn check_map(platform: Platform, data: &[u8]) {
    check_map_with(platform, data, &Config::default());
}

/// [`check_map`] under a given config (the config target maps a fixed order with each config).
pub fn check_map_with(platform: Platform, data: &[u8], config: &Config) {
    let first = map(platform, data, config);
    let second = map(platform, data, config);
    match (&first, &second) {
        (Ok(a), Ok(b)) => assert_eq!(to_json(a), to_json(b), "map is not deterministic"),
        (Err(a), Err(b)) => {
            assert_eq!(a, b, "map fails differently on the same bytes");
            assert_typed(a);
        }
        _ => panic!("map succeeded once and failed once on the same bytes: {first:?} / {second:?}"),
    }
    if let Ok(mapped) = first {
        for entry in &mapped.entries {
            assert_balanced(entry);
        }
        // A part refused while the rest booked carries a published code, like any error, and
        // never comes alone: a payload with nothing booked is an error instead.
        for rejected in &mapped.rejected {
            assert!(
                ERROR_CODES.contains(&rejected.code.as_str()),
                "rejected part without a published code: {rejected:?}"
            );
        }
        assert!(
            mapped.rejected.is_empty() || !mapped.entries.is_empty() || !mapped.unbooked.is_empty(),
            "only rejected parts, yet no error"
        );
        check_exports(&mapped.entries, config);
    }
}

/// An error the faces can show: its code is one of the frozen list.
pub fn assert_typed(e: &LedgerError) {
    assert!(
        ERROR_CODES.contains(&e.code()),
        "error without a published code: {e:?}"
    );
}

fn to_json(mapped: &Mapped) -> String {
    match serde_json::to_string(mapped) {
        Ok(s) => s,
        Err(e) => panic!("a mapped result does not serialize: {e}"),
    }
}

/// Each line is one-sided and non-negative, and debits equal credits in the entry's currency
/// (an entry has exactly one currency, so per entry is per currency). Summed here rather than
/// trusted to `Entry::check`, which is part of what is under test.
fn assert_balanced(entry: &Entry) {
    assert!(!entry.lines.is_empty(), "entry {} has no lines", entry.id);
    let mut debits = Decimal::ZERO;
    let mut credits = Decimal::ZERO;
    for line in &entry.lines {
        let (d, c) = (line.debit.0, line.credit.0);
        assert!(
            !d.is_sign_negative() && !c.is_sign_negative(),
            "negative amount in {}: {line:?}",
            entry.id
        );
        assert!(
            d.is_zero() != c.is_zero(),
            "line in {} is not one-sided: {line:?}",
            entry.id
        );
        debits = add(debits, d);
        credits = add(credits, c);
    }
    assert_eq!(
        debits, credits,
        "entry {} unbalanced in {}",
        entry.id, entry.currency
    );
    if let Err(e) = entry.check() {
        panic!("engine output fails Entry::check: {e:?}");
    }
}

fn add(sum: Decimal, x: Decimal) -> Decimal {
    match sum.checked_add(x) {
        Some(v) => v,
        None => panic!("line total overflows a Decimal"),
    }
}

/// Every format, with every account mapped for QBO and Xero so that those exporters go past their
/// account lookup. JSON must always succeed and read back as the same entries.
fn check_exports(entries: &[Entry], config: &Config) {
    let mut config = config.clone();
    let accounts: Vec<String> = entries
        .iter()
        .flat_map(|e| e.lines.iter().map(|l| l.account.clone()))
        .collect();
    let mapping: BTreeMap<String, String> = accounts
        .into_iter()
        .enumerate()
        .map(|(i, a)| (a, (100 + i).to_string()))
        .collect();
    config.exports.qbo = mapping.clone();
    config.exports.xero = mapping;
    for format in Format::ALL {
        match export(entries, *format, &config) {
            Ok(text) if *format == Format::Json => {
                match serde_json::from_str::<Vec<Entry>>(&text) {
                    Ok(back) => assert_eq!(back, entries, "JSON export does not round-trip"),
                    Err(e) => panic!("JSON export does not parse back: {e}"),
                }
            }
            Ok(_) => {}
            Err(e) if *format == Format::Json => panic!("JSON export refused engine output: {e:?}"),
            Err(e) => assert_typed(&e),
        }
    }
}
