//! The clearing report: per clearing account and currency, what the gateway still owes, which
//! entries no payout has settled yet (with their age), and payouts that did not tie out. Which
//! entries a payout settles is `summarize`'s payout rule ([`super::summary::settle`]), so the
//! report, the payout summaries and the posting modes always agree.

use super::summary::{settle, settled_by, Slot};
use super::Entry;
use crate::error::{LedgerError, Result};
use crate::model::Timestamp;
use crate::money::Currency;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

/// One clearing account in one currency.
#[derive(Debug, Clone, PartialEq)]
pub struct ClearingAccount {
    pub account: String,
    pub currency: Currency,
    /// Debits minus credits over every entry: what the gateway owes the merchant.
    pub balance: Decimal,
    /// Entries that moved money into (or out of) the account and that no payout settles yet.
    pub open: Vec<OpenEntry>,
    /// Payouts after which the account does not net to zero over the entries they settle.
    pub untied: Vec<Untied>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OpenEntry {
    pub entry_id: String,
    pub date: String,
    /// The entry's net effect on the account.
    pub amount: Decimal,
    /// Whole days from the entry's date to `today`.
    pub age_days: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Untied {
    /// The payout entry's id.
    pub payout: String,
    pub date: String,
    /// What the account still holds of the payout's entries: positive when the payout paid out
    /// less than they put in.
    pub difference: Decimal,
}

fn is_clearing(account: &str, prefix: &str) -> bool {
    account
        .strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with(':'))
}

fn day_number(date: &str, path: &str) -> Result<i64> {
    Timestamp::parse(date.get(..10).unwrap_or(date))
        .map(|t| t.unix().div_euclid(86_400))
        .ok_or_else(|| LedgerError::InvalidValue {
            path: path.to_string(),
            value: date.to_string(),
            reason: "want YYYY-MM-DD".to_string(),
        })
}

/// The report over `entries` (every entry of one shop: reversals included, so they net out) as of
/// `today` (`YYYY-MM-DD`), for accounts named `clearing_prefix` or under it, ordered by account and
/// currency. An entry counts as settled by a payout that names it by its own name, or names one of
/// its links and is dated on or after it; one that only an earlier payout names through a link (a
/// refund found by its order, whose own payout has not come) is open. An entry and its reversal
/// both open cancel out and are left out of `open`.
pub fn clearing(
    entries: &[Entry],
    clearing_prefix: &str,
    today: &str,
) -> Result<Vec<ClearingAccount>> {
    for (i, entry) in entries.iter().enumerate() {
        entry
            .check()
            .map_err(|e| e.within(&format!("entries[{i}]")))?;
    }
    let today_n = day_number(today, "today")?;
    let (groups, slots) = settle(entries);
    type Key = (String, Currency);
    let mut accounts: BTreeMap<Key, ClearingAccount> = BTreeMap::new();
    let mut group_net: BTreeMap<(usize, Key), Decimal> = BTreeMap::new();
    let mut open: Vec<(usize, Key, Decimal)> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let mut effect: BTreeMap<Key, Decimal> = BTreeMap::new();
        for line in entry.lines.iter() {
            if is_clearing(&line.account, clearing_prefix) {
                let slot = effect
                    .entry((line.account.clone(), entry.currency))
                    .or_insert(Decimal::ZERO);
                *slot = add(*slot, line.signed(), &line.account)?;
            }
        }
        let slot = slots.get(i).copied().unwrap_or(Slot::Unsettled);
        let settled = settled_by(&groups, slot, entry);
        for (key, amount) in effect {
            let acc = accounts
                .entry(key.clone())
                .or_insert_with(|| ClearingAccount {
                    account: key.0.clone(),
                    currency: key.1,
                    balance: Decimal::ZERO,
                    open: Vec::new(),
                    untied: Vec::new(),
                });
            acc.balance = add(acc.balance, amount, &key.0)?;
            match settled {
                Some(g) => {
                    let slot = group_net.entry((g, key)).or_insert(Decimal::ZERO);
                    *slot = add(*slot, amount, &acc.account)?;
                }
                None => open.push((i, key, amount)),
            }
        }
    }
    let open_ids: BTreeSet<&str> = open
        .iter()
        .filter_map(|(i, _, _)| entries.get(*i).map(|e| e.id.as_str()))
        .collect();
    for (i, key, amount) in open {
        let Some(entry) = entries.get(i) else {
            continue;
        };
        let pair = match entry.id.strip_suffix(":reversal") {
            Some(original) => open_ids.contains(original),
            None => open_ids.contains(format!("{}:reversal", entry.id).as_str()),
        };
        if pair || amount.is_zero() {
            continue;
        }
        let age = today_n - day_number(&entry.date, &format!("entries[{i}].date"))?;
        if let Some(acc) = accounts.get_mut(&key) {
            acc.open.push(OpenEntry {
                entry_id: entry.id.clone(),
                date: entry.date.clone(),
                amount,
                age_days: age,
            });
        }
    }
    for ((g, key), difference) in group_net {
        if difference.is_zero() {
            continue;
        }
        let Some(group) = groups.get(g) else { continue };
        let payouts: Vec<&Entry> = group
            .members
            .iter()
            .filter(|&&m| matches!(slots.get(m), Some(Slot::Payout(_))))
            .filter_map(|&m| entries.get(m))
            .collect();
        let payout = payouts
            .iter()
            .find(|e| !e.id.ends_with(":reversal"))
            .or(payouts.first());
        if let (Some(acc), Some(payout)) = (accounts.get_mut(&key), payout) {
            acc.untied.push(Untied {
                payout: payout.id.clone(),
                date: payout.date.clone(),
                difference,
            });
        }
    }
    Ok(accounts.into_values().collect())
}

fn add(a: Decimal, b: Decimal, account: &str) -> Result<Decimal> {
    a.checked_add(b).ok_or_else(|| LedgerError::AmountTooLarge {
        path: String::new(),
        value: format!("total of {account}"),
    })
}
