//! Shopify Payments payouts: the worker's envelope of the REST `payouts/{id}` body and the
//! payout's `balance_transactions?payout_id=` list,
//! `{"payout": {...}, "balance_transactions": [...]}`. Amounts are decimal strings in the payout
//! currency; charges are positive, refunds and dispute withdrawals negative, `net = amount − fee`.
//! An optional `"fees_booked_with_orders": true` says the charges' fees were booked with their sales.

use super::{currency, timestamp};
use crate::error::{LedgerError, Result};
use crate::json::Reader;
use crate::model::{ExpenseKind, Payout, PayoutItem, PayoutItemKind, PayoutStatus};
use crate::platforms::de::{self, members, Dec, Id};

/// The gateway whose balance Shopify Payments pays out.
pub const GATEWAY: &str = "shopify_payments";

/// The payout envelope's flag (beside `payout` and `balance_transactions`) that the charges' fees
/// were booked with their sales through the fetched-transactions order envelope.
pub const FEES_BOOKED_WITH_ORDERS_KEY: &str = "fees_booked_with_orders";

/// More balance transactions than this in one payout is not a payload to trust.
pub const BALANCE_TRANSACTIONS_MAX: usize = 50_000;

/// The envelope, read by hand on [`Reader`] (the serde derives it replaced are the test oracle in
/// `payout_serde.rs`; codes and paths of errors are theirs).
struct Envelope {
    payout: WirePayout,
    balance_transactions: Vec<WireTransaction>,
    /// Set by a worker that maps every order through the fetched-transactions envelope: each
    /// charge's fee was then booked with its sale and must not be booked again here.
    fees_booked_with_orders: bool,
}

struct WirePayout {
    id: Id,
    status: String,
    date: String,
    currency: String,
    amount: Dec,
}

struct WireTransaction {
    id: Id,
    kind: String,
    currency: String,
    amount: Dec,
    fee: Dec,
    net: Dec,
    source_id: Option<Id>,
    source_order_id: Option<Id>,
}

fn amount(r: &mut Reader<'_>) -> Result<Option<Dec>> {
    de::amount(r).map(|a| Some(Dec(a)))
}

impl Envelope {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut payout, mut balance_transactions, mut fees_booked_with_orders) =
            (None, Vec::new(), false);
        members!(r;
            0 "payout" => payout = Some(WirePayout::read(r)?);
            1 "balance_transactions" => balance_transactions = r.vec(WireTransaction::read)?;
            2 "fees_booked_with_orders" => fees_booked_with_orders = r.bool()?;
        );
        Ok(Envelope {
            payout: payout.ok_or_else(|| r.missing("payout"))?,
            balance_transactions,
            fees_booked_with_orders,
        })
    }
}

impl WirePayout {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut id, mut status, mut date, mut currency, mut amount_) =
            (None, None, None, None, None);
        members!(r;
            0 "id" => id = Some(de::id(r)?);
            1 "status" => status = Some(r.string()?);
            2 "date" => date = Some(r.string()?);
            3 "currency" => currency = Some(r.string()?);
            4 "amount" => amount_ = amount(r)?;
        );
        Ok(WirePayout {
            id: id.ok_or_else(|| r.missing("id"))?,
            status: status.ok_or_else(|| r.missing("status"))?,
            date: date.ok_or_else(|| r.missing("date"))?,
            currency: currency.ok_or_else(|| r.missing("currency"))?,
            amount: amount_.ok_or_else(|| r.missing("amount"))?,
        })
    }
}

impl WireTransaction {
    fn read(r: &mut Reader<'_>) -> Result<Self> {
        let (mut id, mut kind, mut currency) = (None, None, None);
        let (mut amount_, mut fee, mut net) = (None, None, None);
        let (mut source_id, mut source_order_id) = (None, None);
        members!(r;
            0 "id" => id = Some(de::id(r)?);
            1 "type" => kind = Some(r.string()?);
            2 "currency" => currency = Some(r.string()?);
            3 "amount" => amount_ = amount(r)?;
            4 "fee" => fee = amount(r)?;
            5 "net" => net = amount(r)?;
            6 "source_id" => source_id = r.opt(de::id)?;
            7 "source_order_id" => source_order_id = r.opt(de::id)?;
        );
        Ok(WireTransaction {
            id: id.ok_or_else(|| r.missing("id"))?,
            kind: kind.ok_or_else(|| r.missing("type"))?,
            currency: currency.ok_or_else(|| r.missing("currency"))?,
            amount: amount_.ok_or_else(|| r.missing("amount"))?,
            fee: fee.unwrap_or_default(),
            net: net.ok_or_else(|| r.missing("net"))?,
            source_id,
            source_order_id,
        })
    }
}

pub(super) fn payout(bytes: &[u8]) -> Result<Payout> {
    let e = de::document(bytes, Envelope::read)?;
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
