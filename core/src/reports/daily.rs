//! Day aggregates: every report's running figures for one day's entries, kept so that a face with
//! a large ledger (the worker's D1) answers a year from 365 small documents instead of re-reading
//! every entry. A day's aggregate is built by the same `absorb` steps the reports run on entries,
//! and merging days in date order gives what absorbing their entries in that order gives, so
//! [`report_from_days`] equals [`report`](super::report) byte for byte (tests/report_days.rs).
//!
//! What a day aggregate does not keep, and so what [`report_from_days`] does not answer:
//! - profit `by: "order"` (one row per order is no aggregate: it is refused here);
//! - clearing's `unsettled` and `payouts_not_tied` lists (they come from the payout grouping of
//!   the whole history, which is not a sum of days): empty, balances only;
//! - drill-down ids when they were stripped ([`DayAggregate::without_ids`]): every figure's
//!   `entries` is then empty.

use super::period::GroupBy;
use super::sorted::SortedMap;
use super::{check, clearing, giftcards, profit, refunds, tax, Report, ReportKind, ReportOptions};
use super::{GiftCardReport, Scope};
use crate::error::{LedgerError, Result};
use crate::journal::Entry;
use crate::money::Currency;
use crate::rules::Config;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Every report's figures for one day's entries, per currency. Holds amounts, counts, account
/// names and ids (entry, order, refund and dispute ids), never text from the platforms' payloads.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DayAggregate {
    pub date: String,
    /// The day's entries per currency.
    #[serde(default)]
    pub(super) entries: SortedMap<Currency, u32>,
    #[serde(default, skip_serializing_if = "SortedMap::is_empty")]
    pub(super) tax: SortedMap<Currency, tax::Period>,
    #[serde(default, skip_serializing_if = "SortedMap::is_empty")]
    pub(super) profit: SortedMap<Currency, profit::Row>,
    /// The day's one channel (`platform:shop`), whose rows are `profit`'s; `channels` is kept
    /// only for a day of several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) channel: Option<String>,
    #[serde(default, skip_serializing_if = "SortedMap::is_empty")]
    pub(super) channels: profit::Rows,
    #[serde(default, skip_serializing_if = "SortedMap::is_empty")]
    pub(super) giftcards: SortedMap<Currency, giftcards::Moves>,
    #[serde(default, skip_serializing_if = "SortedMap::is_empty")]
    pub(super) refunds: SortedMap<Currency, refunds::Period>,
    #[serde(default, skip_serializing_if = "SortedMap::is_empty")]
    pub(super) disputes: refunds::Disputes,
    #[serde(default, skip_serializing_if = "SortedMap::is_empty")]
    pub(super) clearing: clearing::Flows,
}

/// The aggregate of one day's entries, in the order a report would read them (booking order).
/// Entries are checked as [`report`](super::report) checks them, and must all be dated `date`.
pub fn aggregate_day(date: &str, entries: &[Entry], config: &Config) -> Result<DayAggregate> {
    check(entries)?;
    let mut day = DayAggregate {
        date: date.to_string(),
        ..DayAggregate::default()
    };
    for (i, entry) in entries.iter().enumerate() {
        if entry.date != date {
            return Err(LedgerError::InvalidValue {
                path: format!("entries[{i}].date"),
                value: entry.date.clone(),
                reason: format!("a day aggregate holds the entries of {date}"),
            });
        }
        *day.entries.entry(entry.currency).or_default() += 1;
        tax::absorb(&mut day.tax, entry, config);
        profit::absorb(&mut day.profit, entry, config);
        profit::absorb(
            day.channels.entry(profit::channel(entry)).or_default(),
            entry,
            config,
        );
        giftcards::absorb(&mut day.giftcards, entry, config);
        refunds::absorb(&mut day.refunds, &mut day.disputes, entry, config);
        clearing::absorb(&mut day.clearing, entry, config);
    }
    if day.channels.len() == 1 {
        day.channel = day.channels.pop_first().map(|(channel, _)| channel);
    }
    Ok(day)
}

/// Names what a day aggregate depends on in the config: the chart's accounts, the sales rules,
/// the tax titles and the gateways' accounts (they decide which account is which). A store keeps
/// it beside each aggregate and rebuilds a day whose fingerprint is not the config in effect.
/// FNV-1a over their JSON: stable across builds and processes, not a security hash.
pub fn config_fingerprint(config: &Config) -> String {
    // The text serde_json wrote for the tuple (accounts, sales, tax, gateways): fingerprints
    // already stored stay valid (tests/config_write.rs holds the two to each other).
    let text = crate::rules::chart_json(config);
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    format!("{hash:016x}")
}

impl DayAggregate {
    /// Entries the day holds (every currency).
    pub fn entry_count(&self) -> u64 {
        self.entries.values().map(|n| u64::from(*n)).sum()
    }

    /// The same figures without drill-down ids: what a store keeps when a year of ids would be
    /// as large as the ledger.
    pub fn without_ids(mut self) -> Self {
        self.tax.values_mut().for_each(tax::Period::strip_ids);
        self.profit.values_mut().for_each(profit::Row::strip_ids);
        for rows in self.channels.values_mut() {
            rows.values_mut().for_each(profit::Row::strip_ids);
        }
        for (sold, redeemed) in self.giftcards.values_mut() {
            sold.entries.clear();
            redeemed.entries.clear();
        }
        self.refunds
            .values_mut()
            .for_each(refunds::Period::strip_ids);
        for (row, _) in self.disputes.values_mut() {
            row.amount.entries.clear();
        }
        for flows in self.clearing.values_mut() {
            flows.values_mut().for_each(clearing::Flow::strip_ids);
        }
        self
    }

    /// Counts the order and refund ids that occur on no other day (`elsewhere` says which may)
    /// instead of listing them: they cannot meet themselves in a merge, so counts stay exact and
    /// the stored sets shrink to the ids that can. `elsewhere` may over-answer, never under.
    pub fn localize(&mut self, elsewhere: &dyn Fn(&str) -> bool) {
        self.tax.values_mut().for_each(|p| p.localize(elsewhere));
        self.profit.values_mut().for_each(|r| r.localize(elsewhere));
        for rows in self.channels.values_mut() {
            rows.values_mut().for_each(|r| r.localize(elsewhere));
        }
        self.refunds
            .values_mut()
            .for_each(|p| p.localize(elsewhere));
    }
}

/// A report from day aggregates: the merge of the days in range (and, for clearing and gift
/// cards, every day before `from` for the opening), rendered as [`report`](super::report) renders
/// entries. Days may come in any order; they are merged by date.
pub fn report_from_days(
    kind: ReportKind,
    mut days: Vec<DayAggregate>,
    config: &Config,
    options: &ReportOptions,
) -> Result<Report> {
    // The same refusals as on entries (dates, grouping for this kind, currency).
    super::report(kind, &[], config, options)?;
    let scope = Scope::new(options)?;
    if kind == ReportKind::Profit && scope.by == Some(GroupBy::Order) {
        return Err(LedgerError::InvalidValue {
            path: "options.by".to_string(),
            value: "order".to_string(),
            reason: "profit per order is read from entries, not from day aggregates".to_string(),
        });
    }
    super::sort_stable(&mut days, |a, b| a.date.cmp(&b.date));
    let ok = |c: &Currency| scope.currency.is_none_or(|s| s == *c);
    Ok(match kind {
        ReportKind::Tax => {
            let mut periods = tax::Periods::new();
            for day in days.into_iter().filter(|d| scope.in_range(&d.date)) {
                let period = periods.entry(scope.period_of(&day.date)).or_default();
                for (currency, p) in day.tax.into_iter().filter(|(c, _)| ok(c)) {
                    period.entry(currency).or_default().merge(p);
                }
            }
            Report::Tax(tax::render_all(periods, config))
        }
        ReportKind::Profit => {
            let mut rows = profit::Rows::new();
            for day in days.into_iter().filter(|d| scope.in_range(&d.date)) {
                let groups = if scope.by == Some(GroupBy::Channel) {
                    match day.channel {
                        Some(channel) => SortedMap::from([(channel, day.profit)]),
                        None => day.channels,
                    }
                } else {
                    SortedMap::from([(scope.period_of(&day.date), day.profit)])
                };
                for (group, by_currency) in groups {
                    let target = rows.entry(group).or_default();
                    for (currency, row) in by_currency.into_iter().filter(|(c, _)| ok(c)) {
                        target.entry(currency).or_default().merge(row);
                    }
                }
            }
            Report::Profit(profit::render_all(rows))
        }
        ReportKind::Clearing => {
            let known = |d: &DayAggregate| {
                scope.to.as_deref().is_none_or(|t| d.date.as_str() <= t) && d.entries.keys().any(ok)
            };
            let as_of = scope
                .to
                .clone()
                .or_else(|| {
                    days.iter()
                        .filter(|d| known(d))
                        .map(|d| d.date.clone())
                        .max()
                })
                .unwrap_or_default();
            let mut accounts = clearing::Accounts::new();
            for day in days.into_iter().filter(|d| known(d)) {
                let flows = day
                    .clearing
                    .into_iter()
                    .map(|(account, by_currency)| {
                        (
                            account,
                            by_currency.into_iter().filter(|(c, _)| ok(c)).collect(),
                        )
                    })
                    .collect();
                clearing::place(&mut accounts, &scope, &day.date, flows);
            }
            Report::Clearing(clearing::render(accounts, as_of, &scope, None))
        }
        ReportKind::GiftCards => Report::GiftCards(gift_cards(days, &scope, &ok)),
        ReportKind::Refunds => {
            let mut periods = refunds::Periods::new();
            let mut disputes = refunds::Disputes::new();
            for day in days.into_iter().filter(|d| scope.in_range(&d.date)) {
                let period = periods.entry(scope.period_of(&day.date)).or_default();
                for (currency, p) in day.refunds.into_iter().filter(|(c, _)| ok(c)) {
                    period.entry(currency).or_default().merge(p);
                }
                let mine = day
                    .disputes
                    .into_iter()
                    .filter(|(_, (row, _))| ok(&row.currency))
                    .collect();
                refunds::merge_disputes(&mut disputes, mine);
            }
            // A period entry with nothing in the chosen currency is not a period of the report.
            periods.retain(|_, by_currency| !by_currency.is_empty());
            Report::Refunds(refunds::render_all(periods, disputes))
        }
    })
}

fn gift_cards(
    days: Vec<DayAggregate>,
    scope: &Scope,
    ok: &dyn Fn(&Currency) -> bool,
) -> GiftCardReport {
    let mut opening: SortedMap<Currency, Decimal> = SortedMap::new();
    let mut periods = SortedMap::new();
    for day in days {
        for (currency, (sold, redeemed)) in day.giftcards.into_iter().filter(|(c, _)| ok(c)) {
            giftcards::place(
                &mut opening,
                &mut periods,
                scope,
                &day.date,
                currency,
                sold,
                redeemed,
            );
        }
    }
    giftcards::render(opening, periods, scope)
}
