//! Deserialization helpers shared by the adapters: amounts read from their JSON text, ids that
//! may be numbers or strings, quantities that must not be negative, and errors carrying the path.

use crate::error::LedgerError;
use crate::json::Reader;
use crate::money::{parse_decimal, NumeralError};
use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::fmt;

/// An amount read from the exact text of a JSON string or number, never through `f64`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Dec(pub Decimal);

impl<'de> Deserialize<'de> for Dec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(d)?;
        let text = raw.get();
        let inner = match text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) {
            Some(quoted) => quoted,
            None if text.starts_with(['-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']) => {
                text
            }
            None => {
                return Err(de::Error::custom(format!(
                    "invalid type: {text}, expected a decimal amount"
                )))
            }
        };
        parse_decimal(inner).map(Dec).map_err(|e| match e {
            NumeralError::TooLarge => de::Error::custom(format!("amount too large: {inner}")),
            other => de::Error::custom(format!("invalid amount {inner:?}: {}", other.reason())),
        })
    }
}

/// Platform ids arrive as numbers (Shopify REST) or strings (GraphQL gids, Stripe); both become text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Id(pub String);

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct IdVisitor;
        impl Visitor<'_> for IdVisitor {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an id (integer or string)")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Id, E> {
                Ok(Id(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Id, E> {
                Ok(Id(v.to_string()))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Id, E> {
                if v.is_empty() || v.len() > 200 {
                    return Err(E::custom(
                        "invalid value: an id must hold 1 to 200 characters",
                    ));
                }
                Ok(Id(v.to_string()))
            }
        }
        d.deserialize_any(IdVisitor)
    }
}

/// A non-negative whole quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Qty(pub u32);

impl<'de> Deserialize<'de> for Qty {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct QtyVisitor;
        impl Visitor<'_> for QtyVisitor {
            type Value = Qty;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a whole, non-negative quantity")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Qty, E> {
                u32::try_from(v)
                    .ok()
                    .filter(|q| *q <= QUANTITY_MAX)
                    .map(Qty)
                    .ok_or_else(|| {
                        E::custom(format!("invalid value: quantity {v} above {QUANTITY_MAX}"))
                    })
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Qty, E> {
                if v < 0 {
                    return Err(E::custom(format!("invalid value: negative quantity {v}")));
                }
                self.visit_u64(v.unsigned_abs())
            }
        }
        d.deserialize_any(QtyVisitor)
    }
}

/// No real order line holds a billion units; more is corrupt input.
pub const QUANTITY_MAX: u32 = 1_000_000_000;

/// Only the tests' serde oracles read through serde_json now.
#[cfg(test)]
pub use crate::json::from_json;

/// `bytes` as text, refused with `E_JSON` where they stop being UTF-8 (JSON text is UTF-8).
pub fn utf8(bytes: &[u8]) -> Result<&str, LedgerError> {
    std::str::from_utf8(bytes).map_err(|e| LedgerError::Json {
        path: crate::json::locate(bytes, e.valid_up_to(), false),
        message: format!("invalid UTF-8 at byte {}", e.valid_up_to()),
    })
}

/// An amount read by [`Reader`] with [`Dec`]'s semantics and errors.
pub fn amount(r: &mut Reader<'_>) -> Result<Decimal, LedgerError> {
    let (text, start) = r.numeral()?;
    fast_decimal(text).map_err(|e| match e {
        NumeralError::TooLarge => LedgerError::AmountTooLarge {
            path: r.path_at(start),
            value: text.to_string(),
        },
        other => LedgerError::InvalidAmount {
            path: r.path_at(start),
            value: format!("{text:?}").trim_matches('"').to_string(),
            reason: other.reason().to_string(),
        },
    })
}

/// A quantity read by [`Reader`] with [`Qty`]'s semantics and errors.
pub fn quantity(r: &mut Reader<'_>) -> Result<Qty, LedgerError> {
    r.qty(QUANTITY_MAX).map(Qty)
}

/// [`parse_decimal`], with a fast path for the common case (a plain numeral of at most 18 digits,
/// at most 15 of them before the point) that builds the same `Decimal` (same digits, same scale,
/// zero never negative) without text splitting and rust_decimal's parser.
fn fast_decimal(text: &str) -> Result<Decimal, NumeralError> {
    let bytes = text.as_bytes();
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let (mut mantissa, mut count, mut int_digits, mut scale) = (0u64, 0u32, 0u32, None::<u32>);
    for &b in digits {
        match b {
            b'0'..=b'9' => {
                mantissa = mantissa * 10 + u64::from(b - b'0');
                count += 1;
                match scale.as_mut() {
                    Some(s) => *s += 1,
                    None if mantissa > 0 => int_digits += 1,
                    None => {}
                }
                if count > 18 {
                    return parse_decimal(text);
                }
            }
            b'.' if scale.is_none() && count > 0 => scale = Some(0),
            _ => return parse_decimal(text),
        }
    }
    let scale = match scale {
        Some(0) => return parse_decimal(text),
        Some(s) => s,
        None if count == 0 => return parse_decimal(text),
        None => 0,
    };
    if int_digits > 15 {
        return parse_decimal(text);
    }
    let signed = i64::try_from(mantissa).map_err(|_| NumeralError::TooLarge)?;
    let value = Decimal::try_new(if negative { -signed } else { signed }, scale)
        .map_err(|_| NumeralError::TooPrecise)?;
    Ok(crate::money::normalize_zero(value))
}

/// More items of one kind (line items, transactions, products) than this is not an order a shop
/// could take; refuse rather than spin.
pub const ITEMS_MAX: usize = 5_000;

/// Refuses a list longer than [`ITEMS_MAX`].
pub fn limit(count: usize, path: &str) -> Result<(), LedgerError> {
    if count > ITEMS_MAX {
        return Err(LedgerError::LimitExceeded {
            path: path.to_string(),
            what: "items".to_string(),
            limit: ITEMS_MAX,
        });
    }
    Ok(())
}

/// An ISO 4217 code from the payload, or an error naming the field.
pub fn currency(code: &str, path: &str) -> Result<crate::money::Currency, LedgerError> {
    crate::money::Currency::from_code(code).ok_or_else(|| LedgerError::UnknownCurrency {
        path: path.to_string(),
        value: code.to_string(),
    })
}

/// An RFC 3339 timestamp (offset-less text is UTC), or an error naming the field.
pub fn timestamp(text: &str, path: &str) -> Result<crate::model::Timestamp, LedgerError> {
    crate::model::Timestamp::parse(text).ok_or_else(|| LedgerError::InvalidTimestamp {
        path: path.to_string(),
        value: text.to_string(),
    })
}

/// A required field that the wire struct keeps optional (it is only required for some payloads).
pub fn required<T>(value: Option<T>, path: &str) -> Result<T, LedgerError> {
    value.ok_or_else(|| LedgerError::MissingField {
        path: path.to_string(),
    })
}

/// An optional text member (`null` reads as `None`).
pub fn text(r: &mut Reader<'_>) -> Result<Option<String>, LedgerError> {
    r.opt(Reader::string)
}

/// An optional amount member.
pub fn dec(r: &mut Reader<'_>) -> Result<Option<Dec>, LedgerError> {
    r.opt(|r| amount(r).map(Dec))
}

/// A required id member.
pub fn id(r: &mut Reader<'_>) -> Result<Id, LedgerError> {
    r.id().map(Id)
}

pub use crate::json::document;

/// An object's members read with [`Reader`]: each known key once (a repeat is refused, as serde
/// derive refused it), any other member skipped. The bit numbers the key for that check.
///
/// The key picks a bit first and the duplicate check runs once, outside the arms: inside each arm
/// it was one call and one error hand-over per known key (wasm bytes in every reader).
macro_rules! members {
    ($r:ident; $($bit:literal $key:literal => $read:expr;)*) => {{
        let mut obj = $r.object()?;
        let mut seen = $crate::json::Seen::default();
        while let Some(key) = $r.key(&mut obj)? {
            let bit: u32 = match &*key {
                $($key => $bit,)*
                _ => {
                    $r.skip()?;
                    continue;
                }
            };
            // The key matched one of the literals, so it is the name serde's message gives.
            seen.first($r, bit, &key)?;
            drop(key);
            match bit {
                $($bit => $read,)*
                _ => {}
            }
        }
    }};
}
pub(crate) use members;

/// The path serde_json gave an error raised just after the value the cursor has passed. Only
/// computed on failure: [`Reader::finish`] refuses the `,` or `}` that follows and names where it
/// stands (the Reader exposes no position, so the walk that names its errors is reused).
pub fn here(r: &mut Reader<'_>) -> String {
    match r.finish() {
        Err(e) => e.path().to_string(),
        Ok(()) => String::new(),
    }
}

/// What serde names a JSON value of this text in "invalid type" messages.
fn found(raw: &str) -> String {
    match raw.as_bytes().first() {
        Some(b'"') => format!("string {raw}"),
        Some(b't' | b'f') => format!("boolean `{raw}`"),
        Some(b'n') => "null".to_string(),
        Some(b'[') => "sequence".to_string(),
        Some(b'{') => "map".to_string(),
        _ => format!("floating point `{raw}`"),
    }
}

/// A whole number within `min..=max`, read as serde reads an integer field of Rust type `what`
/// (`"i64"`, `"u32"`): a fraction, exponent or `-0` is the wrong type, an integer out of range
/// the wrong value. Non-generic, so each integer type costs no code of its own.
pub fn whole(r: &mut Reader<'_>, what: &str, min: i64, max: i64) -> Result<i64, LedgerError> {
    let raw = r.raw()?;
    let wrong = |r: &mut Reader<'_>| LedgerError::InvalidType {
        path: here(r),
        message: format!("invalid type: {}, expected {what}", found(raw)),
    };
    let (negative, digits) = match raw.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        all => (false, all),
    };
    if !digits.first().is_some_and(u8::is_ascii_digit) {
        return Err(wrong(r));
    }
    let magnitude = crate::json::digits_u64(digits);
    // As serde_json: `-0`, a fraction, an exponent or a magnitude beyond u64/i64 is a float.
    // Sign and u64 magnitude rather than an i128: no 128-bit formatting or division in the module.
    let value = match (negative, magnitude) {
        (false, Some(m)) => Some((i64::try_from(m).ok(), m)),
        (true, Some(m)) if m != 0 && m <= 1 << 63 => Some((Some(0i64.wrapping_sub_unsigned(m)), m)),
        _ => None,
    };
    let Some((value, magnitude)) = value else {
        if crate::json::beyond_f64(raw) {
            return Err(LedgerError::Json {
                path: here(r),
                message: "number out of range".to_string(),
            });
        }
        return Err(wrong(r));
    };
    match value {
        Some(v) if (min..=max).contains(&v) => Ok(v),
        _ => Err(LedgerError::InvalidValue {
            path: here(r),
            value: String::new(),
            reason: format!(
                "integer `{}{magnitude}`, expected {what}",
                if negative { "-" } else { "" }
            ),
        }),
    }
}

/// An `i64` field.
pub fn int(r: &mut Reader<'_>) -> Result<i64, LedgerError> {
    whole(r, "i64", i64::MIN, i64::MAX)
}

#[cfg(test)]
#[path = "de_reader_tests.rs"]
mod reader_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// Same value, same scale (so the same text out), same refusals as the slow path.
        #[test]
        fn the_fast_path_agrees_with_parse_decimal(text in "-?[0-9]{0,20}(\\.[0-9]{0,12})?[.e0-9]?") {
            let (fast, slow) = (fast_decimal(&text), parse_decimal(&text));
            prop_assert_eq!(fast.as_ref().map(ToString::to_string), slow.as_ref().map(ToString::to_string));
            prop_assert_eq!(fast.map(|d| d.is_sign_negative()), slow.map(|d| d.is_sign_negative()));
        }
    }

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Probe {
        amount: Dec,
        #[serde(default)]
        items: Vec<Item>,
    }
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Item {
        qty: Qty,
        id: Id,
    }

    #[test]
    fn reads_amounts_from_their_text() {
        let p: Probe = from_json(br#"{"amount": 0.30000000000000004}"#).unwrap();
        assert_eq!(p.amount.0.to_string(), "0.30000000000000004");
        let p: Probe = from_json(br#"{"amount": "12.30"}"#).unwrap();
        assert_eq!(p.amount.0.to_string(), "12.30");
        let p: Probe = from_json(br#"{"amount": 123456789012.345678901234}"#).unwrap();
        assert_eq!(p.amount.0.to_string(), "123456789012.345678901234");
    }

    #[test]
    fn errors_carry_the_path() {
        let e = from_json::<Probe>(br#"{"amount": "1e3"}"#).unwrap_err();
        assert_eq!((e.code(), e.path()), ("E_INVALID_AMOUNT", "amount"));
        let e = from_json::<Probe>(
            br#"{"amount": "1", "items": [{"qty": 1, "id": 1}, {"qty": -2, "id": 2}]}"#,
        )
        .unwrap_err();
        assert_eq!((e.code(), e.path()), ("E_INVALID_VALUE", "items[1].qty"));
        let e = from_json::<Probe>(br#"{"amount": "1", "items": [{"qty": 1}]}"#).unwrap_err();
        assert_eq!((e.code(), e.path()), ("E_MISSING_FIELD", "items[0].id"));
        let e = from_json::<Probe>(br#"{"amount": "1", "items": [{"qty": "1", "id": 1}]}"#)
            .unwrap_err();
        assert_eq!((e.code(), e.path()), ("E_INVALID_TYPE", "items[0].qty"));
        let e = from_json::<Probe>(br#"{"amount": 1e400}"#).unwrap_err();
        assert_eq!(e.code(), "E_INVALID_AMOUNT");
        let e = from_json::<Probe>(br#"{"amount": "99999999999999999999"}"#).unwrap_err();
        assert_eq!((e.code(), e.path()), ("E_AMOUNT_TOO_LARGE", "amount"));
        let e = from_json::<Probe>(br#"{"amount": "1", "items": [}"#).unwrap_err();
        assert_eq!(e.code(), "E_JSON");
        let e = from_json::<Probe>(br#"{"amount": true}"#).unwrap_err();
        assert_eq!((e.code(), e.path()), ("E_INVALID_TYPE", "amount"));
    }
}
