//! Money movements attached to an order or refund: what each gateway took or gave back.

use crate::money::{strict, strict_opt};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tender {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Platform gateway name as sent (`shopify_payments`, `paypal`, `gift_card`, `manual`).
    pub gateway: String,
    pub kind: TenderKind,
    /// Positive amount in the booking currency.
    #[serde(with = "strict")]
    pub amount: Decimal,
    /// Processing fee the gateway kept, when the source says.
    #[serde(default, with = "strict_opt", skip_serializing_if = "Option::is_none")]
    pub fee: Option<Decimal>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenderKind {
    /// Money taken (sale or capture).
    Payment,
    /// Money given back.
    Refund,
}
