//! Per-order profit: revenue − discounts − refunds − fees − COGS, read off the postings' roles.

use crate::error::Result;
use crate::journal::{Built, Role};
use crate::money::checked::{add, sub};
use crate::money::{format_amount, Currency};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// Per-payload profit, each amount at the currency's minor units;
/// `margin = revenue - discounts - refunds - fees - cogs`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Profit {
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub currency: Currency,
    #[cfg_attr(feature = "ts", ts(type = "DecimalString"))]
    pub revenue: String,
    #[cfg_attr(feature = "ts", ts(type = "DecimalString"))]
    pub discounts: String,
    #[cfg_attr(feature = "ts", ts(type = "DecimalString"))]
    pub refunds: String,
    #[cfg_attr(feature = "ts", ts(type = "DecimalString"))]
    pub fees: String,
    #[cfg_attr(feature = "ts", ts(type = "DecimalString"))]
    pub cogs: String,
    #[cfg_attr(feature = "ts", ts(type = "DecimalString"))]
    pub margin: String,
}

impl Profit {
    /// An overflow is an error naming the total (`profit.fees`), never a panic: the caps on
    /// amounts and lines make it unreachable from a payload today, but they are another
    /// module's rule, not this sum's.
    pub fn from_built(currency: Currency, built: &[Built]) -> Result<Self> {
        const PATHS: [&str; 5] = [
            "profit.revenue",
            "profit.discounts",
            "profit.refunds",
            "profit.fees",
            "profit.cogs",
        ];
        let mut totals = [Decimal::ZERO; 5];
        for b in built {
            for (line, role) in b.entry.lines.iter().zip(&b.roles) {
                let slot = match role {
                    Role::Revenue => 0,
                    Role::Discount => 1,
                    Role::Refund => 2,
                    Role::Fee => 3,
                    Role::Cogs => 4,
                    Role::Other => continue,
                };
                // Revenue is a credit balance, the others debit balances.
                let (plus, minus) = if slot == 0 {
                    (line.credit.0, line.debit.0)
                } else {
                    (line.debit.0, line.credit.0)
                };
                let signed = sub(plus, minus, PATHS[slot])?;
                totals[slot] = add(totals[slot], signed, PATHS[slot])?;
            }
        }
        let [revenue, discounts, refunds, fees, cogs] = totals;
        let mut margin = revenue;
        for cost in [discounts, refunds, fees, cogs] {
            margin = sub(margin, cost, "profit.margin")?;
        }
        let f = |v: Decimal| format_amount(currency, v);
        Ok(Self {
            currency,
            revenue: f(revenue),
            discounts: f(discounts),
            refunds: f(refunds),
            fees: f(fees),
            cogs: f(cogs),
            margin: f(margin),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Profit;
    use crate::journal::{Amount, Built, Entry, Line, Role, Source};
    use crate::money::Currency;
    use rust_decimal::Decimal;

    fn built(lines: &[(Role, Decimal, Decimal)]) -> Built {
        let source = Source {
            platform: "shopify".into(),
            shop: "s".into(),
            kind: "sale".into(),
            id: "1".into(),
            version: "1".into(),
        };
        let entry = Entry {
            id: "e".into(),
            date: "2026-01-01".into(),
            currency: Currency::from_code("USD").expect("USD"),
            memo: String::new(),
            source,
            lines: lines
                .iter()
                .map(|(_, debit, credit)| Line {
                    account: "A".into(),
                    debit: Amount(*debit),
                    credit: Amount(*credit),
                    why: String::new(),
                })
                .collect(),
            links: Vec::new(),
        };
        Built {
            entry,
            roles: lines.iter().map(|(role, _, _)| *role).collect(),
        }
    }

    #[test]
    fn totals_and_margin() {
        let b = built(&[
            (Role::Revenue, Decimal::ZERO, Decimal::new(10_000, 2)),
            (Role::Fee, Decimal::new(320, 2), Decimal::ZERO),
            (Role::Other, Decimal::new(9_680, 2), Decimal::ZERO),
        ]);
        let profit = Profit::from_built(b.entry.currency, &[b]);
        let profit = profit.map(|p| (p.revenue, p.fees, p.margin)).ok();
        assert_eq!(
            profit,
            Some(("100.00".into(), "3.20".into(), "96.80".into()))
        );
    }

    /// A total past rust_decimal's range is an error naming it, not a panic.
    #[test]
    fn an_overflowing_total_is_an_error_naming_it() {
        let b = built(&[
            (Role::Fee, Decimal::MAX, Decimal::ZERO),
            (Role::Fee, Decimal::MAX, Decimal::ZERO),
        ]);
        let err = Profit::from_built(b.entry.currency, &[b]).err();
        let text = err.map(|e| e.to_string()).unwrap_or_default();
        assert!(text.contains("profit.fees"), "{text}");
    }
}
