//! The sale entry of an order.

use super::{add, at_scale, mul, sub, sum, Ctx};
use crate::error::Result;
use crate::journal::{entry_id, Built, Closing, EntryBuilder, Role, Source};
use crate::model::{Discount, Order, TaxLine, TenderKind};
use crate::money::{format_amount, round_to, Currency};
use crate::rules::GIFT_CARD_GATEWAY;
use rust_decimal::Decimal;

pub(crate) fn sale_entry(order: &Order, ctx: &mut Ctx<'_>) -> Result<Option<Built>> {
    if order.cancelled_unpaid {
        return Ok(None);
    }
    let cur = order.currency;
    let config = ctx.config;
    let accounts = &config.accounts;
    let f = ctx.fields;
    let mut b = EntryBuilder::new(cur);
    let amount = |v: Decimal| format_amount(cur, v);

    for (i, line) in order.lines.iter().enumerate() {
        let path = format!("{}[{i}]", f.lines);
        let gross = at_scale(
            cur,
            mul(line.unit_price, line.quantity.into(), &path)?,
            &format!("{path}.price"),
        )?;
        let discount = sum(line.discounts.iter().map(|d| &d.amount), &path)?;
        let tax = sum(line.taxes.iter().map(|t| &t.amount), &path)?;
        let label = describe_line(line.sku.as_deref(), &line.title);
        let qty = line.quantity;
        let price = amount(line.unit_price);
        if line.gift_card {
            let liability = sub(gross, discount, &path)?;
            let why = format!("{path}: gift card {label} {qty} × {price} sold: a liability until redeemed, not revenue");
            b.credit(&accounts.gift_cards, liability, why, Role::Other);
        } else {
            let (sales, discount_ex) =
                split_inclusive(cur, gross, discount, tax, order.taxes_included, &path)?;
            let (account, rule) = config.sales_account(line, order);
            let via = match rule {
                Some(r) => format!("sales rule #{}", r + 1),
                None => "default sales account".to_string(),
            };
            if rule.is_none() && !config.sales.is_empty() {
                ctx.warn(
                    "W_DEFAULT_SALES_ACCOUNT",
                    &path,
                    format!("{label} matched no sales rule and fell to {account}"),
                );
            }
            let net = if order.taxes_included {
                ", tax removed"
            } else {
                ""
            };
            let why = format!("{path}: {label} {qty} × {price}{net} ({via})");
            b.credit(account, sales, why, Role::Revenue);
            if !discount_ex.is_zero() {
                let why = format!(
                    "{path}.discount_allocations: {}{net}",
                    discount_names(&line.discounts)
                );
                b.debit(&accounts.discounts, discount_ex, why, Role::Discount);
            }
            let cost = config.unit_cost(line.sku.as_deref()).or(line.unit_cost);
            if let Some(cost) = cost {
                let total_cost = round_to(cur, mul(cost, qty.into(), &path)?);
                let why = format!("{path}: cost of {qty} × {label} at {cost}");
                b.debit(&accounts.cogs, total_cost, why.clone(), Role::Cogs);
                b.credit(&accounts.inventory, total_cost, why, Role::Other);
            }
        }
        book_taxes(&mut b, ctx, &line.taxes, &format!("{path}.tax_lines"), cur)?;
    }

    for (i, ship) in order.shipping.iter().enumerate() {
        let path = format!("{}[{i}]", f.shipping);
        let price = at_scale(cur, ship.price, &path)?;
        let discount = sum(ship.discounts.iter().map(|d| &d.amount), &path)?;
        let tax = sum(ship.taxes.iter().map(|t| &t.amount), &path)?;
        let (income, discount_ex) =
            split_inclusive(cur, price, discount, tax, order.taxes_included, &path)?;
        let title = if ship.title.is_empty() {
            "shipping"
        } else {
            ship.title.as_str()
        };
        b.credit(
            &accounts.shipping,
            income,
            format!("{path}: {title:?} shipping charged"),
            Role::Revenue,
        );
        if !discount_ex.is_zero() {
            let why = format!("{path}: shipping {}", discount_names(&ship.discounts));
            b.debit(&accounts.discounts, discount_ex, why, Role::Discount);
        }
        book_taxes(&mut b, ctx, &ship.taxes, &format!("{path}.tax_lines"), cur)?;
    }

    if !order.tip.is_zero() {
        let tip = at_scale(cur, order.tip, f.tip)?;
        b.credit(
            &accounts.tips,
            tip,
            format!("{}: tip received", f.tip),
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
        let due = pending_total(&b);
        let gateway = order.gateway.as_deref().unwrap_or("manual");
        let why = format!("order total owed through {gateway:?} (no transaction in the payload)");
        let account = config.clearing_account(gateway);
        b.debit(account, due, why, Role::Other);
    }
    for (i, tender) in payments {
        let path = format!("{}[{i}]", f.tenders);
        let paid = at_scale(cur, tender.amount, &format!("{path}.amount"))?;
        let account = config.clearing_account(&tender.gateway);
        let why = if tender.gateway == GIFT_CARD_GATEWAY {
            format!("{path}: paid by gift card, which releases that much liability")
        } else {
            format!("{path}: {} paid through {}", amount(paid), tender.gateway)
        };
        b.debit(account.clone(), paid, why, Role::Other);
        if let Some(fee) = tender.fee.filter(|fee| !fee.is_zero()) {
            let fee = at_scale(cur, fee, &format!("{path}.fee"))?;
            let why = format!("{path}.fee: {} kept by {}", amount(fee), tender.gateway);
            b.debit(
                config.fee_account(&tender.gateway),
                fee,
                why.clone(),
                Role::Fee,
            );
            b.credit(account, fee, why, Role::Other);
        }
    }

    if b.is_empty() {
        return Ok(None);
    }
    let source = Source {
        platform: f.platform.to_string(),
        shop: config.shop.clone(),
        kind: "sale".to_string(),
        id: order.id.clone(),
        version: order.version.unix().to_string(),
    };
    let id = entry_id(&source, "order");
    let name = if order.name.is_empty() {
        order.id.as_str()
    } else {
        order.name.as_str()
    };
    let mut memo = format!("{} order {name}", f.label);
    if let Some(p) = order.presentment.as_ref().filter(|p| p.currency != cur) {
        memo.push_str(&format!(
            " (customer paid {} {})",
            format_amount(p.currency, p.total),
            p.currency
        ));
    }
    let source_ref = format!("{} order {name}", f.label);
    let closing = Closing {
        rounding_account: &accounts.rounding,
        source_ref: &source_ref,
        path: "",
    };
    b.finish(
        id,
        order.processed_at.date().to_string(),
        memo,
        source,
        &closing,
    )
    .map(Some)
}

/// Books each tax line to its liability account.
pub(crate) fn book_taxes(
    b: &mut EntryBuilder,
    ctx: &Ctx<'_>,
    taxes: &[TaxLine],
    path: &str,
    cur: Currency,
) -> Result<()> {
    for (j, tax) in taxes.iter().enumerate() {
        let path = format!("{path}[{j}]");
        let value = at_scale(cur, tax.amount, &path)?;
        let rate = tax.rate.map(|r| format!(" at {r}")).unwrap_or_default();
        let why = format!(
            "{path}: {:?}{rate} collected for the tax authority",
            tax.title
        );
        b.credit(ctx.config.tax_account(&tax.title), value, why, Role::Other);
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
    path: &str,
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
        let share = mul(discount, net, path)?
            .checked_div(after_discount)
            .unwrap_or(Decimal::ZERO);
        round_to(cur, share)
    };
    Ok((add(net, discount_ex, path)?, discount_ex))
}

/// Credits minus debits so far: what the customer owes for everything booked.
fn pending_total(b: &EntryBuilder) -> Decimal {
    b.balance_due()
}

fn describe_line(sku: Option<&str>, title: &str) -> String {
    match (sku, title) {
        (Some(s), "") => s.to_string(),
        (Some(s), t) => format!("{s} {t:?}"),
        (None, "") => "item".to_string(),
        (None, t) => format!("{t:?}"),
    }
}

fn discount_names(discounts: &[Discount]) -> String {
    let codes: Vec<&str> = discounts.iter().filter_map(|d| d.code.as_deref()).collect();
    if codes.is_empty() {
        "discount allocated to this line".to_string()
    } else {
        format!("discount {}", codes.join(", "))
    }
}
