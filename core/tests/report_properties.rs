//! Reports tie out to the ledger, over random Shopify orders (taxed and untaxed lines, discounts,
//! shipping, tips, costed and uncosted SKUs, refunds) and a payout settling some of them:
//! - tax: each account's taxable sales are exactly the generated lines it taxed (worked out from
//!   the generator, not by the code), taxable + non-taxable = total, and net tax over the rows is
//!   the net of the tax accounts in the ledger;
//! - profit: revenue, discounts, refunds, fees and COGS summed over the rows equal the engine's
//!   own per-payload profit (read off line roles, not account names); orders missing a cost are
//!   exactly those with an uncosted SKU;
//! - clearing and gift cards: closing balances equal the ledger's, period by period;
//! - drill-down: every figure's entries exist, and re-summing their lines gives the figure.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::reports::{report, Figure, Report, ReportKind, ReportOptions};
use ledgerbridge_core::{map, Config, Entry, Platform};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone)]
struct Line {
    cents: i64,
    qty: u32,
    discount: i64,
    /// Tax in cents under "State" and "City" (0 = that tax not charged).
    state: i64,
    city: i64,
    costed: bool,
}

#[derive(Debug, Clone)]
struct Order {
    day: u32,
    lines: Vec<Line>,
    shipping: i64,
    shipping_state: i64,
    tip: i64,
    /// Learnt from the payout only, as Shopify Payments reports fees.
    fee: i64,
    /// Refund the first line (quantity 1 of it) two days later.
    refund: bool,
    paid_out: bool,
}

fn line() -> impl Strategy<Value = Line> {
    (
        1i64..20_000,
        1u32..4,
        0i64..50,
        0i64..900,
        0i64..400,
        any::<bool>(),
    )
        .prop_map(|(cents, qty, pct, state, city, costed)| Line {
            cents,
            qty,
            discount: cents * i64::from(qty) * pct / 200,
            state,
            city: if state == 0 { 0 } else { city },
            costed,
        })
}

fn order() -> impl Strategy<Value = Order> {
    (
        1u32..20,
        proptest::collection::vec(line(), 1..4),
        (0i64..2_000, 0i64..200),
        0i64..500,
        0i64..200,
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(day, lines, (shipping, ss), tip, fee, refund, paid_out)| Order {
                day,
                lines,
                shipping,
                shipping_state: if shipping == 0 { 0 } else { ss },
                tip,
                fee,
                refund,
                paid_out,
            },
        )
}

fn money(cents: i64) -> String {
    Decimal::new(cents, 2).to_string()
}

fn net(l: &Line) -> i64 {
    l.cents * i64::from(l.qty) - l.discount
}

fn taxes(state: i64, city: i64) -> Value {
    let mut out = Vec::new();
    if state > 0 {
        out.push(json!({"title": "State", "rate": 0.05, "price": money(state)}));
    }
    if city > 0 {
        out.push(json!({"title": "City", "rate": 0.02, "price": money(city)}));
    }
    Value::Array(out)
}

fn sku(i: usize, l: &Line) -> String {
    if l.costed {
        format!("C-{i}")
    } else {
        format!("U-{i}")
    }
}

fn config() -> Config {
    Config::load("shop = \"p.myshopify.com\"\n[costs]\n\"C-0\" = \"1.25\"\n\"C-1\" = \"2.50\"\n\"C-2\" = \"0.75\"\n")
        .unwrap()
}

fn order_json(id: u32, o: &Order) -> Value {
    let tax_total: i64 = o.lines.iter().map(|l| l.state + l.city).sum::<i64>() + o.shipping_state;
    let total: i64 = o.lines.iter().map(net).sum::<i64>() + o.shipping + tax_total + o.tip;
    let lines: Vec<Value> = o.lines.iter().enumerate().map(|(i, l)| json!({
        "id": i + 1, "sku": sku(i, l), "title": "Thing", "quantity": l.qty, "price": money(l.cents),
        "discount_allocations": [{"amount": money(l.discount), "discount_application_index": 0}],
        "tax_lines": taxes(l.state, l.city),
    })).collect();
    let mut body = json!({
        "id": id, "name": format!("#{id}"), "currency": "USD",
        "processed_at": format!("2026-05-{:02}T10:00:00-04:00", o.day),
        "payment_gateway_names": ["shopify_payments"], "total_tip_received": money(o.tip),
        "line_items": lines,
        "shipping_lines": [{"title": "Post", "price": money(o.shipping), "tax_lines": taxes(o.shipping_state, 0)}],
        "transactions": [{"kind": "sale", "status": "success", "gateway": "shopify_payments",
                          "amount": money(total)}],
    });
    if o.refund {
        let l = &o.lines[0];
        // One unit back, at its undiscounted price, with the tax in proportion (rounded down).
        let q = i64::from(l.qty);
        let (state, city) = (l.state / q, l.city / q);
        body["refunds"] = json!([{
            "id": id + 900_000, "processed_at": format!("2026-05-{:02}T12:00:00-04:00", o.day + 2),
            "refund_line_items": [{"line_item_id": 1, "quantity": 1, "restock_type": "no_restock",
                "subtotal": money(l.cents), "total_tax": money(state + city),
                "line_item": {"sku": sku(0, l), "tax_lines": taxes(l.state, l.city)}}],
            "transactions": [{"kind": "refund", "status": "success", "gateway": "shopify_payments",
                              "amount": money(l.cents + state + city)}],
        }]);
    }
    body
}

fn payout_json(orders: &[(u32, &Order)]) -> Value {
    let mut bts = Vec::new();
    let mut total = 0i64;
    for (id, o) in orders {
        let tax: i64 = o.lines.iter().map(|l| l.state + l.city).sum::<i64>() + o.shipping_state;
        let gross = o.lines.iter().map(net).sum::<i64>() + o.shipping + tax + o.tip;
        bts.push(
            json!({"id": id + 1, "type": "charge", "currency": "USD", "amount": money(gross),
            "fee": money(o.fee), "net": money(gross - o.fee), "source_order_id": id}),
        );
        total += gross - o.fee;
    }
    json!({"payout": {"id": 5, "status": "paid", "date": "2026-05-28", "currency": "USD", "amount": money(total)},
           "balance_transactions": bts})
}

struct Case {
    entries: Vec<Entry>,
    /// The engine's own profit per payload, summed: (revenue, discounts, refunds, fees, cogs).
    engine: [Decimal; 5],
}

fn build(orders: &[Order]) -> Case {
    let config = config();
    let mut entries = Vec::new();
    let mut engine = [Decimal::ZERO; 5];
    let mut add = |body: Value| {
        let mapped = map(Platform::Shopify, body.to_string().as_bytes(), &config).unwrap();
        let p = &mapped.profit;
        for (slot, text) in [&p.revenue, &p.discounts, &p.refunds, &p.fees, &p.cogs]
            .iter()
            .enumerate()
        {
            engine[slot] += text.parse::<Decimal>().unwrap();
        }
        entries.extend(mapped.entries);
    };
    let ids: Vec<u32> = (0..orders.len()).map(|i| 1000 + i as u32).collect();
    for (id, o) in ids.iter().zip(orders) {
        add(order_json(*id, o));
    }
    let paid: Vec<(u32, &Order)> = ids
        .iter()
        .copied()
        .zip(orders)
        .filter(|(_, o)| o.paid_out)
        .collect();
    if !paid.is_empty() {
        add(payout_json(&paid));
    }
    Case { entries, engine }
}

fn dec(f: &Figure) -> Decimal {
    f.amount.parse().unwrap()
}

fn signed_on(entries: &[Entry], pred: impl Fn(&str) -> bool) -> Decimal {
    entries
        .iter()
        .flat_map(|e| &e.lines)
        .filter(|l| pred(&l.account))
        .map(|l| l.signed())
        .sum()
}

fn opts(by: Option<&str>) -> ReportOptions {
    ReportOptions {
        by: by.map(str::to_string),
        ..ReportOptions::default()
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(96)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn tax_ties_out(orders in proptest::collection::vec(order(), 1..5), by in prop::sample::select(vec![None, Some("day"), Some("week"), Some("month")])) {
        let case = build(&orders);
        let Report::Tax(tax) = report(ReportKind::Tax, &case.entries, &config(), &opts(by)).unwrap() else { panic!() };
        let by_id: BTreeMap<&str, &Entry> = case.entries.iter().map(|e| (e.id.as_str(), e)).collect();
        let mut taxable: BTreeMap<String, Decimal> = BTreeMap::new();
        let mut net_tax = Decimal::ZERO;
        let mut total = Decimal::ZERO;
        for p in &tax.periods {
            total += dec(&p.total_sales);
            for row in &p.accounts {
                prop_assert_eq!(dec(&row.taxable_sales) + dec(&row.non_taxable_sales), dec(&p.total_sales));
                *taxable.entry(row.account.clone()).or_default() += dec(&row.taxable_sales);
                net_tax += dec(&row.net_tax);
                // Drill-down: the figure's entries hold exactly its amount on its account.
                let again: Decimal = row.net_tax.entries.iter()
                    .flat_map(|id| &by_id[id.as_str()].lines)
                    .filter(|l| l.account == row.account)
                    .map(|l| -l.signed())
                    .sum();
                prop_assert_eq!(again, dec(&row.net_tax));
            }
        }
        prop_assert_eq!(net_tax, -signed_on(&case.entries, |a| a.starts_with("Liabilities:SalesTax:")));
        // By hand from the generator: a line is taxable under each tax it carries, at its net.
        let mut expected: BTreeMap<String, Decimal> = BTreeMap::new();
        let mut expected_total = Decimal::ZERO;
        for o in &orders {
            for l in &o.lines {
                expected_total += Decimal::new(net(l), 2);
                for (title, cents) in [("State", l.state), ("City", l.city)] {
                    if cents > 0 {
                        *expected.entry(format!("Liabilities:SalesTax:{title}")).or_default() += Decimal::new(net(l), 2);
                    }
                }
            }
            expected_total += Decimal::new(o.shipping, 2);
            if o.shipping_state > 0 {
                *expected.entry("Liabilities:SalesTax:State".to_string()).or_default() += Decimal::new(o.shipping, 2);
            }
        }
        prop_assert_eq!(total, expected_total);
        taxable.retain(|_, v| !v.is_zero());
        expected.retain(|_, v| !v.is_zero());
        prop_assert_eq!(taxable, expected);
    }

    #[test]
    fn profit_ties_out_to_the_engine(orders in proptest::collection::vec(order(), 1..5), by in prop::sample::select(vec![None, Some("order"), Some("channel"), Some("week")])) {
        let case = build(&orders);
        let Report::Profit(profit) = report(ReportKind::Profit, &case.entries, &config(), &opts(by)).unwrap() else { panic!() };
        let mut sums = [Decimal::ZERO; 5];
        let mut missing = BTreeSet::new();
        for r in &profit.rows {
            for (slot, f) in [&r.revenue, &r.discounts, &r.refunds, &r.fees, &r.cogs].iter().enumerate() {
                sums[slot] += dec(f);
            }
            let margin = dec(&r.revenue) - dec(&r.discounts) - dec(&r.refunds) - dec(&r.fees)
                - dec(&r.cogs) - dec(&r.shipping_labels) - dec(&r.chargebacks);
            prop_assert_eq!(margin, dec(&r.margin));
            missing.extend(r.orders_missing_cost.iter().cloned());
        }
        prop_assert_eq!(sums, case.engine);
        let expected: BTreeSet<String> = orders.iter().enumerate()
            .filter(|(_, o)| o.lines.iter().enumerate().any(|(i, l)| !l.costed || i > 2))
            .map(|(i, _)| (1000 + i).to_string())
            .collect();
        prop_assert_eq!(missing, expected);
    }

    #[test]
    fn refunds_report_agrees_with_profit_and_date_ranges_partition(orders in proptest::collection::vec(order(), 1..5), split in 1u32..24) {
        let case = build(&orders);
        let Report::Refunds(refunds) = report(ReportKind::Refunds, &case.entries, &config(), &opts(Some("week"))).unwrap() else { panic!() };
        let sales: Decimal = refunds.periods.iter().map(|p| dec(&p.sales)).sum();
        let refunded: Decimal = refunds.periods.iter().map(|p| dec(&p.refunded)).sum();
        prop_assert_eq!(sales, case.engine[0]);
        prop_assert_eq!(refunded, case.engine[2]);
        let orders_counted: u32 = refunds.periods.iter().map(|p| p.orders).sum();
        prop_assert_eq!(orders_counted as usize, orders.len());
        let refunds_counted: u32 = refunds.periods.iter().map(|p| p.refunds).sum();
        prop_assert_eq!(refunds_counted as usize, orders.iter().filter(|o| o.refund).count());
        // Two ranges that split the month add up to the whole, figure by figure.
        let range = |from: Option<String>, to: Option<String>| {
            let options = ReportOptions { from, to, ..ReportOptions::default() };
            let Report::Profit(p) = report(ReportKind::Profit, &case.entries, &config(), &options).unwrap() else { panic!() };
            p.rows.iter().map(|r| (dec(&r.revenue), dec(&r.margin))).fold((Decimal::ZERO, Decimal::ZERO), |a, b| (a.0 + b.0, a.1 + b.1))
        };
        let whole = range(None, None);
        let before = range(None, Some(format!("2026-05-{split:02}")));
        let after = range(Some(format!("2026-05-{:02}", split + 1)), None);
        prop_assert_eq!((before.0 + after.0, before.1 + after.1), whole);
    }

    #[test]
    fn clearing_and_gift_cards_close_at_the_ledger(orders in proptest::collection::vec(order(), 1..5), by in prop::sample::select(vec![None, Some("day"), Some("month")])) {
        let case = build(&orders);
        let Report::Clearing(clearing) = report(ReportKind::Clearing, &case.entries, &config(), &opts(by)).unwrap() else { panic!() };
        for acc in &clearing.accounts {
            let ledger = signed_on(&case.entries, |a| a == acc.account);
            prop_assert_eq!(acc.closing.parse::<Decimal>().unwrap(), ledger);
            let unsettled: Decimal = acc.unsettled.iter().map(|u| u.amount.parse::<Decimal>().unwrap()).sum();
            // What is still in clearing is either in no payout or left over by one: the payout
            // grouping joins a refund to the payout that names its order, so a refund the payout
            // did not pay shows as that payout's residual.
            let residuals: Decimal = acc.payouts_not_tied.iter().map(|p| dec(&p.residual)).sum();
            prop_assert_eq!(unsettled + residuals, ledger);
            if !orders.iter().any(|o| o.refund && o.paid_out) {
                prop_assert!(acc.payouts_not_tied.is_empty());
            }
        }
        let Report::GiftCards(cards) = report(ReportKind::GiftCards, &case.entries, &config(), &opts(by)).unwrap() else { panic!() };
        let mut prev = Decimal::ZERO;
        for p in &cards.periods {
            prop_assert_eq!(p.opening.parse::<Decimal>().unwrap(), prev);
            prev = p.closing.parse().unwrap();
        }
        prop_assert_eq!(prev, -signed_on(&case.entries, |a| a == "Liabilities:GiftCards"));
    }
}
