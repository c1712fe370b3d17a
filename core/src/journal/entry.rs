//! The public entry shape shared by every face (native, wasm, worker):
//! `{"id","date","currency","memo","source":{...},"lines":[{"account","debit","credit","why"}]}`.

use crate::error::{LedgerError, Result};
use crate::money::{self, Currency};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// A balanced journal entry, the public shape every face shares byte for byte.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// `{platform}:{shop}:{resource}:{resource_id}:{kind}:{version}`
    pub id: String,
    /// `YYYY-MM-DD`, the local date of the event.
    pub date: String,
    /// ISO 4217, upper case.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub currency: Currency,
    pub memo: String,
    pub source: Source,
    pub lines: Vec<Line>,
    /// Other source objects this entry belongs with, as `{resource}:{id}` (a refund names its
    /// `order:<id>`; a payout names every order, refund and charge it settles). Summaries use them
    /// to group entries; empty lists are left out of the JSON.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
}

/// Which source object, in which revision, produced an entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub platform: String,
    pub shop: String,
    /// `sale`, `refund`, `payout`, `expense`, `dispute`, `reversal`...
    pub kind: String,
    pub id: String,
    pub version: String,
}

/// One posting. Exactly one of `debit` and `credit` is non-zero.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub account: String,
    #[serde(with = "amount_text")]
    #[cfg_attr(feature = "ts", ts(type = "DecimalString"))]
    pub debit: Amount,
    #[serde(with = "amount_text")]
    #[cfg_attr(feature = "ts", ts(type = "DecimalString"))]
    pub credit: Amount,
    /// Which rule and which source field produced the line, for people reading the preview.
    pub why: String,
}

/// An amount that keeps the textual scale it is shown with (`"0.00"`, `"5413"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Hash)]
pub struct Amount(pub Decimal);

impl Amount {
    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }
}

/// Amounts cross JSON as decimal strings, and only non-negative ones come back in: the side of the
/// line carries the sign.
mod amount_text {
    use super::Amount;
    use crate::money;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(amount: &Amount, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&amount.0)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Amount, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(d)?;
        let value = money::parse_decimal(&text).map_err(|e| {
            serde::de::Error::custom(format!("invalid amount {text:?}: {}", e.reason()))
        })?;
        if value.is_sign_negative() {
            return Err(serde::de::Error::custom(format!(
                "negative amount {text:?}"
            )));
        }
        Ok(Amount(value))
    }
}

impl Line {
    /// Signed amount: debit positive, credit negative. Never panics: both sides are amounts (not
    /// negative, as every reader of them refuses), so `debit − credit` lies within ±max(debit,
    /// credit) and is exact; the saturation only bounds a hand-built negative `Amount`.
    pub fn signed(&self) -> Decimal {
        let (debit, credit) = (self.debit.0, self.credit.0);
        // The shared non-inlined copy (`money::checked`), not rust_decimal's inlined saturating op.
        money::checked::sub_or_none(debit, credit).unwrap_or(if debit > credit {
            Decimal::MAX
        } else {
            Decimal::MIN
        })
    }

    pub fn is_debit(&self) -> bool {
        !self.debit.is_zero()
    }
}

impl Entry {
    /// Re-checks the invariants of an entry that came from outside (JSON from JS, a database row):
    /// amounts at the currency's scale, one side per line, and debits equal credits.
    pub fn check(&self) -> Result<()> {
        self.checked_total().map(|_| ())
    }

    /// `check`, returning Σ debits (= Σ credits) of the valid entry: the sum the check already
    /// made by checked addition, so a total needs no panicking `Sum` of its own.
    pub fn checked_total(&self) -> Result<Decimal> {
        let mut debits = Decimal::ZERO;
        let mut credits = Decimal::ZERO;
        for (i, line) in self.lines.iter().enumerate() {
            let path = format!("lines[{i}]");
            if line.debit.is_zero() == line.credit.is_zero() {
                return Err(LedgerError::InvalidValue {
                    path,
                    value: format!("debit {} credit {}", line.debit.0, line.credit.0),
                    reason: "exactly one of debit and credit must be non-zero".to_string(),
                });
            }
            for (side, amount) in [("debit", line.debit), ("credit", line.credit)] {
                if !money::fits_minor_units(self.currency, amount.0) {
                    return Err(LedgerError::InvalidAmount {
                        path: format!("{path}.{side}"),
                        value: amount.0.to_string(),
                        reason: format!("more digits than {} allows", self.currency),
                    });
                }
            }
            debits = checked(money::checked::add_or_none(debits, line.debit.0), &path)?;
            credits = checked(money::checked::add_or_none(credits, line.credit.0), &path)?;
        }
        if debits != credits || self.lines.is_empty() {
            return Err(LedgerError::Unbalanced {
                path: String::new(),
                entry_id: self.id.clone(),
                currency: self.currency.to_string(),
                debits: money::format_amount(self.currency, debits),
                credits: money::format_amount(self.currency, credits),
            });
        }
        Ok(debits)
    }

    /// Σ debits (= Σ credits for a valid entry). Never panics: amounts read or built by the core
    /// stay below 10^15 and an entry below 10^4 lines, far from `Decimal::MAX`, so the sum is
    /// exact; the saturation only bounds a hand-built entry. `checked_total` is the checked form.
    pub fn total(&self) -> Decimal {
        self.lines.iter().fold(Decimal::ZERO, |total, l| {
            money::checked::add_or_none(total, l.debit.0).unwrap_or(
                if l.debit.0.is_sign_negative() {
                    Decimal::MIN
                } else {
                    Decimal::MAX
                },
            )
        })
    }

    /// The entry that undoes this one: same lines with sides swapped, dated `date`.
    pub fn reversal(&self, date: &str) -> Entry {
        Entry {
            id: format!("{}:reversal", self.id),
            date: date.to_string(),
            currency: self.currency,
            memo: format!("Reversal of {}", self.memo),
            source: Source {
                kind: format!("{}-reversal", self.source.kind),
                ..self.source.clone()
            },
            lines: self
                .lines
                .iter()
                .map(|l| Line {
                    account: l.account.clone(),
                    debit: l.credit,
                    credit: l.debit,
                    why: format!("reverses: {}", l.why),
                })
                .collect(),
            links: self.links.clone(),
        }
    }
}

fn checked(value: Option<Decimal>, path: &str) -> Result<Decimal> {
    value.ok_or_else(|| LedgerError::AmountTooLarge {
        path: path.to_string(),
        value: "sum overflows".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn line(debit: Decimal, credit: Decimal) -> Line {
        Line {
            account: "A".to_string(),
            debit: Amount(debit),
            credit: Amount(credit),
            why: String::new(),
        }
    }

    fn dec(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap_or_else(|e| unreachable!("{text}: {e}"))
    }

    #[test]
    fn signed_and_total_are_exact_for_amounts() {
        assert_eq!(line(dec("12.50"), Decimal::ZERO).signed(), dec("12.50"));
        assert_eq!(line(Decimal::ZERO, dec("0.07")).signed(), dec("-0.07"));
        let entry = Entry {
            id: "e".to_string(),
            date: "2026-05-03".to_string(),
            currency: Currency::from_code("USD").unwrap_or_else(|| unreachable!()),
            memo: String::new(),
            source: Source {
                platform: "shopify".to_string(),
                shop: "s".to_string(),
                kind: "sale".to_string(),
                id: "1".to_string(),
                version: "1".to_string(),
            },
            lines: vec![
                line(dec("10.25"), Decimal::ZERO),
                line(dec("0.75"), Decimal::ZERO),
                line(Decimal::ZERO, dec("11.00")),
            ],
            links: Vec::new(),
        };
        assert_eq!(entry.total(), dec("11.00"));
    }

    #[test]
    fn hand_built_extremes_saturate_instead_of_panicking() {
        assert_eq!(line(Decimal::MAX, dec("-1")).signed(), Decimal::MAX);
        assert_eq!(line(dec("-1"), Decimal::MAX).signed(), Decimal::MIN);
    }
}
