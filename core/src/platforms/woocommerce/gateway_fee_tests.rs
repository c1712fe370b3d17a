//! The PayPal fee meta walked on the raw text (`Val`) against the `serde_json::Value` walk it
//! replaced (kept here as the oracle): same fee, or same code and path.

use super::*;
use serde_json::Value;

fn paypal_value(meta: &[Meta], currency: Currency) -> Result<GatewayFee> {
    let Some((i, raw)) = find(meta, &["_ppcp_paypal_fees"]) else {
        return Ok(GatewayFee::Unknown);
    };
    let path = format!("meta_data[{i}].value");
    // Walked as a Value (the canonical adapter already links its parser): one more derived struct
    // per money shape would add deserializer code to the wasm module for three fields.
    let b: Value = serde_json::from_slice(raw.as_bytes()).map_err(|e| LedgerError::Json {
        path: path.clone(),
        message: e.to_string(),
    })?;
    if !b.is_object() {
        return Err(LedgerError::InvalidType {
            path,
            message: "expected PayPal's seller_receivable_breakdown object".to_string(),
        });
    }
    let mut parts = Vec::new();
    if let Some(fee) = b.get("paypal_fee").filter(|f| !f.is_null()) {
        parts.push((fee, format!("{path}.paypal_fee")));
    }
    if let Some(list) = b.get("platform_fees").and_then(Value::as_array) {
        for (k, p) in list.iter().enumerate() {
            let at = format!("{path}.platform_fees[{k}].amount");
            let amount = p
                .get("amount")
                .ok_or_else(|| LedgerError::MissingField { path: at.clone() })?;
            parts.push((amount, at));
        }
    }
    if parts.is_empty() {
        return Ok(GatewayFee::Unknown);
    }
    let mut total = Decimal::ZERO;
    for (money, at) in parts {
        let value_path = format!("{at}.value");
        let value = match money.get("value") {
            Some(Value::String(text)) => amount(text, &value_path)?,
            Some(_) => {
                return Err(LedgerError::InvalidType {
                    path: value_path,
                    message: "expected a decimal string".to_string(),
                })
            }
            None => return Err(LedgerError::MissingField { path: value_path }),
        };
        let code = money
            .get("currency_code")
            .and_then(Value::as_str)
            .ok_or_else(|| LedgerError::MissingField {
                path: format!("{at}.currency_code"),
            })?;
        if !code.eq_ignore_ascii_case(currency.code()) {
            return Ok(GatewayFee::Unbookable(format!(
                "{at} PayPal fee {value} is in {code}, not the order's {currency}"
            )));
        }
        total = total
            .checked_add(value)
            .ok_or_else(|| LedgerError::AmountTooLarge {
                path: value_path,
                value: value.to_string(),
            })?;
    }
    Ok(GatewayFee::Booked(total))
}

fn metas(value: &str) -> Vec<Meta<'_>> {
    vec![
        Meta {
            key: "_other".to_string(),
            value: Some("\"x\""),
        },
        Meta {
            key: "_ppcp_paypal_fees".to_string(),
            value: Some(value),
        },
    ]
}

/// Meta values, each with what the new walk must give (`Ok` as text, or code and path).
const CASES: &[(&str, &str)] = &[
    (
        r#"{"paypal_fee": {"currency_code": "USD", "value": "1.23"}}"#,
        "Booked(1.23)",
    ),
    (
        r#"{"paypal_fee": {"currency_code": "USD", "value": "1.23"}, "platform_fees": [{"amount": {"currency_code": "USD", "value": "0.50"}}]}"#,
        "Booked(1.73)",
    ),
    (
        r#"{"paypal_fee": {"currency_code": "EUR", "value": "1.23"}}"#,
        "Unbookable",
    ),
    (
        r#"{"paypal_fee": null, "gross_amount": {"value": "10"}}"#,
        "Unknown",
    ),
    (r#"{"platform_fees": 7}"#, "Unknown"),
    (
        r#"{"paypal_fee": {"currency_code": "USD", "value": 1.23}}"#,
        "E_INVALID_TYPE meta_data[1].value.paypal_fee.value",
    ),
    (
        r#"{"paypal_fee": {"currency_code": "USD"}}"#,
        "E_MISSING_FIELD meta_data[1].value.paypal_fee.value",
    ),
    (
        r#"{"paypal_fee": {"value": "1"}}"#,
        "E_MISSING_FIELD meta_data[1].value.paypal_fee.currency_code",
    ),
    (
        r#"{"paypal_fee": {"currency_code": 5, "value": "1"}}"#,
        "E_MISSING_FIELD meta_data[1].value.paypal_fee.currency_code",
    ),
    (
        r#"{"paypal_fee": {"currency_code": "USD", "value": "-1"}}"#,
        "E_NEGATIVE_AMOUNT meta_data[1].value.paypal_fee.value",
    ),
    (
        r#"{"paypal_fee": {"currency_code": "USD", "value": "1e3"}}"#,
        "E_INVALID_AMOUNT meta_data[1].value.paypal_fee.value",
    ),
    (
        r#"{"paypal_fee": {"currency_code": "USD", "value": "\u0031.5"}}"#,
        "Booked(1.5)",
    ),
    (
        r#"{"platform_fees": [{"amount": null}]}"#,
        "E_MISSING_FIELD meta_data[1].value.platform_fees[0].amount.value",
    ),
    (
        r#"{"platform_fees": [{}]}"#,
        "E_MISSING_FIELD meta_data[1].value.platform_fees[0].amount",
    ),
    (
        r#"{"platform_fees": [7]}"#,
        "E_MISSING_FIELD meta_data[1].value.platform_fees[0].amount",
    ),
    (
        r#"{"paypal_fee": 7, "paypal_fee": {"currency_code": "USD", "value": "2"}}"#,
        "Booked(2)",
    ),
    (r#"[1, 2]"#, "E_INVALID_TYPE meta_data[1].value"),
    (
        r#""{\"paypal_fee\": 1}""#,
        "E_INVALID_TYPE meta_data[1].value",
    ),
];

fn verdict(r: Result<GatewayFee>) -> String {
    match r {
        Ok(GatewayFee::Unbookable(_)) => "Unbookable".to_string(),
        Ok(fee) => format!("{fee:?}"),
        Err(e) => format!("{} {}", e.code(), e.path()),
    }
}

#[test]
fn paypal_fees_read_as_the_value_walk_read_them() {
    for (value, want) in CASES {
        let usd = Currency::from_code("USD").unwrap_or_else(|| unreachable!());
        let new = verdict(paypal(&metas(value), usd));
        assert_eq!(new, *want, "{value}");
        assert_eq!(new, verdict(paypal_value(&metas(value), usd)), "{value}");
        // And exactly the same event-level outcome, unbookable reasons included.
        assert_eq!(
            format!("{:?}", paypal(&metas(value), usd)),
            format!("{:?}", paypal_value(&metas(value), usd)),
        );
    }
}
