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
    // The digits as one integer at the fraction's scale, refused where it passes 96 bits: what
    // rust_decimal's exact parse does with a numeral already checked above, without its parser
    // (a copy per const-generic variant, ~3 KB of every wasm module).
    let mut mantissa: u128 = 0;
    for b in int_part
        .bytes()
        .chain(frac_part.unwrap_or_default().bytes())
    {
        mantissa = mantissa * 10 + u128::from(b - b'0');
        if mantissa >> 96 != 0 {
            return Err(NumeralError::TooPrecise);
        }
    }
    let signed = i128::try_from(mantissa).map_err(|_| NumeralError::TooPrecise)?;
    let scale =
        u32::try_from(frac_part.map_or(0, str::len)).map_err(|_| NumeralError::TooPrecise)?;
    let value = Decimal::try_from_i128_with_scale(
        if unsigned.len() < text.len() {
            -signed
        } else {
            signed
        },
        scale,
    )
    .map_err(|_| NumeralError::TooPrecise)?;
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

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(4000))]
        /// rust_decimal's own exact parse is the oracle: same value, scale and sign, same refusals.
        #[test]
        fn agrees_with_rust_decimals_exact_parse(
            text in "-?0{0,3}[0-9]{0,17}(\\.[0-9]{0,30})?",
        ) {
            let oracle = (|| {
                let unsigned = text.strip_prefix('-').unwrap_or(&text);
                let (i, f) = unsigned.split_once('.').unwrap_or((unsigned, "0"));
                if i.is_empty() || f.is_empty() || f.len() > SCALE_MAX {
                    return None;
                }
                if i.trim_start_matches('0').len() > 15 {
                    return None;
                }
                Decimal::from_str_exact(&text).ok().map(normalize_zero)
            })();
            let ours = parse_decimal(&text).ok();
            proptest::prop_assert_eq!(ours.map(|d| (d.to_string(), d.scale(), d.is_sign_negative())),
                oracle.map(|d| (d.to_string(), d.scale(), d.is_sign_negative())));
        }
    }

    #[test]
    fn refuses_past_96_bits_as_too_precise() {
        // 15 integer digits and 28 fractional ones: 43 digits, more than a 96-bit mantissa holds.
        let text = format!("123456789012345.{}", "1".repeat(28));
        assert_eq!(parse_decimal(&text), Err(NumeralError::TooPrecise));
        assert!(Decimal::from_str_exact(&text).is_err());
        // 1 + 28 digits fit below 2^96 (7.9 * 10^28).
        assert_eq!(
            parse_decimal(&format!("1.{}", "9".repeat(28))).map(|d| d.scale()),
            Ok(28)
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
