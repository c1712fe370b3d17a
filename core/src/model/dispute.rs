//! A chargeback: the customer's bank pulls a payment back until the merchant wins or loses.

use super::Timestamp;
use crate::money::{strict, Currency};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dispute {
    pub id: String,
    /// The disputed charge.
    pub charge_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_id: Option<String>,
    pub gateway: String,
    pub stage: DisputeStage,
    /// When this stage happened; the entry is dated on it.
    pub at: Timestamp,
    pub currency: Currency,
    /// Disputed amount, positive, in the booking currency.
    #[serde(with = "strict")]
    pub amount: Decimal,
    /// Fee the gateway charged for the dispute (at `opened`) or gave back (at `won`), positive.
    #[serde(default, with = "strict")]
    pub fee: Decimal,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisputeStage {
    /// Funds withdrawn from the gateway balance.
    Opened,
    /// Funds returned to the gateway balance.
    Won,
    /// Funds kept by the customer's bank for good.
    Lost,
}

impl DisputeStage {
    pub fn as_str(&self) -> &'static str {
        match self {
            DisputeStage::Opened => "opened",
            DisputeStage::Won => "won",
            DisputeStage::Lost => "lost",
        }
    }
}
