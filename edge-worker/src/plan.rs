//! What to book for a freshly mapped event, given what the ledger already holds. Delivery logic
//! only: the entries and their reversals come from the core (`map`, `Entry::reversal`).
//!
//! A source object (an order's sale, a refund) has one *head*: its newest version seen and the
//! entry that is active for it. A mapped entry is
//! - a duplicate when its exact id is booked already (same version delivered twice);
//! - stale when the head's version is newer or equal (an older `updated_at` arriving late);
//! - unchanged when it is newer but books the same lines: only the head's version moves;
//! - otherwise booked, after a reversal of the head's active entry.

use ledgerbridge_core::Entry;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    pub entry: Entry,
    pub version: String,
}

#[derive(Debug, Default, PartialEq)]
pub struct Plan {
    /// Entries to insert, in posting order (a reversal before its replacement).
    pub book: Vec<Entry>,
    /// Ids of entries that `book` reverses.
    pub reversed: Vec<String>,
    /// (logical key, active entry id, version) to upsert.
    pub heads: Vec<(String, String, String)>,
    /// (entry id, why) of mapped entries that need nothing.
    pub skipped: Vec<(String, &'static str)>,
}

/// `platform:shop:kind:source-id`: one source object across its versions.
pub fn logical_key(entry: &Entry) -> String {
    let s = &entry.source;
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

pub fn plan(
    mapped: Vec<Entry>,
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
        let key = logical_key(&entry);
        let version = entry.source.version.clone();
        match heads.get(&key) {
            Some(head) if compare_versions(&version, &head.version) != Ordering::Greater => {
                plan.skipped.push((entry.id, "stale"));
            }
            Some(head) if same_effect(&head.entry, &entry) => {
                let active = head.entry.clone();
                plan.heads
                    .push((key.clone(), active.id.clone(), version.clone()));
                heads.insert(
                    key,
                    Head {
                        entry: active,
                        version,
                    },
                );
                plan.skipped.push((entry.id, "unchanged"));
            }
            found => {
                if let Some(head) = found {
                    plan.reversed.push(head.entry.id.clone());
                    plan.book.push(head.entry.reversal(&entry.date));
                }
                plan.heads
                    .push((key.clone(), entry.id.clone(), version.clone()));
                heads.insert(
                    key,
                    Head {
                        entry: entry.clone(),
                        version,
                    },
                );
                plan.book.push(entry);
            }
        }
    }
    plan
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
            logical_key(e),
            Head {
                entry: e.clone(),
                version: e.source.version.clone(),
            },
        )])
    }

    #[test]
    fn first_version_is_booked_and_becomes_the_head() {
        let e = entry("100", "10.00");
        let p = plan(vec![e.clone()], &BTreeMap::new(), &BTreeSet::new());
        assert_eq!(p.book, vec![e.clone()]);
        assert_eq!(
            p.heads,
            vec![("shopify:s:sale:1".into(), e.id.clone(), "100".into())]
        );
    }

    #[test]
    fn same_id_is_a_duplicate_and_older_version_is_stale() {
        let e = entry("100", "10.00");
        let p = plan(
            vec![e.clone()],
            &head_of(&e),
            &BTreeSet::from([e.id.clone()]),
        );
        assert_eq!(p.skipped, vec![(e.id.clone(), "duplicate")]);
        let old = entry("99", "12.00");
        let p = plan(vec![old.clone()], &head_of(&e), &BTreeSet::new());
        assert_eq!((p.book.len(), p.skipped), (0, vec![(old.id, "stale")]));
    }

    #[test]
    fn newer_version_with_other_lines_reverses_then_books() {
        let v1 = entry("100", "10.00");
        let v2 = entry("200", "12.00");
        let p = plan(vec![v2.clone()], &head_of(&v1), &BTreeSet::new());
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
        let p = plan(vec![entry("200", "10.00")], &head_of(&v1), &BTreeSet::new());
        assert!(p.book.is_empty());
        assert_eq!(
            p.heads,
            vec![("shopify:s:sale:1".into(), v1.id, "200".into())]
        );
    }

    #[test]
    fn versions_compare_as_numbers() {
        assert_eq!(compare_versions("99", "100"), Ordering::Less);
        assert_eq!(compare_versions("0100", "100"), Ordering::Equal);
        assert_eq!(compare_versions("b", "a"), Ordering::Greater);
    }
}
