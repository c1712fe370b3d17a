//! Per-order profit: revenue − discounts − refunds − fees − COGS, read off the postings' roles.

use crate::journal::{Built, Role};
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
    pub fn from_built(currency: Currency, built: &[Built]) -> Self {
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
                // Revenue is a credit balance, the others debit balances. Amounts are capped at
                // 10^15 per field and a payload at 2 000 lines per entry, so sums cannot overflow.
                let signed = line.debit.0 - line.credit.0;
                totals[slot] += if slot == 0 { -signed } else { signed };
            }
        }
        let [revenue, discounts, refunds, fees, cogs] = totals;
        let margin = revenue - discounts - refunds - fees - cogs;
        let f = |v: Decimal| format_amount(currency, v);
        Self {
            currency,
            revenue: f(revenue),
            discounts: f(discounts),
            refunds: f(refunds),
            fees: f(fees),
            cogs: f(cogs),
            margin: f(margin),
        }
    }
}
