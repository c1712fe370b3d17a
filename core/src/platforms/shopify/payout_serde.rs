//! (Test oracle: the serde derives the hand-written payout reader in `payout.rs` replaced, with the
//! mapping unchanged.)

use super::{currency, timestamp};
use crate::error::{LedgerError, Result};
use crate::model::{ExpenseKind, Payout, PayoutItem, PayoutItemKind, PayoutStatus};
use crate::platforms::de::{self, Dec, Id};
use serde::Deserialize;

/// The gateway whose balance Shopify Payments pays out.
const GATEWAY: &str = "shopify_payments";

/// More balance transactions than this in one payout is not a payload to trust.
const BALANCE_TRANSACTIONS_MAX: usize = 50_000;

#[derive(Deserialize)]
struct Envelope {
    payout: WirePayout,
    #[serde(default)]
    balance_transactions: Vec<WireTransaction>,
    /// Set by a worker that maps every order through the fetched-transactions envelope: each
    /// charge's fee was then booked with its sale and must not be booked again here.
    #[serde(default)]
    fees_booked_with_orders: bool,
}

#[derive(Deserialize)]
struct WirePayout {
    id: Id,
    status: String,
    date: String,
    currency: String,
    amount: Dec,
}

#[derive(Deserialize)]
struct WireTransaction {
    id: Id,
    #[serde(rename = "type")]
    kind: String,
    currency: String,
    amount: Dec,
    #[serde(default)]
    fee: Dec,
    net: Dec,
    source_id: Option<Id>,
    source_order_id: Option<Id>,
}

pub fn payout(bytes: &[u8]) -> Result<Payout> {
    let e: Envelope = de::from_json(bytes)?;
    let p = e.payout;
    let cur = currency(&p.currency, "payout.currency")?;
    if e.balance_transactions.len() > BALANCE_TRANSACTIONS_MAX {
        return Err(LedgerError::LimitExceeded {
            path: "balance_transactions".to_string(),
            what: "balance transactions".to_string(),
            limit: BALANCE_TRANSACTIONS_MAX,
        });
    }
    let status = match p.status.as_str() {
        "paid" => PayoutStatus::Paid,
        "scheduled" | "in_transit" | "pending" => PayoutStatus::Pending,
        _ => PayoutStatus::Failed,
    };
    let mut items = Vec::new();
    for (i, t) in e.balance_transactions.into_iter().enumerate() {
        let path = format!("balance_transactions[{i}]");
        if matches!(
            t.kind.as_str(),
            "payout" | "payout_failure" | "payout_cancellation"
        ) {
            continue;
        }
        if currency(&t.currency, &format!("{path}.currency"))? != cur {
            return Err(LedgerError::InvalidValue {
                path: format!("{path}.currency"),
                value: t.currency,
                reason: format!("a {cur} payout settles {cur} balance transactions only"),
            });
        }
        // Order webhooks do not carry Shopify Payments' fees, so a fee is first seen here unless the
        // worker fetched it with the order. Refund fees never are: the order books no refund fee.
        let (kind, expense) = match t.kind.as_str() {
            "charge" => (PayoutItemKind::Charge, None),
            "refund" => (PayoutItemKind::Refund, None),
            "dispute" => (PayoutItemKind::Dispute, None),
            "reserve" => (PayoutItemKind::Reserve, None),
            "shipping_label" => (PayoutItemKind::Expense, Some(ExpenseKind::ShippingLabel)),
            "application_fee" => (PayoutItemKind::Expense, Some(ExpenseKind::App)),
            _ => (PayoutItemKind::Adjustment, None),
        };
        items.push(PayoutItem {
            kind,
            id: Some(t.id.0),
            source_id: t.source_id.map(|s| s.0),
            order_id: t.source_order_id.map(|s| s.0),
            gross: t.amount.0,
            fee: t.fee.0,
            net: t.net.0,
            fee_booked: e.fees_booked_with_orders && kind == PayoutItemKind::Charge,
            booked: false,
            expense,
            description: (kind == PayoutItemKind::Adjustment).then_some(t.kind),
        });
    }
    Ok(Payout {
        id: p.id.0,
        gateway: GATEWAY.to_string(),
        status,
        date: timestamp(&p.date, "payout.date")?,
        currency: cur,
        amount: p.amount.0,
        bank: None,
        items,
    })
}
