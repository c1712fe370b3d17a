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
use super::sorted::SortedMap;
use super::{text, Acc, Distinct, Figure, Scope};
use crate::error::Result;
use crate::journal::Entry;
use crate::money::Currency;
use crate::rules::Config;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

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
    sales: Decimal,
    refund: Decimal,
    taxes: BTreeSet<String>,
}

/// One tax account's running figures within a period.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Row {
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) taxable: Acc,
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) taxable_refunds: Acc,
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) collected: Acc,
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) refunded: Acc,
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) net: Acc,
    /// Every item of the period that did not carry this tax, so it equals total − taxable.
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) non_taxable: Acc,
    #[serde(default, skip_serializing_if = "Distinct::is_empty")]
    pub(super) orders: Distinct,
}

/// One period and currency, mergeable: a day's is a day aggregate's tax part.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Period {
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) total: Acc,
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) untaxed: Acc,
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) refunds: Acc,
    #[serde(default, skip_serializing_if = "Distinct::is_empty")]
    pub(super) orders: Distinct,
    pub(super) rows: SortedMap<String, Row>,
}

impl Period {
    /// This period followed by `other` (a later stretch of days).
    pub fn merge(&mut self, other: Period) {
        // An account one side has no row for taxed none of that side's items.
        for (account, row) in self.rows.iter_mut() {
            if !other.rows.contains_key(account) {
                row.non_taxable.merge(other.total.clone());
            }
        }
        for (account, theirs) in other.rows {
            match self.rows.get_mut(&account) {
                Some(row) => {
                    row.taxable.merge(theirs.taxable);
                    row.taxable_refunds.merge(theirs.taxable_refunds);
                    row.collected.merge(theirs.collected);
                    row.refunded.merge(theirs.refunded);
                    row.net.merge(theirs.net);
                    row.non_taxable.merge(theirs.non_taxable);
                    row.orders.merge(theirs.orders);
                }
                None => {
                    let mut non_taxable = self.total.clone();
                    non_taxable.merge(theirs.non_taxable);
                    self.rows.insert(
                        account,
                        Row {
                            non_taxable,
                            ..theirs
                        },
                    );
                }
            }
        }
        self.total.merge(other.total);
        self.untaxed.merge(other.untaxed);
        self.refunds.merge(other.refunds);
        self.orders.merge(other.orders);
    }

    pub fn localize(&mut self, elsewhere: &dyn Fn(&str) -> bool) {
        self.orders.localize(elsewhere);
        for row in self.rows.values_mut() {
            row.orders.localize(elsewhere);
        }
    }

    pub fn strip_ids(&mut self) {
        for acc in [&mut self.total, &mut self.untaxed, &mut self.refunds] {
            acc.entries.clear();
        }
        for row in self.rows.values_mut() {
            for acc in [
                &mut row.taxable,
                &mut row.taxable_refunds,
                &mut row.collected,
                &mut row.refunded,
                &mut row.net,
                &mut row.non_taxable,
            ] {
                acc.entries.clear();
            }
        }
    }
}

/// Periods by key, then currency.
pub(crate) type Periods = SortedMap<String, SortedMap<Currency, Period>>;

pub(crate) fn build(entries: &[Entry], config: &Config, scope: &Scope) -> Result<TaxReport> {
    scope.only(&GroupBy::TIME)?;
    let mut periods = Periods::new();
    for entry in entries.iter().filter(|e| scope.covers(e)) {
        let period = periods.entry(scope.period_of(&entry.date)).or_default();
        absorb(period, entry, config);
    }
    Ok(render_all(periods, config))
}

pub(crate) fn render_all(periods: Periods, config: &Config) -> TaxReport {
    let periods = periods
        .into_iter()
        .flat_map(|(period, by_currency)| {
            by_currency
                .into_iter()
                .map(move |(currency, p)| (period.clone(), currency, p))
        })
        .map(|(period, currency, p)| render(period, currency, p, config))
        .collect();
    TaxReport { periods }
}

/// Adds one entry to its period (per currency).
pub(crate) fn absorb(periods: &mut SortedMap<Currency, Period>, entry: &Entry, config: &Config) {
    let (kind, _) = base_kind(entry);
    let items = items(entry, config);
    let touches_tax = entry
        .lines
        .iter()
        .any(|l| class(config, &l.account) == Class::Tax);
    if items.is_empty() && !touches_tax {
        return;
    }
    let period = periods.entry(entry.currency).or_default();
    for line in &entry.lines {
        if class(config, &line.account) != Class::Tax {
            continue;
        }
        let row = row(period, &line.account);
        row.collected.add(entry, line.credit.0);
        row.refunded.add(entry, line.debit.0);
        row.net.add(entry, -line.signed());
    }
    for account in items.iter().flat_map(|i| &i.taxes) {
        row(period, account);
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
        for (account, row) in period.rows.iter_mut() {
            if !item.taxes.contains(account) {
                row.non_taxable.add(entry, item.sales);
                continue;
            }
            row.taxable.add(entry, item.sales);
            row.taxable_refunds.add(entry, item.refund);
            if let (Some(o), false) = (&order, item.sales.is_zero()) {
                row.orders.insert(o.clone());
            }
        }
    }
}

/// The account's row, started (when new) with every earlier item of the period as non-taxable.
fn row<'a>(period: &'a mut Period, account: &str) -> &'a mut Row {
    let total = &period.total;
    period
        .rows
        .entry(account.to_string())
        .or_insert_with(|| Row {
            non_taxable: total.clone(),
            ..Row::default()
        })
}

/// The items of an entry with their sales (sale entries), refunds (refund entries) and taxes.
fn items(entry: &Entry, config: &Config) -> Vec<Item> {
    let (kind, _) = base_kind(entry);
    let mut by_item: SortedMap<&str, Item> = SortedMap::new();
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
                    .or_insert_with(new_item)
                    .taxes
                    .insert(line.account.clone());
            }
            (Class::Tax, None, _) => {
                loose_taxes.insert(line.account.clone());
            }
            (_, _, Some((sales, refund))) => {
                let item = by_item.entry(key.unwrap_or("")).or_insert_with(new_item);
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

fn new_item() -> Item {
    Item {
        sales: Decimal::ZERO,
        refund: Decimal::ZERO,
        taxes: BTreeSet::new(),
    }
}

fn render(period: String, currency: Currency, p: Period, config: &Config) -> TaxPeriod {
    let accounts = p
        .rows
        .into_iter()
        .map(|(account, row)| {
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
                non_taxable_sales: row.non_taxable.figure(currency),
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
