//! Generic canonical JSON: the serde form of [`crate::model::Event`] (`{"type": "order", ...}` or
//! `{"type": "refund", ...}`), so any stack can feed ledgerbridge without a dedicated adapter.
//! Documented in `docs/canonical-json.md`, schema in `docs/canonical.schema.json`.

use crate::error::{LedgerError, Result};
use crate::model::SourceFields;
use crate::model::{Event, Order, StandaloneRefund};
use crate::platforms::de;

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

pub fn parse(bytes: &[u8]) -> Result<Event> {
    match de::from_json::<Event>(bytes) {
        Ok(event) => Ok(event),
        Err(error) => Err(locate(bytes).unwrap_or(error)),
    }
}

/// An internally tagged enum buffers its body before picking the variant, which hides the path of
/// an error inside it. Only on failure, the body is parsed again as its variant's own type, without
/// the tag, to name the offending field (`lines[0].unit_price`).
fn locate(bytes: &[u8]) -> Option<LedgerError> {
    let mut value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    let object = value.as_object_mut()?;
    let kind = match object.remove("type") {
        None => {
            return Some(LedgerError::MissingField {
                path: "type".to_string(),
            })
        }
        Some(serde_json::Value::String(kind)) => kind,
        Some(other) => {
            return Some(LedgerError::InvalidType {
                path: "type".to_string(),
                message: format!("invalid type: {other}, expected a string"),
            })
        }
    };
    let body = serde_json::to_vec(&value).ok()?;
    match kind.as_str() {
        "order" => de::from_json::<Order>(&body).err(),
        "refund" => de::from_json::<StandaloneRefund>(&body).err(),
        _ => Some(LedgerError::InvalidValue {
            path: "type".to_string(),
            value: kind,
            reason: "unknown event type".to_string(),
        }),
    }
}
