//! JSON in, typed errors out: every parse failure names the JSON path of the offending field.
//!
//! Two readers: [`Reader`] (hand-written, borrowed, one pass; it reads the platforms' wire types,
//! configs (`rules::read`) and stored entries (`journal::entry_read`)) and [`from_json`]
//! (serde_json, for what is still on serde derives). One writer, [`write`], renders the map output
//! and entries byte-identically to serde_json (`core/tests/json_write.rs` holds it to that); a field
//! added to `Mapped` or `Entry` must be added in `engine/write.rs` or `journal/write.rs` too (that
//! test compares every fixture's output with the serde derive, so it fails as soon as a fixture
//! carries the field). The serde derives stay as the oracles of those tests.
//!
//! The path is recovered from serde_json's line and column by walking the raw text up to that point
//! ([`locate`]), rather than by a path-tracking deserializer: that would compile a second copy of
//! every wire struct's deserializer into the wasm builds, for a path needed only on failure.

use crate::error::{join_path, LedgerError};
use serde::Deserialize;

mod members;
mod range;
mod reader;
mod scan;
mod variant;
pub mod write;
pub use members::{members, Others};
pub(crate) use range::beyond_f64;
pub(crate) use reader::digits_u64;
pub use reader::{Array, Object, Reader, Seen};
pub use variant::{unknown, variant};

/// One whole document `bytes`: UTF-8, one JSON value read by `read`, nothing after it but
/// whitespace; bytes that are not UTF-8 are `E_JSON` where they break.
pub fn document<'a, T>(
    bytes: &'a [u8],
    read: impl FnOnce(&mut Reader<'a>) -> Result<T, LedgerError>,
) -> Result<T, LedgerError> {
    let mut r = Reader::from_bytes(bytes)?;
    let value = read(&mut r)?;
    r.finish()?;
    Ok(value)
}

/// Parses `bytes` as `T`; a failure becomes a [`LedgerError`] carrying the field's path.
///
/// JSON is UTF-8 (RFC 8259), so the whole text is checked once up front: serde_json's byte reader
/// would otherwise check every key and string it reads, one call each, a tenth of the instructions
/// of mapping an order.
pub fn from_json<'de, T: Deserialize<'de>>(bytes: &'de [u8]) -> Result<T, LedgerError> {
    let text = std::str::from_utf8(bytes).map_err(|e| LedgerError::Json {
        path: locate(bytes, e.valid_up_to(), false),
        message: format!("invalid UTF-8 at byte {}", e.valid_up_to()),
    })?;
    serde_json::from_str(text).map_err(|e| classify(&error_path(bytes, &e), &e))
}

/// The JSON path (`line_items[1].quantity`) at which serde_json raised `error` on `bytes`.
pub fn error_path(bytes: &[u8], error: &serde_json::Error) -> String {
    let offset = byte_offset(bytes, error.line(), error.column());
    let missing_field = error.to_string().starts_with("missing field");
    // A missing field's path is its object's; `classify` appends the field's name.
    locate(bytes, offset, missing_field)
}

/// serde_json counts lines from 1 and columns in bytes from 1 (0 before the first byte of a line).
fn byte_offset(bytes: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match bytes
            .get(start..)
            .and_then(|rest| rest.iter().position(|b| *b == b'\n'))
        {
            Some(newline) => start += newline + 1,
            None => return bytes.len(),
        }
    }
    (start + column).min(bytes.len())
}

enum Frame {
    Object {
        key: Option<String>,
        expect_key: bool,
    },
    Array {
        index: usize,
    },
}

/// The JSON path of the value being read when `offset` bytes of `bytes` had been consumed. A
/// missing field is reported at its object's end, where the last key read belongs to another
/// member, so `missing_field` leaves the innermost object's key out.
pub fn locate(bytes: &[u8], offset: usize, missing_field: bool) -> String {
    let mut stack: Vec<Frame> = Vec::new();
    let end = offset.min(bytes.len());
    let mut i = 0;
    while i < end {
        match bytes.get(i).copied().unwrap_or(b' ') {
            b'{' => stack.push(Frame::Object {
                key: None,
                expect_key: true,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            // A closing bracket at the very end is where the error was raised: still inside.
            b'}' | b']' if i + 1 < end => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { expect_key, .. }) => *expect_key = true,
                None => {}
            },
            b'"' => {
                let start = i + 1;
                i = start;
                while i < end && bytes.get(i) != Some(&b'"') {
                    i += if bytes.get(i) == Some(&b'\\') { 2 } else { 1 };
                }
                if let Some(Frame::Object { key, expect_key }) = stack.last_mut() {
                    if *expect_key {
                        let text = bytes.get(start..i.min(bytes.len())).unwrap_or_default();
                        *key = Some(String::from_utf8_lossy(text).into_owned());
                        *expect_key = false;
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    let depth = stack.len();
    let mut path = String::new();
    for (n, frame) in stack.iter().enumerate() {
        match frame {
            Frame::Object { key: Some(key), .. } if !(missing_field && n + 1 == depth) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Array { index } => path.push_str(&format!("[{index}]")),
            Frame::Object { .. } => {}
        }
    }
    path
}

/// Maps a serde_json error at `path` to the error code that says what was wrong.
pub fn classify(path: &str, error: &serde_json::Error) -> LedgerError {
    let full = error.to_string();
    let message = full
        .rfind(" at line ")
        .map_or(full.as_str(), |i| &full[..i])
        .to_string();
    let path = path.to_string();
    if error.is_syntax() || error.is_eof() || error.is_io() {
        return LedgerError::Json { path, message };
    }
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|m| m.strip_suffix('`'))
    {
        return LedgerError::MissingField {
            path: join_path(&path, field),
        };
    }
    if let Some(value) = message.strip_prefix("amount too large: ") {
        return LedgerError::AmountTooLarge {
            path,
            value: value.to_string(),
        };
    }
    if let Some(rest) = message.strip_prefix("invalid amount ") {
        let (value, reason) = rest.split_once(": ").unwrap_or((rest, "not a decimal"));
        return LedgerError::InvalidAmount {
            path,
            value: value.trim_matches('"').to_string(),
            reason: reason.to_string(),
        };
    }
    if let Some(value) = message.strip_prefix("unknown currency ") {
        return LedgerError::UnknownCurrency {
            path,
            value: value.trim_matches('"').to_string(),
        };
    }
    if let Some(value) = message.strip_prefix("invalid timestamp ") {
        return LedgerError::InvalidTimestamp {
            path,
            value: value.trim_matches('"').to_string(),
        };
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        return LedgerError::InvalidValue {
            path,
            value: String::new(),
            reason: rest.to_string(),
        };
    }
    LedgerError::InvalidType { path, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Doc {
        note: String,
        rows: Vec<Vec<Cell>>,
    }

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Cell {
        n: u32,
    }

    fn path_of(text: &str) -> (String, String) {
        let e = from_json::<Doc>(text.as_bytes()).unwrap_err();
        (e.code().to_string(), e.path().to_string())
    }

    #[test]
    fn paths_survive_escapes_nesting_and_newlines() {
        let text = "{\"note\": \"a \\\"quoted\\\" [tricky] {text}, here\",\n \"rows\": [[{\"n\": 1}],\n [{\"n\": 2}, {\"n\": \"x\"}]]}";
        assert_eq!(
            path_of(text),
            ("E_INVALID_TYPE".into(), "rows[1][1].n".into())
        );
        let text = "{\"note\": \"ok\", \"rows\": [[{\"n\": 1}, {}]]}";
        assert_eq!(
            path_of(text),
            ("E_MISSING_FIELD".into(), "rows[0][1].n".into())
        );
        let text = "{\"note\": \"ok\", \"rows\": [[{\"n\": 1}]], }";
        assert_eq!(path_of(text).0, "E_JSON");
        assert_eq!(
            path_of("{\"rows\": []}"),
            ("E_MISSING_FIELD".into(), "note".into())
        );
    }

    #[test]
    fn text_that_is_not_utf8_is_refused_where_it_breaks() {
        // Even inside a member no struct reads: JSON text is UTF-8 or it is not JSON.
        let bytes = b"{\"note\": \"ok\", \"extra\": {\"x\": \"caf\xe9\"}, \"rows\": []}";
        let e = from_json::<Doc>(bytes).unwrap_err();
        assert_eq!((e.code(), e.path()), ("E_JSON", "extra.x"));
        assert!(e.to_string().contains("UTF-8"), "{e}");
    }
}

#[cfg(test)]
mod reader_tests;

/// Holds a hand-written reader to the serde derive it replaces: on every body, the same value or
/// the same error code and path.
#[cfg(test)]
pub(crate) fn assert_reads_as_derive<T>(
    bodies: &[&str],
    read: impl Fn(&[u8]) -> Result<T, LedgerError>,
) where
    T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    for body in bodies {
        let want = from_json::<T>(body.as_bytes());
        let got = read(body.as_bytes());
        match (&got, &want) {
            (Ok(g), Ok(w)) => assert_eq!(g, w, "{body}"),
            (Err(g), Err(w)) => {
                assert_eq!(
                    (g.code(), g.path()),
                    (w.code(), w.path()),
                    "{body}: {g} / {w}"
                )
            }
            _ => panic!("{body}: {got:?} / {want:?}"),
        }
    }
}
