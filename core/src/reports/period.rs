//! Periods: which day, ISO week, month or quarter a `YYYY-MM-DD` date falls in, plus the
//! non-time groupings (order, channel, sku). Plain calendar arithmetic, no clock and no time zone:
//! entry dates are already the shop's local dates.

use crate::error::{LedgerError, Result};
use crate::model::time::{civil_from_days, days_from_civil, days_in_month};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupBy {
    Day,
    Week,
    Month,
    Quarter,
    Order,
    Channel,
    Sku,
}

impl GroupBy {
    pub const ALL: [GroupBy; 7] = [
        GroupBy::Day,
        GroupBy::Week,
        GroupBy::Month,
        GroupBy::Quarter,
        GroupBy::Order,
        GroupBy::Channel,
        GroupBy::Sku,
    ];
    pub const TIME: [GroupBy; 4] = [
        GroupBy::Day,
        GroupBy::Week,
        GroupBy::Month,
        GroupBy::Quarter,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            GroupBy::Day => "day",
            GroupBy::Week => "week",
            GroupBy::Month => "month",
            GroupBy::Quarter => "quarter",
            GroupBy::Order => "order",
            GroupBy::Channel => "channel",
            GroupBy::Sku => "sku",
        }
    }

    /// The period key of a date: `2026-05-04`, `2026-W19`, `2026-05`, `2026-Q2`; `None` for a
    /// non-time grouping or a date that is not a calendar date.
    pub fn period(&self, date: &str) -> Option<String> {
        let (y, m, _) = ymd(date)?;
        match self {
            GroupBy::Day => Some(date.to_string()),
            GroupBy::Month => Some(format!("{y:04}-{m:02}")),
            GroupBy::Quarter => Some(format!("{y:04}-Q{}", (m - 1) / 3 + 1)),
            GroupBy::Week => {
                let (wy, w) = iso_week(date)?;
                Some(format!("{wy:04}-W{w:02}"))
            }
            _ => None,
        }
    }
}

impl FromStr for GroupBy {
    type Err = LedgerError;
    fn from_str(s: &str) -> Result<Self> {
        GroupBy::ALL
            .iter()
            .find(|b| b.as_str().eq_ignore_ascii_case(s.trim()))
            .copied()
            .ok_or_else(|| LedgerError::InvalidValue {
                path: "options.by".to_string(),
                value: s.to_string(),
                reason: "expected day, week, month, quarter, order, channel or sku".to_string(),
            })
    }
}

fn ymd(date: &str) -> Option<(i64, i64, i64)> {
    let b = date.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> {
        let s = date.get(r)?;
        s.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| s.parse().ok())?
    };
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    ((1..=12).contains(&m) && (1..=days_in_month(y, m)).contains(&d)).then_some((y, m, d))
}

/// Days since 1970-01-01, `None` for a non-date.
pub(crate) fn days(date: &str) -> Option<i64> {
    let (y, m, d) = ymd(date)?;
    Some(days_from_civil(y, m, d))
}

/// ISO 8601 week-numbering year and week: weeks start on Monday, week 1 holds the year's first
/// Thursday.
fn iso_week(date: &str) -> Option<(i64, i64)> {
    let n = days(date)?;
    // 1970-01-01 was a Thursday: weekday 1 = Monday … 7 = Sunday.
    let weekday = (n + 3).rem_euclid(7) + 1;
    let thursday = n - weekday + 4;
    let (year, _, _) = civil_from_days(thursday);
    let jan1 = days(&format!("{year:04}-01-01"))?;
    Some((year, (thursday - jan1) / 7 + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_by_hand() {
        // 2026-05-04 is a Monday; 2021-01-03 a Sunday still in ISO week 2020-W53; 2024-12-30 a
        // Monday already in 2025-W01.
        assert_eq!(
            GroupBy::Week.period("2026-05-04").as_deref(),
            Some("2026-W19")
        );
        assert_eq!(
            GroupBy::Week.period("2026-05-03").as_deref(),
            Some("2026-W18")
        );
        assert_eq!(
            GroupBy::Week.period("2021-01-03").as_deref(),
            Some("2020-W53")
        );
        assert_eq!(
            GroupBy::Week.period("2024-12-30").as_deref(),
            Some("2025-W01")
        );
        assert_eq!(
            GroupBy::Quarter.period("2026-05-04").as_deref(),
            Some("2026-Q2")
        );
        assert_eq!(
            GroupBy::Month.period("2026-12-31").as_deref(),
            Some("2026-12")
        );
        assert_eq!(days("1970-01-02"), Some(1));
        assert_eq!(
            days("2026-03-01")
                .zip(days("2026-02-28"))
                .map(|(a, b)| a - b),
            Some(1)
        );
        assert_eq!(days("2026-02-29"), None);
        assert_eq!(days("2026-5-04"), None);
    }
}
