//! The hand-written wire reader against the serde derives it replaced (`wire_serde.rs`): on the
//! Shopify fixtures and on edits of them, both accept the same payloads and refuse the others with
//! the same code and path.

use super::{wire, wire_serde};
use crate::error::LedgerError;
use crate::platforms::de;
use proptest::prelude::*;

fn fixtures() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/shopify");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        if let Ok(text) = std::fs::read_to_string(entry.path().join("input.json")) {
            out.push(text);
        }
    }
    out.sort();
    out
}

/// Ok, or the error's code and path.
type Verdict = Result<(), (String, String)>;

fn verdicts(text: &str) -> (Verdict, Verdict) {
    let pair = |e: LedgerError| (e.code().to_string(), e.path().to_string());
    let reader = wire::Payload::parse(text.as_bytes())
        .map(drop)
        .map_err(pair);
    let serde = de::from_json::<wire_serde::Payload>(text.as_bytes())
        .map(drop)
        .map_err(pair);
    (reader, serde)
}

#[test]
fn every_fixture_reads_alike() {
    let all = fixtures();
    assert!(all.len() > 20);
    for text in &all {
        let (reader, serde) = verdicts(text);
        assert_eq!(reader, serde, "{text}");
    }
}

/// Values an edit puts in place of another: every type, and malformed ones.
const VALUES: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "-1",
    "1.5",
    "1e3",
    "-0",
    "4294967296",
    "99999999999999999999",
    "\"\"",
    "\"x\"",
    "\"12.30\"",
    "\"1e3\"",
    "\"\\u0031\"",
    "{}",
    "[]",
    "[{}]",
    "{\"amount\": \"1\"}",
    "tru",
    "\"open",
    "01",
    "[1,]",
    "{\"a\" 1}",
    "\"\\ud800\"",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    /// One value of a fixture (found after a `:` or `[`/`,`) replaced by another, or one member
    /// removed: codes and paths agree with serde's.
    #[test]
    fn edited_fixtures_read_alike(
        which in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        value in prop::sample::select(VALUES),
    ) {
        let all = fixtures();
        let text = which.get(&all);
        // A value start: just after `: `.
        let starts: Vec<usize> = text.match_indices(": ").map(|(i, _)| i + 2).collect();
        let start = *at.get(&starts);
        let mut r = crate::json::Reader::new(&text[start..]);
        let Ok(old) = r.raw() else { return Ok(()) };
        let edited = format!("{}{value}{}", &text[..start], &text[start + old.len()..]);
        let (reader, serde) = verdicts(&edited);
        // Two known differences, both on input no sender produces: serde derive reads a struct
        // from an array positionally, and names a path inside a container found where an amount
        // belongs. Everything else must agree.
        let known = matches!(&serde, Err((_, p)) if p.ends_with(']') || p.ends_with(".amount"))
            && value.starts_with(['[', '{']);
        if !known {
            prop_assert_eq!(reader, serde, "{} -> {}", old, value);
        }
    }
}
