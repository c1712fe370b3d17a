//! The payout entry: the deposit reaches the bank and the gateway's clearing account is emptied.
//!
//! Sale and refund entries already moved each charge's gross (and any known fee) through clearing,
//! so the payout only books what nothing else has: fees first seen here, reserves, adjustments,
//! disputes and platform charges deducted from the balance, and FX on a deposit in another
//! currency. See docs/payouts.md for the full model.

use super::{add, at_scale, expense::expense_account, sub, Ctx, Head};
use crate::error::{LedgerError, Result};
use crate::journal::{Built, EntryBuilder, Role};
use crate::model::{ExpenseKind, Payout, PayoutItem, PayoutItemKind, PayoutStatus};
use crate::money::{format_amount, Currency};
use rust_decimal::Decimal;

pub(crate) fn payout_entry(payout: &Payout, ctx: &mut Ctx<'_>) -> Result<Option<Built>> {
    if payout.status != PayoutStatus::Paid {
        return Ok(None);
    }
    let cur = payout.currency;
    let config = ctx.config;
    let accounts = &config.accounts;
    let f = ctx.fields;
    let items_path = if f.platform == "stripe" || f.platform == "shopify" {
        "balance_transactions"
    } else {
        "items"
    };
    let gateway = payout.gateway.as_str();
    let clearing = config.clearing_account(gateway);
    let fees = config.fee_account(gateway);
    let amount = |v: Decimal| format_amount(cur, v);
    let deposit = at_scale(cur, payout.amount, "amount")?;
    let mut b = EntryBuilder::new(cur);
    let mut links: Vec<String> = Vec::new();

    let mut settled = Decimal::ZERO;
    if payout.items.is_empty() {
        // No balance transactions: everything in it was booked by its own entries already.
        let why = format!(
            "amount: {} paid out by {gateway}, items not itemised",
            amount(deposit)
        );
        b.credit(&clearing, deposit, why, Role::Other);
        settled = deposit;
    }
    for (i, item) in payout.items.iter().enumerate() {
        let path = format!("{items_path}[{i}]");
        let (gross, fee, net) = checked_item(cur, item, &path)?;
        settled = add(settled, net, &path)?;
        let label = describe(item);
        let in_clearing =
            matches!(item.kind, PayoutItemKind::Charge | PayoutItemKind::Refund) || item.booked;
        if in_clearing && (item.fee_booked || item.booked) {
            let why = format!(
                "{path}: {label}, net {} settled (gross and fee booked with it)",
                amount(net)
            );
            b.credit(&clearing, net, why, Role::Other);
        } else {
            let (account, why) = if in_clearing {
                (
                    clearing.clone(),
                    format!("{path}: {label}, gross {} settled", amount(gross)),
                )
            } else {
                (
                    counter_account(item, gateway, &clearing, ctx),
                    format!(
                        "{path}: {label}, {} first seen in this payout",
                        amount(gross)
                    ),
                )
            };
            // A gateway charge billed apart from a sale is still a payment fee for the profit view.
            let role = if account == fees {
                Role::Fee
            } else {
                Role::Other
            };
            b.credit(account, gross, why, role);
            let why = format!("{path}.fee: {} kept by {gateway} on {label}", amount(fee));
            b.debit(&fees, fee, why, Role::Fee);
        }
        for link in item_links(item) {
            if !links.contains(&link) {
                links.push(link);
            }
        }
    }

    let mut memo = format!("{} payout {} to the bank", f.label, payout.id);
    let bank_why = format!(
        "amount: deposit of {} {cur} from {gateway}",
        amount(deposit)
    );
    b.debit(&accounts.bank, deposit, bank_why, Role::Other);
    let difference = sub(deposit, settled, "amount")?;
    match &payout.bank {
        Some(bank) if bank.currency != cur => {
            let rate = format!(
                "{} {} received, booked at {} {cur}",
                format_amount(bank.currency, bank.amount),
                bank.currency,
                amount(deposit)
            );
            memo.push_str(&format!(" ({rate})"));
            let why = format!("bank: {rate}; the items settled {} {cur}", amount(settled));
            if difference.is_sign_positive() {
                b.credit(&accounts.fx_gain, difference, why, Role::Other);
            } else {
                b.debit(&accounts.fx_loss, -difference, why, Role::Other);
            }
        }
        Some(bank) if bank.amount != deposit => {
            return Err(LedgerError::InvalidValue {
                path: "bank.amount".to_string(),
                value: bank.amount.to_string(),
                reason: format!(
                    "same currency as the payout but differs from its amount {deposit}"
                ),
            });
        }
        _ if !difference.is_zero() => {
            return Err(LedgerError::UnbalancedSource {
                path: items_path.to_string(),
                source_ref: memo,
                debits: amount(deposit),
                credits: amount(settled),
                difference: amount(difference.abs()),
                tolerance: amount(Decimal::ZERO),
            });
        }
        _ => {}
    }

    if b.is_empty() {
        return Ok(None);
    }
    let head = Head {
        kind: "payout",
        id_kind: "payout",
        resource: "payout",
        id: &payout.id,
        version: &payout.date,
        date: &payout.date,
        memo,
    };
    let mut built = ctx.finish(b, head)?;
    built.entry.links = links;
    Ok(Some(built))
}

/// Gross, fee and net at the currency's scale, with `net = gross − fee` enforced: a payout whose
/// lines do not add up must not be booked as if they did.
fn checked_item(
    cur: Currency,
    item: &PayoutItem,
    path: &str,
) -> Result<(Decimal, Decimal, Decimal)> {
    let gross = at_scale(cur, item.gross, &format!("{path}.amount"))?;
    let fee = at_scale(cur, item.fee, &format!("{path}.fee"))?;
    let net = at_scale(cur, item.net, &format!("{path}.net"))?;
    if sub(gross, fee, path)? != net {
        return Err(LedgerError::InvalidValue {
            path: format!("{path}.net"),
            value: net.to_string(),
            reason: format!("net must equal amount − fee = {gross} − {fee}"),
        });
    }
    Ok((gross, fee, net))
}

/// Where an item nothing else booked lands. Reserves stay the merchant's money, held apart; a
/// dispute seen only here is a chargeback until its funds come back; other gateway corrections
/// sit with the gateway's fees.
fn counter_account(item: &PayoutItem, gateway: &str, clearing: &str, ctx: &Ctx<'_>) -> String {
    let config = ctx.config;
    match item.kind {
        PayoutItemKind::Reserve => format!("{clearing}:Reserve"),
        PayoutItemKind::Dispute => config.accounts.chargebacks.clone(),
        PayoutItemKind::Expense => expense_account(
            item.expense.unwrap_or(ExpenseKind::Other),
            Some(gateway),
            config,
        ),
        PayoutItemKind::Charge
        | PayoutItemKind::Refund
        | PayoutItemKind::Adjustment
        | PayoutItemKind::Fee => config.fee_account(gateway),
    }
}

fn describe(item: &PayoutItem) -> String {
    let kind = match item.kind {
        PayoutItemKind::Charge => "charge",
        PayoutItemKind::Refund => "refund",
        PayoutItemKind::Dispute => "dispute",
        PayoutItemKind::Reserve => "reserve",
        PayoutItemKind::Adjustment => "adjustment",
        PayoutItemKind::Fee => "fee",
        PayoutItemKind::Expense => "platform charge",
    };
    let mut out = kind.to_string();
    if let Some(source) = &item.source_id {
        out.push_str(&format!(" {source}"));
    }
    if let Some(order) = &item.order_id {
        out.push_str(&format!(" of order {order}"));
    }
    if let Some(text) = item.description.as_deref().filter(|d| !d.is_empty()) {
        out.push_str(&format!(" ({text})"));
    }
    out
}

/// The source objects an item settles, as the summaries look them up.
fn item_links(item: &PayoutItem) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(order) = &item.order_id {
        out.push(format!("order:{order}"));
    }
    if let Some(source) = &item.source_id {
        let resource = match item.kind {
            PayoutItemKind::Charge if item.order_id.is_some() => None,
            PayoutItemKind::Charge => Some("charge"),
            PayoutItemKind::Refund => Some("refund"),
            PayoutItemKind::Dispute => Some("dispute"),
            PayoutItemKind::Expense => Some("expense"),
            PayoutItemKind::Reserve => Some("reserve"),
            PayoutItemKind::Adjustment => Some("adjustment"),
            PayoutItemKind::Fee => Some("fee"),
        };
        if let Some(resource) = resource {
            out.push(format!("{resource}:{source}"));
        }
    }
    out
}
