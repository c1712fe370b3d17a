//! Error codes are public API: this list may grow at the end, never change or shrink.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::{LedgerError, ERROR_CODES};

#[test]
fn error_codes_are_frozen() {
    let frozen = [
        "E_JSON",
        "E_MISSING_FIELD",
        "E_INVALID_TYPE",
        "E_INVALID_AMOUNT",
        "E_AMOUNT_TOO_LARGE",
        "E_UNKNOWN_CURRENCY",
        "E_INVALID_VALUE",
        "E_INVALID_TIMESTAMP",
        "E_LIMIT_EXCEEDED",
        "E_UNBALANCED_SOURCE",
        "E_UNBALANCED",
        "E_CONFIG",
        "E_UNSUPPORTED_PLATFORM",
        "E_UNSUPPORTED_FORMAT",
    ];
    assert!(ERROR_CODES.len() >= frozen.len());
    assert_eq!(&ERROR_CODES[..frozen.len()], &frozen[..]);
    let mut sorted = ERROR_CODES.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), ERROR_CODES.len(), "codes must be unique");
}

#[test]
fn paths_nest_like_json() {
    let e = LedgerError::MissingField {
        path: "price".to_string(),
    }
    .within("line_items[2]")
    .within("refunds[0]");
    assert_eq!(e.path(), "refunds[0].line_items[2].price");
    let e = LedgerError::MissingField {
        path: "[3]".to_string(),
    }
    .within("lines");
    assert_eq!(e.path(), "lines[3]");
    assert_eq!(e.to_detail().code, "E_MISSING_FIELD");
}
