//! A serde mirror of the BigCommerce v2 order as the worker fetches it after an id-only webhook,
//! combined in one document:
//! `{"order": GET /v2/orders/{id}, "products": GET /v2/orders/{id}/products,
//!   "shipping_addresses": GET /v2/orders/{id}/shipping_addresses, "coupons": GET /v2/orders/{id}/coupons}`.
//! Money is 4-dp strings (`"50.0000"`). Unknown fields are ignored.

use crate::platforms::de::{Dec, Id, Qty};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct Envelope {
    pub order: Order,
    pub products: Vec<Product>,
    #[serde(default)]
    pub shipping_addresses: Vec<ShippingAddress>,
    #[serde(default)]
    pub coupons: Vec<Coupon>,
}

#[derive(Deserialize)]
pub struct Order {
    pub id: Id,
    /// RFC 2822: `"Tue, 20 Nov 2012 00:00:00 +0000"`.
    pub date_created: String,
    pub date_modified: Option<String>,
    pub status: Option<String>,
    pub status_id: Option<u32>,
    pub currency_code: String,
    pub order_source: Option<String>,
    /// Not in every payload; the worker may set it from the store's tax settings.
    #[serde(default)]
    pub is_tax_inclusive_pricing: bool,
    pub shipping_cost_ex_tax: Option<Dec>,
    pub shipping_cost_inc_tax: Option<Dec>,
    pub handling_cost_ex_tax: Option<Dec>,
    pub handling_cost_inc_tax: Option<Dec>,
    pub wrapping_cost_ex_tax: Option<Dec>,
    pub wrapping_cost_inc_tax: Option<Dec>,
    pub total_inc_tax: Dec,
    pub discount_amount: Option<Dec>,
    pub coupon_discount: Option<Dec>,
    pub gift_certificate_amount: Option<Dec>,
    pub store_credit_amount: Option<Dec>,
    pub refunded_amount: Option<Dec>,
    #[serde(default)]
    pub payment_method: String,
}

#[derive(Deserialize)]
pub struct Product {
    pub id: Id,
    pub sku: Option<String>,
    #[serde(default)]
    pub name: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub quantity: Qty,
    pub total_ex_tax: Dec,
    pub total_inc_tax: Dec,
    pub total_tax: Option<Dec>,
    #[serde(default)]
    pub applied_discounts: Vec<AppliedDiscount>,
}

#[derive(Deserialize)]
pub struct AppliedDiscount {
    pub amount: Dec,
    pub code: Option<String>,
}

#[derive(Deserialize)]
pub struct ShippingAddress {
    #[serde(default)]
    pub shipping_method: String,
}

#[derive(Deserialize)]
pub struct Coupon {
    #[serde(default)]
    pub code: String,
}
