//! What the platform itself charges the merchant: subscription, apps, shipping labels, fees.

use super::Timestamp;
use crate::money::{strict, Currency};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expense {
    pub id: String,
    pub kind: ExpenseKind,
    pub date: Timestamp,
    pub currency: Currency,
    /// Positive cost; a negative amount is a credit from the platform.
    #[serde(with = "strict")]
    pub amount: Decimal,
    /// Who paid; `None` takes the config default (`expenses_paid_from`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paid_from: Option<PaidFrom>,
    /// Gateway whose balance it was deducted from, when `paid_from` is `clearing`; also names the
    /// fee account of a `gateway_fee`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<String>,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpenseKind {
    Subscription,
    App,
    ShippingLabel,
    GatewayFee,
    Other,
}

impl ExpenseKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            ExpenseKind::Subscription => "subscription",
            ExpenseKind::App => "app",
            ExpenseKind::ShippingLabel => "shipping_label",
            ExpenseKind::GatewayFee => "gateway_fee",
            ExpenseKind::Other => "other",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaidFrom {
    /// Deducted from a gateway balance, so from a future payout.
    Clearing,
    #[default]
    Card,
    Bank,
}
