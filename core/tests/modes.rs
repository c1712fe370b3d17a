//! Posting modes (and the clearing report, which shares their payout rule). Posting modes never post an entry twice and never lose one: for random Stripe sales, cancellations,
//! card-paid expenses and payouts booked over a month while the target's mode is switched at random,
//! every entry reaches the target exactly once (per order or inside one summary), the target's books
//! total per account exactly what "all per-order" would, and every payout summary's bank line is the
//! deposit.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::journal::clearing::clearing;
use ledgerbridge_core::journal::posting::{due, shop_today, PostingMode, Sent};
use ledgerbridge_core::{map, Config, Entry, Platform};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::collections::{BTreeMap, BTreeSet};

const DAY0: i64 = 1_777_593_600; // 2026-05-01T00:00:00Z

fn totals<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> BTreeMap<(String, String), Decimal> {
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

fn one(json: String) -> Entry {
    let mut entries = map(Platform::Stripe, json.as_bytes(), &Config::default())
        .unwrap()
        .entries;
    assert_eq!(entries.len(), 1, "{json}");
    entries.remove(0)
}

fn charge(n: usize, day: i64, cents: i64) -> Entry {
    let t = DAY0 + day * 86_400 + 3600;
    let fee = cents / 30;
    one(format!(
        r#"{{"id":"ch_{n}","object":"charge","amount":{cents},"amount_captured":{cents},"captured":true,
        "created":{t},"currency":"usd","paid":true,"status":"succeeded",
        "balance_transaction":{{"id":"txn_{n}","object":"balance_transaction","amount":{cents},"fee":{fee},
        "net":{net},"currency":"usd","type":"charge","source":"ch_{n}","created":{t}}}}}"#,
        net = cents - fee
    ))
}

/// A payout settling the charges `sales` (index, cents), paid on `day`.
fn payout(n: usize, day: i64, sales: &[(usize, i64)]) -> Entry {
    let t = DAY0 + day * 86_400;
    let mut bts = Vec::new();
    let mut total = 0;
    for (i, cents) in sales {
        let fee = cents / 30;
        total += cents - fee;
        bts.push(format!(
            r#"{{"id":"txn_{i}","object":"balance_transaction","amount":{cents},"fee":{fee},"net":{net},
            "currency":"usd","type":"charge","source":"ch_{i}","created":{t}}}"#,
            net = cents - fee
        ));
    }
    one(format!(
        r#"{{"payout":{{"id":"po_{n}","object":"payout","amount":{total},"arrival_date":{t},"created":{t},
        "currency":"usd","status":"paid"}},"balance_transactions":[{}]}}"#,
        bts.join(",")
    ))
}

/// A card-paid expense: touches no clearing account, so no payout ever settles it.
fn expense(n: usize, day: i64) -> Entry {
    let date = shop_today(DAY0 + day * 86_400, None).unwrap();
    serde_json::from_str(&format!(
        r#"{{"id":"manual:s:expense:{n}:expense:1","date":"{date}","currency":"USD","memo":"m",
        "source":{{"platform":"manual","shop":"s","kind":"expense","id":"{n}","version":"1"}},
        "lines":[{{"account":"Expenses:Platform:App","debit":"9.99","credit":"0.00","why":"a"}},
                 {{"account":"Liabilities:Card","debit":"0.00","credit":"9.99","why":"b"}}]}}"#
    ))
    .unwrap()
}

#[derive(Debug, Clone)]
enum Step {
    Sale(i64),
    Cancel(usize),
    Expense,
    /// A payout; with `true` it also settles a charge whose webhook comes later (a late arrival).
    Payout(bool),
    Switch(u8),
    NextDay,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (100i64..50_000).prop_map(Step::Sale),
        1 => (0usize..50).prop_map(Step::Cancel),
        1 => Just(Step::Expense),
        2 => any::<bool>().prop_map(Step::Payout),
        2 => (0u8..3).prop_map(Step::Switch),
        2 => Just(Step::NextDay),
    ]
}

#[derive(Default)]
struct Target {
    per_order: BTreeSet<String>,
    summarized: BTreeSet<String>,
    summaries: BTreeSet<String>,
    /// What the target received, in order: entries per order and summary entries.
    received: Vec<Entry>,
}

impl Target {
    fn run(&mut self, ledger: &[Entry], mode: PostingMode, today: &str) {
        let sent = Sent {
            per_order: &self.per_order,
            summarized: &self.summarized,
            summaries: &self.summaries,
        };
        let due = due(ledger, &sent, mode, today, "Assets:Clearing").unwrap();
        let mut once = BTreeSet::new();
        for id in due
            .per_order
            .iter()
            .chain(due.summaries.iter().flat_map(|s| &s.covers))
            .chain(&due.held)
        {
            assert!(once.insert(id.clone()), "{id} routed twice in one run");
            assert!(
                !self.per_order.contains(id) && !self.summarized.contains(id),
                "{id} routed again"
            );
        }
        for id in &due.per_order {
            let e = ledger.iter().find(|e| &e.id == id).unwrap();
            self.received.push(e.clone());
            self.per_order.insert(id.clone());
        }
        for s in due.summaries {
            assert!(
                self.summaries.insert(s.id.clone()),
                "summary {} twice",
                s.id
            );
            if let Some(entry) = s.entry {
                assert_eq!(entry.id, s.id);
                if let Some(key) = s.id.strip_prefix("summary:payout:") {
                    // The one payout covered: its bank debit is the summary's bank line.
                    let payout = ledger
                        .iter()
                        .find(|e| s.covers.contains(&e.id) && e.source.kind == "payout")
                        .unwrap_or_else(|| panic!("payout summary {key} without its payout"));
                    let bank = |e: &Entry| {
                        totals([e])
                            .get(&("USD".into(), "Assets:Bank".into()))
                            .copied()
                    };
                    assert_eq!(bank(&entry), bank(payout), "bank line of {}", s.id);
                }
                self.received.push(entry);
            }
            self.summarized.extend(s.covers);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn switching_modes_posts_every_entry_once_and_the_books_total_the_same(
        steps in prop::collection::vec(step(), 1..60),
    ) {
        let mut ledger: Vec<Entry> = Vec::new();
        let mut unpaid: Vec<(usize, i64)> = Vec::new();
        let mut sales: Vec<usize> = Vec::new();
        let mut promised: Vec<(usize, i64)> = Vec::new();
        let (mut day, mut n) = (0i64, 0usize);
        let mut mode = PostingMode::PerOrder;
        let mut target = Target::default();
        for s in steps {
            n += 1;
            match s {
                Step::Sale(_) if !promised.is_empty() => {
                    let (i, cents) = promised.remove(0);
                    ledger.push(charge(i, day, cents));
                }
                Step::Sale(cents) => {
                    ledger.push(charge(n, day, cents));
                    unpaid.push((n, cents));
                    sales.push(ledger.len() - 1);
                }
                Step::Cancel(k) if !sales.is_empty() => {
                    // An unpaid sale cancelled: its reversal (paid ones stay: their money left).
                    let at = sales.remove(k % sales.len());
                    let sale = ledger[at].clone();
                    let idx: usize = sale.source.id.trim_start_matches("ch_").parse().unwrap();
                    if let Some(pos) = unpaid.iter().position(|(i, _)| *i == idx) {
                        unpaid.remove(pos);
                        let date = shop_today(DAY0 + day * 86_400, None).unwrap();
                        ledger.push(sale.reversal(&date));
                    }
                }
                Step::Cancel(_) => {}
                Step::Expense => ledger.push(expense(n, day)),
                Step::Payout(late) if !unpaid.is_empty() || late => {
                    if late {
                        unpaid.push((n + 10_000, 1_000));
                        promised.push((n + 10_000, 1_000));
                    }
                    ledger.push(payout(n, day, &unpaid));
                    unpaid.clear();
                }
                Step::Payout(_) => {}
                Step::Switch(m) => mode = PostingMode::ALL[m as usize],
                Step::NextDay => day += 1,
            }
            let today = shop_today(DAY0 + day * 86_400, None).unwrap();
            target.run(&ledger, mode, &today);
        }
        // Switched back to per-order at the end: whatever was held goes out on its own.
        target.run(&ledger, PostingMode::PerOrder, "9999-12-31");
        let all: BTreeSet<String> = ledger.iter().map(|e| e.id.clone()).collect();
        prop_assert!(target.per_order.is_disjoint(&target.summarized));
        let covered: BTreeSet<String> = target.per_order.union(&target.summarized).cloned().collect();
        prop_assert_eq!(&covered, &all);
        prop_assert_eq!(totals(&target.received), totals(&ledger));
    }
}

fn sent_nothing() -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    (BTreeSet::new(), BTreeSet::new(), BTreeSet::new())
}

fn line(e: &Entry, account: &str) -> Decimal {
    totals([e])
        .get(&("USD".to_string(), account.to_string()))
        .copied()
        .unwrap_or_default()
}

#[test]
fn after_a_switch_mid_month_the_payout_summary_leaves_out_what_was_posted_per_order() {
    let (s1, s2, s3) = (
        charge(1, 0, 10_000),
        charge(2, 1, 20_000),
        charge(3, 2, 30_000),
    );
    let po = payout(9, 3, &[(1, 10_000), (2, 20_000), (3, 30_000)]);
    let ledger = vec![s1.clone(), s2.clone(), s3.clone(), po.clone()];
    // Sales 1 and 2 went out per order before the switch.
    let per_order = BTreeSet::from([s1.id.clone(), s2.id.clone()]);
    let (_, summarized, summaries) = sent_nothing();
    let sent = Sent {
        per_order: &per_order,
        summarized: &summarized,
        summaries: &summaries,
    };
    let due = due(
        &ledger,
        &sent,
        PostingMode::PerPayout,
        "2026-05-04",
        "Assets:Clearing",
    )
    .unwrap();
    assert!(due.per_order.is_empty() && due.held.is_empty(), "{due:?}");
    assert_eq!(due.summaries.len(), 1);
    let summary = &due.summaries[0];
    assert_eq!(summary.id, "summary:payout:stripe:default:po_9:USD");
    assert_eq!(summary.covers, vec![s3.id.clone(), po.id.clone()]);
    let entry = summary.entry.as_ref().unwrap();
    // The bank line is the deposit; clearing keeps what sales 1 and 2 (already posted) put there.
    assert_eq!(line(entry, "Assets:Bank"), line(&po, "Assets:Bank"));
    assert_eq!(
        line(entry, "Assets:Clearing:Stripe"),
        -(line(&s1, "Assets:Clearing:Stripe") + line(&s2, "Assets:Clearing:Stripe"))
    );
    assert_eq!(line(entry, "Income:Sales"), line(&s3, "Income:Sales"));
    // Per account, per-order 1 and 2 plus the summary are what all four per order would be.
    let mixed = [s1, s2, entry.clone()];
    assert_eq!(totals(&mixed), totals(&ledger));
}

#[test]
fn per_payout_holds_unsettled_sales_and_sends_what_no_payout_settles_per_order() {
    let (sale, card) = (charge(1, 0, 10_000), expense(2, 0));
    let (per_order, summarized, summaries) = sent_nothing();
    let sent = Sent {
        per_order: &per_order,
        summarized: &summarized,
        summaries: &summaries,
    };
    let due = due(
        &[sale.clone(), card.clone()],
        &sent,
        PostingMode::PerPayout,
        "2026-06-01",
        "Assets:Clearing",
    )
    .unwrap();
    assert_eq!(due.held, vec![sale.id]);
    assert_eq!(due.per_order, vec![card.id]);
    assert!(due.summaries.is_empty());
}

#[test]
fn daily_sums_days_that_are_over_and_sends_late_entries_and_corrections_per_order() {
    let (d0, d1) = (charge(1, 0, 10_000), charge(2, 1, 20_000));
    let (per_order, summarized, summaries) = sent_nothing();
    let sent = Sent {
        per_order: &per_order,
        summarized: &summarized,
        summaries: &summaries,
    };
    let due1 = due(
        &[d0.clone(), d1.clone()],
        &sent,
        PostingMode::Daily,
        "2026-05-02",
        "Assets:Clearing",
    )
    .unwrap();
    assert_eq!(
        due1.held,
        vec![d1.id.clone()],
        "the day of 2026-05-02 is not over"
    );
    assert_eq!(due1.summaries.len(), 1);
    assert_eq!(due1.summaries[0].id, "summary:day:default:2026-05-01:USD");
    assert_eq!(due1.summaries[0].covers, vec![d0.id.clone()]);
    // Then: a late sale dated 2026-05-01 and the reversal of the summarized sale.
    let late = charge(3, 0, 5_000);
    let reversal = d0.reversal("2026-05-02");
    let summarized = BTreeSet::from([d0.id.clone()]);
    let summaries = BTreeSet::from([due1.summaries[0].id.clone()]);
    let sent = Sent {
        per_order: &per_order,
        summarized: &summarized,
        summaries: &summaries,
    };
    let due2 = due(
        &[d0, d1.clone(), late.clone(), reversal.clone()],
        &sent,
        PostingMode::Daily,
        "2026-05-02",
        "Assets:Clearing",
    )
    .unwrap();
    assert_eq!(due2.per_order, vec![late.id, reversal.id]);
    assert_eq!(due2.held, vec![d1.id]);
}

#[test]
fn a_shop_day_ends_at_its_fixed_offset_and_a_bad_offset_names_the_field() {
    let t = DAY0 + 3 * 3600; // 2026-05-01T03:00Z
    assert_eq!(shop_today(t, None).unwrap(), "2026-05-01");
    assert_eq!(shop_today(t, Some("-05:00")).unwrap(), "2026-04-30");
    assert_eq!(shop_today(t, Some("+01:00")).unwrap(), "2026-05-01");
    let e = shop_today(t, Some("Europe/Berlin")).unwrap_err();
    assert_eq!((e.code(), e.path()), ("E_INVALID_VALUE", "timezone"));
    assert!("weekly".parse::<PostingMode>().is_err());
    assert_eq!(
        "Per-Payout".parse::<PostingMode>().unwrap(),
        PostingMode::PerPayout
    );
}

#[test]
fn the_clearing_report_lists_open_entries_by_age_and_payouts_that_do_not_tie_out() {
    let (s1, s2, s3) = (
        charge(1, 0, 10_000),
        charge(2, 1, 20_000),
        charge(3, 2, 30_000),
    );
    // Payout 8 settles sales 1 and 2 exactly; payout 9 names sale 3 but deposits 1.00 less.
    let p8 = payout(8, 3, &[(1, 10_000), (2, 20_000)]);
    let mut p9 = payout(9, 4, &[(3, 30_000)]);
    for l in &mut p9.lines {
        for side in [&mut l.debit, &mut l.credit] {
            if !side.is_zero() {
                side.0 -= Decimal::new(100, 2);
            }
        }
    }
    let s4 = charge(4, 5, 4_000);
    let cancelled = charge(5, 5, 7_000);
    let ledger = vec![
        s1,
        s2,
        s3,
        p8,
        p9.clone(),
        s4.clone(),
        cancelled.clone(),
        cancelled.reversal("2026-05-07"),
    ];
    let report = clearing(&ledger, "Assets:Clearing", "2026-05-11").unwrap();
    assert_eq!(report.len(), 1);
    let stripe = &report[0];
    assert_eq!(
        (stripe.account.as_str(), stripe.currency.code()),
        ("Assets:Clearing:Stripe", "USD")
    );
    // Left: sale 4's net and the 1.00 payout 9 did not pay out.
    assert_eq!(
        stripe.balance,
        line(&s4, "Assets:Clearing:Stripe") + Decimal::new(100, 2)
    );
    assert_eq!(
        stripe.open.len(),
        1,
        "a sale and its reversal cancel out: {:?}",
        stripe.open
    );
    assert_eq!(stripe.open[0].entry_id, s4.id);
    assert_eq!(stripe.open[0].age_days, 5);
    assert_eq!(stripe.untied.len(), 1);
    assert_eq!(stripe.untied[0].payout, p9.id);
    assert_eq!(stripe.untied[0].difference, Decimal::new(100, 2));
}

/// A refund of an already paid-out sale, which Stripe deducts from a later payout.
fn refund(day: i64, cents: i64) -> Entry {
    let date = shop_today(DAY0 + day * 86_400, None).unwrap();
    let amount = Decimal::new(cents, 2);
    serde_json::from_str(&format!(
        r#"{{"id":"stripe:default:refund:re_1:refund:1","date":"{date}","currency":"USD","memo":"m",
        "source":{{"platform":"stripe","shop":"default","kind":"refund","id":"re_1","version":"1"}},
        "lines":[{{"account":"Income:Refunds","debit":"{amount}","credit":"0.00","why":"a"}},
                 {{"account":"Assets:Clearing:Stripe","debit":"0.00","credit":"{amount}","why":"b"}}],
        "links":["charge:ch_1"]}}"#
    ))
    .unwrap()
}

#[test]
fn a_refund_found_only_through_its_sales_earlier_payout_waits_for_its_own() {
    let sale = charge(1, 0, 10_000);
    let p1 = payout(7, 1, &[(1, 10_000)]);
    let re = refund(2, 2_000);
    let (per_order, summarized, summaries) = sent_nothing();
    let sent = Sent {
        per_order: &per_order,
        summarized: &summarized,
        summaries: &summaries,
    };
    let ledger = vec![sale.clone(), p1.clone(), re.clone()];
    let first = due(
        &ledger,
        &sent,
        PostingMode::PerPayout,
        "2026-05-04",
        "Assets:Clearing",
    )
    .unwrap();
    assert_eq!(first.held, vec![re.id.clone()]);
    assert_eq!(first.summaries.len(), 1);
    assert_eq!(
        first.summaries[0].covers,
        vec![sale.id.clone(), p1.id.clone()]
    );
    // The clearing report agrees: the refund is open, payout 7 ties out.
    let report = clearing(&ledger, "Assets:Clearing", "2026-05-04").unwrap();
    assert_eq!(report[0].open.len(), 1);
    assert_eq!(report[0].open[0].entry_id, re.id);
    assert!(report[0].untied.is_empty());
}
