//! Clearing health per gateway (`Assets:Clearing:*` and configured clearing accounts): balance
//! per period, items no payout settles yet with their age, payouts that do not tie out.
//!
//! Which entries a payout settles is the journal's payout grouping ([`summarize`] by payout), so
//! this report and the payout summary can never disagree about it: a payout's summary keeps the
//! net of every account over the payout and the entries it settles, and a clearing account left
//! non-zero there is money the payout did not account for.

use super::accounts::{class, Class};
use super::period::{days, GroupBy};
use super::sorted::SortedMap;
use super::tax::count;
use super::{text, Acc, Figure, Scope};
use crate::error::Result;
use crate::journal::{summarize, Entry, SummaryBy, UNSETTLED};
use crate::money::Currency;
use crate::rules::Config;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClearingReport {
    /// The day ages are counted to: `options.to`, else the latest entry's date.
    pub as_of: String,
    pub accounts: Vec<ClearingAccount>,
}

/// One clearing account in one currency. Balances are debit-positive: money the gateway holds
/// for the merchant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClearingAccount {
    pub account: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub currency: Currency,
    /// The balance from every entry before `options.from`.
    pub opening: Figure,
    pub periods: Vec<ClearingPeriod>,
    /// `opening` plus every period's `money_in − money_out`.
    #[cfg_attr(feature = "ts", ts(type = "DecimalString"))]
    pub closing: String,
    pub unsettled: Vec<UnsettledItem>,
    pub payouts_not_tied: Vec<ClearingPayout>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClearingPeriod {
    pub period: String,
    /// Debits: sales paid through the gateway.
    pub money_in: Figure,
    /// Credits: payouts, refunds, fees taken.
    pub money_out: Figure,
    /// The balance at the end of the period.
    #[cfg_attr(feature = "ts", ts(type = "DecimalString"))]
    pub closing: String,
}

/// An entry on the account that no payout (dated up to `as_of`) settles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UnsettledItem {
    pub entry: String,
    pub date: String,
    /// Debit-positive amount on the account.
    #[cfg_attr(feature = "ts", ts(type = "DecimalString"))]
    pub amount: String,
    pub age_days: u32,
}

/// A payout whose settled entries leave the account non-zero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClearingPayout {
    /// `platform:shop:payout id`.
    pub payout: String,
    pub date: String,
    /// What is left on the account: debit-positive = the payout paid less than the entries it
    /// names put in (an entry missing from the list, a fee not booked).
    pub residual: Figure,
}

#[derive(Default)]
pub(crate) struct Account {
    opening: Acc,
    periods: SortedMap<String, (Acc, Acc)>,
}

/// One day's moves on one clearing account and currency: debits, credits and their net (the
/// net's ids are what an opening balance names).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Flow {
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub money_in: Acc,
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub money_out: Acc,
    #[serde(default, skip_serializing_if = "Acc::is_empty")]
    pub net: Acc,
}

impl Flow {
    pub fn strip_ids(&mut self) {
        for acc in [&mut self.money_in, &mut self.money_out, &mut self.net] {
            acc.entries.clear();
        }
    }
}

/// Flows by account, then currency.
pub(crate) type Flows = SortedMap<String, SortedMap<Currency, Flow>>;
/// Balances by account, then currency.
pub(crate) type Accounts = SortedMap<String, SortedMap<Currency, Account>>;

/// Adds one entry's clearing lines to its flows (a flow even when they net to zero).
pub(crate) fn absorb(flows: &mut Flows, entry: &Entry, config: &Config) {
    for line in &entry.lines {
        if class(config, &line.account) != Class::Clearing {
            continue;
        }
        let flow = flows
            .entry(line.account.clone())
            .or_default()
            .entry(entry.currency)
            .or_default();
        flow.money_in.add(entry, line.debit.0);
        flow.money_out.add(entry, line.credit.0);
        flow.net.add(entry, line.signed());
    }
}

/// Puts a date's flows in the opening (before `from`) or in its period; the caller leaves out
/// dates after `to`.
pub(crate) fn place(accounts: &mut Accounts, scope: &Scope, date: &str, flows: Flows) {
    for (account, by_currency) in flows {
        for (currency, flow) in by_currency {
            let acc = accounts
                .entry(account.clone())
                .or_default()
                .entry(currency)
                .or_default();
            if scope.from.as_deref().is_some_and(|f| date < f) {
                acc.opening.merge(flow.net);
            } else {
                let slot = acc.periods.entry(scope.period_of(date)).or_default();
                slot.0.merge(flow.money_in);
                slot.1.merge(flow.money_out);
            }
        }
    }
}

pub(crate) fn build(entries: &[Entry], config: &Config, scope: &Scope) -> Result<ClearingReport> {
    scope.only(&GroupBy::TIME)?;
    // Everything up to the end of the range counts: a balance is the sum of all history.
    let known: Vec<Entry> = entries
        .iter()
        .filter(|e| {
            scope.in_currency(e) && scope.to.as_deref().is_none_or(|t| e.date.as_str() <= t)
        })
        .cloned()
        .collect();
    let as_of = scope
        .to
        .clone()
        .or_else(|| known.iter().map(|e| e.date.clone()).max())
        .unwrap_or_default();
    let mut accounts = Accounts::new();
    for entry in &known {
        let mut flows = Flows::new();
        absorb(&mut flows, entry, config);
        place(&mut accounts, scope, &entry.date, flows);
    }
    let summaries = summarize(&known, SummaryBy::Payout)?;
    let by_id: SortedMap<&str, &Entry> = known.iter().map(|e| (e.id.as_str(), e)).collect();
    let settled = Settlement {
        summaries: &summaries,
        by_id: &by_id,
    };
    Ok(render(accounts, as_of, scope, Some(&settled)))
}

/// The payout grouping of the entries up to `to`: what the unsettled items and the payouts that
/// do not tie out are read from.
pub(crate) struct Settlement<'a> {
    summaries: &'a [Entry],
    by_id: &'a SortedMap<&'a str, &'a Entry>,
}

/// Balances per account; the lists of unsettled items and untied payouts only when the entries'
/// payout grouping is given (a day aggregate does not keep it).
pub(crate) fn render(
    accounts: Accounts,
    as_of: String,
    scope: &Scope,
    settled: Option<&Settlement>,
) -> ClearingReport {
    let out = accounts
        .into_iter()
        .flat_map(|(account, by_currency)| {
            by_currency
                .into_iter()
                .map(move |(currency, acc)| (account.clone(), currency, acc))
        })
        .map(|(account, currency, acc)| {
            let mut balance = acc.opening.amount;
            let periods = acc
                .periods
                .into_iter()
                .map(|(period, (money_in, money_out))| {
                    balance += money_in.amount - money_out.amount;
                    ClearingPeriod {
                        period,
                        money_in: money_in.figure(currency),
                        money_out: money_out.figure(currency),
                        closing: text(currency, balance),
                    }
                })
                .collect();
            let (unsettled, payouts_not_tied) = match settled {
                Some(s) => lists(s, &account, currency, &as_of, scope),
                None => (Vec::new(), Vec::new()),
            };
            ClearingAccount {
                account,
                currency,
                opening: acc.opening.figure(currency),
                periods,
                closing: text(currency, balance),
                unsettled,
                payouts_not_tied,
            }
        })
        .collect();
    ClearingReport {
        as_of,
        accounts: out,
    }
}

fn lists(
    settled: &Settlement,
    account: &str,
    currency: Currency,
    as_of: &str,
    scope: &Scope,
) -> (Vec<UnsettledItem>, Vec<ClearingPayout>) {
    let mut unsettled = Vec::new();
    let mut payouts_not_tied = Vec::new();
    for summary in settled.summaries.iter().filter(|s| s.currency == currency) {
        let net: Decimal = summary
            .lines
            .iter()
            .filter(|l| l.account == account)
            .map(|l| l.signed())
            .sum();
        if summary.source.id == format!("payout:{UNSETTLED}") {
            for id in &summary.links {
                let Some(entry) = settled.by_id.get(id.as_str()) else {
                    continue;
                };
                let amount: Decimal = entry
                    .lines
                    .iter()
                    .filter(|l| l.account == account)
                    .map(|l| l.signed())
                    .sum();
                if amount.is_zero() {
                    continue;
                }
                let age = days(as_of)
                    .zip(days(&entry.date))
                    .map_or(0, |(a, b)| (a - b).max(0));
                unsettled.push(UnsettledItem {
                    entry: entry.id.clone(),
                    date: entry.date.clone(),
                    amount: text(currency, amount),
                    age_days: count(usize::try_from(age).unwrap_or(0)),
                });
            }
        } else if !net.is_zero() && scope.in_range(&summary.date) {
            payouts_not_tied.push(ClearingPayout {
                payout: summary
                    .source
                    .id
                    .strip_prefix("payout:")
                    .unwrap_or(&summary.source.id)
                    .to_string(),
                date: summary.date.clone(),
                residual: Figure {
                    amount: text(currency, net),
                    entries: summary.links.clone(),
                },
            });
        }
    }
    (unsettled, payouts_not_tied)
}
