//! Invariants over random Shopify orders: every entry balances, a full refund nets Income and
//! Liabilities to zero (and Clearing to minus the kept fee), and mapping is deterministic and never
//! panics.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::{map, Config, Entry, Platform};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
struct Line {
    cents: i64,
    qty: u32,
    discount_cents: i64,
    taxes: Vec<i64>,
    gift_card: bool,
}

#[derive(Debug, Clone)]
struct Order {
    lines: Vec<Line>,
    shipping_cents: i64,
    shipping_discount_cents: i64,
    shipping_tax_cents: i64,
    tip_cents: i64,
    gift_card_paid_cents: i64,
    taxes_included: bool,
    fee_cents: i64,
}

fn line() -> impl Strategy<Value = Line> {
    (
        1i64..50_000,
        1u32..5,
        0i64..100,
        proptest::collection::vec(0i64..2_000, 0..3),
        prop::bool::weighted(0.15),
    )
        .prop_map(|(cents, qty, pct, taxes, gift_card)| {
            let gross = cents * i64::from(qty);
            Line {
                cents,
                qty,
                discount_cents: gross * pct / 400,
                taxes: if gift_card { vec![] } else { taxes },
                gift_card,
            }
        })
}

fn order() -> impl Strategy<Value = Order> {
    (
        proptest::collection::vec(line(), 1..6),
        (0i64..3_000, 0i64..100, 0i64..500),
        0i64..1_000,
        0i64..100,
        any::<bool>(),
        0i64..300,
    )
        .prop_map(
            |(lines, (ship, ship_pct, ship_tax), tip, gc_pct, taxes_included, fee)| {
                let mut o = Order {
                    lines,
                    shipping_cents: ship,
                    shipping_discount_cents: ship * ship_pct / 400,
                    shipping_tax_cents: ship_tax,
                    tip_cents: tip,
                    gift_card_paid_cents: 0,
                    taxes_included,
                    fee_cents: fee,
                };
                if taxes_included {
                    // Inclusive tax lives inside the price: keep it below what the line is sold for.
                    for l in &mut o.lines {
                        let net = l.cents * i64::from(l.qty) - l.discount_cents;
                        let total: i64 = l.taxes.iter().sum();
                        if total >= net {
                            l.taxes.clear();
                        }
                    }
                    if o.shipping_tax_cents >= o.shipping_cents - o.shipping_discount_cents {
                        o.shipping_tax_cents = 0;
                    }
                }
                o.gift_card_paid_cents = total_cents(&o) * gc_pct / 200;
                o.fee_cents = o.fee_cents.min(total_cents(&o) - o.gift_card_paid_cents);
                o
            },
        )
}

fn money(cents: i64) -> String {
    Decimal::new(cents, 2).to_string()
}

fn line_net(l: &Line) -> i64 {
    l.cents * i64::from(l.qty) - l.discount_cents
}

fn line_tax(l: &Line) -> i64 {
    l.taxes.iter().sum()
}

fn total_cents(o: &Order) -> i64 {
    let extra_tax = |t: i64| if o.taxes_included { 0 } else { t };
    let lines: i64 = o
        .lines
        .iter()
        .map(|l| line_net(l) + extra_tax(line_tax(l)))
        .sum();
    lines + o.shipping_cents - o.shipping_discount_cents
        + extra_tax(o.shipping_tax_cents)
        + o.tip_cents
}

fn tax_lines(taxes: &[i64]) -> Value {
    Value::Array(
        taxes
            .iter()
            .enumerate()
            .map(|(i, t)| json!({"title": format!("Tax {i}"), "rate": 0.05, "price": money(*t)}))
            .collect(),
    )
}

fn order_json(o: &Order, with_full_refund: bool) -> Value {
    let total = total_cents(o);
    let card = total - o.gift_card_paid_cents;
    let mut transactions = vec![
        json!({"kind": "sale", "status": "success", "gateway": "shopify_payments", "amount": money(card), "fee": money(o.fee_cents)}),
    ];
    if o.gift_card_paid_cents > 0 {
        transactions.push(json!({"kind": "sale", "status": "success", "gateway": "gift_card", "amount": money(o.gift_card_paid_cents)}));
    }
    let lines: Vec<Value> = o.lines.iter().enumerate().map(|(i, l)| json!({
        "id": i + 1, "sku": format!("SKU-{i}"), "title": "Thing", "quantity": l.qty, "price": money(l.cents),
        "gift_card": l.gift_card,
        "discount_allocations": [{"amount": money(l.discount_cents), "discount_application_index": 0}],
        "tax_lines": tax_lines(&l.taxes),
    })).collect();
    let mut body = json!({
        "id": 42, "name": "#42", "currency": "USD", "taxes_included": o.taxes_included,
        "created_at": "2026-05-01T10:00:00-04:00", "processed_at": "2026-05-01T10:00:00-04:00",
        "updated_at": "2026-05-02T10:00:00-04:00", "financial_status": "paid",
        "payment_gateway_names": ["shopify_payments"], "total_tip_received": money(o.tip_cents),
        "line_items": lines,
        "shipping_lines": [{"title": "Post", "price": money(o.shipping_cents),
            "discount_allocations": [{"amount": money(o.shipping_discount_cents)}],
            "tax_lines": tax_lines(&[o.shipping_tax_cents])}],
        "transactions": transactions,
    });
    if with_full_refund {
        let refund_lines: Vec<Value> = o.lines.iter().enumerate().map(|(i, l)| json!({
            "line_item_id": i + 1, "quantity": l.qty, "restock_type": "return",
            "subtotal": money(line_net(l)), "total_tax": money(line_tax(l)),
            "line_item": {"sku": format!("SKU-{i}"), "gift_card": l.gift_card, "tax_lines": tax_lines(&l.taxes)},
        })).collect();
        let shipping_net = o.shipping_cents - o.shipping_discount_cents;
        let shipping_refund = if o.taxes_included {
            shipping_net - o.shipping_tax_cents
        } else {
            shipping_net
        };
        let mut refund_tx = vec![
            json!({"kind": "refund", "status": "success", "gateway": "shopify_payments", "amount": money(card)}),
        ];
        if o.gift_card_paid_cents > 0 {
            refund_tx.push(json!({"kind": "refund", "status": "success", "gateway": "gift_card", "amount": money(o.gift_card_paid_cents)}));
        }
        body["refunds"] = json!([{
            "id": 7, "created_at": "2026-05-09T12:00:00+02:00", "processed_at": "2026-05-09T12:00:00+02:00",
            "refund_line_items": refund_lines,
            "order_adjustments": [
                {"kind": "shipping_refund", "amount": money(-shipping_refund), "tax_amount": money(-o.shipping_tax_cents)},
                {"kind": "refund_discrepancy", "amount": money(-o.tip_cents), "tax_amount": "0.00", "reason": "tip returned"}
            ],
            "transactions": refund_tx,
        }]);
    }
    body
}

fn balances_by_root(entries: &[Entry]) -> BTreeMap<String, Decimal> {
    let mut out = BTreeMap::new();
    for e in entries {
        for l in &e.lines {
            let key = if l.account.starts_with("Assets:Clearing") {
                "Clearing"
            } else {
                l.account.split(':').next().unwrap()
            };
            *out.entry(key.to_string()).or_insert(Decimal::ZERO) += l.signed();
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn every_entry_balances_and_is_deterministic(o in order(), refunded in any::<bool>()) {
        let bytes = serde_json::to_vec(&order_json(&o, refunded)).unwrap();
        let config = Config::default();
        let first = map(Platform::Shopify, &bytes, &config).unwrap();
        for entry in &first.entries {
            prop_assert!(entry.check().is_ok(), "{entry:?}");
            prop_assert!(!entry.lines.iter().any(|l| l.account == "Expenses:Rounding"), "exact input needs no rounding");
        }
        let second = map(Platform::Shopify, &bytes, &config).unwrap();
        prop_assert_eq!(serde_json::to_string(&first).unwrap(), serde_json::to_string(&second).unwrap());
    }

    #[test]
    fn a_full_refund_nets_income_liabilities_and_clearing_to_zero(o in order()) {
        let bytes = serde_json::to_vec(&order_json(&o, true)).unwrap();
        let mapped = map(Platform::Shopify, &bytes, &Config::default()).unwrap();
        prop_assert_eq!(mapped.entries.len(), 2);
        let totals = balances_by_root(&mapped.entries);
        for root in ["Income", "Liabilities"] {
            prop_assert_eq!(totals.get(root).copied().unwrap_or_default(), Decimal::ZERO, "{} in {:?}", root, totals);
        }
        // The gateway keeps its processing fee on a refund, so the clearing account ends short by
        // exactly the fee (booked to Expenses:PaymentFees), and by nothing else.
        let clearing = totals.get("Clearing").copied().unwrap_or_default();
        prop_assert_eq!(clearing, -Decimal::new(o.fee_cents, 2), "{:?}", totals);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let _ = map(Platform::Shopify, &bytes, &Config::default());
    }

    #[test]
    fn mutated_orders_map_or_fail_cleanly(o in order(), cut in 0usize..2_000) {
        let mut text = serde_json::to_string(&order_json(&o, true)).unwrap();
        let cut = cut.min(text.len());
        text.truncate(cut);
        if let Err(e) = map(Platform::Shopify, text.as_bytes(), &Config::default()) {
            prop_assert!(ledgerbridge_core::ERROR_CODES.contains(&e.code()));
        }
    }
}

/// 256 cases by default; `PROPTEST_CASES=1000000` (scripts/long-properties) for the long run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256)
}
