//! `[[fee_estimates]]`: a sale paid through a gateway that reports no fee books a configured
//! estimate, says so in the line and in a warning, and never replaces a fee the source reports.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::{map, Config, Mapped, Platform};
use serde_json::{json, Value};

const PAYPAL: &str =
    "[[fee_estimates]]\ngateway = \"paypal\"\npercent = \"3.49\"\nfixed = \"0.49\"\n";

/// A 40.00 USD Shopify order paid by the given transactions.
fn shopify(transactions: Value) -> Value {
    json!({
        "id": 11, "name": "#11", "currency": "USD", "processed_at": "2026-05-03T10:00:00-04:00",
        "payment_gateway_names": ["paypal"], "total_price": "40.00",
        "line_items": [{"id": 1, "sku": "A", "quantity": 1, "price": "40.00"}],
        "transactions": transactions
    })
}

fn sale(gateway: &str, amount: &str) -> Value {
    json!({"kind": "sale", "status": "success", "gateway": gateway, "amount": amount})
}

fn mapped(platform: Platform, doc: &Value, config: &str) -> Mapped {
    let config = Config::load(config).unwrap();
    map(platform, &serde_json::to_vec(doc).unwrap(), &config).unwrap()
}

/// (account, debit, why) of every fee debit.
fn fee_lines(m: &Mapped) -> Vec<(String, String, String)> {
    m.entries
        .iter()
        .flat_map(|e| e.lines.iter())
        .map(|l| serde_json::to_value(l).unwrap())
        .filter(|l| {
            l["account"]
                .as_str()
                .unwrap()
                .starts_with("Expenses:PaymentFees:")
        })
        .map(|l| {
            let t = |k: &str| l[k].as_str().unwrap().to_string();
            (t("account"), t("debit"), t("why"))
        })
        .collect()
}

fn estimated_warnings(m: &Mapped) -> Vec<String> {
    m.warnings
        .iter()
        .filter(|w| w.code == "W_ESTIMATED_FEE")
        .map(|w| w.message.clone())
        .collect()
}

#[test]
fn a_tender_without_a_fee_books_the_estimate_and_says_so() {
    let m = mapped(
        Platform::Shopify,
        &shopify(json!([sale("paypal", "40.00")])),
        PAYPAL,
    );
    let fees = fee_lines(&m);
    // 40.00 × 3.49 % = 1.396, + 0.49 = 1.886 → 1.89.
    assert_eq!(fees.len(), 1);
    assert_eq!(fees[0].0, "Expenses:PaymentFees:Paypal");
    assert_eq!(fees[0].1, "1.89");
    assert!(
        fees[0].2.contains("estimated fee 3.49% + 0.49"),
        "{}",
        fees[0].2
    );
    let warned = estimated_warnings(&m);
    assert_eq!(warned.len(), 1);
    assert!(warned[0].contains("paypal"), "{}", warned[0]);
    let clearing: Vec<_> = m.entries[0]
        .lines
        .iter()
        .map(|l| serde_json::to_value(l).unwrap())
        .filter(|l| l["account"] == "Assets:Clearing:Paypal" && l["credit"] == "1.89")
        .collect();
    assert_eq!(clearing.len(), 1);
}

#[test]
fn the_order_total_owed_through_its_gateway_is_estimated_too() {
    let m = mapped(Platform::Shopify, &shopify(json!([])), PAYPAL);
    assert_eq!(fee_lines(&m)[0].1, "1.89");
    assert_eq!(estimated_warnings(&m).len(), 1);
}

#[test]
fn a_reported_fee_is_never_replaced_by_an_estimate() {
    let mut reported = sale("paypal", "40.00");
    reported["fee"] = json!("1.20");
    let m = mapped(Platform::Shopify, &shopify(json!([reported])), PAYPAL);
    let fees = fee_lines(&m);
    assert_eq!(fees.len(), 1);
    assert_eq!(fees[0].1, "1.20");
    assert!(!fees[0].2.contains("estimated"));
    assert!(estimated_warnings(&m).is_empty());

    // A reported zero is a known fee too.
    let mut zero = sale("paypal", "40.00");
    zero["fee"] = json!("0.00");
    let m = mapped(Platform::Shopify, &shopify(json!([zero])), PAYPAL);
    assert!(fee_lines(&m).is_empty());
    assert!(estimated_warnings(&m).is_empty());
}

#[test]
fn only_the_matching_gateway_is_estimated_and_gift_cards_never() {
    let m = mapped(
        Platform::Shopify,
        &shopify(json!([sale("gift_card", "15.00"), sale("PayPal", "25.00")])),
        PAYPAL,
    );
    let fees = fee_lines(&m);
    // 25.00 × 3.49 % = 0.8725, + 0.49 = 1.3625 → 1.36; the gateway name matches case-insensitively.
    assert_eq!(fees.len(), 1);
    assert_eq!(fees[0].1, "1.36");
    let m = mapped(
        Platform::Shopify,
        &shopify(json!([sale("manual", "40.00")])),
        PAYPAL,
    );
    assert!(fee_lines(&m).is_empty());
}

#[test]
fn a_known_but_unbookable_fee_is_not_estimated() {
    let order = json!({
        "id": 7301, "number": "7301", "status": "processing", "currency": "USD",
        "date_created_gmt": "2026-05-04T09:15:00", "date_paid_gmt": "2026-05-04T09:15:07",
        "total": "40.00", "payment_method": "ppcp-gateway",
        "line_items": [{"id": 1, "name": "L", "sku": "L", "quantity": 1, "subtotal": "40.00", "total": "40.00"}],
        "meta_data": [{"id": 1, "key": "_ppcp_paypal_fees", "value": {
            "paypal_fee": {"currency_code": "EUR", "value": "1.80"}}}]
    });
    let config =
        "[[fee_estimates]]\ngateway = \"ppcp-gateway\"\npercent = \"3.49\"\nfixed = \"0.49\"\n";
    let m = mapped(Platform::WooCommerce, &order, config);
    assert!(fee_lines(&m).is_empty());
    assert!(estimated_warnings(&m).is_empty());
    assert!(m.warnings.iter().any(|w| w.code == "W_FEE_NOT_BOOKED"));
}

#[test]
fn estimates_round_half_away_from_zero_at_the_currency_minor_unit() {
    let order = json!({
        "id": 12, "name": "#12", "currency": "JPY", "processed_at": "2026-05-03T10:00:00+09:00",
        "payment_gateway_names": ["paypal"], "total_price": "1000",
        "line_items": [{"id": 1, "sku": "A", "quantity": 1, "price": "1000"}]
    });
    // 1000 × 3 % = 30, + 0.5 = 30.5 → 31 (half-even would give 30).
    let config = "[[fee_estimates]]\ngateway = \"paypal\"\npercent = \"3\"\nfixed = \"0.5\"\n";
    let m = mapped(Platform::Shopify, &order, config);
    assert_eq!(fee_lines(&m)[0].1, "31");
}

#[test]
fn refunds_get_no_estimate() {
    let mut order = shopify(json!([sale("paypal", "40.00")]));
    order["refunds"] = json!([{
        "id": 99, "processed_at": "2026-05-05T10:00:00-04:00",
        "refund_line_items": [{"line_item_id": 1, "quantity": 1, "subtotal": "40.00", "total_tax": "0.00"}],
        "transactions": [{"kind": "refund", "status": "success", "gateway": "paypal", "amount": "40.00"}]
    }]);
    let m = mapped(Platform::Shopify, &order, PAYPAL);
    assert_eq!(m.entries.len(), 2);
    assert_eq!(fee_lines(&m).len(), 1, "only the sale's estimate");
}

fn config_error(text: &str) -> (String, String) {
    let e = Config::load(text).unwrap_err();
    (e.code().to_string(), e.path().to_string())
}

fn at(path: &str) -> (String, String) {
    ("E_CONFIG".to_string(), path.to_string())
}

#[test]
fn bad_estimate_rules_name_their_field() {
    let rule = |body: &str| format!("[[fee_estimates]]\n{body}\n");
    assert_eq!(
        config_error(&rule("gateway = \"paypal\"\npercent = \"2,9\"")),
        at("fee_estimates[0].percent")
    );
    assert_eq!(
        config_error(&rule("gateway = \"paypal\"\npercent = 2.9")),
        at("fee_estimates[0].percent")
    );
    assert_eq!(
        config_error(&rule("gateway = \"paypal\"\npercent = \"-1\"")),
        at("fee_estimates[0].percent")
    );
    assert_eq!(
        config_error(&rule("gateway = \"paypal\"\npercent = \"100\"")),
        at("fee_estimates[0].percent")
    );
    assert_eq!(
        config_error(&rule(
            "gateway = \"paypal\"\npercent = \"2.9\"\nfixed = \"-0.30\""
        )),
        at("fee_estimates[0].fixed")
    );
    assert_eq!(
        config_error(&rule("percent = \"2.9\"")),
        at("fee_estimates[0].gateway")
    );
    assert_eq!(
        config_error(&rule("gateway = \"shopify_payments\"\npercent = \"2.9\"")),
        at("fee_estimates[0].gateway")
    );
    assert_eq!(
        config_error(&format!(
            "{}{}",
            rule("gateway = \"paypal\"\npercent = \"2.9\""),
            rule("gateway = \"PayPal\"\npercent = \"3\"")
        )),
        at("fee_estimates[1].gateway")
    );
    // Stripe payouts settle charges net, so an estimate for an unexpanded charge is not booked twice.
    assert!(Config::load(rule("gateway = \"stripe\"\npercent = \"2.9\"").as_str()).is_ok());
    let (code, path) = config_error(&rule("gateway = \"paypal\"\nrate = \"2.9\""));
    assert_eq!(code, "E_CONFIG");
    assert!(path.starts_with("fee_estimates[0]"), "{path}");
}

#[test]
fn json_configs_read_the_same_rules() {
    let json = r#"{"fee_estimates": [{"gateway": "paypal", "percent": "3.49", "fixed": "0.49"}]}"#;
    let m = mapped(
        Platform::Shopify,
        &shopify(json!([sale("paypal", "40.00")])),
        json,
    );
    assert_eq!(fee_lines(&m)[0].1, "1.89");
    assert_eq!(
        config_error(r#"{"fee_estimates": [{"gateway": "paypal", "percent": "x"}]}"#),
        at("fee_estimates[0].percent")
    );
}
