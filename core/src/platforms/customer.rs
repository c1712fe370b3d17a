//! The customer of a payload, read in a second pass used only by the sales documents
//! (`exporters::document_posts`): person and address objects as Shopify, WooCommerce, BigCommerce
//! and Stripe spell them, read leniently from the payload as a `serde_json::Value`.
//!
//! A pass of its own, not fields of the adapters' wire structs or of the canonical model: journal
//! mapping never needs the customer, and keeping it out of the mapping path keeps its code out of
//! the wasm module (the customer fields there cost ~21 KB gzipped).
//!
//! Lenient on purpose: personal data never decides the books, so a customer field of an odd type
//! (a numeric zip, an object where text was expected) is dropped, never an error that would park
//! the order. Every key read here that names or locates the person is in `redact::PERSONAL` (or
//! sits inside an object that is), so a redacted payload yields no name, email, id or street; only
//! region and country may stay (they decide tax): `core/tests/customers.rs` checks it per fixture.

use super::Platform;
use crate::error::Result;
use crate::json::Seen;
use crate::model::{full_name, text, Address, Customer};
use serde_json::Value;

/// The buyer an event's payload names: `None` for payloads that name none (a Shopify or
/// WooCommerce refund body, a Stripe refund, payouts, disputes) or whose customer carries nothing.
/// Errors only where the payload is not JSON, or a canonical `customer` breaks its schema.
pub fn customer_of(platform: Platform, payload: &[u8]) -> Result<Option<Customer>> {
    if platform == Platform::Canonical {
        // The canonical customer is the model's own type, as strict as the rest of the format;
        // the rest of the payload is the event's, checked by its own parse.
        return crate::json::document(payload, |r| {
            let mut obj = r.object()?;
            let (mut seen, mut customer) = (Seen::default(), None);
            while let Some(key) = r.key(&mut obj)? {
                if key == "customer" {
                    seen.first(r, 0, "customer")?;
                    customer = r.opt(Customer::read)?;
                } else {
                    r.skip()?;
                }
            }
            Ok(customer)
        });
    }
    let v: Value = crate::json::from_json(payload)?;
    Ok(match platform {
        Platform::Shopify => shopify(&v),
        Platform::WooCommerce => woocommerce(&v),
        Platform::BigCommerce => {
            let order = person(v.get("order"));
            customer(
                order.text("customer_id"),
                None,
                order.field("billing_address"),
                None,
            )
        }
        Platform::Stripe => match v.get("object").and_then(Value::as_str) {
            Some("event") => stripe(v.pointer("/data/object").unwrap_or(&Value::Null)),
            _ => stripe(&v),
        },
        Platform::Canonical => None,
    })
}

/// An order body (`orders/*`, or the `order` of a fetched envelope); refund and payout bodies name
/// no customer.
fn shopify(v: &Value) -> Option<Customer> {
    if is_set(v.get("payout")) {
        return None;
    }
    if let Some(order) = v.get("order").filter(|o| !o.is_null()) {
        return shopify_order(order);
    }
    if is_set(v.get("refund_line_items")) && !is_set(v.get("line_items")) {
        return None;
    }
    shopify_order(v)
}

fn shopify_order(v: &Value) -> Option<Customer> {
    let p = person(Some(v));
    let buyer = p.field("customer");
    let email = p.text("email").or_else(|| p.text("contact_email"));
    customer(
        buyer.and_then(|b| b.text("id")),
        buyer,
        p.field("billing_address"),
        email,
    )
}

/// An order (`customer_id` 0 = guest); a refund object (`amount` without `status`) names none.
fn woocommerce(v: &Value) -> Option<Customer> {
    if is_set(v.get("amount")) && !is_set(v.get("status")) {
        return None;
    }
    let p = person(Some(v));
    customer(p.text("customer_id"), None, p.field("billing"), None)
}

/// A charge, or a payment intent (its expanded latest charge, else its own customer and receipt
/// email). A refund object names only the charge.
fn stripe(v: &Value) -> Option<Customer> {
    match v.get("object").and_then(Value::as_str) {
        Some("charge") => stripe_charge(v, true),
        Some("payment_intent") => match v.get("latest_charge").filter(|c| c.is_object()) {
            Some(charge) => stripe_charge(charge, true),
            None => stripe_charge(v, false),
        },
        _ => None,
    }
}

/// `with_billing`: a payment intent without its charge has no `billing_details`.
fn stripe_charge(v: &Value, with_billing: bool) -> Option<Customer> {
    let p = person(Some(v));
    let buyer = p.field("customer");
    let billing = p.field("billing_details").filter(|_| with_billing);
    customer(
        buyer.and_then(WirePerson::id_or_self),
        buyer,
        billing,
        p.text("receipt_email"),
    )
}

/// Whether a member is present and not `null` (as an `Option` field of a wire struct reads it).
fn is_set(v: Option<&Value>) -> bool {
    v.is_some_and(|v| !v.is_null())
}

fn person(v: Option<&Value>) -> WirePerson<'_> {
    WirePerson(v.unwrap_or(&Value::Null))
}

/// A person or address object in any platform's spelling, as the JSON it came in: absent or
/// mistyped members are empty. Used for Shopify `customer`/`billing_address`, WooCommerce
/// `billing`, BigCommerce `billing_address` and Stripe `customer`/`billing_details` (+ its
/// `address`).
#[derive(Debug, Clone, Copy)]
struct WirePerson<'a>(&'a Value);

impl<'a> WirePerson<'a> {
    /// Member `key` as text: a string, or an integer (ids, numeric zip codes).
    fn text(&self, key: &str) -> Option<String> {
        match self.0.get(key)? {
            Value::String(s) => text(Some(s)),
            Value::Number(n) if !n.is_f64() => Some(n.to_string()),
            _ => None,
        }
    }

    /// Member `key` when it is present and not `null`.
    fn field(&self, key: &str) -> Option<WirePerson<'a>> {
        self.0.get(key).filter(|v| !v.is_null()).map(WirePerson)
    }

    fn first(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| self.text(k))
    }

    /// Stripe's expandable `customer`: the id itself when not expanded, else the object's `id`.
    fn id_or_self(self) -> Option<String> {
        match self.0 {
            Value::String(id) => text(Some(id)),
            _ => self.text("id"),
        }
    }

    /// `first_name last_name`, else the single `name` field (Shopify's address `name`, Stripe's
    /// `billing_details.name`).
    fn name(&self) -> Option<String> {
        let (first, last) = (self.text("first_name"), self.text("last_name"));
        full_name(first.as_deref(), last.as_deref()).or_else(|| self.text("name"))
    }

    fn company(&self) -> Option<String> {
        self.text("company")
    }

    fn email(&self) -> Option<String> {
        self.text("email")
    }

    /// `true` only for JSON `true`, or `"exempt"` as Stripe's `customer.tax_exempt` says.
    fn tax_exempt(&self) -> bool {
        match self.0.get("tax_exempt") {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s == "exempt",
            _ => false,
        }
    }

    /// The postal address, `None` when it has no part. Stripe nests it (`billing_details.address`).
    fn address(&self) -> Option<Address> {
        if let Some(inner) = self.0.get("address").filter(|a| a.is_object()) {
            return WirePerson(inner).address();
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
fn customer<'a>(
    id: Option<String>,
    person: Option<WirePerson<'a>>,
    billing: Option<WirePerson<'a>>,
    email: Option<String>,
) -> Option<Customer> {
    let id = text(id.as_deref()).filter(|id| id != "0");
    let pick = |f: &dyn Fn(&WirePerson<'a>) -> Option<String>| {
        person
            .as_ref()
            .and_then(f)
            .or_else(|| billing.as_ref().and_then(f))
    };
    let customer = Customer {
        guest: id.is_none(),
        id,
        name: pick(&WirePerson::name),
        company: pick(&WirePerson::company),
        email: pick(&WirePerson::email).or_else(|| text(email.as_deref())),
        billing_address: billing.as_ref().and_then(WirePerson::address),
        tax_exempt: person.as_ref().is_some_and(WirePerson::tax_exempt),
        vat_number: None,
    };
    (!customer.is_empty()).then_some(customer)
}
