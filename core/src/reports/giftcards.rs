//! Gift-card liability roll-forward per period: opening, sold, redeemed, closing.
//!
//! The liability is the gift-card account of the chart: a sale of a card credits it, paying with
//! a card debits it (a refund to a card credits it again, counted as sold: it is new liability).

use super::accounts::{class, Class};
use super::period::GroupBy;
use super::{text, Acc, Figure, Scope};
use crate::error::Result;
use crate::journal::Entry;
use crate::money::Currency;
use crate::rules::Config;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

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

pub(crate) fn build(entries: &[Entry], config: &Config, scope: &Scope) -> Result<GiftCardReport> {
    scope.only(&GroupBy::TIME)?;
    let mut opening: BTreeMap<Currency, Acc> = BTreeMap::new();
    let mut periods: BTreeMap<(Currency, String), (Acc, Acc)> = BTreeMap::new();
    for entry in entries.iter().filter(|e| scope.in_currency(e)) {
        let before = scope
            .from
            .as_deref()
            .is_some_and(|f| entry.date.as_str() < f);
        let after = scope.to.as_deref().is_some_and(|t| entry.date.as_str() > t);
        if after {
            continue;
        }
        for line in &entry.lines {
            if class(config, &line.account) != Class::GiftCard {
                continue;
            }
            if before {
                opening
                    .entry(entry.currency)
                    .or_default()
                    .add(entry, -line.signed());
            } else {
                let slot = periods
                    .entry((entry.currency, scope.period_of(&entry.date)))
                    .or_default();
                slot.0.add(entry, line.credit.0);
                slot.1.add(entry, line.debit.0);
            }
        }
    }
    let mut out = Vec::new();
    let mut balance: BTreeMap<Currency, rust_decimal::Decimal> =
        opening.iter().map(|(c, a)| (*c, a.amount)).collect();
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
    for (currency, acc) in &opening {
        if !out.iter().any(|p| p.currency == *currency) {
            let period = scope.period_of(scope.from.as_deref().unwrap_or_default());
            out.push(GiftCardPeriod {
                period,
                currency: *currency,
                opening: text(*currency, acc.amount),
                sold: Acc::default().figure(*currency),
                redeemed: Acc::default().figure(*currency),
                closing: text(*currency, acc.amount),
            });
        }
    }
    out.sort_by(|a, b| (a.currency, &a.period).cmp(&(b.currency, &b.period)));
    Ok(GiftCardReport { periods: out })
}
