//! The serde reading of canonical JSON that `read.rs` replaced, kept as the tests' oracle: the
//! model types' derives through serde_json, the tag first or anywhere. `read_tests.rs` compares the
//! two on every fixture, on malformed documents and on generated ones.

use crate::error::{LedgerError, Result};
use crate::model::{Dispute, Event, Expense, Order, Payout, StandaloneRefund};
use crate::platforms::de;
use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::fmt;

pub fn parse(bytes: &[u8]) -> Result<Event> {
    match de::from_json::<TagFirst>(bytes)? {
        TagFirst(Some(event)) => Ok(event),
        TagFirst(None) => tag_elsewhere(bytes),
    }
}

/// An event whose first member is `"type": "<kind>"` (the documented form), its body read straight
/// into the kind's own type, so an error carries the path of its field. serde's derive for the
/// tagged `Event` would buffer the body first, and that buffering compiled a second deserializer of
/// every model type into the wasm builds (browser module 487 367 → 463 759 bytes gzipped). `None`:
/// any other object, read by [`tag_elsewhere`].
struct TagFirst(Option<Event>);

impl<'de> Deserialize<'de> for TagFirst {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_map(TagFirstVisitor)
    }
}

struct TagFirstVisitor;

impl<'de> Visitor<'de> for TagFirstVisitor {
    type Value = TagFirst;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("internally tagged enum Event")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<TagFirst, A::Error> {
        let kind = match map.next_key::<String>()? {
            Some(key) if key == "type" => match map.next_value::<serde_json::Value>()? {
                serde_json::Value::String(kind) => Some(kind),
                _ => None,
            },
            Some(_) => {
                map.next_value::<IgnoredAny>()?;
                None
            }
            None => None,
        };
        let body = MapAccessDeserializer::new(&mut map);
        let event = match kind.as_deref() {
            Some("order") => Event::Order(Order::deserialize(body)?),
            Some("refund") => Event::Refund(StandaloneRefund::deserialize(body)?),
            Some("payout") => Event::Payout(Payout::deserialize(body)?),
            Some("expense") => Event::Expense(Expense::deserialize(body)?),
            Some("dispute") => Event::Dispute(Dispute::deserialize(body)?),
            _ => {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                return Ok(TagFirst(None));
            }
        };
        Ok(TagFirst(Some(event)))
    }
}

/// The members of an object, each value as its exact text (numbers keep every digit).
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de: 'a, 'a> Deserialize<'de> for Members<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct MembersVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for MembersVisitor<'a> {
            type Value = Members<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Members<'a>, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, &'de RawValue>()? {
                    members.push(member);
                }
                Ok(Members(members))
            }
        }
        d.deserialize_map(MembersVisitor(std::marker::PhantomData))
    }
}

/// An object whose `type` is missing, not a string, unknown or not its first member: the body is
/// written again without the tag (values verbatim) and read as its kind's type, so an error still
/// names its field (`lines[0].unit_price`).
fn tag_elsewhere(bytes: &[u8]) -> Result<Event> {
    let Members(members) = de::from_json(bytes)?;
    let mut kind = None;
    let mut body = String::from("{");
    for (key, value) in &members {
        if key == "type" {
            kind = Some(*value);
            continue;
        }
        if body.len() > 1 {
            body.push(',');
        }
        body.push_str(&serde_json::Value::from(key.as_str()).to_string());
        body.push(':');
        body.push_str(value.get());
    }
    body.push('}');
    let Some(kind) = kind else {
        return Err(LedgerError::MissingField {
            path: "type".to_string(),
        });
    };
    let kind = match serde_json::from_str::<serde_json::Value>(kind.get()) {
        Ok(serde_json::Value::String(kind)) => kind,
        other => {
            let shown = other.map_or_else(|_| kind.get().to_string(), |v| v.to_string());
            return Err(LedgerError::InvalidType {
                path: "type".to_string(),
                message: format!("invalid type: {shown}, expected a string"),
            });
        }
    };
    let body = body.as_bytes();
    match kind.as_str() {
        "order" => de::from_json(body).map(Event::Order),
        "refund" => de::from_json(body).map(Event::Refund),
        "payout" => de::from_json(body).map(Event::Payout),
        "expense" => de::from_json(body).map(Event::Expense),
        "dispute" => de::from_json(body).map(Event::Dispute),
        _ => Err(LedgerError::InvalidValue {
            path: "type".to_string(),
            value: kind,
            reason: "unknown event type".to_string(),
        }),
    }
}
