//! The wire side of customers, shared by the adapters: person and address objects as Shopify,
//! WooCommerce, BigCommerce and Stripe spell them, read leniently.
//!
//! Lenient on purpose: personal data never decides the books, so a customer field of an odd type
//! (a numeric zip, an object where text was expected) is dropped, never an error that would park
//! the order. Every key read here that names or locates the person is in `redact::PERSONAL` (or
//! sits inside an object that is), so a redacted payload yields no name, email, id or street; only
//! region and country may stay (they decide tax): `core/tests/customers.rs` checks it per fixture.

use crate::model::{full_name, text, Address, Customer};
use serde::de::{Deserializer, IgnoredAny, Visitor};
use serde::Deserialize;
use std::fmt;

/// Text if the JSON value is a string or a number, nothing otherwise (null, objects, arrays).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Lenient(pub Option<String>);

impl Lenient {
    pub fn get(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl<'de> Deserialize<'de> for Lenient {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Lenient;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Lenient, E> {
                Ok(Lenient(Some(v.to_string())))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Lenient, E> {
                Ok(Lenient(Some(v.to_string())))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Lenient, E> {
                Ok(Lenient(Some(v.to_string())))
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Lenient, E> {
                Ok(Lenient(None))
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Lenient, E> {
                Ok(Lenient(None))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Lenient, E> {
                Ok(Lenient(None))
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Lenient, E> {
                Ok(Lenient(None))
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Lenient, D2::Error> {
                d.deserialize_any(V)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Lenient, A::Error> {
                while a.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Lenient(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Lenient, A::Error> {
                while a.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Lenient(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// A person or address object in any platform's spelling, kept as the JSON it came in: absent or
/// mistyped members are empty. Used for Shopify `customer`/`billing_address`, WooCommerce
/// `billing`, BigCommerce `billing_address` and Stripe `customer`/`billing_details` (+ its
/// `address`). A `serde_json::Value` rather than a struct of two dozen optional fields: the wasm
/// module already carries Value's deserializer, and a derived struct cost ~30 KB gzipped there.
#[derive(Debug, Default)]
pub struct WirePerson(serde_json::Value);

impl<'de> Deserialize<'de> for WirePerson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        serde_json::Value::deserialize(d).map(WirePerson)
    }
}

impl WirePerson {
    /// Member `key` as text: a string, or an integer (ids, numeric zip codes).
    fn text(&self, key: &str) -> Option<String> {
        match self.0.get(key)? {
            serde_json::Value::String(s) => text(Some(s)),
            serde_json::Value::Number(n) if !n.is_f64() => Some(n.to_string()),
            _ => None,
        }
    }

    fn first(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| self.text(k))
    }

    /// The platform's id of the person (Shopify `customer.id`, Stripe's expanded customer).
    pub fn id(&self) -> Option<String> {
        self.text("id")
    }

    /// Stripe's expandable `customer`: the id itself when not expanded, else the object's `id`.
    pub fn id_or_self(&self) -> Option<String> {
        match &self.0 {
            serde_json::Value::String(id) => text(Some(id)),
            _ => self.id(),
        }
    }

    /// `first_name last_name`, else the single `name` field (Shopify's address `name`, Stripe's
    /// `billing_details.name`).
    pub fn name(&self) -> Option<String> {
        let (first, last) = (self.text("first_name"), self.text("last_name"));
        full_name(first.as_deref(), last.as_deref()).or_else(|| self.text("name"))
    }

    pub fn company(&self) -> Option<String> {
        self.text("company")
    }

    pub fn email(&self) -> Option<String> {
        self.text("email")
    }

    /// `true` only for JSON `true`, or `"exempt"` as Stripe's `customer.tax_exempt` says.
    pub fn tax_exempt(&self) -> bool {
        match self.0.get("tax_exempt") {
            Some(serde_json::Value::Bool(b)) => *b,
            Some(serde_json::Value::String(s)) => s == "exempt",
            _ => false,
        }
    }

    /// The postal address, `None` when it has no part. Stripe nests it (`billing_details.address`).
    pub fn address(&self) -> Option<Address> {
        if let Some(inner) = self.0.get("address").filter(|a| a.is_object()) {
            return WirePerson(inner.clone()).address();
        }
        Address {
            line1: self.first(&["address1", "address_1", "street_1", "line1"]),
            line2: self.first(&["address2", "address_2", "street_2", "line2"]),
            city: self.text("city"),
            // The code (`NY`) is what the targets' address fields expect; the name otherwise.
            region: self.first(&["province_code", "state", "province"]),
            postal_code: self.first(&["zip", "postcode", "postal_code"]),
            country: self.first(&["country_code", "country_iso2", "country"]),
        }
        .non_empty()
    }
}

/// Builds the canonical customer from the platform's account id (`None`, `""` or `"0"` = guest),
/// its person object and its billing object; the person's fields win over the billing copy.
pub fn customer(
    id: Option<&str>,
    person: Option<&WirePerson>,
    billing: Option<&WirePerson>,
    email: Option<&str>,
) -> Option<Customer> {
    let id = text(id).filter(|id| id != "0");
    let pick = |f: &dyn Fn(&WirePerson) -> Option<String>| {
        person.and_then(f).or_else(|| billing.and_then(f))
    };
    let customer = Customer {
        guest: id.is_none(),
        id,
        name: pick(&WirePerson::name),
        company: pick(&WirePerson::company),
        email: pick(&WirePerson::email).or_else(|| text(email)),
        billing_address: billing.and_then(WirePerson::address),
        tax_exempt: person.is_some_and(WirePerson::tax_exempt),
        vat_number: None,
    };
    (!customer.is_empty()).then_some(customer)
}
