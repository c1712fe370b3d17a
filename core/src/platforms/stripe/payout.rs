//! Payouts. A `payout.paid` event carries the payout alone; the worker then lists its balance
//! transactions (`GET /v1/balance_transactions?payout=po_…`) and sends the envelope
//! `{"payout": {...}, "balance_transactions": [...]}`, which itemises what the deposit nets.

use super::{bt_fee, currency, minor, unix, wire, BALANCE_TRANSACTIONS_MAX, GATEWAY};
use crate::error::{LedgerError, Result};
use crate::model::{Event, ExpenseKind, Payout, PayoutItem, PayoutItemKind, PayoutStatus};

pub(super) fn bare(p: wire::Payout) -> Result<Payout> {
    let cur = currency(&p.currency, "currency")?;
    let status = match p.status.as_str() {
        "paid" => PayoutStatus::Paid,
        "pending" | "in_transit" => PayoutStatus::Pending,
        _ => PayoutStatus::Failed,
    };
    Ok(Payout {
        id: p.id,
        gateway: GATEWAY.to_string(),
        status,
        date: unix(p.arrival_date.unwrap_or(p.created), "arrival_date")?,
        currency: cur,
        amount: minor(p.amount, cur, "amount")?,
        bank: None,
        items: Vec::new(),
    })
}

pub(super) fn envelope(payout: &str, bts: Option<&str>) -> Result<Event> {
    let p = wire::parse(payout, wire::Payout::read).map_err(|e| e.within("payout"))?;
    let mut out = bare(p).map_err(|e| e.within("payout"))?;
    let bts: Vec<wire::BalanceTransaction> = match bts {
        Some(raw) => wire::parse(raw, |r| r.vec(wire::BalanceTransaction::read))
            .map_err(|e| e.within("balance_transactions"))?,
        None => Vec::new(),
    };
    if bts.len() > BALANCE_TRANSACTIONS_MAX {
        return Err(LedgerError::LimitExceeded {
            path: "balance_transactions".to_string(),
            what: "balance transactions".to_string(),
            limit: BALANCE_TRANSACTIONS_MAX,
        });
    }
    for (i, bt) in bts.iter().enumerate() {
        let path = format!("balance_transactions[{i}]");
        if let Some(item) = item(bt, &path, &out)? {
            out.items.push(item);
        }
    }
    Ok(Event::Payout(out))
}

/// One balance transaction as a payout item; the payout's own transaction is the deposit itself.
fn item(bt: &wire::BalanceTransaction, path: &str, payout: &Payout) -> Result<Option<PayoutItem>> {
    if matches!(
        bt.kind.as_str(),
        "payout" | "payout_cancel" | "payout_failure"
    ) {
        return Ok(None);
    }
    let cur = currency(&bt.currency, &format!("{path}.currency"))?;
    if cur != payout.currency {
        return Err(LedgerError::InvalidValue {
            path: format!("{path}.currency"),
            value: bt.currency.clone(),
            reason: format!(
                "a {} payout settles {} balance transactions only",
                payout.currency, payout.currency
            ),
        });
    }
    let fee = bt_fee(bt, path)?;
    let category = bt.reporting_category.as_deref().unwrap_or("");
    let source = bt.source_id();
    let is_dispute = matches!(category, "dispute" | "dispute_reversal")
        || source.is_some_and(|s| s.starts_with("dp_") || s.starts_with("du_"));
    // Charges and refunds reach Stripe mappings read with their balance transaction, so their fees
    // are booked; disputes have entries of their own. Everything else is first seen here.
    let (kind, fee_booked, booked, expense) = match bt.kind.as_str() {
        "charge" | "payment" => (PayoutItemKind::Charge, true, false, None),
        "refund" | "payment_refund" => (PayoutItemKind::Refund, true, false, None),
        _ if is_dispute => (PayoutItemKind::Dispute, true, true, None),
        "reserve_transaction" | "reserved_funds" => (PayoutItemKind::Reserve, false, false, None),
        "stripe_fee" | "stripe_fx_fee" | "tax_fee" => (
            PayoutItemKind::Expense,
            false,
            false,
            Some(ExpenseKind::GatewayFee),
        ),
        _ => (PayoutItemKind::Adjustment, false, false, None),
    };
    Ok(Some(PayoutItem {
        kind,
        id: bt.id.clone(),
        source_id: source.map(str::to_string),
        order_id: None,
        gross: minor(bt.amount, cur, &format!("{path}.amount"))?,
        fee: minor(fee, cur, &format!("{path}.fee"))?,
        net: minor(bt.net, cur, &format!("{path}.net"))?,
        fee_booked,
        booked,
        expense,
        description: bt.description.clone(),
    }))
}
