//! A serde mirror of WooCommerce REST v3 JSON: the order (the webhook body of `order.*` topics) and
//! the refund object of `GET /orders/{id}/refunds/{refund_id}`. Only fields that carry money or
//! identity are read; unknown fields are ignored. One struct serves both shapes so a payload is
//! parsed once; `amount` present and `status` absent means a refund object.

use crate::platforms::de::{Dec, Id, Qty};

// `prices_include_tax` is not read: line `subtotal`/`total` are ex-tax in both modes, with the tax
// beside them, so the mapping is the same.
use serde::de::{self, Deserializer};
use serde::Deserialize;
use serde_json::value::RawValue;

#[derive(Deserialize)]
pub struct Payload {
    pub id: Id,
    // Order fields.
    pub number: Option<String>,
    pub status: Option<String>,
    pub currency: Option<String>,
    pub date_created_gmt: Option<String>,
    pub date_modified_gmt: Option<String>,
    pub date_paid_gmt: Option<String>,
    pub total: Option<Dec>,
    pub total_tax: Option<Dec>,
    #[serde(default)]
    pub payment_method: String,
    pub transaction_id: Option<String>,
    pub created_via: Option<String>,
    #[serde(default)]
    pub line_items: Vec<LineItem>,
    #[serde(default)]
    pub tax_lines: Vec<TaxLine>,
    #[serde(default)]
    pub shipping_lines: Vec<ShippingLine>,
    #[serde(default)]
    pub fee_lines: Vec<FeeLine>,
    #[serde(default)]
    pub coupon_lines: Vec<CouponLine>,
    #[serde(default)]
    pub refunds: Vec<RefundSummary>,
    /// Gateway plugins keep the processing fee here (`_stripe_fee`, `_ppcp_paypal_fees`, ...).
    #[serde(default)]
    pub meta_data: Vec<Meta>,
    // Refund-object fields. `order_id` is not part of Woo's refund object: the worker that fetched
    // the refund adds it (with `currency` and `payment_method`) from the order it belongs to.
    pub amount: Option<Dec>,
    pub reason: Option<String>,
    pub refunded_payment: Option<bool>,
    pub order_id: Option<Id>,
    pub parent_id: Option<Id>,
}

#[derive(Deserialize)]
pub struct LineItem {
    pub id: Id,
    #[serde(default)]
    pub name: String,
    pub sku: Option<String>,
    /// Signed: refund objects list returned quantities as negatives.
    pub quantity: SignedQty,
    pub subtotal: Dec,
    pub total: Dec,
    pub total_tax: Option<Blank>,
    #[serde(default)]
    pub taxes: Vec<RateAmount>,
    #[serde(default)]
    pub meta_data: Vec<Meta>,
}

/// One tax rate's share of a line. Woo keeps these unrounded (`"1.4784"`) and sends `""` for a
/// rate that did not apply after a coupon.
#[derive(Deserialize)]
pub struct RateAmount {
    pub id: Id,
    #[serde(default)]
    pub total: Blank,
}

#[derive(Deserialize)]
pub struct TaxLine {
    pub rate_id: Id,
    #[serde(default)]
    pub rate_code: String,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub tax_total: Blank,
    #[serde(default)]
    pub shipping_tax_total: Blank,
}

#[derive(Deserialize)]
pub struct ShippingLine {
    #[serde(default)]
    pub method_title: String,
    pub total: Dec,
    pub total_tax: Option<Blank>,
    #[serde(default)]
    pub taxes: Vec<RateAmount>,
}

#[derive(Deserialize)]
pub struct FeeLine {
    pub id: Id,
    #[serde(default)]
    pub name: String,
    pub total: Dec,
    pub total_tax: Option<Blank>,
    #[serde(default)]
    pub taxes: Vec<RateAmount>,
}

#[derive(Deserialize)]
pub struct CouponLine {
    #[serde(default)]
    pub code: String,
}

#[derive(Deserialize)]
pub struct RefundSummary {
    pub id: Id,
    pub reason: Option<String>,
    /// Negative: `'-' . wc_format_decimal(...)` in the REST orders controller.
    pub total: Dec,
}

#[derive(Deserialize)]
pub struct Meta {
    #[serde(default)]
    pub key: String,
    pub value: Option<Box<RawValue>>,
}

/// An amount that Woo may send as `""` (meaning zero) besides a decimal string or number.
#[derive(Debug, Clone, Copy, Default)]
pub struct Blank(pub rust_decimal::Decimal);

impl<'de> Deserialize<'de> for Blank {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = <&'de RawValue>::deserialize(d)?;
        if raw.get() == "\"\"" {
            return Ok(Blank(rust_decimal::Decimal::ZERO));
        }
        serde_json::from_str::<Dec>(raw.get())
            .map(|v| Blank(v.0))
            .map_err(|e| {
                let text = e.to_string();
                de::Error::custom(
                    text.rfind(" at line ")
                        .map_or(text.as_str(), |i| &text[..i]),
                )
            })
    }
}

/// A whole quantity that may be negative (refund objects); bounded like [`Qty`].
#[derive(Debug, Clone, Copy)]
pub struct SignedQty(pub i64);

impl<'de> Deserialize<'de> for SignedQty {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = i64::deserialize(d)?;
        let limit = i64::from(crate::platforms::de::QUANTITY_MAX);
        if value.abs() > limit {
            return Err(de::Error::custom(format!(
                "invalid value: quantity {value} beyond ±{limit}"
            )));
        }
        Ok(SignedQty(value))
    }
}

impl SignedQty {
    /// The quantity of an order line: never negative.
    pub fn sold(self) -> Result<Qty, String> {
        u32::try_from(self.0)
            .map(Qty)
            .map_err(|_| format!("negative quantity {}", self.0))
    }
}
