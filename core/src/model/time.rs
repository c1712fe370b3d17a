//! Source timestamps: RFC 3339 text kept as sent, with its local calendar date and Unix seconds.
//!
//! A sale processed at 23:30 in New York belongs to that day's books, so the date is taken in the
//! timestamp's own offset, never shifted to UTC. Unix seconds order versions of the same object.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timestamp {
    text: String,
    unix: i64,
}

impl Timestamp {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`, or a bare `YYYY-MM-DD` (midnight UTC).
    /// WooCommerce's `*_gmt` fields carry no offset; they are UTC by definition and accepted as such.
    pub fn parse(text: &str) -> Option<Self> {
        let unix = unix_seconds(text)?;
        Some(Self {
            text: text.to_string(),
            unix,
        })
    }

    /// From Unix seconds (Stripe, BigCommerce): rendered in UTC.
    pub fn from_unix(unix: i64) -> Option<Self> {
        let days = unix.div_euclid(86_400);
        let secs = unix.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        if !(0..=9999).contains(&y) {
            return None;
        }
        let text = format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        );
        Some(Self { text, unix })
    }

    /// The calendar date in the timestamp's own offset.
    pub fn date(&self) -> &str {
        self.text.get(..10).unwrap_or("")
    }

    pub fn unix(&self) -> i64 {
        self.unix
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
        Timestamp::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("invalid timestamp {text:?}")))
    }
}

/// At most four digits, so no overflow: folded by hand, as `str::parse`'s overflow checks are a
/// 128-bit multiply call per digit in wasm32.
fn digits(text: &str, from: usize, len: usize) -> Option<i64> {
    let slice = text.as_bytes().get(from..from + len)?;
    slice.iter().try_fold(0i64, |value, &b| {
        b.is_ascii_digit().then(|| value * 10 + i64::from(b - b'0'))
    })
}

fn unix_seconds(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let year = digits(text, 0, 4)?;
    let month = digits(text, 5, 2)?;
    let day = digits(text, 8, 2)?;
    if bytes.get(4) != Some(&b'-') || bytes.get(7) != Some(&b'-') {
        return None;
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if text.len() == 10 {
        return Some(days * 86_400);
    }
    if !matches!(bytes.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let (hour, minute, second) = (
        digits(text, 11, 2)?,
        digits(text, 14, 2)?,
        digits(text, 17, 2)?,
    );
    if bytes.get(13) != Some(&b':') || bytes.get(16) != Some(&b':') {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = text.get(19..)?;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits_len = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits_len == 0 {
            return None;
        }
        rest = fraction.get(digits_len..)?;
    }
    let offset = match rest {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first() {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.as_bytes().get(3) != Some(&b':') {
                return None;
            }
            let (oh, om) = (digits(rest, 1, 2)?, digits(rest, 4, 2)?);
            if oh > 23 || om > 59 {
                return None;
            }
            sign * (oh * 3600 + om * 60)
        }
    };
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub(crate) fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days-from-civil algorithm (proleptic Gregorian, day 0 = 1970-01-01).
pub(crate) fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_local_date_and_computes_unix_seconds() {
        let t = Timestamp::parse("2026-05-03T23:30:00-04:00").unwrap();
        assert_eq!(t.date(), "2026-05-03");
        // 2026-05-04T03:30:00Z, checked with `date -d '2026-05-03T23:30:00-04:00' +%s`.
        assert_eq!(t.unix(), 1_777_865_400);
        assert_eq!(Timestamp::parse("1970-01-01T00:00:00Z").unwrap().unix(), 0);
        assert_eq!(
            Timestamp::parse("2026-05-03T14:00:01").unwrap().unix(),
            1_777_816_801
        );
        assert_eq!(
            Timestamp::parse("2024-02-29T00:00:00.123+00:00")
                .unwrap()
                .unix(),
            1_709_164_800
        );
    }

    #[test]
    fn round_trips_unix_seconds() {
        for unix in [0, 1_714_740_000, 1_777_865_400, 951_782_400] {
            let t = Timestamp::from_unix(unix).unwrap();
            assert_eq!(Timestamp::parse(t.as_str()).unwrap().unix(), unix);
        }
    }

    #[test]
    fn refuses_malformed_text() {
        for text in [
            "",
            "2026-13-01",
            "2026-02-30T00:00:00Z",
            "2026-05-03T25:00:00Z",
            "yesterday",
            "2026-05-03T10:00:00+0400",
            "2026-05-03T10:00",
            "2026-0a-03T10:00:00Z",
            "２026-05-03",
            "2026-05-03T1٣:00:00Z",
            "+026-05-03",
        ] {
            assert!(Timestamp::parse(text).is_none(), "{text:?}");
        }
    }
}
