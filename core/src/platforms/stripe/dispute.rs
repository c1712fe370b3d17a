//! Disputes: the stage comes from the event type or the dispute's status, the money from its
//! balance transactions (withdrawal negative, reinstatement positive). An inquiry moves no money
//! and books nothing.

use super::{bt_fee, currency, minor, unix, wire, GATEWAY};
use crate::error::{LedgerError, Result};
use crate::model::{Dispute, DisputeStage};
use rust_decimal::Decimal;

pub(super) fn dispute(
    d: wire::Dispute,
    event: Option<&str>,
    event_created: Option<i64>,
) -> Result<Dispute> {
    let stage = match (event, d.status.as_str()) {
        (Some("charge.dispute.created" | "charge.dispute.funds_withdrawn"), _) => {
            DisputeStage::Opened
        }
        (Some("charge.dispute.funds_reinstated"), _) | (_, "won") => DisputeStage::Won,
        (_, "lost") => DisputeStage::Lost,
        _ => DisputeStage::Opened,
    };
    let charge_id = match &d.charge {
        wire::Expandable::Id(id) => id.clone(),
        wire::Expandable::Object(o) => o.id.clone(),
    };
    // Withdrawal for opened and lost (the money lost is the money withdrawn), reinstatement for won.
    let wanted = |bt: &&wire::BalanceTransaction| match stage {
        DisputeStage::Won => bt.amount > 0,
        DisputeStage::Opened | DisputeStage::Lost => bt.amount < 0,
    };
    let found = d
        .balance_transactions
        .iter()
        .enumerate()
        .find(|(_, bt)| wanted(bt));
    let (cur, amount, fee, at) = match found {
        Some((i, bt)) => {
            let path = format!("balance_transactions[{i}]");
            let cur = currency(&bt.currency, &format!("{path}.currency"))?;
            let fee = bt_fee(bt, &path)?;
            let amount = minor(
                bt.amount.checked_abs().unwrap_or(i64::MAX),
                cur,
                &format!("{path}.amount"),
            )?;
            // At opening the fee is taken (positive); when won a negative fee is one given back.
            let fee = match stage {
                DisputeStage::Won => -fee,
                DisputeStage::Opened => fee,
                DisputeStage::Lost => 0,
            };
            let fee = minor(fee, cur, &format!("{path}.fee"))?;
            let at = match stage {
                DisputeStage::Lost => event_created.unwrap_or(d.created),
                _ => bt.created.or(event_created).unwrap_or(d.created),
            };
            (cur, amount, fee, at)
        }
        None => {
            let cur = currency(&d.currency, "currency")?;
            (
                cur,
                Decimal::ZERO,
                Decimal::ZERO,
                event_created.unwrap_or(d.created),
            )
        }
    };
    if fee.is_sign_negative() {
        return Err(LedgerError::InvalidValue {
            path: "balance_transactions".to_string(),
            value: fee.to_string(),
            reason: format!("a dispute {} with a fee of the wrong sign", stage.as_str()),
        });
    }
    Ok(Dispute {
        id: d.id,
        charge_id,
        order_id: None,
        gateway: GATEWAY.to_string(),
        stage,
        at: unix(at, "created")?,
        currency: cur,
        amount,
        fee,
        reason: d.reason,
    })
}
