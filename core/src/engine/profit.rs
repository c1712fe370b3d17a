//! Per-order profit: revenue − discounts − refunds − fees − COGS, read off the postings' roles.

use crate::error::Result;
use crate::journal::{Built, Role};
use crate::money::checked::{add, sub, Lazy};
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
    /// Sums by checked arithmetic (an overflow is `E_AMOUNT_TOO_LARGE` naming the entry's line),
    /// though amounts capped at 10^15 per field and 2 000 lines per entry cannot overflow: no
    /// panic path, and the checked ops are one shared copy where `+`/`-` were each their own.
    pub fn from_built(currency: Currency, built: &[Built]) -> Result<Self> {
        let mut totals = [Decimal::ZERO; 5];
        for (e, b) in built.iter().enumerate() {
            for (l, (line, role)) in b.entry.lines.iter().zip(&b.roles).enumerate() {
                let slot = match role {
                    Role::Revenue => 0,
                    Role::Discount => 1,
                    Role::Refund => 2,
                    Role::Fee => 3,
                    Role::Cogs => 4,
                    Role::Other => continue,
                };
                let path = Lazy(|| format!("entries[{e}].lines[{l}]"));
                // Revenue is a credit balance, the others debit balances.
                let (plus, minus) = if slot == 0 {
                    (line.credit.0, line.debit.0)
                } else {
                    (line.debit.0, line.credit.0)
                };
                if let Some(total) = totals.get_mut(slot) {
                    *total = sub(add(*total, plus, &path)?, minus, &path)?;
                }
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
