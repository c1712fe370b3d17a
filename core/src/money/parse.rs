//! Strict parsing of decimal text.
//!
//! Storefronts send money as decimal strings ("12.30"), sometimes as JSON numbers. Both are read
//! from their text, never through `f64`, and anything that is not a plain decimal numeral is refused:
//! `1e3`, `NaN`, `+5`, ` 5`, `5.`, `.5` and the empty string all mean a broken sender, not an amount.

use rust_decimal::Decimal;

/// Largest absolute amount accepted (10^15): QuickBooks allows 15 integer digits, and nothing a
/// shop sells comes near it, so anything larger is corrupt input, not a sale.
pub const AMOUNT_ABS_MAX: i64 = 1_000_000_000_000_000;
/// rust_decimal keeps at most 28 fractional digits; more is precision no ledger can hold.
const SCALE_MAX: usize = 28;

/// Why a numeral was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NumeralError {
    Empty,
    NotDecimal,
    TooPrecise,
    TooLarge,
}

impl NumeralError {
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::NotDecimal => "not a plain decimal numeral",
            Self::TooPrecise => "more than 28 fractional digits",
            Self::TooLarge => "magnitude of 10^15 or more",
        }
    }
}

/// Parses `-?digits(.digits)?` exactly.
pub fn parse_decimal(text: &str) -> Result<Decimal, NumeralError> {
    if text.is_empty() {
        return Err(NumeralError::Empty);
    }
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (int_part, frac_part) = match unsigned.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (unsigned, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int_part) || frac_part.is_some_and(|f| !all_digits(f)) {
        return Err(NumeralError::NotDecimal);
    }
    if frac_part.map_or(0, str::len) > SCALE_MAX {
        return Err(NumeralError::TooPrecise);
    }
    if int_part.trim_start_matches('0').len() > 15 {
        return Err(NumeralError::TooLarge);
    }
    let value = Decimal::from_str_exact(text).map_err(|_| NumeralError::TooPrecise)?;
    if value.abs() >= Decimal::from(AMOUNT_ABS_MAX) {
        return Err(NumeralError::TooLarge);
    }
    Ok(normalize_zero(value))
}

/// `-0.00` is a valid numeral but must not print as a negative zero.
pub fn normalize_zero(value: Decimal) -> Decimal {
    if value.is_zero() && value.is_sign_negative() {
        -value
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_plain_numerals_exactly() {
        for (text, expected) in [
            ("12.30", "12.30"),
            ("-0.00", "0.00"),
            ("7", "7"),
            ("0.1", "0.1"),
        ] {
            assert_eq!(
                parse_decimal(text).map(|d| d.to_string()),
                Ok(expected.to_string())
            );
        }
        assert_eq!(
            parse_decimal("0.30000000000000004").map(|d| d.to_string()),
            Ok("0.30000000000000004".to_string())
        );
    }

    #[test]
    fn refuses_everything_else() {
        for text in [
            "", "1e3", "NaN", "inf", "+5", " 5", "5 ", "5.", ".5", "1,5", "--1", "0x10",
        ] {
            assert!(parse_decimal(text).is_err(), "{text:?} must be refused");
        }
        assert_eq!(
            parse_decimal("1000000000000000"),
            Err(NumeralError::TooLarge)
        );
        assert_eq!(
            parse_decimal("99999999999999999999999999999999"),
            Err(NumeralError::TooLarge)
        );
        assert!(parse_decimal("999999999999999.99").is_ok());
    }
}
