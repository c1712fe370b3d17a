//! The refund entry: dated on the refund, tax taken from the platform's figures.

use super::text::{text, Quoted};
use super::{add, add_or_none, at_scale, mul, sub, sum, AccountKind, Ctx, Head, ItemPath, Lazy};
use crate::error::Result;
use crate::journal::{Built, EntryBuilder, Role};
use crate::model::GIFT_CARD_GATEWAY;
use crate::model::{
    AdjustmentKind, LineItem, Order, Refund, Restock, StandaloneRefund, TaxLine, TenderKind,
};
use crate::money::{allocate, format_amount, round_to, Currency, Shown};
use crate::rules::RefundMode;
use rust_decimal::Decimal;

/// What a refund needs to know about its order.
pub(crate) struct RefundContext<'a> {
    currency: Currency,
    taxes_included: Option<bool>,
    gateway: Option<&'a str>,
    order: Option<&'a Order>,
    order_name: &'a str,
}

impl<'a> RefundContext<'a> {
    pub fn from_order(order: &'a Order) -> Self {
        let name = if order.name.is_empty() {
            &order.id
        } else {
            &order.name
        };
        Self {
            currency: order.currency,
            taxes_included: Some(order.taxes_included),
            gateway: order.gateway.as_deref(),
            order: Some(order),
            order_name: name,
        }
    }

    pub fn standalone(s: &'a StandaloneRefund) -> Self {
        Self {
            currency: s.currency,
            taxes_included: s.taxes_included,
            gateway: s.gateway.as_deref(),
            order: None,
            order_name: &s.refund.order_id,
        }
    }

    fn line(&self, id: &str) -> Option<&'a LineItem> {
        self.order?.lines.iter().find(|l| l.id == id)
    }

    /// Tax titles for refunded shipping: the order's shipping tax lines, else its first tax title.
    fn shipping_taxes(&self) -> Vec<TaxLine> {
        let Some(order) = self.order else {
            return Vec::new();
        };
        let shipping: Vec<TaxLine> = order
            .shipping
            .iter()
            .flat_map(|s| s.taxes.clone())
            .collect();
        if !shipping.is_empty() {
            return shipping;
        }
        order
            .lines
            .iter()
            .flat_map(|l| l.taxes.first().cloned())
            .take(1)
            .collect()
    }
}

pub(crate) fn refund_entry(
    refund: &Refund,
    rc: &RefundContext<'_>,
    ctx: &mut Ctx<'_>,
) -> Result<Option<Built>> {
    let cur = rc.currency;
    let taxes_included = match rc.taxes_included {
        Some(known) => known,
        None => infer_taxes_included(refund),
    };
    let config = ctx.config;
    let accounts = &config.accounts;
    let f = ctx.fields;
    // Lines booked: the refunded item, its tax (often one line) per item line; an adjustment
    // and its tax; a payment back per tender (and its fee pair); a rounding line.
    let lines = 2 * (refund.lines.len() + refund.adjustments.len()) + 3 * refund.tenders.len();
    let mut b = EntryBuilder::with_capacity(cur, lines + 1);
    let amount = |v: Decimal| Shown(cur, v);

    for (i, line) in refund.lines.iter().enumerate() {
        let path = ItemPath(f.refund_lines, i);
        let subtotal = at_scale(cur, line.subtotal, Lazy(|| format!("{path}.subtotal")))?;
        let tax = at_scale(cur, line.tax, Lazy(|| format!("{path}.total_tax")))?;
        let net = if taxes_included {
            sub(subtotal, tax, path)?
        } else {
            subtotal
        };
        let original = rc.line(&line.line_item_id);
        let sku = line
            .sku
            .as_deref()
            .or(original.and_then(|o| o.sku.as_deref()));
        let label = sku.unwrap_or(&line.line_item_id);
        let gift_card = line.gift_card || original.is_some_and(|o| o.gift_card);
        let (account, via) = match (config.refunds, original, rc.order) {
            _ if gift_card => (accounts.gift_cards.as_str(), "gift card sale cancelled"),
            (RefundMode::RefundsAccount, _, _) => (accounts.refunds.as_str(), "refunds account"),
            (RefundMode::Reverse, Some(o), Some(order)) => {
                (config.sales_account(o, order).0, "reverses the sale")
            }
            (RefundMode::Reverse, _, _) => (config.sales_account_for_sku(sku), "reverses the sale"),
        };
        let qty = line.quantity;
        let why = text!(
            path,
            ": ",
            qty,
            " × ",
            label,
            " refunded, ",
            amount(net),
            " (",
            via,
            ")"
        );
        b.debit(
            account,
            net,
            why,
            if gift_card { Role::Other } else { Role::Refund },
        );

        let taxes: &[TaxLine] = match original {
            Some(o) if line.original_taxes.is_empty() => &o.taxes,
            _ => &line.original_taxes,
        };
        book_refunded_tax(&mut b, ctx, tax, taxes, path, "total_tax", cur)?;

        let cost = config
            .unit_cost(sku)
            .or(line.unit_cost)
            .or(original.and_then(|o| o.unit_cost));
        if let (Restock::Return, Some(cost)) = (line.restock, cost) {
            let total_cost = round_to(cur, mul(cost, qty.into(), path)?);
            let why = text!(
                path,
                ": ",
                qty,
                " × ",
                label,
                " back in stock at cost ",
                cost
            );
            b.debit(&accounts.inventory, total_cost, why.clone(), Role::Other);
            b.credit(&accounts.cogs, total_cost, why, Role::Cogs);
        }
    }

    for (i, adj) in refund.adjustments.iter().enumerate() {
        let path = ItemPath(f.adjustments, i);
        let value = at_scale(cur, adj.amount, Lazy(|| format!("{path}.amount")))?;
        let tax = at_scale(cur, adj.tax, Lazy(|| format!("{path}.tax_amount")))?;
        let reason = adj.reason.as_deref().unwrap_or("adjustment");
        match adj.kind {
            AdjustmentKind::ShippingRefund => {
                let why = text!(path, ": shipping refunded");
                b.debit(&accounts.shipping, value, why, Role::Refund);
                let taxes = rc.shipping_taxes();
                book_refunded_tax(&mut b, ctx, tax, &taxes, path, "tax_amount", cur)?;
            }
            AdjustmentKind::Discrepancy => {
                let total = add(value, tax, path)?;
                let why = text!(
                    path,
                    ": ",
                    Quoted(reason),
                    ", ",
                    amount(total),
                    " refunded beyond the lines"
                );
                b.debit(&accounts.refunds, total, why, Role::Refund);
            }
        }
    }

    let mut paid_back = false;
    for (i, tender) in refund
        .tenders
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind == TenderKind::Refund)
    {
        let path = ItemPath(f.tenders, tender.payload_index(i));
        let value = at_scale(cur, tender.amount, Lazy(|| format!("{path}.amount")))?;
        let gateway = ctx.gateway(&tender.gateway, Lazy(|| format!("{path}.gateway")));
        let account = ctx.account(AccountKind::Clearing, gateway);
        let why = if gateway == GIFT_CARD_GATEWAY {
            text!(
                path,
                ": ",
                amount(value),
                " returned to a gift card, which owes it again"
            )
        } else {
            text!(path, ": ", amount(value), " paid back through ", gateway)
        };
        b.credit(account.clone(), value, why, Role::Other);
        if let Some(fee) = tender.fee.filter(|fee| !fee.is_zero()) {
            let fee = at_scale(cur, fee, Lazy(|| format!("{path}.fee")))?;
            let why = text!(path, ".fee: ", amount(fee), " fee returned by ", gateway);
            b.debit(account, fee, why.clone(), Role::Other);
            let fee_account = ctx.account(AccountKind::Fee, gateway);
            b.credit(fee_account, fee, why, Role::Fee);
        }
        paid_back = true;
    }
    if !paid_back && !b.is_empty() {
        let due = b.balance_due(f.tenders)?;
        if !due.is_zero() {
            let gateway = ctx.gateway(rc.gateway.unwrap_or("manual"), f.gateway);
            let why = text!(
                "no refund transaction in the payload: ",
                amount(-due),
                " owed back through ",
                Quoted(gateway)
            );
            ctx.warn("W_REFUND_WITHOUT_TRANSACTION", f.tenders, why.clone());
            let account = ctx.account(AccountKind::Clearing, gateway);
            b.debit(account, due, why, Role::Other);
        }
    }

    if b.is_empty() {
        return Ok(None);
    }
    let memo = text!(f.label, " refund ", refund.id, " on order ", rc.order_name);
    let mut built = ctx.finish(b, head(refund, memo))?;
    built.entry.links.push(text!("order:", refund.order_id));
    Ok(Some(built))
}

/// What names a refund's entry, booked or refused.
pub(crate) fn head(refund: &Refund, memo: String) -> Head<'_> {
    Head {
        kind: "refund",
        id_kind: "refund",
        resource: "refund",
        id: &refund.id,
        version: &refund.processed_at,
        date: &refund.processed_at,
        memo,
    }
}

/// Debits refunded tax (the `field` of the item at `owner`) to the accounts of the original tax
/// lines, split by their amounts.
fn book_refunded_tax(
    b: &mut EntryBuilder,
    ctx: &mut Ctx<'_>,
    tax: Decimal,
    originals: &[TaxLine],
    owner: ItemPath,
    field: &str,
    cur: Currency,
) -> Result<()> {
    if tax.is_zero() {
        return Ok(());
    }
    if let [only] = originals {
        let why = text!(
            owner,
            ".",
            field,
            ": \"",
            only.title,
            "\" refunded as the platform computed it"
        );
        let account = ctx.account(AccountKind::Tax, &only.title);
        b.debit(account, tax, why, Role::Other);
        return Ok(());
    }
    let weights: Vec<Decimal> = originals.iter().map(|t| t.amount).collect();
    match allocate(tax, &weights, cur.minor_units()) {
        Some(parts) => {
            for (original, part) in originals.iter().zip(parts) {
                let why = text!(
                    owner,
                    ".",
                    field,
                    ": \"",
                    original.title,
                    "\" refunded as the platform computed it"
                );
                let account = ctx.account(AccountKind::Tax, &original.title);
                b.debit(account, part, why, Role::Other);
            }
        }
        None => {
            let account = ctx.account(AccountKind::Tax, "Unassigned");
            let path = format!("{owner}.{field}");
            let why = format!("{path}: refunded tax whose original tax line is unknown");
            ctx.warn(
                "W_REFUND_TAX_UNASSIGNED",
                &path,
                format!("{} of tax booked to {account}", format_amount(cur, tax)),
            );
            b.debit(account, tax, why, Role::Other);
        }
    }
    Ok(())
}

/// A refund that arrives alone does not say whether prices included tax. The refunded money does:
/// with exclusive prices the transactions cover lines + tax, with inclusive prices the lines alone.
pub(crate) fn infer_taxes_included(refund: &Refund) -> bool {
    let path = "";
    let lines = sum(refund.lines.iter().map(|l| &l.subtotal), path).unwrap_or_default();
    let taxes = sum(refund.lines.iter().map(|l| &l.tax), path).unwrap_or_default();
    let adjustments = refund
        .adjustments
        .iter()
        .try_fold(Decimal::ZERO, |total, a| {
            add_or_none(total, add_or_none(a.amount, a.tax)?)
        });
    let paid = sum(
        refund
            .tenders
            .iter()
            .filter(|t| t.kind == TenderKind::Refund)
            .map(|t| &t.amount),
        path,
    );
    // Sums too large to add up cannot match what was paid: no evidence of inclusive prices.
    let (Some(adjustments), Ok(paid)) = (adjustments, paid) else {
        return false;
    };
    let inclusive = add_or_none(lines, adjustments);
    let exclusive = inclusive.and_then(|v| add_or_none(v, taxes));
    !taxes.is_zero() && Some(paid) == inclusive && Some(paid) != exclusive
}
