//! Whether a JSON number is too large for an f64 (serde_json's "number out of range"), decided on
//! its decimal digits. `str::parse::<f64>` decided it before: that linked the standard library's
//! float parser and its power-of-five tables into every wasm module for this one yes/no, the
//! largest single item the widget's lean modules carried for no mapping they do.

use std::cmp::Ordering;

/// The smallest magnitude that rounds to infinity as an f64: 2^1024 − 2^970, halfway between
/// `f64::MAX` and 2^1024. A tie rounds to the even significand, which is 2^1024's, so it overflows
/// too. 309 digits, none of them trailing zeros.
const LIMIT: &[u8] = b"179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";

/// True when the JSON number `text` parses to an infinite f64, exactly as
/// `text.parse::<f64>().map_or(true, f64::is_infinite)` says (text that is not a number: true).
pub(crate) fn beyond_f64(text: &str) -> bool {
    let bytes = text.as_bytes();
    let bytes = bytes.strip_prefix(b"-").unwrap_or(bytes);
    let (int, rest) = bytes.split_at(digit_run(bytes));
    let (frac, rest) = match rest {
        [b'.', rest @ ..] => rest.split_at(digit_run(rest)),
        _ => (&rest[..0], rest),
    };
    let exponent = match rest {
        [] => 0,
        [b'e' | b'E', rest @ ..] => {
            let (negative, digits) = match rest {
                [b'-', d @ ..] => (true, d),
                [b'+', d @ ..] => (false, d),
                d => (false, d),
            };
            if digits.is_empty() || digit_run(digits) != digits.len() {
                return true;
            }
            // Saturating: an exponent past i64 is as far beyond (or below) the limit as any.
            let magnitude = digits.iter().fold(0i64, |e, d| {
                e.saturating_mul(10).saturating_add(i64::from(d - b'0'))
            });
            if negative {
                -magnitude
            } else {
                magnitude
            }
        }
        _ => return true,
    };
    if int.is_empty() && frac.is_empty() {
        return true;
    }
    let leading = int.iter().chain(frac).take_while(|d| **d == b'0').count();
    let count = int.len() + frac.len() - leading;
    if count == 0 {
        return false;
    }
    let significant = int.iter().chain(frac).copied().skip(leading);
    // 10^(places − 1) ≤ |value| < 10^places, as LIMIT's 309 digits place it below 10^309.
    let places = i64::try_from(count)
        .unwrap_or(i64::MAX)
        .saturating_add(exponent)
        .saturating_sub(i64::try_from(frac.len()).unwrap_or(i64::MAX));
    match places.cmp(&309) {
        Ordering::Less => false,
        Ordering::Greater => true,
        // Same number of places: the digits decide, LIMIT read with zeros after its last one.
        Ordering::Equal => {
            let mut limit = LIMIT.iter().copied();
            for digit in significant {
                let bound = limit.next().unwrap_or(b'0');
                if digit != bound {
                    return digit > bound;
                }
            }
            // The number's digits ran out: it is at the limit only if the limit's did too.
            limit.next().is_none()
        }
    }
}

fn digit_run(bytes: &[u8]) -> usize {
    bytes.iter().take_while(|b| b.is_ascii_digit()).count()
}

#[cfg(test)]
mod tests {
    use super::{beyond_f64, LIMIT};
    use proptest::prelude::*;

    fn float_says(text: &str) -> bool {
        text.parse::<f64>().map_or(true, f64::is_infinite)
    }

    #[test]
    fn the_limit_is_the_first_infinite_magnitude() {
        let limit = std::str::from_utf8(LIMIT).unwrap_or_default();
        assert_eq!(limit.len(), 309);
        assert!(float_says(limit));
        assert!(!float_says(&format!("{}{}", &limit[..308], "1")));
        assert!(!float_says(&format!("{}e308", "1.7976931348623158")));
    }

    #[test]
    fn edges() {
        let limit = std::str::from_utf8(LIMIT).unwrap_or_default();
        let below = format!("{}1", &limit[..308]);
        let cases = [
            "0",
            "-0",
            "1",
            "1.5",
            "1e308",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "1.8e308",
            "-1.8e308",
            "1e309",
            "0.0001e312",
            "10e308",
            "0.18e310",
            "1e-400",
            "0e99999999999999999999999",
            "1e99999999999999999999999",
            "1e-99999999999999999999999",
            "000000000001e308",
            "1E+308",
            "2E+308",
            "1.",
            ".5",
            ".",
            "",
            "-",
            "1e",
            "1e+",
            "1x",
            "1.2.3",
            limit,
            &below,
            &format!("{limit}0"),
            &format!("{limit}.0000"),
            &format!("{limit}.00001"),
            &format!("0.{limit}e309"),
            &format!("0.{below}e309"),
            &format!("-{limit}e0"),
            &format!("{}.{}e308", &limit[..1], &limit[1..]),
            &format!("{}.{}e307", &limit[..2], &limit[2..]),
            &format!("{}e1", &limit[..308]),
            &format!("{}9e1", &limit[..307]),
        ];
        for text in cases {
            assert_eq!(beyond_f64(text), float_says(text), "{text}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        #[test]
        fn as_the_float_parser_says(
            negative in any::<bool>(),
            zeros in 0usize..3,
            int in "[0-9]{0,40}",
            frac in proptest::option::of("[0-9]{0,40}"),
            exponent in proptest::option::of((
                prop_oneof![Just("e"), Just("E")],
                prop_oneof![Just(""), Just("+"), Just("-")],
                prop_oneof![0u32..5, 290u32..320, 0u32..420],
            )),
            near in 0usize..310,
            bump in 0u8..3,
        ) {
            // Half the cases near the limit: its first `near` digits, then a varied one.
            let limit = std::str::from_utf8(LIMIT).unwrap_or_default();
            let mut text = String::new();
            if negative {
                text.push('-');
            }
            text.push_str(&"0".repeat(zeros));
            if near % 2 == 0 {
                text.push_str(&limit[..near]);
                let next = limit.as_bytes().get(near).copied().unwrap_or(b'0');
                text.push(char::from(b'0' + (next - b'0' + bump) % 10));
                text.push_str(&int);
                text.push_str(&"0".repeat(309usize.saturating_sub(text.len())));
            } else {
                text.push_str(&int);
            }
            if let Some(frac) = frac {
                text.push('.');
                text.push_str(&frac);
            }
            if let Some((e, sign, n)) = exponent {
                text.push_str(&format!("{e}{sign}{n}"));
            }
            prop_assert_eq!(beyond_f64(&text), float_says(&text), "{}", text);
        }
    }
}
