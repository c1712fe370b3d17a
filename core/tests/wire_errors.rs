//! How the WooCommerce, BigCommerce and Stripe wire readers refuse a payload: wrong types, missing
//! and repeated members, broken JSON inside members no adapter reads, odd integers. Each case
//! names its error code and the JSON path of the offending value (the same ones the serde derives
//! gave before the adapters moved to `json::Reader`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use ledgerbridge_core::Platform;

fn err(platform: Platform, text: &str) -> (String, String) {
    match platform.parse(text.as_bytes()) {
        Ok(_) => panic!("accepted: {text}"),
        Err(e) => (e.code().to_string(), e.path().to_string()),
    }
}

fn pair(code: &str, path: &str) -> (String, String) {
    (code.to_string(), path.to_string())
}

/// A WooCommerce order with `line` as its only line item and `extra` members at the top.
fn woo(line: &str, extra: &str) -> String {
    format!(
        r#"{{"id": 7001, "status": "processing", "currency": "USD",
            "date_created_gmt": "2026-05-04T09:15:00", "total": "25.00", "payment_method": "cod",
            "line_items": [{line}], "meta_data": [{{"key": "_x", "value": {{"a": [1, "b"]}}}}]{extra}}}"#
    )
}

const WOO_LINE: &str = r#"{"id": 1, "name": "Mug", "quantity": 2, "subtotal": "25.00",
    "total": "25.00", "total_tax": "", "taxes": [{"id": 1, "total": ""}]}"#;

#[test]
fn woocommerce_reads_its_order_and_refuses_what_serde_refused() {
    let event = Platform::WooCommerce
        .parse(woo(WOO_LINE, "").as_bytes())
        .unwrap();
    assert!(format!("{event:?}").contains("Mug"));
    let wo = |line: &str, extra: &str| err(Platform::WooCommerce, &woo(line, extra));
    // Wrong types.
    let line = WOO_LINE.replace(r#""name": "Mug""#, r#""name": 5"#);
    assert_eq!(wo(&line, ""), pair("E_INVALID_TYPE", "line_items[0].name"));
    let line = WOO_LINE.replace(r#""quantity": 2"#, r#""quantity": "2""#);
    assert_eq!(
        wo(&line, ""),
        pair("E_INVALID_TYPE", "line_items[0].quantity")
    );
    let line = WOO_LINE.replace(r#""quantity": 2"#, r#""quantity": 2.5"#);
    assert_eq!(
        wo(&line, ""),
        pair("E_INVALID_TYPE", "line_items[0].quantity")
    );
    let line = WOO_LINE.replace(r#""total": """#, r#""total": true"#);
    assert_eq!(
        wo(&line, ""),
        pair("E_INVALID_TYPE", "line_items[0].taxes[0].total")
    );
    let line = WOO_LINE.replace(r#""total": """#, r#""total": "1.2.3""#);
    assert_eq!(
        wo(&line, ""),
        pair("E_INVALID_AMOUNT", "line_items[0].taxes[0].total")
    );
    assert_eq!(
        wo(WOO_LINE, r#", "refunded_payment": "yes""#),
        pair("E_INVALID_TYPE", "refunded_payment")
    );
    assert_eq!(
        wo(WOO_LINE, r#", "payment_method": null"#).0,
        "E_INVALID_TYPE"
    );
    // Quantities beyond the bound, either sign; an integer beyond i64.
    let line = WOO_LINE.replace(r#""quantity": 2"#, r#""quantity": -1000000001"#);
    assert_eq!(
        wo(&line, ""),
        pair("E_INVALID_VALUE", "line_items[0].quantity")
    );
    let line = WOO_LINE.replace(r#""quantity": 2"#, r#""quantity": 9223372036854775808"#);
    assert_eq!(
        wo(&line, ""),
        pair("E_INVALID_VALUE", "line_items[0].quantity")
    );
    // Missing members, the first in declaration order.
    let line = WOO_LINE.replace(r#""subtotal": "25.00","#, "");
    assert_eq!(
        wo(&line, ""),
        pair("E_MISSING_FIELD", "line_items[0].subtotal")
    );
    let line = WOO_LINE.replace(r#""id": 1, "name""#, r#""name""#);
    assert_eq!(wo(&line, ""), pair("E_MISSING_FIELD", "line_items[0].id"));
    let e = err(Platform::WooCommerce, r#"{"status": "processing"}"#);
    assert_eq!(e, pair("E_MISSING_FIELD", "id"));
    // A repeated member, even one that is optional.
    let line = WOO_LINE.replace(r#""name": "Mug""#, r#""name": "Mug", "name": "Cup""#);
    assert_eq!(wo(&line, ""), pair("E_INVALID_TYPE", "line_items[0].name"));
    assert_eq!(
        wo(WOO_LINE, r#", "reason": null, "reason": null"#),
        pair("E_INVALID_TYPE", "reason")
    );
    // Broken JSON inside members nothing reads.
    assert_eq!(
        wo(WOO_LINE, r#", "billing": {"a": [1, }"#),
        pair("E_JSON", "billing.a[1]")
    );
    assert_eq!(wo(WOO_LINE, r#", "x": "\q""#), pair("E_JSON", "x"));
    let line = WOO_LINE.replace(r#""name": "Mug""#, r#""name": "Mug", "meta": [tru]"#);
    assert_eq!(wo(&line, ""), pair("E_JSON", "line_items[0].meta[0]"));
}

/// A BigCommerce envelope whose order has `order_extra` members and whose product is `product`.
fn bc(order_extra: &str, product: &str) -> String {
    format!(
        r#"{{"order": {{"id": 100, "date_created": "Tue, 12 May 2026 14:03:27 +0000",
            "currency_code": "USD", "status_id": 11, "total_inc_tax": "20.0000",
            "payment_method": "Cash"{order_extra}}}, "products": [{product}]}}"#
    )
}

const BC_PRODUCT: &str = r#"{"id": 5, "name": "Tote", "quantity": 1, "total_ex_tax": "20.0000",
    "total_inc_tax": "20.0000", "applied_discounts": [], "options": [{"a": null}]}"#;

#[test]
fn bigcommerce_reads_its_envelope_and_refuses_what_serde_refused() {
    Platform::BigCommerce
        .parse(bc("", BC_PRODUCT).as_bytes())
        .unwrap();
    let b =
        |order_extra: &str, product: &str| err(Platform::BigCommerce, &bc(order_extra, product));
    // `status_id` is a u32: above the quantity bound is fine, beyond u32 or negative is not.
    Platform::BigCommerce
        .parse(
            bc("", BC_PRODUCT)
                .replace(r#""status_id": 11"#, r#""status_id": 4000000000"#)
                .as_bytes(),
        )
        .unwrap();
    let text = bc("", BC_PRODUCT).replace(r#""status_id": 11"#, r#""status_id": 4294967296"#);
    assert_eq!(
        err(Platform::BigCommerce, &text),
        pair("E_INVALID_VALUE", "order.status_id")
    );
    let text = bc("", BC_PRODUCT).replace(r#""status_id": 11"#, r#""status_id": -1"#);
    assert_eq!(
        err(Platform::BigCommerce, &text),
        pair("E_INVALID_VALUE", "order.status_id")
    );
    let text = bc("", BC_PRODUCT).replace(r#""status_id": 11"#, r#""status_id": "11""#);
    assert_eq!(
        err(Platform::BigCommerce, &text),
        pair("E_INVALID_TYPE", "order.status_id")
    );
    // Wrong types.
    assert_eq!(
        b(r#", "is_tax_inclusive_pricing": 1"#, BC_PRODUCT),
        pair("E_INVALID_TYPE", "order.is_tax_inclusive_pricing")
    );
    let product = BC_PRODUCT.replace(r#""quantity": 1"#, r#""quantity": -1"#);
    assert_eq!(
        b("", &product),
        pair("E_INVALID_VALUE", "products[0].quantity")
    );
    let product = BC_PRODUCT.replace(
        r#""applied_discounts": []"#,
        r#""applied_discounts": [{"amount": []}]"#,
    );
    assert_eq!(
        b("", &product),
        pair("E_INVALID_TYPE", "products[0].applied_discounts[0].amount")
    );
    // Missing members: in declaration order, at the object they are missing from.
    let product = BC_PRODUCT.replace(r#""total_ex_tax": "20.0000","#, "");
    assert_eq!(
        b("", &product),
        pair("E_MISSING_FIELD", "products[0].total_ex_tax")
    );
    let text = bc("", BC_PRODUCT)
        .replace(r#""currency_code": "USD","#, "")
        .replace(r#""id": 100, "#, "");
    assert_eq!(
        err(Platform::BigCommerce, &text),
        pair("E_MISSING_FIELD", "order.id")
    );
    let e = err(
        Platform::BigCommerce,
        &bc("", BC_PRODUCT).replace(r#", "products": ["#, r#", "items": ["#),
    );
    assert_eq!(e, pair("E_MISSING_FIELD", "products"));
    // Repeated members.
    assert_eq!(
        b(r#", "payment_method": "Card""#, BC_PRODUCT),
        pair("E_INVALID_TYPE", "order.payment_method")
    );
    let text = bc("", BC_PRODUCT).replacen(
        r#""products": ["#,
        r#""coupons": [], "coupons": [], "products": ["#,
        1,
    );
    assert_eq!(
        err(Platform::BigCommerce, &text),
        pair("E_INVALID_TYPE", "coupons")
    );
    // Broken JSON inside members nothing reads.
    let product = BC_PRODUCT.replace(r#"[{"a": null}]"#, r#"[{"a": nul}]"#);
    assert_eq!(b("", &product), pair("E_JSON", "products[0].options[0].a"));
    assert_eq!(
        b(r#", "billing_address": {"zip": 01}"#, BC_PRODUCT),
        pair("E_JSON", "order.billing_address.zip")
    );
}

/// A Stripe charge with `bt` as its balance transaction and `extra` members.
fn charge(bt: &str, extra: &str) -> String {
    format!(
        r#"{{"id": "ch_1", "object": "charge", "amount": 5413, "currency": "usd",
            "created": 1777816800, "status": "succeeded", "balance_transaction": {bt},
            "metadata": {{"k": ["v", {{}}]}}{extra}}}"#
    )
}

const STRIPE_BT: &str = r#"{"id": "txn_1", "amount": 5413, "fee": 187, "net": 5226,
    "currency": "usd", "type": "charge", "fee_details": [{"amount": 187}]}"#;

#[test]
fn stripe_reads_its_objects_and_refuses_what_serde_refused() {
    Platform::Stripe
        .parse(charge(STRIPE_BT, "").as_bytes())
        .unwrap();
    Platform::Stripe
        .parse(charge(r#""txn_1""#, "").as_bytes())
        .unwrap();
    let s = |bt: &str, extra: &str| err(Platform::Stripe, &charge(bt, extra));
    // Wrong types and integers.
    assert_eq!(
        s(STRIPE_BT, r#", "captured": "yes""#),
        pair("E_INVALID_TYPE", "captured")
    );
    let text = charge(STRIPE_BT, "").replace(
        r#""amount": 5413, "currency""#,
        r#""amount": 54.13, "currency""#,
    );
    assert_eq!(
        err(Platform::Stripe, &text),
        pair("E_INVALID_TYPE", "amount")
    );
    let text = charge(STRIPE_BT, "").replace("1777816800", "9223372036854775808");
    assert_eq!(
        err(Platform::Stripe, &text),
        pair("E_INVALID_VALUE", "created")
    );
    let text = charge(STRIPE_BT, "").replace("1777816800", "1e400");
    assert_eq!(err(Platform::Stripe, &text), pair("E_JSON", "created"));
    // An expanded object that does not read fails as a whole: serde's untagged error, at the end
    // of the value (inside an object, that names its last member).
    let bt = STRIPE_BT.replace(r#""net": 5226"#, r#""net": "5226""#);
    assert_eq!(
        s(&bt, ""),
        pair("E_INVALID_TYPE", "balance_transaction.fee_details")
    );
    assert_eq!(s("5", ""), pair("E_INVALID_TYPE", "balance_transaction"));
    // Missing members.
    let bt = STRIPE_BT.replace(r#""type": "charge", "#, "");
    assert_eq!(
        s(&bt, ""),
        pair("E_INVALID_TYPE", "balance_transaction.fee_details")
    );
    let text = charge(STRIPE_BT, "").replace(
        r#""currency": "usd",
            "created""#,
        r#""created""#,
    );
    assert_eq!(
        err(Platform::Stripe, &text),
        pair("E_MISSING_FIELD", "currency")
    );
    let e = err(
        Platform::Stripe,
        r#"{"object": "event", "type": "charge.refunded", "data": {"object": {"object": "refund", "id": "re_1", "currency": "usd", "created": 1}}}"#,
    );
    assert_eq!(e, pair("E_MISSING_FIELD", "data.object.amount"));
    let e = err(
        Platform::Stripe,
        r#"{"object": "event", "data": {"previous": {}}}"#,
    );
    assert_eq!(e, pair("E_MISSING_FIELD", "data.object"));
    // Repeated members, including the tag.
    assert_eq!(
        s(STRIPE_BT, r#", "status": "failed""#),
        pair("E_INVALID_TYPE", "status")
    );
    assert_eq!(
        s(STRIPE_BT, r#", "object": "charge""#),
        pair("E_INVALID_TYPE", "object")
    );
    let e = err(
        Platform::Stripe,
        r#"{"payout": {"id": "po_1", "amount": 1, "amount": 1, "currency": "usd", "created": 1, "status": "paid"}}"#,
    );
    assert_eq!(e, pair("E_INVALID_TYPE", "payout.amount"));
    // Broken JSON inside members nothing reads, also inside an expanded object.
    assert_eq!(
        s(STRIPE_BT, r#", "shipping": {"a": [1 2]}"#),
        pair("E_JSON", "shipping.a[0]")
    );
    let bt = STRIPE_BT.replace(r#""type": "charge""#, r#""type": "charge", "x": {"y": -}"#);
    assert_eq!(s(&bt, ""), pair("E_JSON", "balance_transaction.x.y"));
    let e = err(
        Platform::Stripe,
        r#"{"payout": {"id": "po_1", "amount": 1, "currency": "usd", "created": 1, "status": "paid"}, "balance_transactions": [{"source": {"id": "ch_1", "z": [,]}}]}"#,
    );
    assert_eq!(e, pair("E_JSON", "balance_transactions[0].source.z[1]"));
}
