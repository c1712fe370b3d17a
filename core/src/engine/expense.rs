//! Platform expenses: the cost lands on its expense account, the money leaves whoever paid.

use super::{at_scale, Ctx, Head};
use crate::error::{LedgerError, Result};
use crate::journal::{Built, EntryBuilder, Role};
use crate::model::{Expense, ExpenseKind, PaidFrom};
use crate::money::format_amount;
use crate::rules::{component, Config, ExpensesPaidFrom};

/// The expense account of a platform charge; payouts that deduct such charges use it too.
pub(crate) fn expense_account(kind: ExpenseKind, gateway: Option<&str>, config: &Config) -> String {
    let accounts = &config.accounts;
    match kind {
        ExpenseKind::ShippingLabel => accounts.shipping_labels.clone(),
        // A fee billed apart from any sale still belongs with the gateway's other fees.
        ExpenseKind::GatewayFee => config.fee_account(gateway.unwrap_or("platform")),
        other => format!(
            "{}:{}",
            accounts.platform_expenses_prefix,
            component(other.as_str())
        ),
    }
}

pub(crate) fn expense_entry(expense: &Expense, ctx: &mut Ctx<'_>) -> Result<Option<Built>> {
    let cur = expense.currency;
    let config = ctx.config;
    let f = ctx.fields;
    let amount = at_scale(cur, expense.amount, "amount")?;
    let paid_from = expense
        .paid_from
        .unwrap_or(match config.expenses_paid_from {
            ExpensesPaidFrom::Card => PaidFrom::Card,
            ExpensesPaidFrom::Bank => PaidFrom::Bank,
        });
    let (payer, via) = match paid_from {
        PaidFrom::Card => (config.accounts.card.clone(), "the company card".to_string()),
        PaidFrom::Bank => (config.accounts.bank.clone(), "the bank account".to_string()),
        PaidFrom::Clearing => {
            let gateway = expense
                .gateway
                .as_deref()
                .ok_or_else(|| LedgerError::MissingField {
                    path: "gateway".to_string(),
                })?;
            (
                config.clearing_account(gateway),
                format!("the {gateway} balance (a later payout)"),
            )
        }
    };
    let account = expense_account(expense.kind, expense.gateway.as_deref(), config);
    let what = if expense.description.is_empty() {
        expense.kind.as_str()
    } else {
        expense.description.as_str()
    };
    let shown = format_amount(cur, amount);
    let mut b = EntryBuilder::new(cur);
    let role = if expense.kind == ExpenseKind::GatewayFee {
        Role::Fee
    } else {
        Role::Other
    };
    b.debit(
        &account,
        amount,
        format!("amount: {what:?}, {shown} charged by the platform"),
        role,
    );
    b.credit(
        payer,
        amount,
        format!("paid_from: {shown} paid from {via}"),
        Role::Other,
    );
    if b.is_empty() {
        return Ok(None);
    }
    let memo = format!(
        "{} {} {} ({what})",
        f.label,
        expense.kind.as_str().replace('_', " "),
        expense.id
    );
    let head = Head {
        kind: "expense",
        id_kind: "expense",
        resource: "expense",
        id: &expense.id,
        version: &expense.date,
        date: &expense.date,
        memo,
    };
    ctx.finish(b, head).map(Some)
}
