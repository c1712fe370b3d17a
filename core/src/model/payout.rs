//! Money a gateway sent to the bank, and what it netted to get there.

use super::Timestamp;
use crate::money::{strict, Currency};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// One transfer from a gateway balance to the bank, with the balance transactions it settles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Payout {
    pub id: String,
    /// Gateway whose balance paid out (`stripe`, `shopify_payments`): its clearing account empties.
    pub gateway: String,
    pub status: PayoutStatus,
    /// When the money reached (or will reach) the bank; the entry is dated on it.
    pub date: Timestamp,
    /// Booking currency: the currency of the items and of the entries that booked them.
    pub currency: Currency,
    /// The deposit valued in the booking currency. Equals Σ item `net` unless the bank received
    /// another currency (`bank`), in which case the difference is a realised FX gain or loss.
    #[serde(with = "strict")]
    pub amount: Decimal,
    /// The deposit as the bank saw it, when it is not in the booking currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank: Option<BankDeposit>,
    #[serde(default)]
    pub items: Vec<PayoutItem>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayoutStatus {
    /// Deposited: the only status that is booked.
    Paid,
    /// Created or on its way; nothing has reached the bank yet.
    Pending,
    /// Failed or cancelled: the money stays in (or returns to) the gateway balance.
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BankDeposit {
    pub currency: Currency,
    #[serde(with = "strict")]
    pub amount: Decimal,
}

/// One balance transaction settled by the payout. Signs follow the gateway balance: money in is
/// positive (a charge), money out negative (a refund, a dispute withdrawal); `fee` is what the
/// gateway kept (positive) or gave back (negative); `net = gross − fee`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PayoutItem {
    pub kind: PayoutItemKind,
    /// Balance transaction id, for the line's explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The object that moved the money (charge, refund, dispute...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// The order it ultimately belongs to, when the gateway says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    #[serde(with = "strict")]
    pub gross: Decimal,
    #[serde(default, with = "strict")]
    pub fee: Decimal,
    #[serde(with = "strict")]
    pub net: Decimal,
    /// The entry of the source object already booked this fee (a Stripe charge read with its
    /// balance transaction); the payout must then not book it again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fee_booked: bool,
    /// The gross of a dispute, expense or adjustment already went through clearing in an entry of
    /// its own. Charges and refunds always have (their sale and refund entries).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub booked: bool,
    /// For `expense` items: which platform charge it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expense: Option<super::ExpenseKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayoutItemKind {
    Charge,
    Refund,
    /// Money withdrawn for a dispute (negative) or returned when it is won (positive).
    Dispute,
    /// Funds held back (negative) or released (positive) by the gateway.
    Reserve,
    /// Gateway corrections not tied to a sale.
    Adjustment,
    /// A fee charged on its own (not on a charge).
    Fee,
    /// A platform bill deducted from the payout (app, subscription, shipping label).
    Expense,
}
