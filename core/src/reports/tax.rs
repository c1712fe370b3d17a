//! Sales tax per period, currency and tax account: taxable and non-taxable sales, tax collected
//! and refunded, net liability.
//!
//! Which sales a tax was charged on is read per source item: the engine books each item's
//! revenue, discounts and tax lines with `why` texts starting with the same source path
//! (`line_items[0]`, `line_items[0].discount_allocations`, `line_items[0].tax_lines[1]`), so an
//! item is taxable under every tax account it has a line on. Tax lines of an entry whose path
//! names no item with revenue (an order-level tax) make every untaxed item of that entry taxable
//! under them: the entry says the order was taxed, not which line. docs/reports.md lists the
//! limits.

use super::accounts::{base_kind, class, item_of, order_of, Class};
use super::period::GroupBy;
use super::{text, Acc, Figure, Scope};
use crate::error::Result;
use crate::journal::Entry;
use crate::money::Currency;
use crate::rules::Config;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TaxReport {
    pub periods: Vec<TaxPeriod>,
}

/// One period in one currency. Sales are net of discounts and exclude tax, whether the shop's
/// prices included tax or not (the entries book revenue with the tax removed); tips are not
/// sales.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TaxPeriod {
    pub period: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub currency: Currency,
    /// Goods and shipping sold, after discounts, before tax.
    pub total_sales: Figure,
    /// The part of `total_sales` on which no tax at all was booked.
    pub untaxed_sales: Figure,
    /// Sales given back by refunds (before tax).
    pub refunds: Figure,
    /// Sale entries (orders) in the period.
    pub orders: u32,
    pub accounts: Vec<TaxAccountRow>,
}

/// One tax liability account within a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TaxAccountRow {
    pub account: String,
    /// The tax titles the config maps to this account (empty when it was derived from the title).
    pub titles: Vec<String>,
    /// Sales of items that carried this tax.
    pub taxable_sales: Figure,
    /// `total_sales` minus `taxable_sales`: sold in the period but not taxed under this account.
    pub non_taxable_sales: Figure,
    /// Refunded sales of items whose refund gave back this tax.
    pub taxable_refunds: Figure,
    /// Credits to the account.
    pub tax_collected: Figure,
    /// Debits to the account (refunds, reversals).
    pub tax_refunded: Figure,
    /// `tax_collected − tax_refunded`: what the period adds to the liability.
    pub net_tax: Figure,
    /// Orders with a line taxed under this account.
    pub orders: u32,
    /// `tax_collected / taxable_sales`, 4 places; a check against the statutory rate, not a fact.
    pub effective_rate: Option<String>,
}

/// One source item of one entry.
struct Item {
    entry: usize,
    sales: Decimal,
    refund: Decimal,
    taxes: BTreeSet<String>,
}

#[derive(Default)]
struct Row {
    taxable: Acc,
    taxable_refunds: Acc,
    collected: Acc,
    refunded: Acc,
    net: Acc,
    orders: BTreeSet<String>,
}

#[derive(Default)]
struct Period {
    total: Acc,
    untaxed: Acc,
    refunds: Acc,
    orders: BTreeSet<String>,
    rows: BTreeMap<String, Row>,
    items: Vec<Item>,
}

pub(crate) fn build(entries: &[Entry], config: &Config, scope: &Scope) -> Result<TaxReport> {
    scope.only(&GroupBy::TIME)?;
    let mut periods: BTreeMap<(String, Currency), Period> = BTreeMap::new();
    for (index, entry) in entries.iter().enumerate() {
        if !scope.covers(entry) {
            continue;
        }
        let key = (scope.period_of(&entry.date), entry.currency);
        let (kind, _) = base_kind(entry);
        let items = items(index, entry, config);
        let touches_tax = entry
            .lines
            .iter()
            .any(|l| class(config, &l.account) == Class::Tax);
        if items.is_empty() && !touches_tax {
            continue;
        }
        let period = periods.entry(key).or_default();
        for line in &entry.lines {
            if class(config, &line.account) != Class::Tax {
                continue;
            }
            let row = period.rows.entry(line.account.clone()).or_default();
            row.collected.add(entry, line.credit.0);
            row.refunded.add(entry, line.debit.0);
            row.net.add(entry, -line.signed());
        }
        let order = order_of(entry);
        if kind == "sale" {
            if let Some(o) = &order {
                period.orders.insert(o.clone());
            }
        }
        for item in &items {
            period.total.add(entry, item.sales);
            period.refunds.add(entry, item.refund);
            if item.taxes.is_empty() {
                period.untaxed.add(entry, item.sales);
            }
            for account in &item.taxes {
                let row = period.rows.entry(account.clone()).or_default();
                row.taxable.add(entry, item.sales);
                row.taxable_refunds.add(entry, item.refund);
                if let (Some(o), false) = (&order, item.sales.is_zero()) {
                    row.orders.insert(o.clone());
                }
            }
        }
        period.items.extend(items);
    }
    let periods = periods
        .into_iter()
        .map(|((period, currency), p)| render(period, currency, p, entries, config))
        .collect();
    Ok(TaxReport { periods })
}

/// The items of an entry with their sales (sale entries), refunds (refund entries) and taxes.
fn items(index: usize, entry: &Entry, config: &Config) -> Vec<Item> {
    let (kind, _) = base_kind(entry);
    let mut by_item: BTreeMap<&str, Item> = BTreeMap::new();
    let mut loose_taxes: BTreeSet<String> = BTreeSet::new();
    for line in &entry.lines {
        let c = class(config, &line.account);
        let key = item_of(&line.why);
        // Credit-positive on a sale (a discount is a debit, so it lowers the item's sales);
        // debit-positive on a refund.
        let amount = match (c, kind) {
            (Class::Sales | Class::Shipping | Class::Discount, "sale") => {
                Some((-line.signed(), Decimal::ZERO))
            }
            (Class::Sales | Class::Shipping | Class::Refund, "refund") => {
                Some((Decimal::ZERO, line.signed()))
            }
            _ => None,
        };
        match (c, key, amount) {
            (Class::Tax, Some(k), _) => {
                by_item
                    .entry(k)
                    .or_insert_with(|| new_item(index))
                    .taxes
                    .insert(line.account.clone());
            }
            (Class::Tax, None, _) => {
                loose_taxes.insert(line.account.clone());
            }
            (_, _, Some((sales, refund))) => {
                let item = by_item
                    .entry(key.unwrap_or(""))
                    .or_insert_with(|| new_item(index));
                item.sales += sales;
                item.refund += refund;
            }
            _ => {}
        }
    }
    // Tax on items without revenue of their own is order-level: it applies to the untaxed items.
    let (with_money, without): (Vec<Item>, Vec<Item>) = by_item
        .into_values()
        .partition(|i| !i.sales.is_zero() || !i.refund.is_zero());
    for item in without {
        loose_taxes.extend(item.taxes);
    }
    let mut out = with_money;
    if !loose_taxes.is_empty() {
        for item in out.iter_mut().filter(|i| i.taxes.is_empty()) {
            item.taxes = loose_taxes.clone();
        }
    }
    out
}

fn new_item(entry: usize) -> Item {
    Item {
        entry,
        sales: Decimal::ZERO,
        refund: Decimal::ZERO,
        taxes: BTreeSet::new(),
    }
}

fn render(
    period: String,
    currency: Currency,
    p: Period,
    entries: &[Entry],
    config: &Config,
) -> TaxPeriod {
    let accounts = p
        .rows
        .into_iter()
        .map(|(account, row)| {
            // Every item of the period that did not carry this tax, so it equals total − taxable.
            let mut non_taxable = Acc::default();
            for item in p.items.iter().filter(|i| !i.taxes.contains(&account)) {
                if let Some(e) = entries.get(item.entry) {
                    non_taxable.add(e, item.sales);
                }
            }
            let effective_rate = (!row.taxable.amount.is_zero()).then(|| {
                let rate = (row.collected.amount / row.taxable.amount).round_dp(4);
                format!("{rate:.4}")
            });
            TaxAccountRow {
                titles: config
                    .tax
                    .iter()
                    .filter(|(_, a)| **a == account)
                    .map(|(t, _)| t.clone())
                    .collect(),
                account,
                taxable_sales: row.taxable.figure(currency),
                non_taxable_sales: non_taxable.figure(currency),
                taxable_refunds: row.taxable_refunds.figure(currency),
                tax_collected: row.collected.figure(currency),
                tax_refunded: row.refunded.figure(currency),
                net_tax: Figure {
                    amount: text(currency, row.net.amount),
                    entries: row.net.entries,
                },
                orders: count(row.orders.len()),
                effective_rate,
            }
        })
        .collect();
    TaxPeriod {
        period,
        currency,
        total_sales: p.total.figure(currency),
        untaxed_sales: p.untaxed.figure(currency),
        refunds: p.refunds.figure(currency),
        orders: count(p.orders.len()),
        accounts,
    }
}

pub(crate) fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}
