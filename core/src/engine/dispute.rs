//! Dispute entries. While a dispute is open its money is still the merchant's claim, so it moves
//! from the gateway balance to a disputed-funds asset; only a lost dispute is an expense.

use super::{at_scale, Ctx, Head};
use crate::error::Result;
use crate::journal::{Built, EntryBuilder, Role};
use crate::model::{Dispute, DisputeStage};
use crate::money::format_amount;

pub(crate) fn dispute_entry(dispute: &Dispute, ctx: &mut Ctx<'_>) -> Result<Option<Built>> {
    let cur = dispute.currency;
    let config = ctx.config;
    let accounts = &config.accounts;
    let f = ctx.fields;
    let amount = at_scale(cur, dispute.amount, "amount")?;
    let fee = at_scale(cur, dispute.fee, "fee")?;
    let clearing = config.clearing_account(&dispute.gateway);
    let fees = config.fee_account(&dispute.gateway);
    let (a, fa) = (format_amount(cur, amount), format_amount(cur, fee));
    let charge = &dispute.charge_id;
    let mut b = EntryBuilder::new(cur);
    match dispute.stage {
        DisputeStage::Opened => {
            let why = format!(
                "amount: {a} of charge {charge} withdrawn by {} while disputed",
                dispute.gateway
            );
            b.debit(&accounts.disputes, amount, why.clone(), Role::Other);
            b.credit(&clearing, amount, why, Role::Other);
            let why = format!("fee: {fa} dispute fee taken by {}", dispute.gateway);
            b.debit(&fees, fee, why.clone(), Role::Fee);
            b.credit(&clearing, fee, why, Role::Other);
        }
        DisputeStage::Won => {
            let why = format!(
                "amount: dispute won, {a} of charge {charge} returned to the {} balance",
                dispute.gateway
            );
            b.debit(&clearing, amount, why.clone(), Role::Other);
            b.credit(&accounts.disputes, amount, why, Role::Other);
            let why = format!("fee: {fa} dispute fee given back by {}", dispute.gateway);
            b.debit(&clearing, fee, why.clone(), Role::Other);
            b.credit(&fees, fee, why, Role::Fee);
        }
        DisputeStage::Lost => {
            let why = format!("amount: dispute lost, {a} of charge {charge} is gone for good");
            b.debit(&accounts.chargebacks, amount, why.clone(), Role::Other);
            b.credit(&accounts.disputes, amount, why, Role::Other);
            let why = format!("fee: {fa} further dispute fee taken by {}", dispute.gateway);
            b.debit(&fees, fee, why.clone(), Role::Fee);
            b.credit(&clearing, fee, why, Role::Other);
        }
    }
    if b.is_empty() {
        return Ok(None);
    }
    let stage = dispute.stage.as_str();
    let memo = format!(
        "{} dispute {} {stage} on charge {charge}",
        f.label, dispute.id
    );
    // Each stage is its own event in the books (funds withdrawn, then reinstated or written off),
    // not a newer version of the one before: the source kind carries the stage, so the ledger
    // never plans `lost` as a replacement that reverses the withdrawal.
    let id_kind = format!("dispute-{stage}");
    let head = Head {
        kind: &id_kind,
        id_kind: &id_kind,
        resource: "dispute",
        id: &dispute.id,
        version: &dispute.at,
        date: &dispute.at,
        memo,
    };
    let mut built = ctx.finish(b, head)?;
    built.entry.links.push(format!("charge:{charge}"));
    if let Some(order) = &dispute.order_id {
        built.entry.links.push(format!("order:{order}"));
    }
    Ok(Some(built))
}
