//! Malformed or inconsistent Stripe payloads fail with a typed error naming the offending field,
//! never a panic and never a silently wrong entry.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::{map, Config, Platform};

fn err(body: &str) -> (String, String) {
    let e = map(Platform::Stripe, body.as_bytes(), &Config::default()).unwrap_err();
    (e.code().to_string(), e.path().to_string())
}

fn charge(amount: &str, currency: &str, bt: &str) -> String {
    format!(
        r#"{{"id": "ch_1", "object": "charge", "amount": {amount}, "currency": "{currency}", "created": 1777816800,
            "status": "succeeded", "captured": true, "balance_transaction": {bt}}}"#
    )
}

const BT_OK: &str = r#"{"id": "txn_1", "amount": 5413, "fee": 187, "net": 5226, "currency": "usd", "type": "charge"}"#;

#[test]
fn a_well_formed_charge_maps() {
    let mapped = map(
        Platform::Stripe,
        charge("5413", "usd", BT_OK).as_bytes(),
        &Config::default(),
    )
    .unwrap();
    assert_eq!(mapped.entries.len(), 1);
}

#[test]
fn amounts_must_be_integer_minor_units() {
    assert_eq!(
        err(&charge("54.13", "usd", "null")),
        ("E_INVALID_TYPE".into(), "amount".into())
    );
    assert_eq!(
        err(&charge("\"5413\"", "usd", "null")),
        ("E_INVALID_TYPE".into(), "amount".into())
    );
    assert_eq!(
        err(&charge("100000000000000000", "usd", "null")),
        ("E_AMOUNT_TOO_LARGE".into(), "amount".into())
    );
}

#[test]
fn currencies_must_be_known() {
    assert_eq!(
        err(&charge("5413", "xyz", "null")),
        ("E_UNKNOWN_CURRENCY".into(), "currency".into())
    );
    let bt = BT_OK.replace("usd", "zzz");
    assert_eq!(
        err(&charge("5413", "usd", &bt)),
        (
            "E_UNKNOWN_CURRENCY".into(),
            "balance_transaction.currency".into()
        )
    );
}

#[test]
fn balance_transactions_must_add_up() {
    let bt = BT_OK.replace("5226", "5227");
    assert_eq!(
        err(&charge("5413", "usd", &bt)),
        ("E_INVALID_VALUE".into(), "balance_transaction.net".into())
    );
    let bt = r#"{"amount": 5413, "fee": 187, "fee_details": [{"amount": 100}], "net": 5226, "currency": "usd", "type": "charge"}"#;
    assert_eq!(
        err(&charge("5413", "usd", bt)),
        ("E_INVALID_VALUE".into(), "balance_transaction.fee".into())
    );
}

#[test]
fn objects_must_be_named_and_known() {
    assert_eq!(
        err(r#"{"id": "cus_1"}"#),
        ("E_MISSING_FIELD".into(), "object".into())
    );
    assert_eq!(
        err(r#"{"id": "cus_1", "object": "customer"}"#),
        ("E_INVALID_VALUE".into(), "object".into())
    );
    assert_eq!(
        err(r#"{"id": "evt_1", "object": "event", "type": "charge.succeeded"}"#).0,
        "E_MISSING_FIELD"
    );
    assert_eq!(
        err(r#"{"id": "ch_1", "object": "charge", "amount": 1"#).0,
        "E_JSON"
    );
}

#[test]
fn errors_inside_an_event_name_the_nested_path() {
    let body = format!(
        r#"{{"id": "evt_1", "object": "event", "type": "charge.succeeded", "created": 1777816800,
            "data": {{"object": {}}}}}"#,
        charge("5413", "usd", "null")
            .replace("\"created\": 1777816800", "\"created\": \"yesterday\"")
    );
    assert_eq!(
        err(&body),
        ("E_INVALID_TYPE".into(), "data.object.created".into())
    );
}

#[test]
fn times_must_be_representable() {
    let body = charge("5413", "usd", "null").replace("1777816800", "999999999999999");
    assert_eq!(err(&body), ("E_INVALID_TIMESTAMP".into(), "created".into()));
}

#[test]
fn a_refund_must_name_its_charge() {
    let body = r#"{"id": "re_1", "object": "refund", "amount": 2000, "currency": "usd", "created": 1778000000,
                   "status": "succeeded"}"#;
    assert_eq!(err(body), ("E_MISSING_FIELD".into(), "charge".into()));
}

fn payout(amount: i64, bts: &str) -> String {
    format!(
        r#"{{"payout": {{"id": "po_1", "object": "payout", "amount": {amount}, "currency": "usd",
             "arrival_date": 1779148800, "created": 1778976000, "status": "paid"}},
            "balance_transactions": [{bts}]}}"#
    )
}

#[test]
fn a_payout_must_add_up_to_its_deposit() {
    let bt = r#"{"id": "t1", "amount": 1000, "fee": 59, "net": 941, "currency": "usd", "type": "charge", "source": "ch_1"}"#;
    assert!(map(
        Platform::Stripe,
        payout(941, bt).as_bytes(),
        &Config::default()
    )
    .is_ok());
    assert_eq!(
        err(&payout(940, bt)),
        ("E_UNBALANCED_SOURCE".into(), "balance_transactions".into())
    );
}

#[test]
fn a_payout_settles_its_own_currency_only() {
    let bts = r#"{"amount": 1000, "fee": 59, "net": 941, "currency": "usd", "type": "charge", "source": "ch_1"},
                 {"amount": 1000, "fee": 0, "net": 1000, "currency": "eur", "type": "charge", "source": "ch_2"}"#;
    assert_eq!(
        err(&payout(1941, bts)),
        (
            "E_INVALID_VALUE".into(),
            "balance_transactions[1].currency".into()
        )
    );
}

#[test]
fn a_malformed_balance_transaction_in_a_payout_is_named() {
    let bts = r#"{"amount": 1000, "fee": 59, "net": 941, "currency": "usd", "type": "charge"},
                 {"amount": 10.5, "net": 10, "currency": "usd", "type": "charge"}"#;
    assert_eq!(
        err(&payout(951, bts)),
        (
            "E_INVALID_TYPE".into(),
            "balance_transactions[1].amount".into()
        )
    );
    let bts = r#"{"fee": 59, "net": 941, "currency": "usd", "type": "charge"}"#;
    assert_eq!(
        err(&payout(941, bts)),
        (
            "E_MISSING_FIELD".into(),
            "balance_transactions[0].amount".into()
        )
    );
}

#[test]
fn unpaid_or_failed_money_books_nothing() {
    let pending = charge("5413", "usd", "null").replace("\"succeeded\"", "\"pending\"");
    assert!(
        map(Platform::Stripe, pending.as_bytes(), &Config::default())
            .unwrap()
            .entries
            .is_empty()
    );
    let failed = payout(941, "").replace("\"paid\"", "\"failed\"");
    assert!(map(Platform::Stripe, failed.as_bytes(), &Config::default())
        .unwrap()
        .entries
        .is_empty());
    let inquiry = r#"{"id": "dp_1", "object": "dispute", "amount": 5413, "currency": "usd", "charge": "ch_1",
                      "created": 1778100000, "status": "warning_needs_response", "balance_transactions": []}"#;
    assert!(
        map(Platform::Stripe, inquiry.as_bytes(), &Config::default())
            .unwrap()
            .entries
            .is_empty()
    );
}
