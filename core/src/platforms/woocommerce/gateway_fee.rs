//! Processing fees that gateway plugins store in the order's `meta_data[]` (research facts in
//! docs/platforms.md): WooCommerce Stripe Gateway, WooCommerce PayPal Payments and WooPayments.
//!
//! Only the plugin of the order's `payment_method` is read: another plugin's keys on the same order
//! (a gateway switched after a failed attempt) describe money this order's tender never moved.

use super::wire::Meta;
use crate::error::{LedgerError, Result};
use crate::money::Currency;
use crate::money::{parse_decimal, NumeralError};
use crate::platforms::totals::non_negative;
use crate::platforms::val::Val;
use rust_decimal::Decimal;

/// What the order's meta says about its tender's fee.
#[derive(Debug, PartialEq)]
pub(super) enum GatewayFee {
    /// No fee meta for this gateway: the fee is unknown.
    Unknown,
    /// A fee in the order's currency, booked with the sale.
    Booked(Decimal),
    /// A fee the plugin reports in another currency: not bookable with the sale, and why.
    Unbookable(String),
}

pub(super) fn read(meta: &[Meta], payment_method: &str, currency: Currency) -> Result<GatewayFee> {
    let method = payment_method.trim();
    if method.starts_with("stripe") {
        stripe(meta, currency)
    } else if method.starts_with("ppcp-") {
        paypal(meta, currency)
    } else if method.starts_with("woocommerce_payments") {
        woopayments(meta, currency)
    } else {
        Ok(GatewayFee::Unknown)
    }
}

/// The first entry with one of `keys` (in the order given) holding a non-empty value.
fn find<'a>(meta: &'a [Meta], keys: &[&str]) -> Option<(usize, &'a str)> {
    keys.iter().find_map(|key| {
        meta.iter().enumerate().find_map(|(i, m)| {
            let raw = m.value?;
            (m.key == *key && raw != "\"\"" && raw != "null").then_some((i, raw))
        })
    })
}

/// A decimal meta value: a JSON string (what the plugins store) or number, read from its text so
/// it never passes through a float.
fn amount(raw: &str, path: &str) -> Result<Decimal> {
    let text = raw
        .strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .unwrap_or(raw);
    let value = parse_decimal(text).map_err(|e| match e {
        NumeralError::TooLarge => LedgerError::AmountTooLarge {
            path: path.to_string(),
            value: text.to_string(),
        },
        other => LedgerError::InvalidAmount {
            path: path.to_string(),
            value: text.to_string(),
            reason: other.reason().to_string(),
        },
    })?;
    non_negative(value, || path.to_string())
}

/// A plain string meta value (a currency code); anything else is the wrong type.
fn text<'a>(raw: &'a str, path: &str) -> Result<&'a str> {
    raw.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .filter(|t| !t.contains('\\'))
        .ok_or_else(|| LedgerError::InvalidType {
            path: path.to_string(),
            message: format!("expected a currency code string, found {raw}"),
        })
}

/// `_stripe_fee` (legacy `Stripe Fee`) is cumulative: the plugin adds each refund's balance
/// transaction fee to the charge's, so the value is the net fee of the order version it is read
/// from. `_stripe_currency` is the Stripe account's settlement currency; absent (older orders),
/// the fee is taken to be in the order's currency, as it was before the plugin stored it.
fn stripe(meta: &[Meta], currency: Currency) -> Result<GatewayFee> {
    let Some((i, raw)) = find(meta, &["_stripe_fee", "Stripe Fee"]) else {
        return Ok(GatewayFee::Unknown);
    };
    let fee = amount(raw, &format!("meta_data[{i}].value"))?;
    if let Some((j, raw)) = find(meta, &["_stripe_currency"]) {
        let code = text(raw, &format!("meta_data[{j}].value"))?;
        if !code.eq_ignore_ascii_case(currency.code()) {
            return Ok(GatewayFee::Unbookable(format!(
                "meta_data[{i}] Stripe fee {fee} is in the settlement currency {code}, not the order's {currency}"
            )));
        }
    }
    Ok(GatewayFee::Booked(fee))
}

/// `_ppcp_paypal_fees` is PayPal's `seller_receivable_breakdown` of the capture: `paypal_fee` and
/// any `platform_fees[]` are both withheld from the gross, so both are the cost of the payment. Each
/// money is `{currency_code, value}` with `value` a decimal string.
fn paypal(meta: &[Meta], currency: Currency) -> Result<GatewayFee> {
    let Some((i, raw)) = find(meta, &["_ppcp_paypal_fees"]) else {
        return Ok(GatewayFee::Unknown);
    };
    let path = format!("meta_data[{i}].value");
    // The text was checked as JSON by the wire reader; only the three fields read are looked at.
    let b = Val(raw);
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
    if let Some(list) = b.get("platform_fees").and_then(Val::items) {
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
            Some(v) if v.0.starts_with('"') => {
                amount(&v.as_str().unwrap_or_default(), &value_path)?
            }
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
            .and_then(Val::as_str)
            .ok_or_else(|| LedgerError::MissingField {
                path: format!("{at}.currency_code"),
            })?;
        if !code.eq_ignore_ascii_case(currency.code()) {
            return Ok(GatewayFee::Unbookable(format!(
                "{at} PayPal fee {value} is in {code}, not the order's {currency}"
            )));
        }
        total = crate::money::checked::add_or_none(total, value).ok_or_else(|| {
            LedgerError::AmountTooLarge {
                path: value_path,
                value: value.to_string(),
            }
        })?;
    }
    Ok(GatewayFee::Booked(total))
}

/// `_wcpay_transaction_fee` is in the charge currency, which `_wcpay_intent_currency` names when
/// the plugin stored it; without it the charge is taken to be in the order's currency.
fn woopayments(meta: &[Meta], currency: Currency) -> Result<GatewayFee> {
    let Some((i, raw)) = find(meta, &["_wcpay_transaction_fee"]) else {
        return Ok(GatewayFee::Unknown);
    };
    let fee = amount(raw, &format!("meta_data[{i}].value"))?;
    if let Some((j, raw)) = find(meta, &["_wcpay_intent_currency"]) {
        let code = text(raw, &format!("meta_data[{j}].value"))?;
        if !code.eq_ignore_ascii_case(currency.code()) {
            return Ok(GatewayFee::Unbookable(format!(
                "meta_data[{i}] WooPayments fee {fee} is in the charge currency {code}, not the order's {currency}"
            )));
        }
    }
    Ok(GatewayFee::Booked(fee))
}

#[cfg(test)]
#[path = "gateway_fee_tests.rs"]
mod tests;
