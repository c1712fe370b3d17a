//! A sale as the engine sees it, whatever storefront it came from.

use super::{Refund, Tender, Timestamp};
use crate::money::{strict, strict_opt, Currency};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One order in the shop's booking currency. Presentment money (what the customer saw) is metadata.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Order {
    pub id: String,
    /// Human-facing number, e.g. `#1001`.
    #[serde(default)]
    pub name: String,
    /// When the sale happened; the entry is dated on its local calendar date.
    pub processed_at: Timestamp,
    /// Revision of the source object (`updated_at`); newer versions supersede older ones.
    pub version: Timestamp,
    pub currency: Currency,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presentment: Option<Presentment>,
    /// Prices already contain their tax (EU VAT style).
    #[serde(default)]
    pub taxes_included: bool,
    /// Cancelled before any money was taken: there is nothing to book.
    #[serde(default)]
    pub cancelled_unpaid: bool,
    /// Sales channel (`web`, `pos`, ...), used by routing rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(default)]
    pub lines: Vec<LineItem>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shipping: Vec<ShippingLine>,
    #[serde(default, with = "strict", skip_serializing_if = "Decimal::is_zero")]
    pub tip: Decimal,
    /// Money received (or promised) for the order, by gateway.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tenders: Vec<Tender>,
    /// Gateway that owes the remainder when no tender covers it (`manual` for unpaid orders).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refunds: Vec<Refund>,
    /// Who bought ([`crate::model::Customer`], canonical JSON only). Accepted here but not read:
    /// journals never need it, and the sales documents read it from the payload
    /// (`platforms::customer_of`), which keeps the customer's code out of the mapping path.
    #[serde(default, skip_serializing)]
    pub customer: Option<serde::de::IgnoredAny>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Presentment {
    pub currency: Currency,
    #[serde(with = "strict")]
    pub total: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineItem {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    #[serde(default)]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    pub quantity: u32,
    #[serde(with = "strict")]
    pub unit_price: Decimal,
    #[serde(default, with = "strict_opt", skip_serializing_if = "Option::is_none")]
    pub unit_cost: Option<Decimal>,
    /// The item sold is a gift card: a liability, never revenue.
    #[serde(default)]
    pub gift_card: bool,
    /// Discount allocations on this line (positive amounts, tax included when prices include tax).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discounts: Vec<Discount>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub taxes: Vec<TaxLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Discount {
    #[serde(with = "strict")]
    pub amount: Decimal,
    /// Code or title of the discount, for the line's explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxLine {
    pub title: String,
    #[serde(default, with = "strict_opt", skip_serializing_if = "Option::is_none")]
    pub rate: Option<Decimal>,
    #[serde(with = "strict")]
    pub amount: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShippingLine {
    #[serde(default)]
    pub title: String,
    #[serde(with = "strict")]
    pub price: Decimal,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub discounts: Vec<Discount>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub taxes: Vec<TaxLine>,
}
