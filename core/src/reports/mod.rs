//! Reports: insight and tax figures read off journal entries (issue #13).
//!
//! Each report is a pure function of entries, the config (which names the accounts) and
//! [`ReportOptions`]; one file per report. Every figure is a [`Figure`]: an amount plus the ids of
//! the entries behind it, so a reader can drill from any number down to the postings, and every
//! figure equals the sum of those entries' lines on the accounts it covers (tests/report_*.rs
//! check that over generated orders). Reports sit above the journal (they read entries and reuse
//! its payout grouping) and below nothing but the faces; they never see the engine's line roles,
//! only what the public entry shape carries, so the worker can run them on stored entries.

mod accounts;
mod clearing;
mod csv;
mod daily;
mod day_read;
mod day_write;
mod giftcards;
mod period;
mod profit;
mod refunds;
mod sorted;
pub use sorted::{sort_stable, SortedMap};
mod tax;
mod write;

pub use clearing::{
    ClearingAccount, ClearingPayout, ClearingPeriod, ClearingReport, UnsettledItem,
};
pub use csv::report_csv;
pub use daily::{aggregate_day, config_fingerprint, report_from_days, DayAggregate};
pub use day_read::day_from_json;
pub use giftcards::{GiftCardPeriod, GiftCardReport};
pub use period::GroupBy;
pub use profit::{ProfitReport, ProfitRow};
pub use refunds::{DisputeRow, RefundPeriod, RefundReport};
pub use tax::{TaxAccountRow, TaxPeriod, TaxReport};

use crate::error::{LedgerError, Result};
use crate::journal::Entry;
use crate::money::{self, Currency};
use crate::rules::Config;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

/// Which report to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportKind {
    Tax,
    Profit,
    Clearing,
    GiftCards,
    Refunds,
}

impl ReportKind {
    pub const ALL: [ReportKind; 5] = [
        ReportKind::Tax,
        ReportKind::Profit,
        ReportKind::Clearing,
        ReportKind::GiftCards,
        ReportKind::Refunds,
    ];

    /// Whether the report opens with balances carried from before `from` (clearing, gift-card
    /// liability), so it must be given every entry up to `to`, not only those in the range.
    pub fn opens_with_history(&self) -> bool {
        matches!(self, ReportKind::Clearing | ReportKind::GiftCards)
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            ReportKind::Tax => "tax",
            ReportKind::Profit => "profit",
            ReportKind::Clearing => "clearing",
            ReportKind::GiftCards => "giftcards",
            ReportKind::Refunds => "refunds",
        }
    }
}

impl FromStr for ReportKind {
    type Err = LedgerError;
    fn from_str(s: &str) -> Result<Self> {
        ReportKind::ALL
            .iter()
            .find(|k| k.as_str().eq_ignore_ascii_case(s.trim()))
            .copied()
            .ok_or_else(|| LedgerError::InvalidValue {
                path: "kind".to_string(),
                value: s.to_string(),
                reason: "expected tax, profit, clearing, giftcards or refunds".to_string(),
            })
    }
}

impl fmt::Display for ReportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What to report on. Every field is optional: no dates means every entry, no grouping means one
/// period covering the whole range, no currency means every currency (each reported apart: money
/// in two currencies is never added).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct ReportOptions {
    /// First day included, `YYYY-MM-DD`.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// Last day included, `YYYY-MM-DD`.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// `day`, `week` (ISO), `month`, `quarter`, `order`, `channel`, `sku`; which a report accepts
    /// is listed in docs/reports.md.
    #[cfg_attr(feature = "ts", ts(optional, type = "ReportBy"))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// Only entries in this currency (ISO 4217).
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
}

impl ReportOptions {
    /// Days from `from` to `to`, both included, when both are calendar dates in order: what a
    /// face that bounds a request's range (the worker) compares with its limit.
    pub fn span_days(&self) -> Option<i64> {
        let from = period::days(self.from.as_deref()?)?;
        let to = period::days(self.to.as_deref()?)?;
        (to >= from).then_some(to - from + 1)
    }
}

/// One figure and the entries behind it, ids in input order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Figure {
    #[cfg_attr(feature = "ts", ts(type = "DecimalString"))]
    pub amount: String,
    pub entries: Vec<String>,
}

/// Any report, tagged by `kind` in JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Report {
    Tax(TaxReport),
    Profit(ProfitReport),
    Clearing(ClearingReport),
    GiftCards(GiftCardReport),
    Refunds(RefundReport),
}

/// Builds one report. Every entry is re-checked first (balanced, amounts at the currency's
/// scale), so a hand-edited or corrupted entry is refused with its index, never summed.
pub fn report(
    kind: ReportKind,
    entries: &[Entry],
    config: &Config,
    options: &ReportOptions,
) -> Result<Report> {
    check(entries)?;
    let scope = Scope::new(options)?;
    Ok(match kind {
        ReportKind::Tax => Report::Tax(tax::build(entries, config, &scope)?),
        ReportKind::Profit => Report::Profit(profit::build(entries, config, &scope)?),
        ReportKind::Clearing => Report::Clearing(clearing::build(entries, config, &scope)?),
        ReportKind::GiftCards => Report::GiftCards(giftcards::build(entries, config, &scope)?),
        ReportKind::Refunds => Report::Refunds(refunds::build(entries, config, &scope)?),
    })
}

/// Every entry re-checked (balanced, amounts at the currency's scale) and no summary among them.
fn check(entries: &[Entry]) -> Result<()> {
    for (i, entry) in entries.iter().enumerate() {
        entry
            .check()
            .map_err(|e| e.within(&format!("entries[{i}]")))?;
        // A summary nets whole days or payouts into one entry: its lines no longer say which
        // order, item or tax they came from, so every report on it would be quietly wrong.
        if entry.source.kind == "summary" {
            return Err(LedgerError::InvalidValue {
                path: format!("entries[{i}].source.kind"),
                value: entry.source.kind.clone(),
                reason: "reports read the entries a summary covers, not the summary".to_string(),
            });
        }
    }
    Ok(())
}

/// Options, checked: dates are real calendar dates, the currency is known.
pub(crate) struct Scope {
    pub from: Option<String>,
    pub to: Option<String>,
    pub by: Option<GroupBy>,
    pub currency: Option<Currency>,
}

impl Scope {
    fn new(options: &ReportOptions) -> Result<Self> {
        let date = |value: &Option<String>, path: &str| -> Result<Option<String>> {
            match value {
                None => Ok(None),
                Some(d) if period::days(d).is_some() => Ok(Some(d.clone())),
                Some(d) => Err(LedgerError::InvalidValue {
                    path: path.to_string(),
                    value: d.clone(),
                    reason: "expected a calendar date YYYY-MM-DD".to_string(),
                }),
            }
        };
        let from = date(&options.from, "options.from")?;
        let to = date(&options.to, "options.to")?;
        if let (Some(f), Some(t)) = (&from, &to) {
            if f > t {
                return Err(LedgerError::InvalidValue {
                    path: "options.to".to_string(),
                    value: t.clone(),
                    reason: format!("before options.from {f}"),
                });
            }
        }
        let by = match &options.by {
            None => None,
            Some(b) => Some(b.parse::<GroupBy>()?),
        };
        let currency = match &options.currency {
            None => None,
            Some(c) => {
                Some(
                    Currency::from_code(c).ok_or_else(|| LedgerError::UnknownCurrency {
                        path: "options.currency".to_string(),
                        value: c.clone(),
                    })?,
                )
            }
        };
        Ok(Self {
            from,
            to,
            by,
            currency,
        })
    }

    /// Inside the date range and of the chosen currency.
    pub fn covers(&self, entry: &Entry) -> bool {
        self.in_currency(entry) && self.in_range(&entry.date)
    }

    pub fn in_currency(&self, entry: &Entry) -> bool {
        self.currency.is_none_or(|c| c == entry.currency)
    }

    pub fn in_range(&self, date: &str) -> bool {
        self.from.as_deref().is_none_or(|f| date >= f)
            && self.to.as_deref().is_none_or(|t| date <= t)
    }

    /// The period key of a date under the time grouping (`all` when there is none).
    pub fn period_of(&self, date: &str) -> String {
        match self.by {
            Some(by) => by.period(date).unwrap_or_else(|| date.to_string()),
            None => "all".to_string(),
        }
    }

    /// Refuses a grouping this report has no meaning for, naming the ones it has.
    pub fn only(&self, allowed: &[GroupBy]) -> Result<()> {
        match self.by {
            Some(by) if !allowed.contains(&by) => Err(LedgerError::InvalidValue {
                path: "options.by".to_string(),
                value: by.as_str().to_string(),
                reason: format!(
                    "this report groups by {}",
                    allowed
                        .iter()
                        .map(|b| b.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }),
            _ => Ok(()),
        }
    }
}

/// A running amount and the entries that moved it. Serialized compactly, as a day aggregate
/// stores it (`a` amount, `e` ids, left out when empty).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Acc {
    #[serde(rename = "a")]
    pub amount: Decimal,
    #[serde(rename = "e", default, skip_serializing_if = "Vec::is_empty")]
    pub entries: Vec<String>,
}

impl Acc {
    /// Adds `amount` for `entry`. A zero amount still names nothing, so drill-down lists only
    /// entries that moved the figure. Sums stay far below Decimal's range: entries cap each amount
    /// at 10^15 and a report sums at most what fits in memory.
    pub fn add(&mut self, entry: &Entry, amount: Decimal) {
        if amount.is_zero() {
            return;
        }
        self.amount += amount;
        if self.entries.last() != Some(&entry.id) {
            self.entries.push(entry.id.clone());
        }
    }

    /// Nothing added (or only zeros): left out of a stored day aggregate.
    pub fn is_empty(&self) -> bool {
        self.amount.is_zero() && self.entries.is_empty()
    }

    /// What adding `other`'s entries after this one's would have given: the amounts add, the ids
    /// follow (an id at the seam is not repeated, as [`Acc::add`] does not repeat one).
    pub fn merge(&mut self, other: Acc) {
        self.amount += other.amount;
        let mut ids = other.entries.into_iter().peekable();
        if ids.peek().is_some() && ids.peek() == self.entries.last() {
            ids.next();
        }
        self.entries.extend(ids);
    }

    pub fn figure(&self, currency: Currency) -> Figure {
        Figure {
            amount: money::format_amount(currency, self.amount),
            entries: self.entries.clone(),
        }
    }
}

/// A set of ids that is only counted (orders, refunds). A day aggregate may fold the ids that
/// occur on no other day into `n`: they cannot meet themselves in a merge, so the count stays
/// exact while the stored set keeps only the ids that can (see [`DayAggregate::localize`]).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Distinct {
    #[serde(default, skip_serializing_if = "is_zero")]
    pub n: u32,
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub ids: BTreeSet<String>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl Distinct {
    pub fn insert(&mut self, id: String) {
        self.ids.insert(id);
    }

    pub fn len(&self) -> usize {
        self.ids.len() + self.n as usize
    }

    pub fn is_empty(&self) -> bool {
        self.n == 0 && self.ids.is_empty()
    }

    pub fn merge(&mut self, other: Distinct) {
        self.n += other.n;
        self.ids.extend(other.ids);
    }

    pub fn localize(&mut self, elsewhere: &dyn Fn(&str) -> bool) {
        let before = self.ids.len();
        self.ids.retain(|id| elsewhere(id));
        self.n += u32::try_from(before - self.ids.len()).unwrap_or(u32::MAX);
    }
}

/// `amount` of `currency` as text at its minor units.
pub(crate) fn text(currency: Currency, amount: Decimal) -> String {
    money::format_amount(currency, amount)
}
