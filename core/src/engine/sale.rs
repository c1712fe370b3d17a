//! The sale entry of an order.

use super::fee::payment_fee;
use super::text::{text, Piece, Quoted};
use super::{add, at_scale, mul, sub, sum, AccountKind, Ctx, Head, ItemPath, Lazy, PathArg};
use crate::error::Result;
use crate::journal::{Built, EntryBuilder, Role};
use crate::model::GIFT_CARD_GATEWAY;
use crate::model::{Discount, Order, TaxLine, TenderKind};
use crate::money::checked::div_or_none;
use crate::money::{round_to, Currency, Shown};
use rust_decimal::Decimal;

pub(crate) fn sale_entry(order: &Order, ctx: &mut Ctx<'_>) -> Result<Option<Built>> {
    if order.cancelled_unpaid {
        return Ok(None);
    }
    let cur = order.currency;
    let config = ctx.config;
    let accounts = &config.accounts;
    let f = ctx.fields;
    // Lines booked: revenue (and a discount) per item, its taxes, shipping likewise, a payment
    // and its fee pair per tender, the tip and a rounding line.
    let taxes: usize = order.lines.iter().map(|l| l.taxes.len()).sum::<usize>()
        + order.shipping.iter().map(|s| s.taxes.len()).sum::<usize>();
    let lines = 2 * (order.lines.len() + order.shipping.len()) + taxes + 3 * order.tenders.len();
    let mut b = EntryBuilder::with_capacity(cur, lines + 2);
    let amount = |v: Decimal| Shown(cur, v);

    for (i, line) in order.lines.iter().enumerate() {
        let path = ItemPath(f.lines, i);
        let gross = at_scale(
            cur,
            mul(line.unit_price, line.quantity.into(), path)?,
            Lazy(|| format!("{path}.price")),
        )?;
        let discount = sum(line.discounts.iter().map(|d| &d.amount), path)?;
        let tax = sum(line.taxes.iter().map(|t| &t.amount), path)?;
        let label = LineLabel(line.sku.as_deref(), &line.title);
        let qty = line.quantity;
        let price = amount(line.unit_price);
        if line.gift_card {
            let liability = sub(gross, discount, path)?;
            let why = text!(
                path,
                ": gift card ",
                label,
                " ",
                qty,
                " × ",
                price,
                " sold: a liability until redeemed, not revenue"
            );
            b.credit(&accounts.gift_cards, liability, why, Role::Other);
        } else {
            let (sales, discount_ex) =
                split_inclusive(cur, gross, discount, tax, order.taxes_included, path)?;
            let (account, rule) = config.sales_account(line, order);
            let via = Via(rule);
            if rule.is_none() && !config.sales.is_empty() {
                ctx.warn(
                    "W_DEFAULT_SALES_ACCOUNT",
                    path.to_string(),
                    text!(label, " matched no sales rule and fell to ", account),
                );
            }
            let net = if order.taxes_included {
                ", tax removed"
            } else {
                ""
            };
            let why = text!(path, ": ", label, " ", qty, " × ", price, net, " (", via, ")");
            b.credit(account, sales, why, Role::Revenue);
            if !discount_ex.is_zero() {
                let why = text!(
                    path,
                    ".discount_allocations: ",
                    DiscountNames(&line.discounts),
                    net
                );
                b.debit(&accounts.discounts, discount_ex, why, Role::Discount);
            }
            let cost = config.unit_cost(line.sku.as_deref()).or(line.unit_cost);
            if let Some(cost) = cost {
                let total_cost = round_to(cur, mul(cost, qty.into(), path)?);
                let why = text!(path, ": cost of ", qty, " × ", label, " at ", cost);
                b.debit(&accounts.cogs, total_cost, why.clone(), Role::Cogs);
                b.credit(&accounts.inventory, total_cost, why, Role::Other);
            }
        }
        book_taxes(&mut b, ctx, &line.taxes, path, cur)?;
    }

    for (i, ship) in order.shipping.iter().enumerate() {
        let path = ItemPath(f.shipping, i);
        let price = at_scale(cur, ship.price, path)?;
        let discount = sum(ship.discounts.iter().map(|d| &d.amount), path)?;
        let tax = sum(ship.taxes.iter().map(|t| &t.amount), path)?;
        let (income, discount_ex) =
            split_inclusive(cur, price, discount, tax, order.taxes_included, path)?;
        let title = if ship.title.is_empty() {
            "shipping"
        } else {
            ship.title.as_str()
        };
        b.credit(
            &accounts.shipping,
            income,
            text!(path, ": \"", title, "\" shipping charged"),
            Role::Revenue,
        );
        if !discount_ex.is_zero() {
            let why = text!(path, ": shipping ", DiscountNames(&ship.discounts));
            b.debit(&accounts.discounts, discount_ex, why, Role::Discount);
        }
        book_taxes(&mut b, ctx, &ship.taxes, path, cur)?;
    }

    if !order.tip.is_zero() {
        let tip = at_scale(cur, order.tip, f.tip)?;
        b.credit(
            &accounts.tips,
            tip,
            text!(f.tip, ": tip received"),
            Role::Revenue,
        );
    }

    let payments: Vec<_> = order
        .tenders
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind == TenderKind::Payment)
        .collect();
    if payments.is_empty() {
        let due = pending_total(&b, f.tenders)?;
        let gateway = ctx.gateway(order.gateway.as_deref().unwrap_or("manual"), f.gateway);
        let why = text!(
            "order total owed through ",
            Quoted(gateway),
            " (no transaction in the payload)"
        );
        let account = ctx.account(AccountKind::Clearing, gateway);
        b.debit(account.clone(), due, why, Role::Other);
        let fee = payment_fee(ctx, cur, gateway, due, None, &f.gateway)?;
        book_fee(&mut b, ctx, gateway, account, fee);
    }
    for (i, tender) in payments {
        let path = ItemPath(f.tenders, tender.payload_index(i));
        let paid = at_scale(cur, tender.amount, Lazy(|| format!("{path}.amount")))?;
        let gateway = ctx.gateway(&tender.gateway, Lazy(|| format!("{path}.gateway")));
        let account = ctx.account(AccountKind::Clearing, gateway);
        let why = if gateway == GIFT_CARD_GATEWAY {
            text!(
                path,
                ": paid by gift card, which releases that much liability"
            )
        } else {
            text!(path, ": ", amount(paid), " paid through ", gateway)
        };
        b.debit(account.clone(), paid, why, Role::Other);
        let fee = payment_fee(ctx, cur, gateway, paid, Some(tender), &path)?;
        book_fee(&mut b, ctx, gateway, account, fee);
    }

    if b.is_empty() {
        return Ok(None);
    }
    let name = if order.name.is_empty() {
        order.id.as_str()
    } else {
        order.name.as_str()
    };
    let memo = match order.presentment.as_ref().filter(|p| p.currency != cur) {
        None => text!(f.label, " order ", name),
        Some(p) => text!(
            f.label,
            " order ",
            name,
            " (customer paid ",
            Shown(p.currency, p.total),
            " ",
            p.currency,
            ")"
        ),
    };
    ctx.finish(b, head(order, memo)).map(Some)
}

/// The fee pair: the gateway kept `fee` of what its clearing account was debited with.
fn book_fee(
    b: &mut EntryBuilder,
    ctx: &mut Ctx<'_>,
    gateway: &str,
    clearing: String,
    fee: Option<(Decimal, String)>,
) {
    if let Some((fee, why)) = fee {
        b.debit(
            ctx.account(AccountKind::Fee, gateway),
            fee,
            why.clone(),
            Role::Fee,
        );
        b.credit(clearing, fee, why, Role::Other);
    }
}

/// What names an order's sale entry, booked or not.
pub(crate) fn head(order: &Order, memo: String) -> Head<'_> {
    Head {
        kind: "sale",
        id_kind: "sale",
        resource: "order",
        id: &order.id,
        version: &order.version,
        date: &order.processed_at,
        memo,
    }
}

/// Books each tax line of the item at `owner` (e.g. `line_items[0]`) to its liability account.
pub(crate) fn book_taxes(
    b: &mut EntryBuilder,
    ctx: &mut Ctx<'_>,
    taxes: &[TaxLine],
    owner: ItemPath,
    cur: Currency,
) -> Result<()> {
    for (j, tax) in taxes.iter().enumerate() {
        let value = at_scale(cur, tax.amount, Lazy(|| format!("{owner}.tax_lines[{j}]")))?;
        let why = text!(
            owner,
            ".tax_lines[",
            j,
            "]: \"",
            tax.title,
            "\"",
            Rate(tax.rate),
            " collected for the tax authority"
        );
        let account = ctx.account(AccountKind::Tax, &tax.title);
        b.credit(account, value, why, Role::Other);
    }
    Ok(())
}

/// Splits a price into (revenue, discount), both ex-tax when prices include tax. With gross `g`,
/// discount `d` and tax `t` (all tax-inclusive), the net ex-tax is `n = g − d − t`; the discount's
/// ex-tax part is `d × n / (g − d)` rounded half-even, and revenue is `n` plus it, so revenue −
/// discount equals `n` exactly and no rounding line is ever needed.
fn split_inclusive(
    cur: Currency,
    gross: Decimal,
    discount: Decimal,
    tax: Decimal,
    taxes_included: bool,
    path: impl PathArg + Copy,
) -> Result<(Decimal, Decimal)> {
    let discount = at_scale(cur, discount, path)?;
    if !taxes_included {
        return Ok((gross, discount));
    }
    let after_discount = sub(gross, discount, path)?;
    let net = sub(after_discount, tax, path)?;
    let discount_ex = if discount.is_zero() || after_discount.is_zero() {
        sub(
            discount,
            if after_discount.is_zero() {
                tax
            } else {
                Decimal::ZERO
            },
            path,
        )?
    } else {
        let share = div_or_none(mul(discount, net, path)?, after_discount).unwrap_or(Decimal::ZERO);
        round_to(cur, share)
    };
    Ok((add(net, discount_ex, path)?, discount_ex))
}

/// Credits minus debits so far: what the customer owes for everything booked.
fn pending_total(b: &EntryBuilder, path: &str) -> Result<Decimal> {
    b.balance_due(path)
}

/// `SKU "Title"`, as the merchant knows the product.
struct LineLabel<'a>(Option<&'a str>, &'a str);

impl Piece for LineLabel<'_> {
    fn size(&self) -> usize {
        self.0.map_or(0, str::len) + self.1.len() + 4
    }
    fn put(&self, out: &mut String) {
        match (self.0, self.1) {
            (Some(s), "") => out.push_str(s),
            (Some(s), t) => {
                out.push_str(s);
                out.push_str(" \"");
                out.push_str(t);
                out.push('"');
            }
            (None, "") => out.push_str("item"),
            (None, t) => {
                out.push('"');
                out.push_str(t);
                out.push('"');
            }
        }
    }
}

/// Which rule routed a sale line.
struct Via(Option<usize>);

impl Piece for Via {
    fn size(&self) -> usize {
        34
    }
    fn put(&self, out: &mut String) {
        match self.0 {
            Some(r) => {
                out.push_str("sales rule #");
                (r + 1).put(out);
            }
            None => out.push_str("default sales account"),
        }
    }
}

/// ` at 0.2`: a tax line's rate, when the source gives one.
struct Rate(Option<Decimal>);

impl Piece for Rate {
    fn size(&self) -> usize {
        self.0.map_or(0, |r| r.size() + 4)
    }
    fn put(&self, out: &mut String) {
        if let Some(rate) = self.0 {
            out.push_str(" at ");
            rate.put(out);
        }
    }
}

struct DiscountNames<'a>(&'a [Discount]);

impl Piece for DiscountNames<'_> {
    fn size(&self) -> usize {
        let codes = self.0.iter().filter_map(|d| d.code.as_deref());
        codes.map(|c| c.len() + 2).sum::<usize>().max(31) + 9
    }
    fn put(&self, out: &mut String) {
        let mut codes = self.0.iter().filter_map(|d| d.code.as_deref());
        match codes.next() {
            None => out.push_str("discount allocated to this line"),
            Some(first) => {
                out.push_str("discount ");
                out.push_str(first);
                for c in codes {
                    out.push_str(", ");
                    out.push_str(c);
                }
            }
        }
    }
}
