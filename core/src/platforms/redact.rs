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
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::fmt;

/// Keys that hold a person's data, removed wherever they appear. No adapter books any of them: the
/// customer adapter (`platforms::customer`) reads some for sales documents only, and the redaction
/// property test in `core/tests/redact.rs` maps every fixture both ways.
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
    // the platform's customer id (WooCommerce, BigCommerce): it names the person as surely as an
    // email once the store's records are at hand
    "customer_id",
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

/// Whether an object is an address (it has one of the address fields), so its `name` is a
/// person's name rather than a product's.
fn is_address(members: &[(String, &RawValue)]) -> bool {
    members
        .iter()
        .any(|(k, _)| ADDRESS_MARKERS.contains(&k.as_str()))
}

/// The one rule of what is personal: redaction removes exactly what an access request lists.
fn is_personal(key: &str, in_address: bool) -> bool {
    PERSONAL.contains(&key) || (in_address && key == "name")
}

fn write_redacted(value: &RawValue, out: &mut String) -> Result<()> {
    let text = value.get();
    match text.as_bytes().first() {
        Some(b'{') => {
            let Members(members) = parse(text)?;
            let address = is_address(&members);
            out.push('{');
            let mut first = true;
            for (key, value) in &members {
                if is_personal(key, address) {
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

/// One piece of personal data a payload holds: where (`customer.email`, `line_items[0].note`)
/// and the value as stored. Exactly what [`redact_personal_data`] removes, so an access request
/// ("what do you hold about me") and an erasure speak of the same fields.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonalField {
    pub path: String,
    pub value: serde_json::Value,
}

/// The personal data in a payload, in document order; empty for a redacted one.
pub fn personal_fields(payload: &[u8]) -> Result<Vec<PersonalField>> {
    let root: &RawValue = from_json(payload)?;
    let mut out = Vec::new();
    collect_personal(root, "", &mut out)?;
    Ok(out)
}

fn collect_personal(value: &RawValue, path: &str, out: &mut Vec<PersonalField>) -> Result<()> {
    let text = value.get();
    let join = |key: &str| {
        if path.is_empty() {
            key.to_string()
        } else {
            format!("{path}.{key}")
        }
    };
    match text.as_bytes().first() {
        Some(b'{') => {
            let Members(members) = parse(text)?;
            let address = is_address(&members);
            for (key, value) in &members {
                if is_personal(key, address) {
                    out.push(PersonalField {
                        path: join(key),
                        value: serde_json::from_str(value.get()).map_err(invalid)?,
                    });
                } else {
                    collect_personal(value, &join(key), out)?;
                }
            }
        }
        Some(b'[') => {
            let items: Vec<&RawValue> = serde_json::from_str(text).map_err(invalid)?;
            for (i, item) in items.iter().enumerate() {
                collect_personal(item, &format!("{path}[{i}]"), out)?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Whom an erasure request names: an email address, the platform's customer id, or both.
#[derive(Debug, Clone, Copy, Default)]
pub struct Customer<'a> {
    pub email: Option<&'a str>,
    pub id: Option<&'a str>,
}

/// Keys whose text is a person's email address, on any platform.
const EMAIL_KEYS: &[&str] = &[
    "email",
    "contact_email",
    "receipt_email",
    "customer_email",
    "billing_email",
];

/// Keys whose value is the platform's customer id (WooCommerce and BigCommerce `customer_id`,
/// Stripe `customer`), or an object holding it as `id` (Shopify `customer`).
const CUSTOMER_ID_KEYS: &[&str] = &["customer_id", "customer"];

/// Whether a stored payload is about `who`: an email field equal to the address (case aside) or
/// a customer id equal to the id, anywhere in it. A guest's id (`0`, empty) names nobody.
pub fn belongs_to(payload: &[u8], who: &Customer<'_>) -> Result<bool> {
    let email = who.email.map(str::trim).filter(|e| !e.is_empty());
    let id = who.id.map(str::trim).filter(|i| !i.is_empty() && *i != "0");
    if email.is_none() && id.is_none() {
        return Ok(false);
    }
    let root: serde_json::Value = from_json(payload)?;
    Ok(find_named(&root, &mut |named| match named {
        Named::Email(e) => email.is_some_and(|want| e.trim().eq_ignore_ascii_case(want)),
        Named::Id(i) => id == Some(i.as_str()),
    }))
}

/// Every email address and customer id a stored payload holds, in the fields [`belongs_to`]
/// matches (guest ids left out), each once: whom an erasure of the payload is about, for the
/// records kept under them (the worker's contacts, `exporters::find_keys`).
pub fn named_in(payload: &[u8]) -> Result<People> {
    let root: serde_json::Value = from_json(payload)?;
    let mut people = People::default();
    find_named(&root, &mut |named| {
        let (list, text) = match named {
            Named::Email(e) => (&mut people.emails, e.trim().to_string()),
            Named::Id(i) => (&mut people.ids, i.trim().to_string()),
        };
        if !text.is_empty() && text != "0" && !list.contains(&text) {
            list.push(text);
        }
        false
    });
    Ok(people)
}

/// The email addresses and customer ids of [`named_in`], in the order the payload has them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct People {
    pub emails: Vec<String>,
    pub ids: Vec<String>,
}

impl From<&Customer<'_>> for People {
    /// Whom an erasure or access request names, as a payload would name them.
    fn from(who: &Customer<'_>) -> Self {
        let own = |v: Option<&str>| {
            v.map(str::trim)
                .filter(|t| !t.is_empty())
                .map(String::from)
                .into_iter()
                .collect()
        };
        People {
            emails: own(who.email),
            ids: own(who.id),
        }
    }
}

enum Named<'a> {
    Email(&'a str),
    Id(String),
}

fn scalar_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Walks `value` depth first, giving `found` each email address and customer id, until it
/// answers true (then so does this).
fn find_named(value: &serde_json::Value, found: &mut dyn FnMut(Named<'_>) -> bool) -> bool {
    match value {
        serde_json::Value::Object(map) => map.iter().any(|(key, v)| {
            let here = if EMAIL_KEYS.contains(&key.as_str()) {
                v.as_str().is_some_and(|e| found(Named::Email(e)))
            } else if CUSTOMER_ID_KEYS.contains(&key.as_str()) {
                let held = match v {
                    serde_json::Value::Object(o) => o.get("id").and_then(scalar_text),
                    other => scalar_text(other),
                };
                held.is_some_and(|i| found(Named::Id(i)))
            } else {
                false
            };
            here || find_named(v, found)
        }),
        serde_json::Value::Array(items) => items.iter().any(|v| find_named(v, found)),
        _ => false,
    }
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
    fn a_payload_names_its_people_once_each_and_a_request_as_it_would() {
        let payload = br#"{"email": " A@b.example ", "customer": {"id": 7, "email": "a@b.example"},
            "billing": {"customer_id": 0, "email": "A@b.example "}, "lines": [{"customer_id": "7"}],
            "note": "email: not@this.example"}"#;
        let people = named_in(payload).unwrap();
        assert_eq!(people.emails, ["A@b.example", "a@b.example"]);
        assert_eq!(people.ids, ["7"], "a guest's 0 names nobody");
        let who = Customer {
            email: Some("  "),
            id: Some(" 7 "),
        };
        assert_eq!(
            People::from(&who),
            People {
                emails: vec![],
                ids: vec!["7".into()]
            }
        );
    }

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

    #[test]
    fn personal_fields_are_what_redaction_removes() {
        let input = br#"{"id": 7, "email": "a@b.c", "customer": {"id": 5, "first_name": "A"},
            "line_items": [{"name": "Tee", "note": "gift"}], "shipping": {"address": {"line1": "x"}, "name": "A B"}}"#;
        let fields = personal_fields(input).unwrap();
        let paths: Vec<&str> = fields.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "email",
                "customer",
                "line_items[0].note",
                "shipping.address",
                "shipping.name"
            ]
        );
        assert_eq!(fields[0].value, serde_json::json!("a@b.c"));
        let redacted = redact_personal_data(input).unwrap();
        assert!(personal_fields(redacted.as_bytes()).unwrap().is_empty());
    }

    #[test]
    fn a_payload_belongs_to_the_customer_it_names_by_email_or_id() {
        let shopify = br#"{"id": 1, "customer": {"id": 5, "email": "A@B.c"}}"#;
        let woo = br#"{"id": 2, "customer_id": 9, "billing": {"email": "x@y.z"}}"#;
        let stripe = br#"{"data": {"object": {"customer": "cus_1", "billing_details": {"email": "s@t.u"}}}}"#;
        let guest = br#"{"id": 3, "customer_id": 0}"#;
        let who = |email, id| Customer { email, id };
        assert!(belongs_to(shopify, &who(Some("a@b.C"), None)).unwrap());
        assert!(belongs_to(shopify, &who(None, Some("5"))).unwrap());
        assert!(!belongs_to(shopify, &who(None, Some("6"))).unwrap());
        assert!(belongs_to(woo, &who(None, Some("9"))).unwrap());
        assert!(belongs_to(woo, &who(Some("x@y.z"), None)).unwrap());
        assert!(belongs_to(stripe, &who(None, Some("cus_1"))).unwrap());
        assert!(belongs_to(stripe, &who(Some("s@t.u"), None)).unwrap());
        assert!(!belongs_to(guest, &who(None, Some("0"))).unwrap());
        assert!(!belongs_to(shopify, &who(None, None)).unwrap());
    }
}
