//! Refunds and chargebacks per period: refund rate by amount and by count, and disputes opened,
//! won and lost with their amounts (docs/payouts.md "Disputes": the stage is in the entry id,
//! `…:dispute-{stage}:{version}`, the amount is what moves on the disputed-funds account).
//!
//! No per-product rate: entries carry no SKU field (see profit.rs).

use super::accounts::{base_kind, class, Class};
use super::period::GroupBy;
use super::sorted::SortedMap;
use super::tax::count;
use super::{Acc, Distinct, Figure, Scope};
use crate::error::Result;
use crate::journal::Entry;
use crate::money::Currency;
use crate::rules::Config;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RefundReport {
    pub periods: Vec<RefundPeriod>,
    /// Every dispute with an entry in the range, at its latest stage.
    pub disputes: Vec<DisputeRow>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct RefundPeriod {
    pub period: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub currency: Currency,
    /// Goods, shipping and tips sold (sale entries), before discounts and tax.
    pub sales: Figure,
    pub orders: u32,
    /// Sales given back by refund entries, before tax.
    pub refunded: Figure,
    pub refunds: u32,
    /// `refunded / sales` in percent, 2 places; `null` without sales.
    pub refund_rate: Option<String>,
    /// `refunds / orders` in percent, 2 places; `null` without orders.
    pub refund_count_rate: Option<String>,
    pub disputes_opened: Figure,
    pub disputes_won: Figure,
    pub disputes_lost: Figure,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DisputeRow {
    /// `platform:shop:dispute id`.
    pub dispute: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub currency: Currency,
    /// `opened`, `won` or `lost`: the latest stage booked.
    pub status: String,
    pub date: String,
    /// The disputed amount (the largest move on the disputed-funds account of its entries).
    pub amount: Figure,
}

/// One period and currency, mergeable (a day's is part of a day aggregate).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Period {
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) sales: Acc,
    #[serde(default, skip_serializing_if = "Distinct::is_empty")]
    pub(super) orders: Distinct,
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) refunded: Acc,
    #[serde(default, skip_serializing_if = "Distinct::is_empty")]
    pub(super) refunds: Distinct,
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) opened: Acc,
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) won: Acc,
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub(super) lost: Acc,
}

impl Period {
    fn accs(&mut self) -> [&mut Acc; 5] {
        [
            &mut self.sales,
            &mut self.refunded,
            &mut self.opened,
            &mut self.won,
            &mut self.lost,
        ]
    }

    pub fn merge(&mut self, mut other: Period) {
        for (mine, theirs) in self.accs().into_iter().zip(other.accs()) {
            mine.merge(std::mem::take(theirs));
        }
        self.orders.merge(other.orders);
        self.refunds.merge(other.refunds);
    }

    pub fn localize(&mut self, elsewhere: &dyn Fn(&str) -> bool) {
        self.orders.localize(elsewhere);
        self.refunds.localize(elsewhere);
    }

    pub fn strip_ids(&mut self) {
        for acc in self.accs() {
            acc.entries.clear();
        }
    }
}

/// Each dispute at its latest stage, with the largest amount moved so far.
pub(crate) type Disputes = SortedMap<String, (DisputeRow, Decimal)>;

/// `later`'s stages follow `earlier`'s: the latest stage (by date, then decided over opened)
/// wins, ties to the later; the amount is the largest; the ids follow.
pub(crate) fn merge_disputes(earlier: &mut Disputes, later: Disputes) {
    for (key, (row, largest)) in later {
        match earlier.get_mut(&key) {
            None => {
                earlier.insert(key, (row, largest));
            }
            Some((mine, mine_largest)) => {
                if (row.date.as_str(), rank(&row.status))
                    >= (mine.date.as_str(), rank(&mine.status))
                {
                    mine.status = row.status;
                    mine.date = row.date;
                }
                if largest > *mine_largest {
                    *mine_largest = largest;
                    mine.amount.amount = row.amount.amount;
                }
                mine.amount.entries.extend(row.amount.entries);
            }
        }
    }
}

fn rank(stage: &str) -> u8 {
    match stage {
        "opened" => 0,
        _ => 1,
    }
}

pub(crate) fn build(entries: &[Entry], config: &Config, scope: &Scope) -> Result<RefundReport> {
    scope.only(&GroupBy::TIME)?;
    let mut periods = Periods::new();
    let mut disputes = Disputes::new();
    for entry in entries.iter().filter(|e| scope.covers(e)) {
        let period = periods.entry(scope.period_of(&entry.date)).or_default();
        absorb(period, &mut disputes, entry, config);
    }
    Ok(render_all(periods, disputes))
}

/// Periods by key, then currency.
pub(crate) type Periods = SortedMap<String, SortedMap<Currency, Period>>;

/// Adds one entry to its period (per currency) and to its dispute.
pub(crate) fn absorb(
    periods: &mut SortedMap<Currency, Period>,
    disputes: &mut Disputes,
    entry: &Entry,
    config: &Config,
) {
    let (kind, reversal) = base_kind(entry);
    if !matches!(kind, "sale" | "refund" | "dispute") {
        return;
    }
    let p = periods.entry(entry.currency).or_default();
    for line in &entry.lines {
        let c = class(config, &line.account);
        match kind {
            "sale" if c.is_revenue() => p.sales.add(entry, -line.signed()),
            "refund" if c.is_revenue() || c == Class::Refund => {
                p.refunded.add(entry, line.signed())
            }
            _ => {}
        }
    }
    // A reversal (a cancelled order, an undone refund) takes its amounts back above but is
    // not another order or refund to count.
    match (kind, reversal) {
        ("sale", false) => {
            p.orders.insert(entry.source.id.clone());
        }
        ("refund", false) => {
            p.refunds.insert(entry.source.id.clone());
        }
        ("dispute", _) => dispute(entry, config, p, disputes),
        _ => {}
    }
}

pub(crate) fn render_all(periods: Periods, disputes: Disputes) -> RefundReport {
    let periods = periods
        .into_iter()
        .flat_map(|(period, by_currency)| {
            by_currency
                .into_iter()
                .map(move |(currency, p)| (period.clone(), currency, p))
        })
        .map(|(period, currency, p)| {
            let sales = p.sales.amount;
            let rate = |part: Decimal, whole: Decimal| {
                (!whole.is_zero())
                    .then(|| format!("{:.2}", (part * Decimal::ONE_HUNDRED / whole).round_dp(2)))
            };
            let (orders, refunds) = (p.orders.len(), p.refunds.len());
            RefundPeriod {
                period,
                currency,
                sales: p.sales.figure(currency),
                orders: count(orders),
                refunded: p.refunded.figure(currency),
                refunds: count(refunds),
                refund_rate: rate(p.refunded.amount, sales),
                refund_count_rate: rate(Decimal::from(refunds), Decimal::from(orders)),
                disputes_opened: p.opened.figure(currency),
                disputes_won: p.won.figure(currency),
                disputes_lost: p.lost.figure(currency),
            }
        })
        .collect();
    RefundReport {
        periods,
        disputes: disputes.into_values().map(|(row, _)| row).collect(),
    }
}

/// The stage named in the id `…:dispute-{stage}:{version}`.
fn stage(entry: &Entry) -> Option<&str> {
    let (rest, _version) = entry.id.rsplit_once(':')?;
    let (_, kind) = rest.rsplit_once(':')?;
    kind.strip_prefix("dispute-")
}

fn dispute(
    entry: &Entry,
    config: &Config,
    p: &mut Period,
    disputes: &mut SortedMap<String, (DisputeRow, Decimal)>,
) {
    let Some(stage) = stage(entry) else {
        return;
    };
    let moved: Decimal = entry
        .lines
        .iter()
        .filter(|l| class(config, &l.account) == Class::Disputed)
        .map(|l| l.debit.0.max(l.credit.0))
        .max()
        .unwrap_or_default();
    let acc = match stage {
        "opened" => &mut p.opened,
        "won" => &mut p.won,
        "lost" => &mut p.lost,
        _ => return,
    };
    acc.add(entry, moved);
    let key = format!(
        "{}:{}:{}",
        entry.source.platform, entry.source.shop, entry.source.id
    );
    let (row, largest) = disputes.entry(key.clone()).or_insert_with(|| {
        let row = DisputeRow {
            dispute: key,
            currency: entry.currency,
            status: stage.to_string(),
            date: entry.date.clone(),
            amount: Figure {
                amount: super::text(entry.currency, moved),
                entries: Vec::new(),
            },
        };
        (row, moved)
    });
    // A later stage (or a decision on the same day as the opening) replaces the status.
    if (entry.date.as_str(), rank(stage)) >= (row.date.as_str(), rank(&row.status)) {
        row.status = stage.to_string();
        row.date = entry.date.clone();
    }
    if moved > *largest {
        *largest = moved;
        row.amount.amount = super::text(entry.currency, moved);
    }
    row.amount.entries.push(entry.id.clone());
}
