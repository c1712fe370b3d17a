//! What a plan would change in the ledger, told as a diff: the backfill's dry run shows it before
//! anything is booked. It reads a `Plan` (so it classifies exactly as booking would) instead of
//! comparing documents itself: an entry `plan` books after a reversal *changes* the entry it
//! reverses; one booked with no reversal before it is *new*; a reversal with no replacement (a
//! newer version unbooked the source) changes the reversed entry into nothing; what `plan` skips
//! (duplicate, stale, unchanged) is *unchanged*.

use crate::journal::plan::Plan;
use crate::journal::Entry;

#[derive(Debug, Default, PartialEq)]
pub struct Diff<'a> {
    /// Entries booked for sources the ledger has no active entry for.
    pub new: Vec<&'a Entry>,
    /// (entry booked, id of the entry it reverses); for a reversal without replacement the
    /// entry is the reversal itself.
    pub changed: Vec<(&'a Entry, &'a str)>,
    /// Mapped entries the plan books nothing for.
    pub unchanged: usize,
}

impl Plan {
    pub fn diff(&self) -> Diff<'_> {
        let mut diff = Diff {
            unchanged: self.skipped.len(),
            ..Diff::default()
        };
        // The reversal `plan` put just before its replacement, waiting for that replacement.
        let mut pending: Option<(&Entry, &str)> = None;
        for entry in &self.book {
            let reverses = self
                .reversed
                .iter()
                .find(|r| entry.id.strip_suffix(":reversal") == Some(r.as_str()));
            match (reverses, pending.take()) {
                (Some(r), before) => {
                    diff.changed.extend(before);
                    pending = Some((entry, r.as_str()));
                }
                (None, Some((_, r))) => diff.changed.push((entry, r)),
                (None, None) => diff.new.push(entry),
            }
        }
        diff.changed.extend(pending);
        diff
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use crate::journal::plan::{logical_key, plan, Head};
    use crate::journal::{Entry, Source};
    use std::collections::{BTreeMap, BTreeSet};

    fn entry(id: &str, version: &str, sales: &str) -> Entry {
        let json = format!(
            r#"{{"id":"shopify:s:order:{id}:sale:{version}","date":"2026-05-03","currency":"USD","memo":"m",
            "source":{{"platform":"shopify","shop":"s","kind":"sale","id":"{id}","version":"{version}"}},
            "lines":[{{"account":"Assets:Receivable","debit":"{sales}","credit":"0.00","why":"a"}},
                     {{"account":"Income:Sales","debit":"0.00","credit":"{sales}","why":"b"}}]}}"#
        );
        serde_json::from_str(&json).unwrap()
    }

    fn heads(entries: &[&Entry]) -> BTreeMap<String, Head> {
        entries
            .iter()
            .map(|e| {
                let head = Head {
                    entry: Some((*e).clone()),
                    version: e.source.version.clone(),
                };
                (logical_key(&e.source), head)
            })
            .collect()
    }

    #[test]
    fn new_changed_and_unchanged_as_the_plan_books_them() {
        let booked_same = entry("1", "100", "10.00");
        let booked_old = entry("2", "100", "20.00");
        let booked_new = entry("2", "200", "25.00");
        let fresh = entry("3", "100", "30.00");
        let existing = BTreeSet::from([booked_same.id.clone(), booked_old.id.clone()]);
        let p = plan(
            vec![booked_same.clone(), booked_new.clone(), fresh.clone()],
            vec![],
            &heads(&[&booked_same, &booked_old]),
            &existing,
        );
        let d = p.diff();
        assert_eq!(d.new, vec![&fresh]);
        assert_eq!(d.changed, vec![(&booked_new, booked_old.id.as_str())]);
        assert_eq!(d.unchanged, 1);
    }

    #[test]
    fn an_unbooked_newer_version_changes_the_entry_into_its_reversal() {
        let booked = entry("1", "100", "10.00");
        let source = Source {
            version: "200".into(),
            ..booked.source.clone()
        };
        let p = plan(
            vec![],
            vec![(source, "2026-05-04".into())],
            &heads(&[&booked]),
            &BTreeSet::new(),
        );
        let d = p.diff();
        assert!(d.new.is_empty());
        assert_eq!(d.changed.len(), 1);
        assert_eq!(d.changed[0].0.id, format!("{}:reversal", booked.id));
        assert_eq!(d.changed[0].1, booked.id);
    }
}
