//! Generic canonical JSON: the serde form of [`crate::model::Event`] (`{"type": "order", ...}` or
//! `{"type": "refund", ...}`), so any stack can feed ledgerbridge without a dedicated adapter.
//! Documented in `docs/canonical-json.md`, schema in `docs/canonical.schema.json`.
//!
//! Read on the core's [`Reader`] (`read.rs`), not through the model types' serde derives: that was
//! the only serde_json deserializer left in the widget's lean Canonical module. The derives' reading
//! is kept as the tests' oracle (`serde_oracle.rs`).

use crate::error::{LedgerError, Result};
use crate::json::{Object, Reader};
use crate::model::{Event, SourceFields};

mod read;
#[cfg(test)]
mod serde_oracle;
#[cfg(test)]
#[path = "read_tests.rs"]
mod tests;

/// Canonical field names, so explanations point at the document the sender wrote.
pub static FIELDS: SourceFields = SourceFields {
    platform: "canonical",
    label: "Canonical",
    lines: "lines",
    shipping: "shipping",
    tip: "tip",
    tenders: "tenders",
    gateway: "gateway",
    refunds: "refunds",
    refund_lines: "lines",
    adjustments: "adjustments",
};

const KINDS: [&str; 5] = ["order", "refund", "payout", "expense", "dispute"];

/// An event whose first member is `"type": "<kind>"` (the documented form) is read in one pass,
/// its body straight into the kind's type; a later `type` member is then an unknown field, as the
/// derive had it. Any other object is read by [`tag_elsewhere`].
pub fn parse(bytes: &[u8]) -> Result<Event> {
    let mut r = Reader::from_bytes(bytes)?;
    let mut obj = r.object()?;
    let mut kind = None;
    if let Some(key) = r.key(&mut obj)? {
        if key == "type" && r.lookahead() == b'"' {
            let name = r.str()?;
            kind = KINDS.iter().position(|k| *k == name);
        } else {
            r.skip()?;
        }
        if let Some(kind) = kind {
            let event = body(&mut r, obj, kind, false)?;
            r.finish()?;
            return Ok(event);
        }
        while r.key(&mut obj)?.is_some() {
            r.skip()?;
        }
    }
    r.finish()?;
    tag_elsewhere(bytes)
}

/// The rest of the object `obj` read as event kind `KINDS[kind]`.
fn body(r: &mut Reader<'_>, obj: Object, kind: usize, skip_tag: bool) -> Result<Event> {
    Ok(match kind {
        0 => Event::Order(read::order(r, obj, skip_tag)?),
        1 => Event::Refund(read::standalone_refund(r, obj, skip_tag)?),
        2 => Event::Payout(read::payout(r, obj, skip_tag)?),
        3 => Event::Expense(read::expense(r, obj, skip_tag)?),
        _ => Event::Dispute(read::dispute(r, obj, skip_tag)?),
    })
}

/// An object (already checked to be JSON) whose `type` is missing, not a string, unknown or not its
/// first member: the kind is taken from its last `type` member, then the whole object is read as
/// that kind with every `type` member passed over, so an error still names its field
/// (`lines[0].unit_price`).
fn tag_elsewhere(bytes: &[u8]) -> Result<Event> {
    let mut r = Reader::from_bytes(bytes)?;
    let mut obj = r.object()?;
    let mut tag = None;
    while let Some(key) = r.key(&mut obj)? {
        if key == "type" {
            tag = Some(r.raw()?);
        } else {
            r.skip()?;
        }
    }
    let Some(tag) = tag else {
        return Err(LedgerError::MissingField {
            path: "type".to_string(),
        });
    };
    if !tag.starts_with('"') {
        return Err(LedgerError::InvalidType {
            path: "type".to_string(),
            message: format!("invalid type: {tag}, expected a string"),
        });
    }
    let name = Reader::new(tag).string()?;
    let Some(kind) = KINDS.iter().position(|k| *k == name) else {
        return Err(LedgerError::InvalidValue {
            path: "type".to_string(),
            value: name,
            reason: "unknown event type".to_string(),
        });
    };
    let mut r = Reader::from_bytes(bytes)?;
    let obj = r.object()?;
    body(&mut r, obj, kind, true)
}
