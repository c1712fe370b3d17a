//! Profit per order, channel or period: revenue, discounts, refunds, fees, cost of goods,
//! shipping income against shipping-label cost, margin.
//!
//! Entries carry no SKU field (a line's `why` names it for people, not for programs), so there is
//! no per-SKU grouping: `by: "sku"` is refused rather than guessed from text. A sold item with
//! revenue and no cost-of-goods line from the same source item is a missing cost: its order is
//! counted and named, never treated as free.

use super::accounts::{base_kind, class, item_of, order_of, Class};
use super::period::GroupBy;
use super::sorted::SortedMap;
use super::tax::count;
use super::{text, Acc, Distinct, Figure, Scope};
use crate::error::{LedgerError, Result};
use crate::journal::Entry;
use crate::money::Currency;
use crate::rules::Config;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProfitReport {
    pub rows: Vec<ProfitRow>,
}

/// One group (order id, `platform:shop`, period, or `all`) in one currency.
/// `margin = revenue − discounts − refunds − fees − cogs − shipping_labels − chargebacks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProfitRow {
    /// The order id, `platform:shop`, the period, or `all`; `unattributed` for entries of no
    /// order (payouts, platform expenses) when grouping by order.
    pub group: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub currency: Currency,
    /// Goods, shipping and tips sold, before discounts and tax.
    pub revenue: Figure,
    /// The shipping part of `revenue`.
    pub shipping_income: Figure,
    pub discounts: Figure,
    pub refunds: Figure,
    pub fees: Figure,
    pub cogs: Figure,
    pub shipping_labels: Figure,
    /// Disputes lost.
    pub chargebacks: Figure,
    pub margin: Figure,
    /// `margin / (revenue − discounts − refunds)` in percent, 2 places; `null` when that is zero.
    pub margin_percent: Option<String>,
    pub orders: u32,
    /// Orders with a sold item that has no cost-of-goods line: their margin is overstated.
    pub orders_missing_cost: Vec<String>,
}

/// One group's running figures, mergeable: a day aggregate keeps one per currency for the day
/// and one per channel.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Row {
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) revenue: Acc,
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) shipping: Acc,
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) discounts: Acc,
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) refunds: Acc,
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) fees: Acc,
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) cogs: Acc,
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) labels: Acc,
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) chargebacks: Acc,
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) margin: Acc,
    #[serde(default, skip_serializing_if = "Distinct::is_empty")]
    pub(super) orders: Distinct,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub(super) missing: BTreeSet<String>,
}

impl Row {
    fn accs(&mut self) -> [&mut Acc; 9] {
        [
            &mut self.revenue,
            &mut self.shipping,
            &mut self.discounts,
            &mut self.refunds,
            &mut self.fees,
            &mut self.cogs,
            &mut self.labels,
            &mut self.chargebacks,
            &mut self.margin,
        ]
    }

    /// This row followed by `other` (a later stretch of days).
    pub fn merge(&mut self, mut other: Row) {
        for (mine, theirs) in self.accs().into_iter().zip(other.accs()) {
            mine.merge(std::mem::take(theirs));
        }
        self.orders.merge(other.orders);
        self.missing.extend(other.missing);
    }

    pub fn localize(&mut self, elsewhere: &dyn Fn(&str) -> bool) {
        self.orders.localize(elsewhere);
    }

    pub fn strip_ids(&mut self) {
        for acc in self.accs() {
            acc.entries.clear();
        }
    }
}

/// Rows by group, then currency.
pub(crate) type Rows = SortedMap<String, SortedMap<Currency, Row>>;

pub(crate) fn build(entries: &[Entry], config: &Config, scope: &Scope) -> Result<ProfitReport> {
    if scope.by == Some(GroupBy::Sku) {
        return Err(LedgerError::InvalidValue {
            path: "options.by".to_string(),
            value: "sku".to_string(),
            reason: "entries carry no SKU field; group by order, channel, day, week, month or \
                     quarter"
                .to_string(),
        });
    }
    let mut rows = Rows::new();
    for entry in entries.iter().filter(|e| scope.covers(e)) {
        let group = match scope.by {
            Some(GroupBy::Order) => order_of(entry).unwrap_or_else(|| "unattributed".to_string()),
            Some(GroupBy::Channel) => channel(entry),
            _ => scope.period_of(&entry.date),
        };
        absorb(rows.entry(group).or_default(), entry, config);
    }
    Ok(render_all(rows))
}

pub(crate) fn channel(entry: &Entry) -> String {
    format!("{}:{}", entry.source.platform, entry.source.shop)
}

pub(crate) fn render_all(rows: Rows) -> ProfitReport {
    let rows = rows
        .into_iter()
        .flat_map(|(group, by_currency)| {
            by_currency
                .into_iter()
                .map(move |(currency, row)| render(group.clone(), currency, row))
        })
        .collect();
    ProfitReport { rows }
}

/// Adds one entry to its group's row (per currency).
pub(crate) fn absorb(rows: &mut SortedMap<Currency, Row>, entry: &Entry, config: &Config) {
    let row = rows.entry(entry.currency).or_default();
    let (kind, _) = base_kind(entry);
    let refund_entry = kind == "refund";
    for line in &entry.lines {
        let c = class(config, &line.account);
        let debit = line.signed();
        match c {
            _ if c.is_revenue() && refund_entry => add(row, Slot::Refunds, entry, debit),
            Class::Refund => add(row, Slot::Refunds, entry, debit),
            _ if c.is_revenue() => {
                add(row, Slot::Revenue, entry, -debit);
                if c == Class::Shipping {
                    row.shipping.add(entry, -debit);
                }
            }
            Class::Discount => add(row, Slot::Discounts, entry, debit),
            Class::Fee => add(row, Slot::Fees, entry, debit),
            Class::Cogs => add(row, Slot::Cogs, entry, debit),
            Class::ShippingLabel => add(row, Slot::Labels, entry, debit),
            Class::Chargeback => add(row, Slot::Chargebacks, entry, debit),
            _ => {}
        }
    }
    if kind == "sale" {
        if let Some(order) = order_of(entry) {
            if missing_cost(entry, config) {
                row.missing.insert(order.clone());
            }
            row.orders.insert(order);
        }
    }
}

#[derive(Clone, Copy)]
enum Slot {
    Revenue,
    Discounts,
    Refunds,
    Fees,
    Cogs,
    Labels,
    Chargebacks,
}

/// Adds to a figure and to the margin (revenue adds, every other slot subtracts).
fn add(row: &mut Row, slot: Slot, entry: &Entry, amount: Decimal) {
    let (acc, sign) = match slot {
        Slot::Revenue => (&mut row.revenue, Decimal::ONE),
        Slot::Discounts => (&mut row.discounts, Decimal::NEGATIVE_ONE),
        Slot::Refunds => (&mut row.refunds, Decimal::NEGATIVE_ONE),
        Slot::Fees => (&mut row.fees, Decimal::NEGATIVE_ONE),
        Slot::Cogs => (&mut row.cogs, Decimal::NEGATIVE_ONE),
        Slot::Labels => (&mut row.labels, Decimal::NEGATIVE_ONE),
        Slot::Chargebacks => (&mut row.chargebacks, Decimal::NEGATIVE_ONE),
    };
    acc.add(entry, amount);
    row.margin.add(entry, sign * amount);
}

/// A sale entry with a goods line (sales account, credited) whose source item has no
/// cost-of-goods line. Shipping and tips have no cost of goods.
fn missing_cost(entry: &Entry, config: &Config) -> bool {
    // An entry's lines are few: a list searched in order, not a set type of its own.
    let costed: Vec<Option<&str>> = entry
        .lines
        .iter()
        .filter(|l| class(config, &l.account) == Class::Cogs)
        .map(|l| item_of(&l.why))
        .collect();
    entry.lines.iter().any(|l| {
        class(config, &l.account) == Class::Sales
            && !l.credit.is_zero()
            && !costed.contains(&item_of(&l.why))
    })
}

fn render(group: String, currency: Currency, row: Row) -> ProfitRow {
    let net = row.revenue.amount - row.discounts.amount - row.refunds.amount;
    let margin_percent = (!net.is_zero()).then(|| {
        let pct = (row.margin.amount * Decimal::ONE_HUNDRED / net).round_dp(2);
        format!("{pct:.2}")
    });
    ProfitRow {
        group,
        currency,
        revenue: row.revenue.figure(currency),
        shipping_income: row.shipping.figure(currency),
        discounts: row.discounts.figure(currency),
        refunds: row.refunds.figure(currency),
        fees: row.fees.figure(currency),
        cogs: row.cogs.figure(currency),
        shipping_labels: row.labels.figure(currency),
        chargebacks: row.chargebacks.figure(currency),
        margin: Figure {
            amount: text(currency, row.margin.amount),
            entries: row.margin.entries,
        },
        margin_percent,
        orders: count(row.orders.len()),
        orders_missing_cost: row.missing.into_iter().collect(),
    }
}
