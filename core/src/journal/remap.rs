//! Re-mapping past orders with a newer mapping: an explicit action (the admin's "Re-map past
//! orders"), never a side effect of saving one. Each booked source whose entry the new mapping
//! books differently gets a reversal of its active entry and a new entry, as a changed version
//! of an order does; the decision is the core's, the host only loads heads and stores the plan.
//!
//! The new entry keeps the source and its version (it is the same version of the order, booked
//! again) and so needs an id of its own: the mapped id + `:remap-v<config version>`. A second
//! run with the same config version finds that id booked (nothing twice), a run with a later
//! version reverses it in turn, and a newer version of the order arriving later reverses it as
//! it would any active entry. Only what is booked is re-mapped: a source the ledger has no
//! active entry for, or whose newest version the ledger has not booked yet, is the consumer's.

use super::plan::{compare_versions, logical_key, same_effect, Head, Plan};
use super::Entry;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// The id of `id` re-booked with mapping version `config_version`.
pub fn remap_id(id: &str, config_version: i64) -> String {
    format!("{id}:remap-v{config_version}")
}

/// The plan for entries mapped with mapping version `config_version` from stored payloads,
/// against the ledger's `heads`; `existing` holds those of the [`remap_id`]s already booked.
pub fn plan_remap(
    mapped: Vec<Entry>,
    heads: &BTreeMap<String, Head>,
    existing: &BTreeSet<String>,
    config_version: i64,
) -> Plan {
    let mut plan = Plan::default();
    for mut entry in mapped {
        let id = remap_id(&entry.id, config_version);
        let key = logical_key(&entry.source);
        if existing.contains(&id) || plan.book.iter().any(|b| b.id == id) {
            // Booked with this version already: unchanged when it is still the active entry.
            let active = heads.get(&key).and_then(|h| h.entry.as_ref());
            let why = if active.is_some_and(|a| a.id == id) {
                "unchanged"
            } else {
                "duplicate"
            };
            plan.skipped.push((id, why));
            continue;
        }
        let Some(head) = heads.get(&key) else {
            plan.skipped.push((id, "not booked"));
            continue;
        };
        match compare_versions(&entry.source.version, &head.version) {
            Ordering::Less => {
                plan.skipped.push((id, "stale"));
                continue;
            }
            Ordering::Greater => {
                plan.skipped.push((id, "not booked yet"));
                continue;
            }
            Ordering::Equal => {}
        }
        let Some(active) = &head.entry else {
            plan.skipped.push((id, "not booked"));
            continue;
        };
        if same_effect(active, &entry) {
            plan.skipped.push((id, "unchanged"));
            continue;
        }
        entry.id = id;
        plan.reversed.push(active.id.clone());
        plan.book.push(active.reversal(&entry.date));
        plan.heads
            .push((key, Some(entry.id.clone()), head.version.clone()));
        plan.book.push(entry);
    }
    plan
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn entry(id: &str, version: &str, account: &str) -> Entry {
        let json = format!(
            r#"{{"id":"{id}","date":"2026-05-03","currency":"USD","memo":"m",
            "source":{{"platform":"shopify","shop":"s","kind":"sale","id":"1","version":"{version}"}},
            "lines":[{{"account":"Assets:Receivable","debit":"10.00","credit":"0.00","why":"a"}},
                     {{"account":"{account}","debit":"0.00","credit":"10.00","why":"b"}}]}}"#
        );
        serde_json::from_str(&json).unwrap()
    }

    fn heads(active: Option<&Entry>, version: &str) -> BTreeMap<String, Head> {
        BTreeMap::from([(
            "shopify:s:sale:1".to_string(),
            Head {
                entry: active.cloned(),
                version: version.into(),
            },
        )])
    }

    const BOOKED: &str = "shopify:s:order:1:sale:100";

    #[test]
    fn a_changed_booking_is_reversed_and_booked_again_under_a_new_id() {
        let booked = entry(BOOKED, "100", "Income:Sales");
        let p = plan_remap(
            vec![entry(BOOKED, "100", "Income:Web")],
            &heads(Some(&booked), "100"),
            &BTreeSet::new(),
            2,
        );
        let ids: Vec<&str> = p.book.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "shopify:s:order:1:sale:100:reversal",
                "shopify:s:order:1:sale:100:remap-v2"
            ]
        );
        assert_eq!(p.book[0].lines[1].debit.0.to_string(), "10.00");
        assert_eq!(p.book[0].lines[1].account, "Income:Sales");
        assert_eq!(p.book[1].lines[1].account, "Income:Web");
        assert_eq!(p.reversed, [BOOKED]);
        assert_eq!(
            p.heads,
            [(
                "shopify:s:sale:1".to_string(),
                Some("shopify:s:order:1:sale:100:remap-v2".to_string()),
                "100".to_string()
            )]
        );
        let diff = p.diff();
        assert_eq!(diff.changed.len(), 1);
        assert_eq!(diff.changed[0].1, BOOKED);
    }

    #[test]
    fn a_second_run_with_the_same_version_books_nothing_and_a_later_version_reverses_the_first() {
        let remapped = entry("shopify:s:order:1:sale:100:remap-v2", "100", "Income:Web");
        let again = plan_remap(
            vec![entry(BOOKED, "100", "Income:Web")],
            &heads(Some(&remapped), "100"),
            &BTreeSet::from([remapped.id.clone()]),
            2,
        );
        assert!(again.book.is_empty());
        assert_eq!(again.skipped[0].1, "unchanged");
        // Booked with version 2 but no longer active (a newer order version replaced it).
        let newer = entry("shopify:s:order:1:sale:200", "200", "Income:Web");
        let replaced = plan_remap(
            vec![entry(BOOKED, "100", "Income:Web")],
            &heads(Some(&newer), "200"),
            &BTreeSet::from([remapped.id.clone()]),
            2,
        );
        assert_eq!(replaced.skipped[0].1, "duplicate");
        let later = plan_remap(
            vec![entry(BOOKED, "100", "Income:Shop")],
            &heads(Some(&remapped), "100"),
            &BTreeSet::new(),
            3,
        );
        assert_eq!(
            later.book[0].id,
            "shopify:s:order:1:sale:100:remap-v2:reversal"
        );
        assert_eq!(later.book[1].id, "shopify:s:order:1:sale:100:remap-v3");
    }

    #[test]
    fn unchanged_stale_unbooked_and_unknown_sources_book_nothing() {
        let booked = entry(BOOKED, "100", "Income:Sales");
        let why = |mapped: Entry, heads: &BTreeMap<String, Head>| {
            let p = plan_remap(vec![mapped], heads, &BTreeSet::new(), 2);
            assert!(p.book.is_empty() && p.heads.is_empty() && p.reversed.is_empty());
            p.skipped[0].1
        };
        let same = entry(BOOKED, "100", "Income:Sales");
        assert_eq!(why(same.clone(), &heads(Some(&booked), "100")), "unchanged");
        // The head moved on to version 200 (it booked the same lines): version 100 is stale.
        let old = entry(BOOKED, "100", "Income:Web");
        assert_eq!(why(old.clone(), &heads(Some(&booked), "200")), "stale");
        let newer = entry("shopify:s:order:1:sale:300", "300", "Income:Web");
        assert_eq!(why(newer, &heads(Some(&booked), "200")), "not booked yet");
        assert_eq!(why(old.clone(), &heads(None, "100")), "not booked");
        assert_eq!(why(old, &BTreeMap::new()), "not booked");
    }

    #[test]
    fn a_head_ahead_of_its_active_entry_is_remapped_from_its_own_version() {
        // Version 200 booked the same lines as 100, so 100's entry stays active under head 200.
        let booked = entry(BOOKED, "100", "Income:Sales");
        let p = plan_remap(
            vec![entry("shopify:s:order:1:sale:200", "200", "Income:Web")],
            &heads(Some(&booked), "200"),
            &BTreeSet::new(),
            2,
        );
        assert_eq!(p.reversed, [BOOKED]);
        assert_eq!(p.book[1].id, "shopify:s:order:1:sale:200:remap-v2");
        assert_eq!(p.heads[0].2, "200");
    }
}
