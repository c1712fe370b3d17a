//! Money given back on an order, and the goods that came back with it.

use super::{Tender, Timestamp};
use crate::money::{strict, strict_opt};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Refund {
    pub id: String,
    pub order_id: String,
    /// The refund is booked on its own date, not the sale's.
    pub processed_at: Timestamp,
    #[serde(default)]
    pub lines: Vec<RefundLine>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub adjustments: Vec<Adjustment>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tenders: Vec<Tender>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefundLine {
    pub line_item_id: String,
    pub quantity: u32,
    pub restock: Restock,
    /// Refunded amount for the line, after discounts; tax included when the order's prices are.
    #[serde(with = "strict")]
    pub subtotal: Decimal,
    /// Refunded tax, as the platform computed it (never recomputed from a rate).
    #[serde(with = "strict")]
    pub tax: Decimal,
    /// Sku of the line, for COGS and routing when the original order is not at hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sku: Option<String>,
    /// Tax titles and amounts of the original line, to split the refunded tax by jurisdiction.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub original_taxes: Vec<super::TaxLine>,
    #[serde(default, with = "strict_opt", skip_serializing_if = "Option::is_none")]
    pub unit_cost: Option<Decimal>,
    /// The refunded item was a gift card: refunding it cancels the liability, not revenue.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub gift_card: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Restock {
    /// Goods came back to stock: cost moves from COGS back to inventory.
    Return,
    NoRestock,
}

/// Refunded money not tied to a line item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    pub kind: AdjustmentKind,
    /// Money back to the customer (positive) or kept from them (negative), before tax.
    #[serde(with = "strict")]
    pub amount: Decimal,
    #[serde(default, with = "strict", skip_serializing_if = "Decimal::is_zero")]
    pub tax: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AdjustmentKind {
    ShippingRefund,
    Discrepancy,
}
