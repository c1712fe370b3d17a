//! The worker's two Shopify envelopes read by hand (`payout.rs`, `fetched.rs`) against what they
//! replaced (`payout_serde.rs`: serde derives; `fetched_serde.rs`: a `serde_json::Value` walk): on
//! the envelope fixtures, on a table of malformed inputs and on edits of the fixtures, both give
//! the same event or refuse with the same code and path.

use super::{fetched, fetched_serde, payout, payout_serde, wire};
use crate::error::LedgerError;
use crate::model::Event;
use proptest::prelude::*;

const PAYOUTS: &[&str] = &["payout-shopify-payments", "payout-after-fetched-fees"];
const FETCHED: &[&str] = &["fees-fetched"];

fn fixture(name: &str) -> String {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/shopify");
    std::fs::read_to_string(dir.join(name).join("input.json")).unwrap_or_default()
}

/// The event, or the error's code and path.
type Verdict = Result<Event, (String, String)>;

fn pair(e: LedgerError) -> (String, String) {
    (e.code().to_string(), e.path().to_string())
}

fn payouts(text: &str) -> (Verdict, Verdict) {
    let reader = payout::payout(text.as_bytes()).map(Event::Payout);
    let serde = payout_serde::payout(text.as_bytes()).map(Event::Payout);
    (reader.map_err(pair), serde.map_err(pair))
}

/// Both ways through the envelope members as the Shopify payload reads them.
fn fetches(text: &str) -> (Verdict, Verdict) {
    let p = match wire::Payload::parse(text.as_bytes()) {
        Ok(p) => p,
        Err(e) => return (Err(pair(e.clone())), Err(pair(e))),
    };
    let Some(order) = p.order else {
        let none = Err(("none".to_string(), String::new()));
        return (none.clone(), none);
    };
    let reader = fetched::order(order, p.order_transactions).map(Event::Order);
    let serde = fetched_serde::order(order, p.order_transactions).map(Event::Order);
    (reader.map_err(pair), serde.map_err(pair))
}

#[test]
fn every_envelope_fixture_maps_alike() {
    for name in PAYOUTS {
        let text = fixture(name);
        let (reader, serde) = payouts(&text);
        assert!(reader.is_ok(), "{name}: {reader:?}");
        assert_eq!(reader, serde, "{name}");
    }
    for name in FETCHED {
        let text = fixture(name);
        let (reader, serde) = fetches(&text);
        assert!(reader.is_ok(), "{name}: {reader:?}");
        assert_eq!(reader, serde, "{name}");
    }
}

const PAYOUT_OK: &str = r#"{"payout": {"id": 1, "status": "paid", "date": "2026-05-12", "currency": "USD", "amount": "2.00"},
 "balance_transactions": [{"id": 2, "type": "charge", "currency": "USD", "amount": "2.50", "fee": "0.50", "net": "2.00", "source_order_id": 3}]}"#;

/// Malformed payouts: the edit (`from` → `to`), the code and the path.
const PAYOUT_TABLE: &[(&str, &str, &str, &str)] = &[
    (r#""id": 1,"#, "", "E_MISSING_FIELD", "payout.id"),
    (
        r#""id": 1,"#,
        r#""id": "","#,
        "E_INVALID_VALUE",
        "payout.id",
    ),
    (
        r#""status": "paid","#,
        r#""status": null,"#,
        "E_INVALID_TYPE",
        "payout.status",
    ),
    (
        r#""amount": "2.00"}"#,
        r#""amount": "2,00"}"#,
        "E_INVALID_AMOUNT",
        "payout.amount",
    ),
    (
        r#", "amount": "2.00"}"#,
        "}",
        "E_MISSING_FIELD",
        "payout.amount",
    ),
    (
        r#""currency": "USD", "amount": "2.00"}"#,
        r#""currency": "XXY", "amount": "2.00"}"#,
        "E_UNKNOWN_CURRENCY",
        "payout.currency",
    ),
    (
        r#""date": "2026-05-12""#,
        r#""date": "12/05/2026""#,
        "E_INVALID_TIMESTAMP",
        "payout.date",
    ),
    (
        r#""type": "charge""#,
        r#""type": 7"#,
        "E_INVALID_TYPE",
        "balance_transactions[0].type",
    ),
    (
        r#""type": "charge", "#,
        "",
        "E_MISSING_FIELD",
        "balance_transactions[0].type",
    ),
    (
        r#""fee": "0.50""#,
        r#""fee": null"#,
        "E_INVALID_TYPE",
        "balance_transactions[0].fee",
    ),
    (
        r#""net": "2.00""#,
        r#""net": "1e3""#,
        "E_INVALID_AMOUNT",
        "balance_transactions[0].net",
    ),
    (
        r#""source_order_id": 3"#,
        r#""source_order_id": 1.5"#,
        "E_INVALID_TYPE",
        "balance_transactions[0].source_order_id",
    ),
    (
        r#"[{"id": 2,"#,
        r#"[{"id": 2, "id": 2,"#,
        "E_INVALID_TYPE",
        "balance_transactions[0].id",
    ),
    (
        r#""currency": "USD", "amount": "2.50""#,
        r#""currency": "EUR", "amount": "2.50""#,
        "E_INVALID_VALUE",
        "balance_transactions[0].currency",
    ),
    (
        r#""balance_transactions": ["#,
        r#""fees_booked_with_orders": 1, "balance_transactions": ["#,
        "E_INVALID_TYPE",
        "fees_booked_with_orders",
    ),
    (
        r#""balance_transactions": ["#,
        r#""balance_transactions": 7, "x": ["#,
        "E_INVALID_TYPE",
        "balance_transactions",
    ),
];

#[test]
fn malformed_payouts_are_refused_alike() {
    assert!(payouts(PAYOUT_OK).0.is_ok());
    for (from, to, code, path) in PAYOUT_TABLE {
        assert!(PAYOUT_OK.contains(from), "{from}");
        let text = PAYOUT_OK.replacen(from, to, 1);
        let (reader, serde) = payouts(&text);
        let want = Err(((*code).to_string(), (*path).to_string()));
        assert_eq!(serde, want, "{text}");
        assert_eq!(reader, want, "{text}");
    }
}

/// Malformed fetched transactions (the envelope fixture edited): the edit, the code and the path.
const FETCHED_TABLE: &[(&str, &str, &str, &str)] = &[
    (
        r#"{"data": {"order""#,
        r#"{"errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}], "data": {"order""#,
        "E_INVALID_VALUE",
        "order_transactions.errors",
    ),
    (
        r#"{"data": {"order""#,
        r#"{"errors": {"message": "x"}, "data": {"order""#,
        "E_INVALID_VALUE",
        "order_transactions.errors",
    ),
    (
        r#"{"data": {"order""#,
        r#"{"errors": null, "data": {"order""#,
        "",
        "",
    ),
    (
        r#"{"data": {"order""#,
        r#"{"data": {"order": null, "x""#,
        "E_INVALID_VALUE",
        "order_transactions.data.order",
    ),
    (
        r#"{"id": "gid://shopify/Order/6123400002001""#,
        r#"{"id": "gid://shopify/Order/1""#,
        "E_INVALID_VALUE",
        "order_transactions.data.order.id",
    ),
    (
        r#"{"id": "gid://shopify/Order/6123400002001""#,
        r#"{"id": 6123400002001"#,
        "E_INVALID_TYPE",
        "order_transactions.data.order.id",
    ),
    (
        r#""transactions": [{"#,
        r#""transactions": 7, "x": [{"#,
        "E_INVALID_TYPE",
        "order_transactions.data.order.transactions",
    ),
    (
        r#""kind": "CAPTURE""#,
        r#""kind": null"#,
        "E_MISSING_FIELD",
        "order_transactions.data.order.transactions[1].kind",
    ),
    (
        r#""kind": "AUTHORIZATION", "status": "SUCCESS", "gateway": "shopify_payments", "processedAt": "2026-05-15T14:00:00Z", "amountSet": {"#,
        r#""kind": "AUTHORIZATION", "status": "SUCCESS", "gateway": "shopify_payments", "processedAt": "2026-05-15T14:00:00Z", "amountSet": 7, "x": {"#,
        "",
        "",
    ),
    (
        r#""amount": {"amount": "3.0""#,
        r#""amount": {"amount": "-3.0""#,
        "E_NEGATIVE_AMOUNT",
        "order_transactions.data.order.transactions[1].fees[0].amount.amount",
    ),
    (
        r#""amount": {"amount": "3.0""#,
        r#""amount": {"amount": 3.0"#,
        "E_INVALID_TYPE",
        "order_transactions.data.order.transactions[1].fees[0].amount.amount",
    ),
    (
        r#""taxAmount": {"amount": "0.0", "currencyCode": "USD"}"#,
        r#""taxAmount": {"amount": "0.0", "currencyCode": "EUR"}"#,
        "E_INVALID_VALUE",
        "order_transactions.data.order.transactions[1].fees[0].taxAmount.currencyCode",
    ),
    (
        r#""fees": [{"amount""#,
        r#""fees": 7, "x": [{"amount""#,
        "E_INVALID_TYPE",
        "order_transactions.data.order.transactions[1].fees",
    ),
    (
        r#""id": "gid://shopify/OrderTransaction/8123400002002""#,
        r#""id": "8123400002002""#,
        "E_INVALID_VALUE",
        "order_transactions.data.order.transactions[1].id",
    ),
    (
        r#""shopMoney": {"amount": "93.2", "currencyCode": "USD"}, "presentmentMoney": {"amount": "93.2", "currencyCode": "USD"}}, "fees": [{"#,
        r#""shopMoney": {"amount": "93.2", "currencyCode": "USDX"}, "presentmentMoney": {"amount": "93.2", "currencyCode": "USD"}}, "fees": [{"#,
        "E_UNKNOWN_CURRENCY",
        "order_transactions.data.order.transactions[1].amountSet.shopMoney.currencyCode",
    ),
];

/// `text` without the whitespace between its tokens, so an edit can be written on one line.
fn compact(text: &str) -> String {
    let (mut out, mut in_string, mut escaped) = (String::new(), false, false);
    for c in text.chars() {
        if in_string {
            (in_string, escaped) = (escaped || c != '"', !escaped && c == '\\');
        } else if c.is_whitespace() {
            continue;
        } else {
            in_string = c == '"';
        }
        out.push(c);
    }
    out
}

#[test]
fn malformed_fetched_transactions_are_refused_alike() {
    let base = compact(&fixture("fees-fetched"));
    for (from, to, code, path) in FETCHED_TABLE {
        let (from, to) = (compact(from), compact(to));
        assert!(base.contains(&from), "{from}");
        let text = base.replacen(&from, &to, 1);
        let (reader, serde) = fetches(&text);
        if code.is_empty() {
            assert!(reader.is_ok(), "{text}: {reader:?}");
        } else {
            let want = Err(((*code).to_string(), (*path).to_string()));
            assert_eq!(serde, want, "{text}");
        }
        assert_eq!(reader, serde, "{text}");
    }
}

/// Values an edit puts in place of another: every type, and malformed ones.
const VALUES: &[&str] = &[
    "null",
    "true",
    "0",
    "-1",
    "1.5",
    "1e3",
    "-0",
    "99999999999999999999",
    "\"\"",
    "\"x\"",
    "\"12.30\"",
    "\"-1\"",
    "\"\\u0031\"",
    "{}",
    "[]",
    "[{}]",
    "\"SALE\"",
    "\"SUCCESS\"",
    "{\"amount\": \"1\", \"currencyCode\": \"USD\"}",
    "\"refund\"",
    "\"payout\"",
    "\"EUR\"",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    /// One value of an envelope fixture replaced by another: same event, or same code and path.
    #[test]
    fn edited_envelopes_map_alike(
        which in 0..PAYOUTS.len() + FETCHED.len(),
        at in any::<prop::sample::Index>(),
        value in prop::sample::select(VALUES),
    ) {
        let is_payout = which < PAYOUTS.len();
        let text = fixture(if is_payout { PAYOUTS[which] } else { FETCHED[which - PAYOUTS.len()] });
        let starts: Vec<usize> = text.match_indices(": ").map(|(i, _)| i + 2).collect();
        let start = *at.get(&starts);
        let mut r = crate::json::Reader::new(&text[start..]);
        let Ok(old) = r.raw() else { return Ok(()) };
        let edited = format!("{}{value}{}", &text[..start], &text[start + old.len()..]);
        let (reader, serde) = if is_payout { payouts(&edited) } else { fetches(&edited) };
        // As in `wire_tests`: serde derive reads a struct from an array positionally, and names a
        // path inside a container found where an amount belongs; no sender writes either.
        let inside = match (&reader, &serde) {
            (Err((a, p)), Err((b, q))) => a == b && q.starts_with(p.as_str()),
            _ => false,
        };
        let known = is_payout
            && value.starts_with(['[', '{'])
            && (inside || serde.is_ok() != reader.is_ok());
        if !known {
            prop_assert_eq!(reader, serde, "{} -> {}", old, value);
        }
    }
}
