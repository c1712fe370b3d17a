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

/// JSON text without whitespace between tokens, as webhooks arrive: the Reader's compact fast
/// paths (`Reader::key`, skipped keys) read it; the pretty fixtures take the general ones.
fn compact(text: &str) -> String {
    let (mut out, mut in_string, mut escaped) = (String::with_capacity(text.len()), false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !matches!(c, ' ' | '\n' | '\r' | '\t') {
            in_string = c == '"';
            out.push(c);
        }
    }
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
        let (reader, serde) = verdicts(&compact(text));
        assert_eq!(reader, serde, "compact {text}");
    }
}

/// A key is matched by its decoded text, whether or not the fast path read it: an escaped `id`
/// is `id` (so a second one is a duplicate), a near miss of the same length is another key.
#[test]
fn keys_match_by_their_decoded_text() {
    for (text, want) in [
        (r#"{"\u0069d":1,"id":2}"#, Err("E_INVALID_TYPE")),
        (r#"{"id":1,"\u0069d":2}"#, Err("E_INVALID_TYPE")),
        (r#"{"id":1, "id":2}"#, Err("E_INVALID_TYPE")),
        (r#"{"ie":1,"Id":2,"id ":3,"name":"x"}"#, Ok(None)),
        (r#"{"\u0069d":7}"#, Ok(Some("7"))),
        (r#"{"id":7}"#, Ok(Some("7"))),
        (r#"{ "id" : 7 }"#, Ok(Some("7"))),
        (
            r#"{"total_price_se":1,"total_price_sets":2,"id":"8"}"#,
            Ok(Some("8")),
        ),
    ] {
        let got = wire::Payload::parse(text.as_bytes());
        match want {
            Ok(id) => {
                let p = got.unwrap_or_else(|e| panic!("{text}: {e:?}"));
                assert_eq!(p.id.map(|i| i.0).as_deref(), id, "{text}");
            }
            Err(code) => {
                let e = got.err().unwrap_or_else(|| panic!("{text} read"));
                assert_eq!(e.code(), code, "{text}");
            }
        }
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
        compacted in any::<bool>(),
    ) {
        let all = fixtures();
        let text = which.get(&all);
        // A value start: just after `: `.
        let starts: Vec<usize> = text.match_indices(": ").map(|(i, _)| i + 2).collect();
        let start = *at.get(&starts);
        let mut r = crate::json::Reader::new(&text[start..]);
        let Ok(old) = r.raw() else { return Ok(()) };
        let mut edited = format!("{}{value}{}", &text[..start], &text[start + old.len()..]);
        if compacted {
            edited = compact(&edited);
        }
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
