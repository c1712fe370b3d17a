//! Posting modes: what a host sends to one accounting target, per order or as summaries, and the
//! rule that switching modes never posts an entry twice (docs/payouts.md, "Posting modes").
//!
//! The ledger always keeps every entry; a target receives each entry exactly once, either on its
//! own (*per-order*) or inside one summary (*covered*). Given the entries not yet sent to the target
//! (plus every payout entry, which decides the groups), what was sent per order, which entries and
//! summaries the target already has, and the target's mode now, [`due`] says what to send now.
//! A summary is immutable once created: whatever would have belonged to it but arrives later is sent
//! per order (a late correction), so no entry is ever in two summaries, or in a summary and sent on
//! its own.

use super::summary::{render, settle, settled_by, Group, Slot};
use super::{Entry, SummaryBy};
use crate::error::{LedgerError, Result};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

/// How entries reach one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum PostingMode {
    /// Every entry on its own as soon as it is booked.
    #[default]
    PerOrder,
    /// One summary per payout (A2X style): the payout and the entries it settles, when the payout
    /// is booked. Its bank line is the deposit.
    PerPayout,
    /// One summary per day (and currency), once the day is over.
    Daily,
}

impl PostingMode {
    pub const ALL: [PostingMode; 3] = [
        PostingMode::PerOrder,
        PostingMode::PerPayout,
        PostingMode::Daily,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            PostingMode::PerOrder => "per-order",
            PostingMode::PerPayout => "per-payout",
            PostingMode::Daily => "daily",
        }
    }
}

impl FromStr for PostingMode {
    type Err = LedgerError;
    fn from_str(s: &str) -> Result<Self> {
        PostingMode::ALL
            .iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(s.trim()))
            .copied()
            .ok_or_else(|| LedgerError::UnsupportedFormat {
                value: s.to_string(),
                expected: "per-order, per-payout, daily".to_string(),
            })
    }
}

impl fmt::Display for PostingMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one target already has.
#[derive(Debug, Clone, Copy)]
pub struct Sent<'a> {
    /// Entries sent (or queued, or parked) per order.
    pub per_order: &'a BTreeSet<String>,
    /// Entries inside one of the target's summaries.
    pub summarized: &'a BTreeSet<String>,
    /// Ids of the target's summaries.
    pub summaries: &'a BTreeSet<String>,
}

impl Sent<'_> {
    fn has(&self, id: &str) -> bool {
        self.per_order.contains(id) || self.summarized.contains(id)
    }
}

/// A summary to create for the target: `entry` is `None` when the covered entries net to zero
/// on every account (nothing to post), yet they are covered all the same.
#[derive(Debug, Clone, PartialEq)]
pub struct NewSummary {
    pub id: String,
    pub entry: Option<Entry>,
    pub covers: Vec<String>,
}

/// What to send to the target now. Every id in `per_order` and in the summaries' `covers` is an
/// input entry the target does not have yet, and appears once across all of them.
#[derive(Debug, Default, PartialEq)]
pub struct Due {
    pub per_order: Vec<String>,
    pub summaries: Vec<NewSummary>,
    /// Entries that wait: no payout settles them yet, or their day is not over.
    pub held: Vec<String>,
}

/// Why a held entry waits, or where a free one goes.
enum Route {
    PerOrder,
    Hold,
    Join(String),
}

/// What to send to a target in `mode`, given `entries` (at least every entry the target does not
/// have, and, for `PerPayout`, every payout entry of the shop, sent or not) and what it has.
/// `today` is the current date where the shop's days end (`YYYY-MM-DD`): a day before it is over.
/// `clearing_prefix` names the accounts a payout empties (`Assets:Clearing`).
///
/// Rules, per entry the target does not have (*free*), in this order:
/// 1. `PerOrder`: sent per order (what a switch back to per-order does with held entries too).
/// 2. A reversal of an entry the target has (per order or in a summary) is sent per order: it
///    corrects what is in the target's books already, and no summary may change after it is made.
/// 3. `Daily`: a day with a summary already → per order (late); a day not over → held; else the
///    day's summary.
/// 4. `PerPayout`: an entry that touches no clearing account can never be settled by a payout → per
///    order. Else by `summarize`'s payout rule: a payout whose summary exists takes its late
///    entries per order (those it names by their own name; one it names only through a link, e.g.
///    a refund found by its order, waits for its own payout); a payout sent per order before the
///    switch takes them per order too (its deposit is in the books already); a payout the target
///    does not have yet gets a summary of itself and its free entries; no payout → held.
///
/// A payout summary covers only entries not sent yet: an entry sent per order before the switch
/// put its clearing effect in the books already, so the summary leaves it out and its clearing line
/// is what is left to settle; its bank line is still the payout's, i.e. the deposit.
pub fn due(
    entries: &[Entry],
    sent: &Sent<'_>,
    mode: PostingMode,
    today: &str,
    clearing_prefix: &str,
) -> Result<Due> {
    for (i, entry) in entries.iter().enumerate() {
        entry
            .check()
            .map_err(|e| e.within(&format!("entries[{i}]")))?;
    }
    let mut out = Due::default();
    let (groups, slots) = match mode {
        PostingMode::PerPayout => settle(entries),
        _ => (Vec::new(), Vec::new()),
    };
    // Summary key (day or payout group key) → (group label/date source, free members).
    let mut joins: BTreeMap<String, (Option<usize>, Vec<usize>)> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for (i, entry) in entries.iter().enumerate() {
        if sent.has(&entry.id) || !seen.insert(entry.id.as_str()) {
            continue;
        }
        let route = route(
            entries,
            i,
            sent,
            mode,
            today,
            clearing_prefix,
            &groups,
            &slots,
        );
        match route {
            Route::PerOrder => out.per_order.push(entry.id.clone()),
            Route::Hold => out.held.push(entry.id.clone()),
            Route::Join(key) => {
                let group = match slots.get(i) {
                    Some(Slot::Payout(g) | Slot::ByOwn(g) | Slot::ByLink(g)) => Some(*g),
                    _ => None,
                };
                let slot = joins.entry(key).or_insert((group, Vec::new()));
                slot.1.push(i);
            }
        }
    }
    let by = match mode {
        PostingMode::Daily => SummaryBy::Day,
        _ => SummaryBy::Payout,
    };
    for (key, (group, members)) in joins {
        let template = group.and_then(|g| groups.get(g));
        let group = Group {
            label: template.map_or_else(|| key.clone(), |t| t.label.clone()),
            date: template.and_then(|t| t.date.clone()),
            key,
            members: Vec::new(),
        };
        let mut by_currency: BTreeMap<_, Vec<&Entry>> = BTreeMap::new();
        for &i in &members {
            if let Some(e) = entries.get(i) {
                by_currency.entry(e.currency).or_default().push(e);
            }
        }
        for (currency, members) in by_currency {
            out.summaries.push(NewSummary {
                id: format!("summary:{by}:{}:{currency}", group.key),
                entry: render(by, &group, currency, &members)?,
                covers: members.iter().map(|e| e.id.clone()).collect(),
            });
        }
    }
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
fn route(
    entries: &[Entry],
    i: usize,
    sent: &Sent<'_>,
    mode: PostingMode,
    today: &str,
    clearing_prefix: &str,
    groups: &[Group],
    slots: &[Slot],
) -> Route {
    let Some(entry) = entries.get(i) else {
        return Route::Hold;
    };
    if mode == PostingMode::PerOrder {
        return Route::PerOrder;
    }
    if let Some(original) = entry.id.strip_suffix(":reversal") {
        if sent.has(original) {
            return Route::PerOrder;
        }
    }
    let has_summary = |by: SummaryBy, key: &str| {
        let prefix = format!("summary:{by}:{key}:");
        sent.summaries
            .range(prefix.clone()..)
            .next()
            .is_some_and(|id| id.starts_with(&prefix))
    };
    if mode == PostingMode::Daily {
        // The shop is in a day's key (summarize's day ids have none): two shops' days are two
        // summaries, each posted under its own id.
        let day = entry.date.get(..10).unwrap_or(&entry.date);
        let key = format!("{}:{day}", entry.source.shop);
        return if has_summary(SummaryBy::Day, &key) {
            Route::PerOrder
        } else if day < today {
            Route::Join(key)
        } else {
            Route::Hold
        };
    }
    let slot = slots.get(i).copied().unwrap_or(Slot::Unsettled);
    let clears = entry.lines.iter().any(|l| {
        l.account
            .strip_prefix(clearing_prefix)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(':'))
    });
    if !clears && !matches!(slot, Slot::Payout(_)) {
        return Route::PerOrder;
    }
    // A payout that named only a link of the entry and is dated before it did not pay it out.
    let Some(group) = settled_by(groups, slot, entry).and_then(|g| groups.get(g)) else {
        return Route::Hold;
    };
    if has_summary(SummaryBy::Payout, &group.key) {
        return Route::PerOrder;
    }
    // The group's payout (not a reversal of it) the target has already (per order, or in a day's
    // summary before a switch): its deposit is in the target's books, so no payout summary can
    // carry it; its late entries follow per order.
    let payout_sent = group.members.iter().any(|&m| {
        matches!(slots.get(m), Some(Slot::Payout(_)))
            && entries
                .get(m)
                .is_some_and(|p| !p.id.ends_with(":reversal") && sent.has(&p.id))
    });
    if payout_sent {
        Route::PerOrder
    } else {
        Route::Join(group.key.clone())
    }
}

/// Today's date where the shop's days end: `utc_offset` is a fixed `±HH:MM` (no DST: give the
/// offset whose midnight comes later, e.g. `-05:00` for New York, so a day is never closed
/// early), or `None` for UTC. Refused with the field's path when it is not such an offset.
pub fn shop_today(unix_s: i64, utc_offset: Option<&str>) -> Result<String> {
    let offset_s = match utc_offset.map(str::trim) {
        None | Some("" | "Z" | "UTC") => 0,
        Some(text) => parse_offset(text).ok_or_else(|| LedgerError::InvalidValue {
            path: "timezone".to_string(),
            value: text.to_string(),
            reason: "want a fixed UTC offset such as -05:00 or +01:00".to_string(),
        })?,
    };
    crate::model::Timestamp::from_unix(unix_s.saturating_add(offset_s))
        .map(|t| t.date().to_string())
        .ok_or_else(|| LedgerError::InvalidValue {
            path: "now".to_string(),
            value: unix_s.to_string(),
            reason: "outside the years 0000-9999".to_string(),
        })
}

fn parse_offset(text: &str) -> Option<i64> {
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, text.get(1..)?),
        b'-' => (-1, text.get(1..)?),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h) || !digits(m) {
        return None;
    }
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 14 && m < 60).then_some(sign * (h * 3600 + m * 60))
}
