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

/// A flag that is `true` only when the JSON says `true`, or `"exempt"` as Stripe's
/// `customer.tax_exempt` does (anything else, or nothing, is `false`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Flag(pub bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = serde_json::Value::deserialize(d)?;
        Ok(Flag(
            value == serde_json::Value::Bool(true) || value.as_str() == Some("exempt"),
        ))
    }
}

/// A person or address object in any platform's spelling; absent or mistyped members are empty.
/// Used for Shopify `customer`/`billing_address`, WooCommerce `billing`, BigCommerce
/// `billing_address` and Stripe `billing_details` (+ its `address`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WirePerson {
    pub id: Lenient,
    pub first_name: Lenient,
    pub last_name: Lenient,
    /// Shopify's address `name`, Stripe's `billing_details.name`.
    pub name: Lenient,
    pub company: Lenient,
    pub email: Lenient,
    pub tax_exempt: Flag,
    // Street, in each platform's spelling.
    pub address1: Lenient,
    pub address2: Lenient,
    pub address_1: Lenient,
    pub address_2: Lenient,
    pub street_1: Lenient,
    pub street_2: Lenient,
    pub line1: Lenient,
    pub line2: Lenient,
    pub city: Lenient,
    pub province: Lenient,
    pub province_code: Lenient,
    pub state: Lenient,
    pub zip: Lenient,
    pub postcode: Lenient,
    pub postal_code: Lenient,
    pub country: Lenient,
    pub country_code: Lenient,
    pub country_iso2: Lenient,
    /// Stripe nests the address one level down (`billing_details.address`).
    pub address: Option<Box<WirePerson>>,
}

impl WirePerson {
    /// The person's name: `first last`, else the single `name` field.
    pub fn name(&self) -> Option<String> {
        full_name(self.first_name.get(), self.last_name.get()).or_else(|| text(self.name.get()))
    }

    /// The postal address, `None` when it has no part.
    pub fn address(&self) -> Option<Address> {
        if let Some(inner) = &self.address {
            return inner.address();
        }
        let first = |options: &[&Lenient]| options.iter().find_map(|o| text(o.get()));
        Address {
            line1: first(&[&self.address1, &self.address_1, &self.street_1, &self.line1]),
            line2: first(&[&self.address2, &self.address_2, &self.street_2, &self.line2]),
            city: text(self.city.get()),
            // The code (`NY`) is what the targets' address fields expect; the name otherwise.
            region: first(&[&self.province_code, &self.state, &self.province]),
            postal_code: first(&[&self.zip, &self.postcode, &self.postal_code]),
            country: first(&[&self.country_code, &self.country_iso2, &self.country]),
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
        name: pick(&|p| p.name()),
        company: pick(&|p| text(p.company.get())),
        email: pick(&|p| text(p.email.get())).or_else(|| text(email)),
        billing_address: billing.and_then(WirePerson::address),
        tax_exempt: person.is_some_and(|p| p.tax_exempt.0),
        vat_number: None,
    };
    (!customer.is_empty()).then_some(customer)
}
