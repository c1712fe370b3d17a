//! The canonical commerce model: what every platform adapter produces and the engine consumes.
//!
//! Amounts are exact decimals in the order's booking (shop) currency. The serde form of these types
//! is the documented "canonical JSON" that any storefront can send without a dedicated adapter.

mod customer;
mod dispute;
mod expense;
mod fields;
mod order;
mod payout;
mod refund;
mod tender;
pub(crate) mod time;

pub use customer::{full_name, text, Address, Customer};
pub use dispute::{Dispute, DisputeStage};
pub use expense::{Expense, ExpenseKind, PaidFrom};
pub use fields::SourceFields;
pub use order::{Discount, LineItem, Order, Presentment, ShippingLine, TaxLine};
pub use payout::{BankDeposit, Payout, PayoutItem, PayoutItemKind, PayoutStatus};
pub use refund::{Adjustment, AdjustmentKind, Refund, RefundLine, Restock};
pub use tender::{Tender, TenderKind, GIFT_CARD_GATEWAY};
pub use time::Timestamp;

use serde::{Deserialize, Serialize};

/// One thing that happened in a store and may need booking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    Order(Order),
    /// A refund delivered on its own (Shopify `refunds/create`), with the facts of its order that the
    /// refund body carries.
    Refund(StandaloneRefund),
    /// A gateway balance paid out to the bank, with the balance transactions it settles.
    Payout(Payout),
    /// A charge by the platform itself (subscription, app, shipping label).
    Expense(Expense),
    /// A chargeback stage: opened, won or lost.
    Dispute(Dispute),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandaloneRefund {
    pub currency: crate::money::Currency,
    /// Whether the order's prices included tax; unknown when the refund arrives alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxes_included: Option<bool>,
    /// Gateway of the order, for a refund that names no transaction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    pub refund: Refund,
    /// The order's customer, when a canonical refund names one (platform refund bodies do not: a
    /// document for the refund then goes to the guest contact unless the host adds the order's
    /// customer). Accepted, not read here: `platforms::customer_of` reads it for the documents.
    #[serde(default, skip_serializing)]
    pub customer: Option<serde::de::IgnoredAny>,
}
