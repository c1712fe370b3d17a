//! Summaries are a pure re-render: every summary balances, and per account and currency they
//! total exactly what the entries they cover total, in every view.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use ledgerbridge_core::journal::{summarize, SummaryBy};
use ledgerbridge_core::{map, Config, Entry, Platform};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

fn totals(entries: &[Entry]) -> BTreeMap<(String, String), Decimal> {
    let mut out = BTreeMap::new();
    for e in entries {
        for l in &e.lines {
            *out.entry((e.currency.to_string(), l.account.clone()))
                .or_insert(Decimal::ZERO) += l.signed();
        }
    }
    out.retain(|_, v| !v.is_zero());
    out
}

/// A Shopify order paid through Shopify Payments, optionally refunded, on a given day.
fn order(id: u32, day: u32, cents: i64, refund: i64) -> Vec<Entry> {
    let price = Decimal::new(cents, 2);
    let refunds = if refund > 0 {
        let r = Decimal::new(refund, 2);
        format!(
            r#"[{{"id": {rid}, "processed_at": "2026-05-{rd:02}T10:00:00-04:00", "refund_line_items": [],
               "order_adjustments": [{{"kind": "refund_discrepancy", "amount": "-{r}", "tax_amount": "0.00"}}],
               "transactions": [{{"kind": "refund", "status": "success", "gateway": "shopify_payments", "amount": "{r}"}}]}}]"#,
            rid = id + 50_000,
            rd = day + 1
        )
    } else {
        "[]".to_string()
    };
    let body = format!(
        r##"{{"id": {id}, "name": "#{id}", "currency": "USD", "processed_at": "2026-05-{day:02}T10:00:00-04:00",
            "payment_gateway_names": ["shopify_payments"],
            "line_items": [{{"id": 1, "sku": "X", "quantity": 1, "price": "{price}"}}], "refunds": {refunds}}}"##
    );
    map(Platform::Shopify, body.as_bytes(), &Config::default())
        .unwrap()
        .entries
}

fn payout(id: u32, day: u32, orders: &[(u32, i64, i64)]) -> Vec<Entry> {
    let mut bts = Vec::new();
    let mut total = 0i64;
    for (oid, cents, refund) in orders {
        let fee = cents / 30;
        bts.push(format!(
            r#"{{"id": {n}, "type": "charge", "currency": "USD", "amount": "{a}", "fee": "{f}", "net": "{net}", "source_order_id": {oid}}}"#,
            n = oid + 1,
            a = Decimal::new(*cents, 2),
            f = Decimal::new(fee, 2),
            net = Decimal::new(cents - fee, 2)
        ));
        total += cents - fee;
        if *refund > 0 {
            bts.push(format!(
                r#"{{"id": {n}, "type": "refund", "currency": "USD", "amount": "-{a}", "fee": "0.00", "net": "-{a}", "source_id": {rid}, "source_order_id": {oid}}}"#,
                n = oid + 2,
                a = Decimal::new(*refund, 2),
                rid = oid + 50_000
            ));
            total -= refund;
        }
    }
    let body = format!(
        r#"{{"payout": {{"id": {id}, "status": "paid", "date": "2026-05-{day:02}", "currency": "USD", "amount": "{}"}},
            "balance_transactions": [{}]}}"#,
        Decimal::new(total, 2),
        bts.join(",")
    );
    map(Platform::Shopify, body.as_bytes(), &Config::default())
        .unwrap()
        .entries
}

fn order_strategy() -> impl Strategy<Value = (u32, i64, i64, bool)> {
    (1u32..20, 100i64..100_000, 0u8..3, any::<bool>()).prop_flat_map(
        |(day, cents, kind, paid_out)| {
            (1..=cents)
                .prop_map(move |partial| (day, cents, [0, partial, cents][kind as usize], paid_out))
        },
    )
}

proptest! {
    #[test]
    fn every_view_balances_and_re_renders_the_same_totals(orders in prop::collection::vec(order_strategy(), 1..10)) {
        let mut entries = Vec::new();
        let mut settled = Vec::new();
        for (i, (day, cents, refund, paid_out)) in orders.iter().enumerate() {
            let id = 1000 + i as u32 * 10;
            entries.extend(order(id, *day, *cents, *refund));
            if *paid_out {
                settled.push((id, *cents, *refund));
            }
        }
        if !settled.is_empty() {
            entries.extend(payout(9000, 25, &settled));
        }
        let want = totals(&entries);
        let ids: BTreeSet<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        for by in [SummaryBy::Payout, SummaryBy::Day, SummaryBy::Month] {
            let summaries = summarize(&entries, by).unwrap();
            let mut covered = BTreeSet::new();
            for s in &summaries {
                s.check().unwrap();
                prop_assert_eq!(&s.source.kind, "summary");
                let prefix = format!("summary:{by}:");
                prop_assert!(s.id.starts_with(&prefix), "{} lacks {}", s.id, prefix);
                for link in &s.links {
                    prop_assert!(ids.contains(link.as_str()), "unknown link {}", link);
                    prop_assert!(covered.insert(link.clone()), "{} covered twice", link);
                }
            }
            prop_assert_eq!(totals(&summaries), want.clone(), "view {}", by);
            // Pure: the same entries in another order give the same summaries.
            let mut reversed = entries.clone();
            reversed.reverse();
            let again = summarize(&reversed, by).unwrap();
            prop_assert_eq!(totals(&again), want.clone());
            prop_assert_eq!(
                again.iter().map(|s| s.id.clone()).collect::<Vec<_>>(),
                summaries.iter().map(|s| s.id.clone()).collect::<Vec<_>>()
            );
        }
        // In the payout view the payout's clearing account nets out of its own summary.
        let by_payout = summarize(&entries, SummaryBy::Payout).unwrap();
        if let Some(s) = by_payout.iter().find(|s| s.id.starts_with("summary:payout:shopify:")) {
            prop_assert!(s.lines.iter().all(|l| l.account != "Assets:Clearing:Shopify-Payments"));
        }
    }
}

#[test]
fn a_payout_summary_is_the_a2x_style_journal_of_the_deposit() {
    // Hand-worked: order 2001 sells 100.00, order 2002 sells 40.00 and refunds 10.00; the payout
    // settles both (fees 3.33 and 1.33) and nothing else.
    let mut entries = order(2001, 3, 10_000, 0);
    entries.extend(order(2002, 4, 4_000, 1_000));
    entries.extend(payout(7100, 8, &[(2001, 10_000, 0), (2002, 4_000, 1_000)]));
    let summaries = summarize(&entries, SummaryBy::Payout).unwrap();
    assert_eq!(summaries.len(), 1);
    let s = &summaries[0];
    assert_eq!(s.id, "summary:payout:shopify:default:7100:USD");
    assert_eq!(s.date, "2026-05-08");
    assert_eq!(s.links.len(), 4);
    let lines = common::line_texts(s);
    assert_eq!(
        lines,
        vec![
            ("Assets:Bank", "125.34".to_string(), "0.00".to_string()),
            (
                "Expenses:PaymentFees:Shopify-Payments",
                "4.66".to_string(),
                "0.00".to_string()
            ),
            ("Income:Refunds", "10.00".to_string(), "0.00".to_string()),
            ("Income:Sales", "0.00".to_string(), "140.00".to_string()),
        ]
    );
    let by_day = summarize(&entries, SummaryBy::Day).unwrap();
    let ids: Vec<&str> = by_day.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "summary:day:2026-05-03:USD",
            "summary:day:2026-05-04:USD",
            "summary:day:2026-05-05:USD",
            "summary:day:2026-05-08:USD"
        ]
    );
    let by_month = summarize(&entries, SummaryBy::Month).unwrap();
    assert_eq!(by_month.len(), 1);
    assert_eq!(by_month[0].id, "summary:month:2026-05:USD");
}

#[test]
fn views_parse_by_name_and_refuse_others() {
    assert_eq!("payout".parse::<SummaryBy>().unwrap(), SummaryBy::Payout);
    assert_eq!(" Month ".parse::<SummaryBy>().unwrap(), SummaryBy::Month);
    assert_eq!(
        "week".parse::<SummaryBy>().unwrap_err().code(),
        "E_UNSUPPORTED_FORMAT"
    );
}

#[test]
fn an_unbalanced_input_entry_is_refused_with_its_index() {
    let mut entries = order(3001, 3, 1_000, 0);
    entries[0].lines[0].debit.0 += Decimal::new(1, 2);
    let err = summarize(&entries, SummaryBy::Day).unwrap_err();
    assert_eq!(err.code(), "E_UNBALANCED");
    assert!(err.path().starts_with("entries[0]"), "{}", err.path());
}
