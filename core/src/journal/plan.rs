//! What to book for a freshly mapped event, given what the ledger already holds: the booking
//! decisions every host makes the same way (the worker today, the npm package or an app later), so
//! they live here rather than in a host. The entries come from `map`, their reversals from
//! `Entry::reversal`; the host only loads the heads and booked ids and stores the plan.
//!
//! A source object (an order's sale, a refund) has one *head*: its newest version seen and the
//! entry that is active for it. A mapped entry is
//! - a duplicate when its exact id is booked already (same version delivered twice);
//! - stale when the head's version is newer or equal (an older `updated_at` arriving late);
//! - unchanged when it is newer but books the same lines: only the head's version moves;
//! - otherwise booked, after a reversal of the head's active entry.
//!
//! A source the core reports as *unbooked* at a newer version (an order cancelled before payment)
//! reverses the head's active entry and leaves the head with none; its version still becomes the
//! head's, so the older "pending" delivery arriving late stays stale instead of booking again.

use crate::journal::{Entry, Source};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    /// What is booked for the source now; `None` once a newer version unbooked it.
    pub entry: Option<Entry>,
    pub version: String,
}

#[derive(Debug, Default, PartialEq)]
pub struct Plan {
    /// Entries to insert, in posting order (a reversal before its replacement).
    pub book: Vec<Entry>,
    /// Ids of entries that `book` reverses.
    pub reversed: Vec<String>,
    /// (logical key, active entry id if any, version) to upsert.
    pub heads: Vec<(String, Option<String>, String)>,
    /// (entry id, why) of mapped entries that need nothing.
    pub skipped: Vec<(String, &'static str)>,
}

/// `platform:shop:kind:source-id`: one source object across its versions.
pub fn logical_key(source: &Source) -> String {
    let s = source;
    format!("{}:{}:{}:{}", s.platform, s.shop, s.kind, s.id)
}

/// Versions are Unix seconds as digits; compare them as numbers of any length.
pub fn compare_versions(a: &str, b: &str) -> Ordering {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit());
    if digits(a) && digits(b) {
        let (a, b) = (a.trim_start_matches('0'), b.trim_start_matches('0'));
        a.len().cmp(&b.len()).then_with(|| a.cmp(b))
    } else {
        a.cmp(b)
    }
}

/// Whether two versions of a source object book the same thing (the `why` texts and the memo may
/// differ without a re-post).
pub fn same_effect(a: &Entry, b: &Entry) -> bool {
    a.currency == b.currency
        && a.date == b.date
        && a.lines.len() == b.lines.len()
        && a.lines
            .iter()
            .zip(&b.lines)
            .all(|(x, y)| x.account == y.account && x.debit == y.debit && x.credit == y.credit)
}

/// `unbooked` holds (source, date) of what `map` reports as `Mapped::unbooked`: taken apart here
/// because the engine that defines that type builds on the journal, not the other way round.
pub fn plan(
    mapped: Vec<Entry>,
    unbooked: Vec<(Source, String)>,
    heads: &BTreeMap<String, Head>,
    existing: &BTreeSet<String>,
) -> Plan {
    let mut plan = Plan::default();
    let mut heads = heads.clone();
    for entry in mapped {
        if existing.contains(&entry.id) || plan.book.iter().any(|b| b.id == entry.id) {
            plan.skipped.push((entry.id, "duplicate"));
            continue;
        }
        let key = logical_key(&entry.source);
        let version = entry.source.version.clone();
        let head = heads.get(&key);
        if head.is_some_and(|h| compare_versions(&version, &h.version) != Ordering::Greater) {
            plan.skipped.push((entry.id, "stale"));
            continue;
        }
        let active = head.and_then(|h| h.entry.clone());
        match active {
            Some(active) if same_effect(&active, &entry) => {
                plan.skipped.push((entry.id, "unchanged"));
                plan.move_head(&mut heads, key, Some(active), version);
            }
            active => {
                if let Some(active) = active {
                    plan.reversed.push(active.id.clone());
                    plan.book.push(active.reversal(&entry.date));
                }
                plan.book.push(entry.clone());
                plan.move_head(&mut heads, key, Some(entry), version);
            }
        }
    }
    for (source, date) in unbooked {
        let key = logical_key(&source);
        let version = source.version;
        let head = heads.get(&key);
        if head.is_some_and(|h| compare_versions(&version, &h.version) != Ordering::Greater) {
            continue;
        }
        if let Some(active) = head.and_then(|h| h.entry.clone()) {
            plan.reversed.push(active.id.clone());
            plan.book.push(active.reversal(&date));
        }
        plan.move_head(&mut heads, key, None, version);
    }
    plan
}

impl Plan {
    fn move_head(
        &mut self,
        heads: &mut BTreeMap<String, Head>,
        key: String,
        entry: Option<Entry>,
        version: String,
    ) {
        let id = entry.as_ref().map(|e| e.id.clone());
        self.heads.push((key.clone(), id, version.clone()));
        heads.insert(key, Head { entry, version });
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn entry(version: &str, sales: &str) -> Entry {
        let json = format!(
            r#"{{"id":"shopify:s:order:1:sale:{version}","date":"2026-05-03","currency":"USD","memo":"m",
            "source":{{"platform":"shopify","shop":"s","kind":"sale","id":"1","version":"{version}"}},
            "lines":[{{"account":"Assets:Receivable","debit":"{sales}","credit":"0.00","why":"a"}},
                     {{"account":"Income:Sales","debit":"0.00","credit":"{sales}","why":"b"}}]}}"#
        );
        serde_json::from_str(&json).unwrap()
    }

    fn head_of(e: &Entry) -> BTreeMap<String, Head> {
        BTreeMap::from([(
            logical_key(&e.source),
            Head {
                entry: Some(e.clone()),
                version: e.source.version.clone(),
            },
        )])
    }

    #[test]
    fn first_version_is_booked_and_becomes_the_head() {
        let e = entry("100", "10.00");
        let p = plan(vec![e.clone()], vec![], &BTreeMap::new(), &BTreeSet::new());
        assert_eq!(p.book, vec![e.clone()]);
        assert_eq!(
            p.heads,
            vec![("shopify:s:sale:1".into(), Some(e.id.clone()), "100".into())]
        );
    }

    #[test]
    fn same_id_is_a_duplicate_and_older_version_is_stale() {
        let e = entry("100", "10.00");
        let p = plan(
            vec![e.clone()],
            vec![],
            &head_of(&e),
            &BTreeSet::from([e.id.clone()]),
        );
        assert_eq!(p.skipped, vec![(e.id.clone(), "duplicate")]);
        let old = entry("99", "12.00");
        let p = plan(vec![old.clone()], vec![], &head_of(&e), &BTreeSet::new());
        assert_eq!((p.book.len(), p.skipped), (0, vec![(old.id, "stale")]));
    }

    #[test]
    fn newer_version_with_other_lines_reverses_then_books() {
        let v1 = entry("100", "10.00");
        let v2 = entry("200", "12.00");
        let p = plan(vec![v2.clone()], vec![], &head_of(&v1), &BTreeSet::new());
        assert_eq!(p.book.len(), 2);
        assert_eq!(p.book[0].id, "shopify:s:order:1:sale:100:reversal");
        assert_eq!(p.book[0].lines[0].account, "Assets:Receivable");
        assert_eq!(p.book[0].lines[0].credit.0.to_string(), "10.00");
        assert_eq!(p.book[1], v2);
        assert_eq!(p.reversed, vec![v1.id]);
    }

    #[test]
    fn newer_version_with_the_same_lines_only_moves_the_head() {
        let v1 = entry("100", "10.00");
        let p = plan(
            vec![entry("200", "10.00")],
            vec![],
            &head_of(&v1),
            &BTreeSet::new(),
        );
        assert!(p.book.is_empty());
        assert_eq!(
            p.heads,
            vec![("shopify:s:sale:1".into(), Some(v1.id), "200".into())]
        );
    }

    fn unbooked(version: &str) -> (Source, String) {
        let mut source = entry(version, "0.00").source;
        source.version = version.to_string();
        (source, "2026-05-09".into())
    }

    #[test]
    fn a_newer_version_that_books_nothing_reverses_the_active_entry() {
        let v1 = entry("100", "10.00");
        let p = plan(
            vec![],
            vec![unbooked("200")],
            &head_of(&v1),
            &BTreeSet::new(),
        );
        assert_eq!(p.book.len(), 1);
        assert_eq!(p.book[0].id, "shopify:s:order:1:sale:100:reversal");
        assert_eq!(p.book[0].date, "2026-05-09");
        assert_eq!(p.book[0].lines[0].credit.0.to_string(), "10.00");
        assert_eq!(p.reversed, vec![v1.id]);
        assert_eq!(
            p.heads,
            vec![("shopify:s:sale:1".into(), None, "200".into())]
        );
    }

    #[test]
    fn after_an_unbooking_the_older_version_is_stale_and_a_newer_one_books_without_reversal() {
        let mut heads = BTreeMap::new();
        heads.insert(
            "shopify:s:sale:1".to_string(),
            Head {
                entry: None,
                version: "200".into(),
            },
        );
        let late = entry("100", "10.00");
        let p = plan(vec![late.clone()], vec![], &heads, &BTreeSet::new());
        assert_eq!((p.book.len(), p.skipped), (0, vec![(late.id, "stale")]));
        let reopened = entry("300", "10.00");
        let p = plan(vec![reopened.clone()], vec![], &heads, &BTreeSet::new());
        assert_eq!(p.book, vec![reopened]);
        assert!(p.reversed.is_empty());
    }

    #[test]
    fn an_unbooking_first_seen_records_its_version_and_books_nothing() {
        let p = plan(
            vec![],
            vec![unbooked("200")],
            &BTreeMap::new(),
            &BTreeSet::new(),
        );
        assert!(p.book.is_empty());
        assert_eq!(
            p.heads,
            vec![("shopify:s:sale:1".into(), None, "200".into())]
        );
        let p = plan(
            vec![],
            vec![unbooked("200")],
            &head_of(&entry("300", "1.00")),
            &BTreeSet::new(),
        );
        assert!(p.book.is_empty() && p.heads.is_empty());
    }

    #[test]
    fn versions_compare_as_numbers() {
        assert_eq!(compare_versions("99", "100"), Ordering::Less);
        assert_eq!(compare_versions("0100", "100"), Ordering::Equal);
        assert_eq!(compare_versions("b", "a"), Ordering::Greater);
    }
}
