//! Who bought: the customer of an order, as `platforms::customer_of` reads it from its payload.
//!
//! The customer never enters the event or a journal entry (no line's text, no memo, no id), so the
//! ledger keeps no personal data and redacting a stored payload cannot change the books. Only the
//! sales documents of `exporters::documents` carry it to an accounting system.

use crate::error::Result;
use crate::json::{members, Others, Reader};
use serde::{Deserialize, Serialize};

/// The buyer of an order. Every field the platform did not send is `None`/`false`; an adapter never
/// invents a name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    /// The platform's customer id (Shopify `customer.id`, WooCommerce/BigCommerce `customer_id`,
    /// Stripe `customer`); `None` for a guest checkout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Bought without an account: documents go to the shared guest contact unless the config
    /// asks for guests individually.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub guest: bool,
    /// The person's name (`first_name last_name`, or the billing name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_address: Option<Address>,
    /// The platform marks the customer exempt from sales tax (Shopify `tax_exempt`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub tax_exempt: bool,
    /// VAT or other tax registration number, where the platform carries one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vat_number: Option<String>,
}

/// A postal address as the accounting targets take it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Address {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State, province or county.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// ISO 3166-1 alpha-2 when the platform gives it, otherwise the country as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

impl Customer {
    /// Whether the customer carries anything at all (a payload with an empty customer object
    /// gives none).
    pub fn is_empty(&self) -> bool {
        self == &Customer {
            guest: self.guest,
            ..Customer::default()
        }
    }
}

/// `Some(trimmed)` for text with something in it: platforms send `""` and `null` alike for a
/// field the buyer left empty.
pub fn text(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(String::from)
}

/// `first last`, either part optional.
pub fn full_name(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let parts: Vec<String> = [first, last].into_iter().filter_map(text).collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

impl Customer {
    /// A canonical payload's `customer`, read with the core's [`Reader`] as the derive reads it
    /// (every member optional, `null` for none, unknown or repeated members refused); the derive
    /// stays as the oracle `core/tests/customers.rs` holds this reader to.
    pub fn read(r: &mut Reader<'_>) -> Result<Customer> {
        const NAMES: [&str; 8] = [
            "id",
            "guest",
            "name",
            "company",
            "email",
            "billing_address",
            "tax_exempt",
            "vat_number",
        ];
        let mut c = Customer::default();
        members(r, &NAMES, Others::Refuse, &mut |r, i| {
            match i {
                0 => c.id = r.opt(Reader::string)?,
                1 => c.guest = r.bool()?,
                2 => c.name = r.opt(Reader::string)?,
                3 => c.company = r.opt(Reader::string)?,
                4 => c.email = r.opt(Reader::string)?,
                5 => c.billing_address = r.opt(Address::read)?,
                6 => c.tax_exempt = r.bool()?,
                _ => c.vat_number = r.opt(Reader::string)?,
            }
            Ok(())
        })?;
        Ok(c)
    }
}

impl Address {
    /// As [`Customer::read`]: every part optional, nothing else allowed.
    pub fn read(r: &mut Reader<'_>) -> Result<Address> {
        const NAMES: [&str; 6] = ["line1", "line2", "city", "region", "postal_code", "country"];
        let mut a = Address::default();
        members(r, &NAMES, Others::Refuse, &mut |r, i| {
            let text = r.opt(Reader::string)?;
            match i {
                0 => a.line1 = text,
                1 => a.line2 = text,
                2 => a.city = text,
                3 => a.region = text,
                4 => a.postal_code = text,
                _ => a.country = text,
            }
            Ok(())
        })?;
        Ok(a)
    }

    /// `None` when every part is empty.
    pub fn non_empty(self) -> Option<Address> {
        (self != Address::default()).then_some(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_is_read_as_the_derive_reads_it() {
        let bodies = [
            r#"{}"#,
            r#"{"id":"7","guest":false,"name":"Ann \"A\" Lee","company":null,"email":"a@x.test","tax_exempt":true,"vat_number":"DE1"}"#,
            r#" { "billing_address" : { "line1" : "1 Main", "line2" : null, "city" : "Köln", "region" : "NW", "postal_code" : "50667", "country" : "DE" } } "#,
            r#"{"billing_address":null,"guest":true}"#,
            r#"{"id":7}"#,
            r#"{"guest":null}"#,
            r#"{"guest":"yes"}"#,
            r#"{"nickname":"x"}"#,
            r#"{"billing_address":{"street":"x"}}"#,
            r#"{"billing_address":{"city":1}}"#,
            r#"{"name":"a","name":"b"}"#,
            r#"{"billing_address":{"city":"a","city":"b"}}"#,
            r#"{"name":"a"} x"#,
            r#"{"name":"a""#,
            r#"{"name":"\ud800"}"#,
            "null",
        ];
        crate::json::assert_reads_as_derive(&bodies, |bytes| {
            crate::json::document(bytes, Customer::read)
        });
        // The one known difference (json::Reader): serde's positional form of a struct.
        let positional = crate::json::document(b"[]", Customer::read).unwrap_err();
        assert_eq!(positional.code(), "E_INVALID_TYPE");
    }
}
