//! (Test oracle: the serde derives the hand-written reader in `wire.rs` replaced.) A serde mirror of the Shopify REST-shaped webhook JSON: only the fields that carry money or
//! identity. Unknown fields are ignored. One struct serves both order bodies (`orders/*`) and refund
//! bodies (`refunds/create`), so a payload is parsed once whatever its topic.

#![allow(dead_code)]

use crate::platforms::de::{Dec, Id, Qty};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Payload {
    /// Required for orders and refunds; a payout envelope has none at the top.
    pub id: Option<Id>,
    /// Present only in a Shopify Payments payout envelope (`{"payout": …, "balance_transactions": …}`),
    /// which is then parsed by its own adapter; skipped without building anything here.
    pub payout: Option<serde::de::IgnoredAny>,
    /// Present only in the envelope of an order body with its fetched GraphQL transactions
    /// (`{"order": …, "order_transactions": …}`), parsed by its own adapter.
    pub order: Option<Box<serde_json::value::RawValue>>,
    pub order_transactions: Option<Box<serde_json::value::RawValue>>,
    // Order fields.
    pub name: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub processed_at: Option<String>,
    pub cancelled_at: Option<String>,
    pub currency: Option<String>,
    pub presentment_currency: Option<String>,
    #[serde(default)]
    pub taxes_included: bool,
    pub financial_status: Option<String>,
    pub gateway: Option<String>,
    #[serde(default)]
    pub payment_gateway_names: Vec<String>,
    pub source_name: Option<String>,
    pub tags: Option<String>,
    pub total_price: Option<Dec>,
    pub total_price_set: Option<MoneyBag>,
    pub total_tax: Option<Dec>,
    pub total_tax_set: Option<MoneyBag>,
    pub total_discounts: Option<Dec>,
    pub total_discounts_set: Option<MoneyBag>,
    pub total_tip_received: Option<Dec>,
    pub line_items: Option<Vec<LineItem>>,
    #[serde(default)]
    pub shipping_lines: Vec<ShippingLine>,
    #[serde(default)]
    pub discount_applications: Vec<DiscountApplication>,
    #[serde(default)]
    pub transactions: Vec<Transaction>,
    #[serde(default)]
    pub refunds: Vec<Refund>,
    // Refund-body fields (`refunds/create`).
    pub order_id: Option<Id>,
    pub refund_line_items: Option<Vec<RefundLineItem>>,
    #[serde(default)]
    pub order_adjustments: Vec<OrderAdjustment>,
}

#[derive(Deserialize)]
pub struct MoneyBag {
    pub shop_money: Option<Money>,
    pub presentment_money: Option<Money>,
}

#[derive(Deserialize)]
pub struct Money {
    pub amount: Dec,
    pub currency_code: Option<String>,
}

impl MoneyBag {
    pub fn shop_amount(&self) -> Option<Dec> {
        self.shop_money.as_ref().map(|m| m.amount)
    }
}

#[derive(Deserialize)]
pub struct LineItem {
    pub id: Id,
    pub sku: Option<String>,
    #[serde(default)]
    pub title: String,
    pub vendor: Option<String>,
    pub product_type: Option<String>,
    pub quantity: Qty,
    pub price: Option<Dec>,
    pub price_set: Option<MoneyBag>,
    #[serde(default)]
    pub gift_card: bool,
    #[serde(default)]
    pub discount_allocations: Vec<DiscountAllocation>,
    #[serde(default)]
    pub tax_lines: Vec<TaxLine>,
}

#[derive(Deserialize)]
pub struct DiscountAllocation {
    pub amount: Option<Dec>,
    pub amount_set: Option<MoneyBag>,
    pub discount_application_index: Option<usize>,
}

#[derive(Deserialize)]
pub struct DiscountApplication {
    pub code: Option<String>,
    pub title: Option<String>,
}

#[derive(Deserialize)]
pub struct TaxLine {
    pub title: String,
    pub rate: Option<Dec>,
    pub price: Option<Dec>,
    pub price_set: Option<MoneyBag>,
}

#[derive(Deserialize)]
pub struct ShippingLine {
    #[serde(default)]
    pub title: String,
    pub price: Option<Dec>,
    pub price_set: Option<MoneyBag>,
    pub discounted_price: Option<Dec>,
    #[serde(default)]
    pub discount_allocations: Vec<DiscountAllocation>,
    #[serde(default)]
    pub tax_lines: Vec<TaxLine>,
}

#[derive(Deserialize)]
pub struct Transaction {
    pub id: Option<Id>,
    pub kind: String,
    pub status: Option<String>,
    pub gateway: String,
    pub amount: Dec,
    pub amount_set: Option<MoneyBag>,
    pub currency: Option<String>,
    pub fee: Option<Dec>,
    #[serde(default)]
    pub fees: Vec<Fee>,
}

#[derive(Deserialize)]
pub struct Fee {
    pub amount: Dec,
}

#[derive(Deserialize)]
pub struct Refund {
    pub id: Id,
    pub created_at: Option<String>,
    pub processed_at: Option<String>,
    #[serde(default)]
    pub refund_line_items: Vec<RefundLineItem>,
    #[serde(default)]
    pub transactions: Vec<Transaction>,
    #[serde(default)]
    pub order_adjustments: Vec<OrderAdjustment>,
}

#[derive(Deserialize)]
pub struct RefundLineItem {
    pub line_item_id: Id,
    pub quantity: Qty,
    pub restock_type: Option<String>,
    pub subtotal: Option<Dec>,
    pub subtotal_set: Option<MoneyBag>,
    pub total_tax: Option<Dec>,
    pub total_tax_set: Option<MoneyBag>,
    pub line_item: Option<RefundedLine>,
}

/// The copy of the original line embedded in a refund line item.
#[derive(Deserialize)]
pub struct RefundedLine {
    pub sku: Option<String>,
    #[serde(default)]
    pub gift_card: bool,
    #[serde(default)]
    pub tax_lines: Vec<TaxLine>,
}

#[derive(Deserialize)]
pub struct OrderAdjustment {
    pub amount: Dec,
    pub tax_amount: Option<Dec>,
    pub kind: Option<String>,
    pub reason: Option<String>,
}
