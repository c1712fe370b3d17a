//! Summary views: the same entries re-rendered as one entry per payout, day or month.
//!
//! A summary never invents money: its lines are the per-account net totals of the entries it
//! covers, so switching views is a pure re-render and every view totals the same per account.
//! Accounts that net to zero (a clearing account emptied by its payout) drop out, which is what
//! turns "sales + fees + payout" into the one journal an accountant expects per deposit.

use super::{Amount, Entry, Line, Source};
use crate::error::{LedgerError, Result};
use crate::money::{self, Currency};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

/// How entries are grouped into summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SummaryBy {
    /// Each payout entry with the entries whose money it settles (A2X style).
    Payout,
    /// Entries sharing a date.
    Day,
    /// Entries sharing a calendar month (`YYYY-MM`).
    Month,
}

impl SummaryBy {
    pub const ALL: [SummaryBy; 3] = [SummaryBy::Payout, SummaryBy::Day, SummaryBy::Month];

    pub fn as_str(&self) -> &'static str {
        match self {
            SummaryBy::Payout => "payout",
            SummaryBy::Day => "day",
            SummaryBy::Month => "month",
        }
    }
}

impl FromStr for SummaryBy {
    type Err = LedgerError;
    fn from_str(s: &str) -> Result<Self> {
        SummaryBy::ALL
            .iter()
            .find(|b| b.as_str().eq_ignore_ascii_case(s.trim()))
            .copied()
            .ok_or_else(|| LedgerError::UnsupportedFormat {
                value: s.to_string(),
                expected: "payout, day, month".to_string(),
            })
    }
}

impl fmt::Display for SummaryBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Groups key entries that no payout settles, in the payout view.
pub const UNSETTLED: &str = "unsettled";

/// One summary entry per (group, currency), ordered by group then currency.
///
/// Ids: `summary:day:2026-05-03:USD`, `summary:month:2026-05:USD`,
/// `summary:payout:<platform>:<shop>:<payout id>:USD`, and `summary:payout:unsettled:USD` for
/// entries no payout in the list settles. `links` lists the ids of the covered entries in input
/// order. Every input entry is re-checked first, so an unbalanced one is refused, not summed.
pub fn summarize(entries: &[Entry], by: SummaryBy) -> Result<Vec<Entry>> {
    for (i, entry) in entries.iter().enumerate() {
        entry
            .check()
            .map_err(|e| e.within(&format!("entries[{i}]")))?;
    }
    let groups = match by {
        SummaryBy::Day => by_date(entries, 10),
        SummaryBy::Month => by_date(entries, 7),
        SummaryBy::Payout => by_payout(entries),
    };
    let mut out = Vec::new();
    for group in groups {
        let mut by_currency: BTreeMap<Currency, Vec<&Entry>> = BTreeMap::new();
        for &i in &group.members {
            if let Some(entry) = entries.get(i) {
                by_currency.entry(entry.currency).or_default().push(entry);
            }
        }
        for (currency, members) in by_currency {
            if let Some(entry) = render(by, &group, currency, &members)? {
                out.push(entry);
            }
        }
    }
    Ok(out)
}

pub(crate) struct Group {
    /// The id component after `summary:<by>:`.
    pub(crate) key: String,
    /// For payouts, the payout's own words; else the period.
    pub(crate) label: String,
    /// The payout's date, or `None` to date the summary on its latest entry.
    pub(crate) date: Option<String>,
    pub(crate) members: Vec<usize>,
}

fn by_date(entries: &[Entry], len: usize) -> Vec<Group> {
    let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, entry) in entries.iter().enumerate() {
        let key = entry.date.get(..len).unwrap_or(&entry.date).to_string();
        groups.entry(key).or_default().push(i);
    }
    groups
        .into_iter()
        .map(|(key, members)| Group {
            label: key.clone(),
            key,
            date: None,
            members,
        })
        .collect()
}

/// The names an entry answers to in a payout's `links`: `<resource>:<source id>`. A sale is named
/// by its order, or by the charge that was the sale (a Stripe-only merchant has no order); every
/// stage of a dispute by the dispute.
fn own_keys(entry: &Entry) -> Vec<String> {
    let kind = entry
        .source
        .kind
        .strip_suffix("-reversal")
        .unwrap_or(&entry.source.kind);
    let id = &entry.source.id;
    match kind {
        "sale" => vec![format!("order:{id}"), format!("charge:{id}")],
        // `dispute-opened`, `-won`, `-lost`: one dispute, named `dispute:<id>` by payouts.
        stage if stage.starts_with("dispute-") => vec![format!("dispute:{id}")],
        other => vec![format!("{other}:{id}")],
    }
}

pub(crate) fn is_payout(entry: &Entry) -> bool {
    entry
        .source
        .kind
        .strip_suffix("-reversal")
        .unwrap_or(&entry.source.kind)
        == "payout"
}

/// Where the payout view puts one entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// A payout entry (or its reversal): group `g` is its own.
    Payout(usize),
    /// Group `g`'s payout names the entry by its own name (`order:<id>`, `refund:<id>`...).
    ByOwn(usize),
    /// Group `g`'s payout names only one of the entry's links (a refund found by its order).
    ByLink(usize),
    /// No payout names it.
    Unsettled,
}

/// Each payout entry is a group; every other entry joins the payout that names it, by its own name
/// first and else by one of its links (a refund names its order). When several payouts name it, the
/// earliest payout dated on or after the entry wins (a refund paid out weeks after its sale belongs
/// to the later payout), else the earliest. The one rule every payout-based decision uses
/// (summaries, posting modes, the clearing report), so they cannot disagree about a payout.
pub(crate) fn settle(entries: &[Entry]) -> (Vec<Group>, Vec<Slot>) {
    let mut payouts: Vec<usize> = (0..entries.len())
        .filter(|&i| entries.get(i).is_some_and(is_payout))
        .collect();
    payouts.sort_by(|&a, &b| {
        let key = |i: usize| entries.get(i).map(|e| (e.date.clone(), payout_key(e)));
        key(a).cmp(&key(b))
    });
    let mut slots = vec![Slot::Unsettled; entries.len()];
    // Reversed payout entries share their payout's key and join its group.
    let mut group_of_key: BTreeMap<String, usize> = BTreeMap::new();
    let mut groups: Vec<Group> = Vec::new();
    let mut names: Vec<BTreeSet<&str>> = Vec::new();
    for &p in &payouts {
        let Some(entry) = entries.get(p) else {
            continue;
        };
        let key = payout_key(entry);
        let slot = *group_of_key.entry(key.clone()).or_insert_with(|| {
            groups.push(Group {
                label: format!("payout {} ({})", entry.source.id, entry.source.platform),
                key,
                date: Some(entry.date.clone()),
                members: Vec::new(),
            });
            names.push(BTreeSet::new());
            groups.len() - 1
        });
        if let (Some(group), Some(set)) = (groups.get_mut(slot), names.get_mut(slot)) {
            group.members.push(p);
            set.extend(entry.links.iter().map(String::as_str));
        }
        if let Some(s) = slots.get_mut(p) {
            *s = Slot::Payout(slot);
        }
    }
    for (i, entry) in entries.iter().enumerate() {
        if is_payout(entry) {
            continue;
        }
        let own = own_keys(entry);
        let by_own = pick(&groups, &names, &entry.date, |set| {
            own.iter().any(|k| set.contains(k.as_str()))
        })
        .map(Slot::ByOwn);
        let chosen = by_own.or_else(|| {
            pick(&groups, &names, &entry.date, |set| {
                entry.links.iter().any(|k| set.contains(k.as_str()))
            })
            .map(Slot::ByLink)
        });
        if let (Some(slot), Some(s)) = (chosen, slots.get_mut(i)) {
            *s = slot;
        }
    }
    for (i, slot) in slots.iter().enumerate() {
        if let Slot::ByOwn(g) | Slot::ByLink(g) = slot {
            if let Some(group) = groups.get_mut(*g) {
                group.members.push(i);
            }
        }
    }
    for group in &mut groups {
        group.members.sort_unstable();
    }
    (groups, slots)
}

/// The payout group that settled `entry` (at `slot`), for decisions that need more than a
/// grouping: its own payout, one naming it by its own name, or one naming only a link of it and
/// dated on or after it. A group reached only through a link and dated before the entry (a
/// refund found by its order's earlier payout) did not pay it out: `None`, it waits for its own.
pub(crate) fn settled_by(groups: &[Group], slot: Slot, entry: &Entry) -> Option<usize> {
    match slot {
        Slot::Payout(g) | Slot::ByOwn(g) => Some(g),
        Slot::ByLink(g) => groups
            .get(g)
            .and_then(|grp| grp.date.as_deref())
            .is_some_and(|d| d >= entry.date.as_str())
            .then_some(g),
        Slot::Unsettled => None,
    }
}

/// Entries no payout names form the `unsettled` group.
fn by_payout(entries: &[Entry]) -> Vec<Group> {
    let (mut groups, slots) = settle(entries);
    let unsettled: Vec<usize> = (0..entries.len())
        .filter(|&i| slots.get(i) == Some(&Slot::Unsettled))
        .collect();
    if !unsettled.is_empty() {
        groups.push(Group {
            key: UNSETTLED.to_string(),
            label: "entries no payout settles yet".to_string(),
            date: None,
            members: unsettled,
        });
    }
    groups
}

fn payout_key(entry: &Entry) -> String {
    format!(
        "{}:{}:{}",
        entry.source.platform, entry.source.shop, entry.source.id
    )
}

fn pick(
    groups: &[Group],
    names: &[BTreeSet<&str>],
    date: &str,
    names_it: impl Fn(&BTreeSet<&str>) -> bool,
) -> Option<usize> {
    let candidates: Vec<usize> = (0..groups.len())
        .filter(|&g| names.get(g).is_some_and(&names_it))
        .collect();
    let on_or_after = candidates.iter().copied().find(|&g| {
        groups
            .get(g)
            .and_then(|x| x.date.as_deref())
            .is_some_and(|d| d >= date)
    });
    on_or_after.or_else(|| candidates.first().copied())
}

pub(crate) fn render(
    by: SummaryBy,
    group: &Group,
    currency: Currency,
    members: &[&Entry],
) -> Result<Option<Entry>> {
    let mut totals: BTreeMap<&str, Decimal> = BTreeMap::new();
    let mut lines_in = 0usize;
    for entry in members {
        for line in &entry.lines {
            let slot = totals.entry(line.account.as_str()).or_insert(Decimal::ZERO);
            *slot = slot
                .checked_add(line.signed())
                .ok_or_else(|| LedgerError::AmountTooLarge {
                    path: String::new(),
                    value: format!("total of {} in summary {}", line.account, group.key),
                })?;
            lines_in += 1;
        }
    }
    let scale = currency.minor_units();
    let mut zero = Decimal::ZERO;
    zero.rescale(scale);
    let count = members.len();
    let mut debits = Vec::new();
    let mut credits = Vec::new();
    for (account, total) in totals {
        if total.is_zero() {
            continue;
        }
        let mut abs = total.abs();
        abs.rescale(scale);
        let why = format!(
            "net of {account} over the {count} entries of {} ({} {currency})",
            group.label,
            money::format_amount(currency, total)
        );
        let (debit, credit, side) = if total.is_sign_positive() {
            (Amount(abs), Amount(zero), &mut debits)
        } else {
            (Amount(zero), Amount(abs), &mut credits)
        };
        side.push(Line {
            account: account.to_string(),
            debit,
            credit,
            why,
        });
    }
    if debits.is_empty() && credits.is_empty() {
        return Ok(None);
    }
    debits.extend(credits);
    let first = members.first().map(|e| &e.source);
    let uniform = |get: fn(&Source) -> &str| -> String {
        match first {
            Some(s) if members.iter().all(|e| get(&e.source) == get(s)) => get(s).to_string(),
            _ => "mixed".to_string(),
        }
    };
    let latest = members
        .iter()
        .map(|e| e.date.as_str())
        .max()
        .unwrap_or_default();
    let date = group.date.clone().unwrap_or_else(|| latest.to_string());
    let id = format!("summary:{by}:{}:{currency}", group.key);
    let entry = Entry {
        id,
        date,
        currency,
        memo: format!(
            "Summary of {} ({count} entries, {lines_in} lines)",
            group.label
        ),
        source: Source {
            platform: uniform(|s| &s.platform),
            shop: uniform(|s| &s.shop),
            kind: "summary".to_string(),
            id: format!("{by}:{}", group.key),
            version: count.to_string(),
        },
        lines: debits,
        links: members.iter().map(|e| e.id.clone()).collect(),
    };
    entry.check()?;
    Ok(Some(entry))
}
