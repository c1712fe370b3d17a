//! Processing fees that gateway plugins store in the order's `meta_data[]` (research facts in
//! docs/platforms.md): WooCommerce Stripe Gateway, WooCommerce PayPal Payments and WooPayments.
//!
//! Only the plugin of the order's `payment_method` is read: another plugin's keys on the same order
//! (a gateway switched after a failed attempt) describe money this order's tender never moved.

use super::wire::Meta;
use crate::error::{LedgerError, Result};
use crate::money::Currency;
use crate::platforms::de::Dec;
use crate::platforms::totals::non_negative;
use rust_decimal::Decimal;
use serde::Deserialize;

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

#[derive(Deserialize)]
struct PaypalBreakdown {
    paypal_fee: Option<PaypalMoney>,
    #[serde(default)]
    platform_fees: Vec<PlatformFee>,
}

#[derive(Deserialize)]
struct PlatformFee {
    amount: PaypalMoney,
}

#[derive(Deserialize)]
struct PaypalMoney {
    currency_code: String,
    value: Dec,
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
            let raw = m.value.as_deref()?.get();
            (m.key == *key && raw != "\"\"" && raw != "null").then_some((i, raw))
        })
    })
}

fn amount(raw: &str, path: &str) -> Result<Decimal> {
    let value = crate::json::from_json::<Dec>(raw.as_bytes())
        .map_err(|e| e.within(path))?
        .0;
    non_negative(value, || path.to_string())
}

fn text(raw: &str, path: &str) -> Result<String> {
    crate::json::from_json::<String>(raw.as_bytes()).map_err(|e| e.within(path))
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
/// any `platform_fees[]` are both withheld from the gross, so both are the cost of the payment.
fn paypal(meta: &[Meta], currency: Currency) -> Result<GatewayFee> {
    let Some((i, raw)) = find(meta, &["_ppcp_paypal_fees"]) else {
        return Ok(GatewayFee::Unknown);
    };
    let path = format!("meta_data[{i}].value");
    let b: PaypalBreakdown = crate::json::from_json(raw.as_bytes()).map_err(|e| e.within(&path))?;
    let mut parts = Vec::new();
    if let Some(fee) = &b.paypal_fee {
        parts.push((fee, format!("{path}.paypal_fee")));
    }
    for (k, p) in b.platform_fees.iter().enumerate() {
        parts.push((&p.amount, format!("{path}.platform_fees[{k}].amount")));
    }
    if parts.is_empty() {
        return Ok(GatewayFee::Unknown);
    }
    let mut total = Decimal::ZERO;
    for (money, at) in parts {
        let value = non_negative(money.value.0, || format!("{at}.value"))?;
        if !money.currency_code.eq_ignore_ascii_case(currency.code()) {
            return Ok(GatewayFee::Unbookable(format!(
                "{at} PayPal fee {value} is in {}, not the order's {currency}",
                money.currency_code
            )));
        }
        total = total
            .checked_add(value)
            .ok_or_else(|| LedgerError::AmountTooLarge {
                path: format!("{at}.value"),
                value: value.to_string(),
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
