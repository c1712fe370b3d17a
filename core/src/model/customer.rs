//! Who bought: the customer of an order, as `platforms::customer_of` reads it from its payload.
//!
//! The customer never enters the event or a journal entry (no line's text, no memo, no id), so the
//! ledger keeps no personal data and redacting a stored payload cannot change the books. Only the
//! sales documents of `exporters::documents` carry it to an accounting system.

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

impl Address {
    /// `None` when every part is empty.
    pub fn non_empty(self) -> Option<Address> {
        (self != Address::default()).then_some(self)
    }
}
