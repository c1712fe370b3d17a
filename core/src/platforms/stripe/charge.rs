//! Charges and payment intents become sales of one line (the charge is the sale for a merchant
//! that sells through Stripe alone); refunds become standalone refunds of that sale.

use super::{bt_fee, currency, minor, unix, wire, GATEWAY};
use crate::error::{LedgerError, Result};
use crate::model::{
    Adjustment, AdjustmentKind, LineItem, Order, Presentment, Refund, StandaloneRefund, Tender,
    TenderKind,
};
use crate::money::Currency;
use rust_decimal::Decimal;

/// What the Stripe balance received for a charge: from its balance transaction when expanded
/// (settlement currency, fee known), else from the charge itself (fee unknown).
struct Settled {
    currency: Currency,
    gross: Decimal,
    fee: Option<Decimal>,
}

fn settled(
    bt: Option<&wire::BalanceTransaction>,
    code: &str,
    amount: i64,
    path: &str,
    sign: i64,
) -> Result<Settled> {
    match bt {
        Some(bt) => {
            let bt_path = format!("{path}balance_transaction");
            let cur = currency(&bt.currency, &format!("{bt_path}.currency"))?;
            let fee = bt_fee(bt, &bt_path)?;
            let gross = bt.amount.checked_mul(sign).unwrap_or(i64::MAX);
            if bt.amount.checked_sub(fee) != Some(bt.net) {
                return Err(LedgerError::InvalidValue {
                    path: format!("{bt_path}.net"),
                    value: bt.net.to_string(),
                    reason: format!("net must equal amount − fee = {} − {fee}", bt.amount),
                });
            }
            Ok(Settled {
                currency: cur,
                gross: minor(gross, cur, &format!("{bt_path}.amount"))?,
                fee: Some(minor(
                    fee.checked_mul(sign).unwrap_or(i64::MAX),
                    cur,
                    &format!("{bt_path}.fee"),
                )?),
            })
        }
        None => {
            let cur = currency(code, &format!("{path}currency"))?;
            Ok(Settled {
                currency: cur,
                gross: minor(amount, cur, &format!("{path}amount"))?,
                fee: None,
            })
        }
    }
}

pub(super) fn charge(c: wire::Charge) -> Result<Order> {
    let paid = c.status.as_deref().is_none_or(|s| s == "succeeded") && c.captured != Some(false);
    let amount = c.amount_captured.filter(|a| *a > 0).unwrap_or(c.amount);
    let bt = c
        .balance_transaction
        .as_ref()
        .and_then(wire::Expandable::object);
    let s = settled(bt, &c.currency, amount, "", 1)?;
    let created = unix(c.created, "created")?;
    let charged = currency(&c.currency, "currency")?;
    let presentment = (charged != s.currency)
        .then(|| {
            minor(amount, charged, "amount").map(|total| Presentment {
                currency: charged,
                total,
            })
        })
        .transpose()?;
    let mut refunds = Vec::new();
    for (i, r) in c
        .refunds
        .map(|l| l.data)
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        let standalone = refund(r).map_err(|e| e.within(&format!("refunds.data[{i}]")))?;
        refunds.push(Refund {
            order_id: c.id.clone(),
            ..standalone.refund
        });
    }
    let title = c
        .description
        .clone()
        .unwrap_or_else(|| "Stripe charge".to_string());
    Ok(Order {
        id: c.id.clone(),
        name: c.id.clone(),
        processed_at: created.clone(),
        version: created,
        currency: s.currency,
        presentment,
        taxes_included: false,
        cancelled_unpaid: !paid,
        channel: None,
        tags: Vec::new(),
        lines: vec![LineItem {
            id: c.id.clone(),
            sku: None,
            title,
            product_type: None,
            vendor: None,
            tags: Vec::new(),
            quantity: 1,
            unit_price: s.gross,
            unit_cost: None,
            gift_card: false,
            discounts: Vec::new(),
            taxes: Vec::new(),
        }],
        shipping: Vec::new(),
        tip: Decimal::ZERO,
        tenders: vec![Tender {
            id: Some(c.id),
            gateway: GATEWAY.to_string(),
            kind: TenderKind::Payment,
            amount: s.gross,
            fee: s.fee,
            fee_unbooked: None,
            source_index: None,
        }],
        gateway: Some(GATEWAY.to_string()),
        refunds,
        customer: None,
    })
}

/// A payment intent books through its charge: the expanded `latest_charge` when present, else the
/// received amount under the charge's id (so the payout that settles that charge finds it).
pub(super) fn payment_intent(p: wire::PaymentIntent) -> Result<Order> {
    match p.latest_charge {
        Some(wire::Expandable::Object(charge)) => {
            self::charge(*charge).map_err(|e| e.within("latest_charge"))
        }
        latest => {
            let id = match latest {
                Some(wire::Expandable::Id(id)) => id,
                _ => p.id,
            };
            let received = p.amount_received.unwrap_or(0);
            self::charge(wire::Charge {
                id,
                amount: received,
                amount_captured: None,
                currency: p.currency,
                created: p.created,
                status: Some(
                    if p.status.as_deref() == Some("succeeded") && received > 0 {
                        "succeeded".to_string()
                    } else {
                        "pending".to_string()
                    },
                ),
                captured: None,
                description: p.description,
                balance_transaction: None,
                refunds: None,
            })
        }
    }
}

/// A refund gives the refunded amount back through Stripe. It names no line, so it is booked as a
/// refund of the whole-charge sale (`Income:Refunds`). Failed or cancelled refunds book nothing.
pub(super) fn refund(r: wire::Refund) -> Result<StandaloneRefund> {
    let bt = r
        .balance_transaction
        .as_ref()
        .and_then(wire::Expandable::object);
    // A refund's balance transaction is negative; read it as money going out.
    let s = settled(bt, &r.currency, r.amount, "", -1)?;
    let charge_id = match &r.charge {
        Some(wire::Expandable::Id(id)) => id.clone(),
        Some(wire::Expandable::Object(o)) => o.id.clone(),
        None => {
            return Err(LedgerError::MissingField {
                path: "charge".to_string(),
            })
        }
    };
    let live = !matches!(r.status.as_deref(), Some("failed" | "canceled"));
    let (adjustments, tenders) = if live {
        let adjustment = Adjustment {
            kind: AdjustmentKind::Discrepancy,
            amount: s.gross,
            tax: Decimal::ZERO,
            reason: Some(r.reason.clone().unwrap_or_else(|| "refund".to_string())),
        };
        // Stripe keeps its fee on a refunded charge; a negative balance-transaction fee on a refund
        // is a fee given back, which `settled` has already turned positive.
        let tender = Tender {
            id: Some(r.id.clone()),
            gateway: GATEWAY.to_string(),
            kind: TenderKind::Refund,
            amount: s.gross,
            fee: s.fee.filter(|f| !f.is_zero()),
            fee_unbooked: None,
            source_index: None,
        };
        (vec![adjustment], vec![tender])
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(StandaloneRefund {
        currency: s.currency,
        taxes_included: Some(false),
        gateway: Some(GATEWAY.to_string()),
        refund: Refund {
            id: r.id,
            order_id: charge_id,
            processed_at: unix(r.created, "created")?,
            lines: Vec::new(),
            adjustments,
            tenders,
        },
        customer: None,
    })
}
