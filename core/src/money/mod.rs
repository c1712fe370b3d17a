//! Exact money: `rust_decimal` amounts with an ISO 4217 currency, checked arithmetic only.

mod allocate;
pub(crate) mod checked;
mod currency;
mod parse;

pub use allocate::allocate;
pub use currency::Currency;
pub use parse::{normalize_zero, parse_decimal, NumeralError, AMOUNT_ABS_MAX};

use rust_decimal::{Decimal, RoundingStrategy};

/// Rounds to the currency's minor units, half to even (banker's rounding, the IEEE and
/// rust_decimal default, so repeated splits do not drift in one direction).
pub fn round_to(currency: Currency, amount: Decimal) -> Decimal {
    normalize_zero(amount.round_dp_with_strategy(
        currency.minor_units(),
        RoundingStrategy::MidpointNearestEven,
    ))
}

/// Formats at exactly the currency's minor units: USD `54.1` → `"54.10"`, JPY `5413` → `"5413"`.
pub fn format_amount(currency: Currency, amount: Decimal) -> String {
    let scaled = if amount.scale() == currency.minor_units() {
        normalize_zero(amount)
    } else {
        let mut scaled = round_to(currency, amount);
        scaled.rescale(currency.minor_units());
        scaled
    };
    // The JSON writer's digits are `Display`'s text without going through `core::fmt`.
    let mut out = String::with_capacity(24);
    crate::json::write::decimal_text(&mut out, scaled);
    out
}

/// Displays an amount at the currency's minor units without allocating (for explanations).
pub struct Shown(pub Currency, pub Decimal);

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut scaled = round_to(self.0, self.1);
        scaled.rescale(self.0.minor_units());
        std::fmt::Display::fmt(&scaled, f)
    }
}

/// True when `amount` has no digits beyond the currency's minor units.
pub fn fits_minor_units(currency: Currency, amount: Decimal) -> bool {
    // No more digits after the point than the currency has always fits; only a longer scale
    // (`12.340` USD fits, `12.345` does not) needs the rounding.
    amount.scale() <= currency.minor_units() || round_to(currency, amount) == amount
}

/// One minor unit of the currency (USD 0.01, JPY 1).
pub fn minor_unit(currency: Currency) -> Decimal {
    Decimal::new(1, currency.minor_units())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_at_minor_units() {
        let usd = Currency::from_code("USD").unwrap_or_else(|| unreachable!());
        let jpy = Currency::from_code("JPY").unwrap_or_else(|| unreachable!());
        let kwd = Currency::from_code("KWD").unwrap_or_else(|| unreachable!());
        assert_eq!(format_amount(usd, Decimal::new(541, 1)), "54.10");
        assert_eq!(format_amount(jpy, Decimal::new(5413, 0)), "5413");
        assert_eq!(format_amount(kwd, Decimal::new(125, 2)), "1.250");
        assert_eq!(format_amount(usd, Decimal::ZERO), "0.00");
        assert_eq!(format_amount(usd, Decimal::new(-0, 2)), "0.00");
        assert_eq!(format_amount(usd, Decimal::new(5, 3)), "0.00");
        assert_eq!(format_amount(usd, Decimal::new(15, 3)), "0.02");
    }
}

/// Serde for amounts in public shapes: decimal strings out, strict decimal strings in.
pub mod strict {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(value)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
        super::parse_decimal(&text).map_err(|e| {
            serde::de::Error::custom(format!("invalid amount {text:?}: {}", e.reason()))
        })
    }
}

/// [`strict`] for optional amounts.
pub mod strict_opt {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(v) => s.collect_str(v),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        match Option::<std::borrow::Cow<'de, str>>::deserialize(d)? {
            None => Ok(None),
            Some(text) => super::parse_decimal(&text).map(Some).map_err(|e| {
                serde::de::Error::custom(format!("invalid amount {text:?}: {}", e.reason()))
            }),
        }
    }
}
