//! Document mode (`[documents] mode = "documents"`, docs/documents.md): a sale or a refund reaches
//! the accounting system as a sales document, which books its revenue, discounts, tax and the
//! money received into the deposit account. What a sales document cannot book stays a journal:
//! the gateway's fee (out of the gateway's clearing account) and the cost of the goods. This turns
//! a sale or refund entry into that remainder.

use super::{AccountKind, Ctx};
use crate::error::Result;
use crate::journal::{entry_id, Built, Closing, EntryBuilder, Role, Source};

/// The entry's fee and cost-of-goods lines, each with its counterpart (the gateway's clearing
/// account, the inventory account), as an entry of kind `sale-costs` / `refund-costs`; `None`
/// when the sale or refund has neither.
pub(crate) fn costs_entry(built: &Built, ctx: &mut Ctx<'_>) -> Result<Option<Built>> {
    let entry = &built.entry;
    let mut b = EntryBuilder::new(entry.currency);
    for (line, role) in entry.lines.iter().zip(&built.roles) {
        let counter = match role {
            Role::Fee => match ctx.gateway_of_fee_account(&line.account) {
                Some(gateway) => ctx.account(AccountKind::Clearing, &gateway),
                // Every fee the engine books came through `ctx.account(Fee, gateway)`.
                None => continue,
            },
            Role::Cogs => ctx.config.accounts.inventory.clone(),
            _ => continue,
        };
        let why = format!(
            "{} (document mode: not part of the sales document)",
            line.why
        );
        // A built line has one non-zero side: moved as it is, no subtraction (and no panic path).
        if line.credit.is_zero() {
            b.debit(line.account.clone(), line.debit.0, why.clone(), *role);
            b.credit(counter, line.debit.0, why, Role::Other);
        } else {
            b.credit(line.account.clone(), line.credit.0, why.clone(), *role);
            b.debit(counter, line.credit.0, why, Role::Other);
        }
    }
    if b.is_empty() {
        return Ok(None);
    }
    let (kind, resource) = if entry.source.kind == "refund" {
        ("refund-costs", "refund")
    } else {
        ("sale-costs", "order")
    };
    let source = Source {
        kind: kind.to_string(),
        ..entry.source.clone()
    };
    let memo = format!("{}: fees and cost of goods", entry.memo);
    let closing = Closing {
        rounding_account: &ctx.config.accounts.rounding,
        source_ref: &memo,
        path: "",
    };
    let id = entry_id(&source, resource);
    let mut costs = b.finish(id, entry.date.clone(), memo.clone(), source, &closing)?;
    costs.entry.links = entry.links.clone();
    Ok(Some(costs))
}
