//! Erasing personal data from a stored payload (Shopify's `customers/redact` and `shop/redact`,
//! GDPR erasure requests) while keeping everything the books are made of: the redacted payload
//! maps to exactly the entries the original did.
//!
//! Works on the JSON text, not on typed wire structs, so it covers every platform (and fields no
//! adapter reads) with one set of rules, and every value it keeps is copied byte for byte: an
//! amount is never re-rendered through a number type.

use crate::error::{LedgerError, Result};
use crate::json::from_json;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::fmt;

/// Keys that hold a person's data, removed wherever they appear. None of them is read by any
/// adapter (the redaction property test in `core/tests/redact.rs` maps every fixture both ways).
const PERSONAL: &[&str] = &[
    // contact
    "email",
    "contact_email",
    "receipt_email",
    "customer_email",
    "billing_email",
    "phone",
    "customer_phone",
    // names
    "first_name",
    "last_name",
    "customer_name",
    "company",
    // street addresses, wherever they nest
    "address",
    "address1",
    "address2",
    "address_1",
    "address_2",
    "street_1",
    "street_2",
    "line1",
    "line2",
    "city",
    "zip",
    "postcode",
    "postal_code",
    "latitude",
    "longitude",
    // whole person objects
    "customer",
    "billing_address",
    "shipping_address",
    "default_address",
    "billing_details",
    "customer_details",
    "customer_address",
    "customer_shipping",
    // device and free text a buyer typed
    "browser_ip",
    "customer_ip_address",
    "ip_address",
    "ip_address_v6",
    "client_details",
    "customer_user_agent",
    "note",
    "customer_note",
    "customer_message",
    "note_attributes",
];

/// In an object that is an address, `name` is the addressee (elsewhere it names an order, a
/// product or a tax, which the books need).
const ADDRESS_MARKERS: &[&str] = &[
    "address",
    "address1",
    "address_1",
    "street_1",
    "line1",
    "zip",
    "postcode",
    "postal_code",
];

/// The payload with personal data removed; the rest of its JSON text unchanged (whitespace
/// between tokens aside).
pub fn redact_personal_data(payload: &[u8]) -> Result<String> {
    let root: &RawValue = from_json(payload)?;
    let mut out = String::with_capacity(payload.len());
    write_redacted(root, &mut out)?;
    Ok(out)
}

fn write_redacted(value: &RawValue, out: &mut String) -> Result<()> {
    let text = value.get();
    match text.as_bytes().first() {
        Some(b'{') => {
            let Members(members) = parse(text)?;
            let address = members
                .iter()
                .any(|(k, _)| ADDRESS_MARKERS.contains(&k.as_str()));
            out.push('{');
            let mut first = true;
            for (key, value) in &members {
                if PERSONAL.contains(&key.as_str()) || (address && key == "name") {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                out.push_str(&serde_json::to_string(key).map_err(invalid)?);
                out.push(':');
                write_redacted(value, out)?;
            }
            out.push('}');
        }
        Some(b'[') => {
            let items: Vec<&RawValue> = serde_json::from_str(text).map_err(invalid)?;
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_redacted(item, out)?;
            }
            out.push(']');
        }
        _ => out.push_str(text),
    }
    Ok(())
}

fn parse(text: &str) -> Result<Members<'_>> {
    serde_json::from_str(text).map_err(invalid)
}

fn invalid(e: serde_json::Error) -> LedgerError {
    LedgerError::Json {
        path: String::new(),
        message: e.to_string(),
    }
}

/// An object's members in their original order (a map type would reorder or merge them).
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                    members.push(entry);
                }
                Ok(Members(members))
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                _: A,
            ) -> std::result::Result<Self::Value, A::Error> {
                Err(serde::de::Error::custom("expected an object"))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn keeps_amounts_byte_for_byte_and_drops_people() {
        let input = br#"{"id": 1, "total": 12.30, "big": 0.1000000000000000000001, "email": "a@b.c",
            "shipping_address": {"name": "A B"}, "shipping_lines": [{"price": "5.00", "phone": "1"}],
            "line_items": [{"name": "Tee", "price": "10"}], "shipping": {"address": {"line1": "x"}, "name": "A B"}}"#;
        let out = redact_personal_data(input).unwrap();
        assert_eq!(
            out,
            r#"{"id":1,"total":12.30,"big":0.1000000000000000000001,"shipping_lines":[{"price":"5.00"}],"line_items":[{"name":"Tee","price":"10"}],"shipping":{}}"#
        );
    }

    #[test]
    fn an_address_loses_its_name_other_objects_keep_theirs() {
        let out =
            redact_personal_data(br##"[{"name": "A", "zip": "1"}, {"name": "#1001"}]"##).unwrap();
        assert_eq!(out, r##"[{},{"name":"#1001"}]"##);
    }

    #[test]
    fn bad_json_is_a_typed_error() {
        assert_eq!(
            redact_personal_data(b"{\"a\":").unwrap_err().code(),
            "E_JSON"
        );
    }
}
