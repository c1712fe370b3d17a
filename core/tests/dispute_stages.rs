//! A dispute's stages are separate events in the books (funds withdrawn, then lost or won), not
//! versions of one object: planning the `lost` entry after the `opened` one must not reverse the
//! withdrawal (found end to end on workerd: clearing stayed 65.00 too high and Disputed-Funds at
//! −50.00 after an opened-then-lost dispute).

use ledgerbridge_core::journal::plan::{logical_key, plan, Head};
use ledgerbridge_core::{map, Config, Entry, Platform};
use std::collections::{BTreeMap, BTreeSet};

fn dispute_event(kind: &str, status: &str, created: i64) -> Vec<u8> {
    format!(
        r#"{{"id":"evt_{kind}","object":"event","created":{created},"type":"charge.dispute.{kind}",
        "data":{{"object":{{"id":"dp_1","object":"dispute","amount":2500,"currency":"usd","charge":"ch_1",
        "created":1778200000,"status":"{status}","balance_transactions":[{{"id":"txn_1","object":"balance_transaction",
        "amount":-2500,"fee":1500,"net":-4000,"currency":"usd","type":"adjustment","reporting_category":"dispute",
        "source":"dp_1","created":1778200000}}]}}}}}}"#
    )
    .into_bytes()
}

fn entries(bytes: &[u8]) -> Vec<Entry> {
    map(Platform::Stripe, bytes, &Config::default())
        .map(|m| m.entries)
        .unwrap_or_else(|e| panic!("maps: {e}"))
}

#[test]
fn a_lost_dispute_does_not_reverse_its_withdrawal() {
    let opened = entries(&dispute_event(
        "funds_withdrawn",
        "needs_response",
        1778200000,
    ));
    let lost = entries(&dispute_event("closed", "lost", 1779100000));
    assert_eq!((opened.len(), lost.len()), (1, 1));
    assert_ne!(logical_key(&opened[0].source), logical_key(&lost[0].source));

    let first = plan(opened.clone(), vec![], &BTreeMap::new(), &BTreeSet::new());
    assert_eq!(first.book, opened);
    let heads: BTreeMap<String, Head> = first
        .heads
        .iter()
        .map(|(key, _, version)| {
            (
                key.clone(),
                Head {
                    entry: Some(opened[0].clone()),
                    version: version.clone(),
                },
            )
        })
        .collect();
    let existing: BTreeSet<String> = opened.iter().map(|e| e.id.clone()).collect();
    let second = plan(lost.clone(), vec![], &heads, &existing);
    assert_eq!(
        second.book, lost,
        "the lost entry only, no reversal of the withdrawal"
    );
    assert!(second.reversed.is_empty());
}
