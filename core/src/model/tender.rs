//! Money movements attached to an order or refund: what each gateway took or gave back.

use crate::money::{strict, strict_opt};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The gateway through which gift cards are redeemed: a tender through it spends a liability the
/// shop already booked, not new money, so adapters name it and rules and the engine test for it.
pub const GIFT_CARD_GATEWAY: &str = "gift_card";

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
    /// A fee the source reports but that cannot be booked with this tender (WooCommerce's Stripe
    /// fee in a settlement currency other than the order's): why, for the mapping warning. It also
    /// keeps a fee estimate off the tender, since the fee is known, just not bookable here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_unbooked: Option<String>,
    /// Where the tender sits in the payload's own list, when the adapter skipped entries of it
    /// (authorizations, failed attempts): error paths and line texts must name the element a
    /// person can find in the payload, not its rank among the kept ones.
    #[serde(skip)]
    pub source_index: Option<usize>,
}

impl Tender {
    /// The tender's index in the payload's list; `kept` is its rank among the tenders.
    pub fn payload_index(&self, kept: usize) -> usize {
        self.source_index.unwrap_or(kept)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TenderKind {
    /// Money taken (sale or capture).
    Payment,
    /// Money given back.
    Refund,
}
