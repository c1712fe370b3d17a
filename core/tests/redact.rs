//! Erasure keeps the books: every fixture, with its personal data redacted, maps to exactly the
//! entries, warnings and profit of the original, and none of the canary PII planted in the
//! fixtures (tests/fixtures/README.md) survives the redaction.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{cases, config_for};
use ledgerbridge_core::{map, redact_personal_data};

/// The canary values planted in the fixtures' customer fields.
const CANARIES: &[&str] = &[
    "canary.pii@example.test",
    "Canary Person",
    "+1-555-0100-CANARY",
    "Canary Road",
    "Apt CANARY",
    "Canaryville",
    "Canarystadt",
];

#[test]
fn redacted_fixtures_map_to_the_same_books_and_keep_no_canary() {
    let mut planted = 0;
    for (platform, case) in cases() {
        let name = case.display().to_string();
        let input = std::fs::read(case.join("input.json")).unwrap();
        let text = String::from_utf8_lossy(&input);
        planted += CANARIES.iter().filter(|c| text.contains(*c)).count();
        let redacted = redact_personal_data(&input).unwrap_or_else(|e| panic!("{name}: {e}"));
        for canary in CANARIES {
            assert!(
                !redacted.contains(canary),
                "{name}: {canary:?} survived: {redacted}"
            );
        }
        let config = config_for(&case);
        let before = map(platform, &input, &config).map(|m| serde_json::to_string(&m).unwrap());
        let after =
            map(platform, redacted.as_bytes(), &config).map(|m| serde_json::to_string(&m).unwrap());
        match (before, after) {
            (Ok(b), Ok(a)) => assert_eq!(b, a, "{name}: the books changed"),
            (b, a) => panic!("{name}: {b:?} vs {a:?}"),
        }
    }
    assert!(
        planted > 40,
        "the fixtures carry the canaries ({planted} found)"
    );
}

#[test]
fn redacting_twice_changes_nothing_more() {
    for (_, case) in cases() {
        let input = std::fs::read(case.join("input.json")).unwrap();
        let once = redact_personal_data(&input).unwrap();
        assert_eq!(redact_personal_data(once.as_bytes()).unwrap(), once);
    }
}
