//! The worker's Shopify order envelope: the webhook body plus the GraphQL `Order.transactions`
//! response it fetched, whose fees are booked with the sale.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::platforms::shopify::{
    gid_number, order_envelope, order_transactions_request, FEES_BOOKED_WITH_ORDERS_KEY,
    ORDER_TRANSACTIONS_QUERY,
};
use ledgerbridge_core::{map, Config, Platform};
use serde_json::{json, Value};

fn money(amount: &str) -> Value {
    json!({"amount": amount, "currencyCode": "USD"})
}

fn transaction(id: u64, kind: &str, status: &str, gateway: &str, amount: &str) -> Value {
    json!({
        "id": format!("gid://shopify/OrderTransaction/{id}"),
        "kind": kind, "status": status, "gateway": gateway, "processedAt": "2026-05-03T14:00:00Z",
        "amountSet": {"shopMoney": money(amount), "presentmentMoney": money(amount)},
        "fees": [], "parentTransaction": null
    })
}

fn fee(amount: &str, tax: &str) -> Value {
    json!({
        "amount": money(amount), "flatFee": money("0.30"), "rate": "2.9", "rateName": "Online",
        "flatFeeName": "Flat", "taxAmount": money(tax), "type": "payment_fee"
    })
}

/// 30.00 of goods paid 20.00 through Shopify Payments (fee 0.88) and 10.00 through PayPal.
fn envelope() -> Value {
    let mut card = transaction(11, "SALE", "SUCCESS", "shopify_payments", "20.00");
    card["fees"] = json!([fee("0.88", "0.00")]);
    json!({
        "order": {
            "id": 7, "name": "#7", "currency": "USD",
            "processed_at": "2026-05-03T10:00:00-04:00", "updated_at": "2026-05-03T10:00:05-04:00",
            "payment_gateway_names": ["shopify_payments", "paypal"],
            "total_price": "30.00",
            "line_items": [{"id": 1, "sku": "A", "quantity": 1, "price": "30.00"}]
        },
        "order_transactions": {
            "data": {"order": {"id": "gid://shopify/Order/7", "transactions": [
                transaction(10, "SALE", "FAILURE", "shopify_payments", "20.00"),
                card,
                transaction(12, "SALE", "SUCCESS", "paypal", "10.00"),
                transaction(13, "AUTHORIZATION", "SUCCESS", "paypal", "10.00")
            ]}},
            "extensions": {"cost": {"requestedQueryCost": 12, "actualQueryCost": 6}}
        }
    })
}

fn lines(body: &Value) -> Vec<(String, String, String)> {
    let mapped = map(
        Platform::Shopify,
        &serde_json::to_vec(body).unwrap(),
        &Config::default(),
    )
    .unwrap();
    assert_eq!(mapped.entries.len(), 1);
    let mut out: Vec<_> = mapped.entries[0]
        .lines
        .iter()
        .map(|l| {
            let v = serde_json::to_value(l).unwrap();
            let text = |k: &str| v[k].as_str().unwrap().to_string();
            (text("account"), text("debit"), text("credit"))
        })
        .collect();
    out.sort();
    out
}

fn line(account: &str, debit: &str, credit: &str) -> (String, String, String) {
    (account.to_string(), debit.to_string(), credit.to_string())
}

fn fails_with(edit: impl FnOnce(&mut Value)) -> (String, String) {
    let mut body = envelope();
    edit(&mut body);
    let e = map(
        Platform::Shopify,
        &serde_json::to_vec(&body).unwrap(),
        &Config::default(),
    )
    .expect_err("must be refused");
    (e.code().to_string(), e.path().to_string())
}

fn pair(code: &str, path: &str) -> (String, String) {
    (code.to_string(), path.to_string())
}

#[test]
fn successful_sales_are_the_tenders_and_their_fees_are_booked() {
    let mut want = vec![
        line("Assets:Clearing:Paypal", "10.00", "0.00"),
        line("Assets:Clearing:Shopify-Payments", "0.00", "0.88"),
        line("Assets:Clearing:Shopify-Payments", "20.00", "0.00"),
        line("Expenses:PaymentFees:Shopify-Payments", "0.88", "0.00"),
        line("Income:Sales", "0.00", "30.00"),
    ];
    want.sort();
    assert_eq!(lines(&envelope()), want);
}

#[test]
fn tax_on_a_fee_is_part_of_the_fee() {
    let mut body = envelope();
    body["order_transactions"]["data"]["order"]["transactions"][1]["fees"] =
        json!([fee("0.88", "0.11"), fee("0.50", "0.00")]);
    let got = lines(&body);
    assert!(got.contains(&line(
        "Expenses:PaymentFees:Shopify-Payments",
        "1.49",
        "0.00"
    )));
    assert!(got.contains(&line("Assets:Clearing:Shopify-Payments", "0.00", "1.49")));
}

#[test]
fn the_order_body_is_mapped_as_without_the_envelope() {
    let e = fails_with(|b| b["order"]["line_items"][0]["price"] = json!("-30.00"));
    assert_eq!(e, pair("E_NEGATIVE_AMOUNT", "order.line_items[0].price"));
    let e = fails_with(|b| b["order"]["total_price"] = json!("99.00"));
    assert_eq!(e, pair("E_TOTAL_MISMATCH", "order.total_price"));
}

#[test]
fn errors_in_the_graphql_part_name_their_path() {
    let base = "order_transactions.data.order.transactions";
    assert_eq!(
        fails_with(
            |b| b["order_transactions"]["data"]["order"]["transactions"][1]["fees"][0]["amount"]
                ["amount"] = json!("0.8.8")
        ),
        pair(
            "E_INVALID_AMOUNT",
            &format!("{base}[1].fees[0].amount.amount")
        )
    );
    assert_eq!(
        fails_with(
            |b| b["order_transactions"]["data"]["order"]["transactions"][1]["fees"][0]["amount"]
                ["amount"] = json!("-0.88")
        ),
        pair(
            "E_NEGATIVE_AMOUNT",
            &format!("{base}[1].fees[0].amount.amount")
        )
    );
    assert_eq!(
        fails_with(
            |b| b["order_transactions"]["data"]["order"]["transactions"][1]["fees"][0]
                ["taxAmount"]["currencyCode"] = json!("CAD")
        ),
        pair(
            "E_INVALID_VALUE",
            &format!("{base}[1].fees[0].taxAmount.currencyCode")
        )
    );
    assert_eq!(
        fails_with(
            |b| b["order_transactions"]["data"]["order"]["transactions"][2]["amountSet"]
                ["shopMoney"]["currencyCode"] = json!("EUR")
        ),
        pair(
            "E_INVALID_VALUE",
            &format!("{base}[2].amountSet.shopMoney.currencyCode")
        )
    );
    assert_eq!(
        fails_with(
            |b| b["order_transactions"]["data"]["order"]["transactions"][2]["id"] = json!("12")
        ),
        pair("E_INVALID_VALUE", &format!("{base}[2].id"))
    );
    assert_eq!(
        fails_with(|b| {
            b["order_transactions"]["data"]["order"]["transactions"][3]
                .as_object_mut()
                .unwrap()
                .remove("kind");
        }),
        pair("E_MISSING_FIELD", &format!("{base}[3].kind"))
    );
}

#[test]
fn a_failed_query_or_a_missing_order_is_refused() {
    let e = fails_with(|b| {
        b["order_transactions"] = json!({
            "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
            "extensions": {}
        })
    });
    assert_eq!(e, pair("E_INVALID_VALUE", "order_transactions.errors"));
    let e = fails_with(|b| b["order_transactions"]["data"]["order"] = Value::Null);
    assert_eq!(e, pair("E_INVALID_VALUE", "order_transactions.data.order"));
    let e = fails_with(|b| {
        b["order_transactions"]["data"]["order"]["id"] = json!("gid://shopify/Order/8")
    });
    assert_eq!(
        e,
        pair("E_INVALID_VALUE", "order_transactions.data.order.id")
    );
}

#[test]
fn without_fetched_sales_the_total_falls_to_the_gateway_and_no_fee_is_invented() {
    let mut body = envelope();
    body["order_transactions"]["data"]["order"]["transactions"] = json!([]);
    let mut want = vec![
        line("Assets:Clearing:Shopify-Payments", "30.00", "0.00"),
        line("Income:Sales", "0.00", "30.00"),
    ];
    want.sort();
    assert_eq!(lines(&body), want);
}

#[test]
fn the_query_selects_what_the_adapter_reads() {
    for field in [
        "order(id: $id)",
        "transactions {",
        "kind",
        "status",
        "gateway",
        "amountSet { shopMoney { amount currencyCode }",
        "fees { amount { amount currencyCode }",
        "taxAmount { amount currencyCode }",
        "parentTransaction { id }",
        "$id: ID!",
    ] {
        assert!(ORDER_TRANSACTIONS_QUERY.contains(field), "{field}");
    }
    assert_eq!(
        gid_number("gid://shopify/OrderTransaction/123"),
        Some("123")
    );
}

/// Σ debit − credit of `account` over every entry the payloads map to, in cents.
fn net_cents(payloads: &[Vec<u8>], account: &str) -> i64 {
    let config = Config::default();
    let mut cents = 0i64;
    for p in payloads {
        for entry in map(Platform::Shopify, p, &config).unwrap().entries {
            for l in entry.lines.iter().filter(|l| l.account == account) {
                let v = serde_json::to_value(l).unwrap();
                let amount =
                    |k: &str| -> i64 { v[k].as_str().unwrap().replace('.', "").parse().unwrap() };
                cents += amount("debit") - amount("credit");
            }
        }
    }
    cents
}

fn fixture(case: &str) -> Vec<u8> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/shopify");
    std::fs::read(root.join(case).join("input.json")).unwrap()
}

#[test]
fn a_payout_after_fetched_fees_books_each_fee_once_and_empties_clearing() {
    let sale = fixture("fees-fetched");
    let payout = fixture("payout-after-fetched-fees");
    let both = [sale.clone(), payout.clone()];
    assert_eq!(net_cents(&both, "Assets:Clearing:Shopify-Payments"), 0);
    assert_eq!(
        net_cents(&both, "Expenses:PaymentFees:Shopify-Payments"),
        300
    );

    // Without the flag the payout books the charge's fee a second time: the default is for
    // shops whose orders carry no fee.
    let mut unflagged: Value = serde_json::from_slice(&payout).unwrap();
    unflagged
        .as_object_mut()
        .unwrap()
        .remove(FEES_BOOKED_WITH_ORDERS_KEY);
    let unflagged = serde_json::to_vec(&unflagged).unwrap();
    let fee_first_seen = [unflagged.clone()];
    assert_eq!(
        net_cents(&fee_first_seen, "Expenses:PaymentFees:Shopify-Payments"),
        300
    );
    // …and the refund items of a flagged payout keep their fees unbooked: the order books none.
    let mut with_refund: Value = serde_json::from_slice(&payout).unwrap();
    with_refund["payout"]["amount"] = json!("80.20");
    let txns = with_refund["balance_transactions"].as_array_mut().unwrap();
    txns.insert(
        1,
        json!({"id": 8203, "type": "refund", "currency": "USD", "amount": "-9.00",
        "fee": "1.00", "net": "-10.00", "source_id": 1, "source_order_id": 6_123_400_002_001_u64}),
    );
    txns[2]["amount"] = json!("-80.20");
    txns[2]["net"] = json!("-80.20");
    let refund_fee = [serde_json::to_vec(&with_refund).unwrap()];
    assert_eq!(
        net_cents(&refund_fee, "Expenses:PaymentFees:Shopify-Payments"),
        100
    );
}

#[test]
fn the_worker_helpers_build_the_request_and_the_envelope() {
    let request: Value =
        serde_json::from_str(&order_transactions_request("6123400002001")).unwrap();
    assert_eq!(request["query"], ORDER_TRANSACTIONS_QUERY);
    assert_eq!(
        request["variables"],
        json!({"id": "gid://shopify/Order/6123400002001"})
    );

    // The fixture's two bodies, each kept byte for byte, map as the fixture does.
    let parts: Value = serde_json::from_slice(&fixture("fees-fetched")).unwrap();
    let order = serde_json::to_vec_pretty(&parts["order"]).unwrap();
    let graphql = serde_json::to_vec(&parts["order_transactions"]).unwrap();
    let envelope = order_envelope(&order, &graphql);
    let text = String::from_utf8(envelope.clone()).unwrap();
    assert!(text.starts_with("{\"order\":{\n"));
    assert!(text.contains(&String::from_utf8(graphql).unwrap()));
    let config = Config::default();
    let ours = map(Platform::Shopify, &envelope, &config).unwrap();
    let theirs = map(Platform::Shopify, &fixture("fees-fetched"), &config).unwrap();
    assert_eq!(ours.entries, theirs.entries);
    assert!(payout_flag_is(FEES_BOOKED_WITH_ORDERS_KEY));
}

fn payout_flag_is(key: &str) -> bool {
    let payout: Value = serde_json::from_slice(&fixture("payout-after-fetched-fees")).unwrap();
    payout[key] == json!(true)
}
