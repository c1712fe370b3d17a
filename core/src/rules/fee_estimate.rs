//! `[[fee_estimates]]`: a percent-plus-fixed fee booked with a sale whose tender reports no fee
//! (PayPal through Shopify, offline-configured gateways), so margins are not overstated until the
//! gateway's statement is reconciled.

use crate::error::{LedgerError, Result};
use crate::money::{parse_decimal, Currency};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// Shopify Payments' fee is booked by its payout, whose charge items say `fee_booked: false` unless
/// the worker fetched the fee with the order: an estimate booked with the sale would then be booked
/// a second time by the payout. (A Stripe estimate is harmless: Stripe payouts settle charges net,
/// so the estimate's difference to the real fee stays visible in clearing.)
const FEE_BOOKED_BY_PAYOUT: [&str; 1] = ["shopify_payments"];

/// One estimate rule: `percent` of the tender plus `fixed`, in the order's booking currency.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default, deny_unknown_fields)]
pub struct FeeEstimate {
    /// Gateway name as the platform sends it (`paypal`, `ppcp-gateway`), matched case-insensitively.
    pub gateway: String,
    /// Percent of the tender amount, a decimal string (`"2.9"`).
    #[serde(with = "decimal_text")]
    #[cfg_attr(feature = "ts", ts(type = "DecimalString"))]
    pub percent: Decimal,
    /// Fixed part per tender, a decimal string in the order's currency (`"0.30"`).
    #[serde(with = "decimal_text")]
    #[cfg_attr(feature = "ts", ts(type = "DecimalString"))]
    pub fixed: Decimal,
}

impl FeeEstimate {
    /// The estimate for a tender of `amount`, rounded half away from zero to the currency's minor
    /// units: processors round a computed fee that way, and the estimate is replaced by the real
    /// figure when the statement is reconciled, so the last half cent is not worth a bias rule.
    pub fn estimate(&self, currency: Currency, amount: Decimal) -> Option<Decimal> {
        use crate::money::checked::{add_or_none, div_or_none, mul_or_none};
        // The shared non-generic checked ops, not rust_decimal's that inline into each caller.
        let variable = div_or_none(mul_or_none(amount, self.percent)?, Decimal::ONE_HUNDRED)?;
        let fee = add_or_none(variable, self.fixed)?;
        Some(fee.round_dp_with_strategy(
            currency.minor_units(),
            RoundingStrategy::MidpointAwayFromZero,
        ))
    }

    /// How the line's `why` names the rule: `2.9% + 0.30`.
    pub fn describe(&self) -> String {
        format!("{}% + {}", self.percent.normalize(), self.fixed)
    }
}

pub(super) fn validate(rules: &[FeeEstimate]) -> Result<()> {
    for (i, rule) in rules.iter().enumerate() {
        let at = |field: &str| format!("fee_estimates[{i}].{field}");
        let gateway = rule.gateway.trim();
        if gateway.is_empty() {
            return Err(invalid(
                at("gateway"),
                "",
                "name the gateway the estimate is for",
            ));
        }
        if FEE_BOOKED_BY_PAYOUT
            .iter()
            .any(|g| g.eq_ignore_ascii_case(gateway))
        {
            return Err(invalid(
                at("gateway"),
                gateway,
                "its fee is booked by the payout (or fetched with the order); an estimate would book it twice",
            ));
        }
        if let Some(j) = rules[..i]
            .iter()
            .position(|r| r.gateway.trim().eq_ignore_ascii_case(gateway))
        {
            return Err(invalid(
                at("gateway"),
                gateway,
                &format!("fee_estimates[{j}] already estimates this gateway"),
            ));
        }
        if rule.percent.is_sign_negative() || rule.percent >= Decimal::ONE_HUNDRED {
            return Err(invalid(
                at("percent"),
                &rule.percent.to_string(),
                "a percent from 0 to below 100",
            ));
        }
        if rule.fixed.is_sign_negative() {
            return Err(invalid(
                at("fixed"),
                &rule.fixed.to_string(),
                "must not be negative",
            ));
        }
        if rule.percent.is_zero() && rule.fixed.is_zero() {
            return Err(invalid(
                at("percent"),
                "0",
                "an estimate of 0% + 0 estimates nothing",
            ));
        }
    }
    Ok(())
}

fn invalid(path: String, value: &str, reason: &str) -> LedgerError {
    LedgerError::Config {
        path,
        value: value.to_string(),
        reason: reason.to_string(),
    }
}

/// A decimal read from and written as a string: TOML and JSON numbers would pass through `f64`.
mod decimal_text {
    use super::parse_decimal;
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let text = String::deserialize(d)?;
        parse_decimal(&text).map_err(|e| {
            serde::de::Error::custom(format!(
                "invalid value: {text:?} is not a decimal string ({})",
                e.reason()
            ))
        })
    }
}
