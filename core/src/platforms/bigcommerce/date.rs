//! RFC 2822 dates as BigCommerce v2 sends them (`"Tue, 20 Nov 2012 00:00:00 +0000"`), turned into
//! the RFC 3339 text [`Timestamp`] reads, keeping the sender's offset so the entry date is the
//! store's local date.

use crate::model::Timestamp;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `[Www, ]D Mon YYYY HH:MM[:SS] (±HHMM|GMT|UT|UTC|Z)`. The weekday is optional and not checked
/// against the date (it is redundant, and RFC 2822 lets a reader ignore it).
pub fn parse(text: &str) -> Option<Timestamp> {
    let rest = match text.split_once(',') {
        Some((weekday, rest)) if weekday.trim().len() == 3 => rest,
        Some(_) => return None,
        None => text,
    };
    let mut parts = rest.split_whitespace();
    let day: u32 = number(parts.next()?, 1, 2)?;
    let month = parts.next()?;
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? + 1;
    let year: u32 = number(parts.next()?, 4, 4)?;
    let mut clock = parts.next()?.split(':');
    let hour: u32 = number(clock.next()?, 2, 2)?;
    let minute: u32 = number(clock.next()?, 2, 2)?;
    let second: u32 = match clock.next() {
        Some(s) => number(s, 2, 2)?,
        None => 0,
    };
    if clock.next().is_some() {
        return None;
    }
    let offset = match parts.next()? {
        "GMT" | "UT" | "UTC" | "Z" => "+00:00".to_string(),
        zone => {
            let (sign, digits) = zone.split_at_checked(1)?;
            if !matches!(sign, "+" | "-")
                || digits.len() != 4
                || !digits.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            format!("{sign}{}:{}", digits.get(..2)?, digits.get(2..)?)
        }
    };
    if parts.next().is_some() {
        return None;
    }
    Timestamp::parse(&format!(
        "{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{offset}"
    ))
}

fn number(text: &str, min_len: usize, max_len: usize) -> Option<u32> {
    if !(min_len..=max_len).contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_offset_and_the_local_date() {
        let t = parse("Tue, 20 Nov 2012 00:00:00 +0000").unwrap_or_else(|| unreachable!());
        assert_eq!(t.as_str(), "2012-11-20T00:00:00+00:00");
        // 2012-11-20T00:00:00Z, checked with `date -u -d 2012-11-20 +%s`.
        assert_eq!(t.unix(), 1_353_369_600);
        let t = parse("Tue, 12 May 2026 21:30:00 -0500").unwrap_or_else(|| unreachable!());
        assert_eq!(
            (t.date(), t.as_str()),
            ("2026-05-12", "2026-05-12T21:30:00-05:00")
        );
        assert!(parse("3 Mar 2018 02:35 GMT").is_some());
    }

    #[test]
    fn refuses_what_is_not_rfc_2822() {
        for text in [
            "",
            "2026-05-12T10:00:00Z",
            "Tue, 31 Feb 2026 00:00:00 +0000",
            "Tue, 12 Foo 2026 00:00:00 +0000",
            "Tue, 12 May 2026 25:00:00 +0000",
            "Tue, 12 May 2026 10:00:00 +05",
            "Tue, 12 May 2026 10:00:00",
            "Tue, 12 May 2026 10:00:00 +0000 extra",
            "Tuesday, 12 May 2026 10:00:00 +0000",
        ] {
            assert!(parse(text).is_none(), "{text:?}");
        }
    }
}
