//! Gift-card liability roll-forward per period: opening, sold, redeemed, closing.
//!
//! The liability is the gift-card account of the chart: a sale of a card credits it, paying with
//! a card debits it (a refund to a card credits it again, counted as sold: it is new liability).

use super::accounts::{class, Class};
use super::period::GroupBy;
use super::sorted::SortedMap;
use super::{text, Acc, Figure, Scope};
use crate::error::Result;
use crate::journal::Entry;
use crate::money::Currency;
use crate::rules::Config;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GiftCardReport {
    pub periods: Vec<GiftCardPeriod>,
}

/// Credit-positive (what the shop owes card holders). `closing = opening + sold − redeemed`,
/// and the next period's opening is this closing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct GiftCardPeriod {
    pub period: String,
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub currency: Currency,
    #[cfg_attr(feature = "ts", ts(type = "DecimalString"))]
    pub opening: String,
    /// Credits to the account in the period.
    pub sold: Figure,
    /// Debits to the account in the period.
    pub redeemed: Figure,
    #[cfg_attr(feature = "ts", ts(type = "DecimalString"))]
    pub closing: String,
}

/// Sold and redeemed, one period and currency.
pub(crate) type Moves = (Acc, Acc);

pub(crate) fn build(entries: &[Entry], config: &Config, scope: &Scope) -> Result<GiftCardReport> {
    scope.only(&GroupBy::TIME)?;
    let mut opening: SortedMap<Currency, Decimal> = SortedMap::new();
    let mut periods: SortedMap<(Currency, String), Moves> = SortedMap::new();
    for entry in entries.iter().filter(|e| scope.in_currency(e)) {
        let mut moves = SortedMap::new();
        absorb(&mut moves, entry, config);
        for (currency, (sold, redeemed)) in moves {
            place(
                &mut opening,
                &mut periods,
                scope,
                &entry.date,
                currency,
                sold,
                redeemed,
            );
        }
    }
    Ok(render(opening, periods, scope))
}

/// Adds one entry's gift-card lines to its currency's moves (a slot even when they net to zero:
/// the currency has card activity).
pub(crate) fn absorb(moves: &mut SortedMap<Currency, Moves>, entry: &Entry, config: &Config) {
    for line in &entry.lines {
        if class(config, &line.account) != Class::GiftCard {
            continue;
        }
        let slot = moves.entry(entry.currency).or_default();
        slot.0.add(entry, line.credit.0);
        slot.1.add(entry, line.debit.0);
    }
}

/// Puts a date's moves before the range (the opening), in its period, or nowhere (after `to`).
pub(crate) fn place(
    opening: &mut SortedMap<Currency, Decimal>,
    periods: &mut SortedMap<(Currency, String), Moves>,
    scope: &Scope,
    date: &str,
    currency: Currency,
    sold: Acc,
    redeemed: Acc,
) {
    if scope.to.as_deref().is_some_and(|t| date > t) {
        return;
    }
    if scope.from.as_deref().is_some_and(|f| date < f) {
        *opening.entry(currency).or_default() += sold.amount - redeemed.amount;
        return;
    }
    let slot = periods
        .entry((currency, scope.period_of(date)))
        .or_default();
    slot.0.merge(sold);
    slot.1.merge(redeemed);
}

pub(crate) fn render(
    opening: SortedMap<Currency, Decimal>,
    periods: SortedMap<(Currency, String), Moves>,
    scope: &Scope,
) -> GiftCardReport {
    let mut out = Vec::new();
    let mut balance = opening.clone();
    for ((currency, period), (sold, redeemed)) in periods {
        let open = balance.get(&currency).copied().unwrap_or_default();
        let close = open + sold.amount - redeemed.amount;
        balance.insert(currency, close);
        out.push(GiftCardPeriod {
            period,
            currency,
            opening: text(currency, open),
            sold: sold.figure(currency),
            redeemed: redeemed.figure(currency),
            closing: text(currency, close),
        });
    }
    // A currency with cards outstanding but no activity in the range still has a balance to show.
    for (currency, amount) in &opening {
        if !out.iter().any(|p| p.currency == *currency) {
            let period = scope.period_of(scope.from.as_deref().unwrap_or_default());
            out.push(GiftCardPeriod {
                period,
                currency: *currency,
                opening: text(*currency, *amount),
                sold: Acc::default().figure(*currency),
                redeemed: Acc::default().figure(*currency),
                closing: text(*currency, *amount),
            });
        }
    }
    super::sort_stable(&mut out, |a, b| {
        (a.currency, &a.period).cmp(&(b.currency, &b.period))
    });
    GiftCardReport { periods: out }
}
