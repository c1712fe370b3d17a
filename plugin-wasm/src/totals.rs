//! Display totals for the preview widget, read off the core's own invariant check so the widget
//! never adds money in JS: a balanced entry's Σdebit = Σcredit = `Entry::total`; an unbalanced one
//! reports the sums the core's `E_UNBALANCED` error already carries.

use ledgerbridge_core::money::format_amount;
use ledgerbridge_core::{Entry, LedgerError};
use serde::Serialize;

#[derive(Serialize)]
pub struct Totals {
    debits: String,
    credits: String,
    balanced: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<ledgerbridge_core::error::ErrorDetail>,
}

pub fn of(entry: &Entry) -> Totals {
    match entry.check() {
        Ok(()) => {
            let total = format_amount(entry.currency, entry.total());
            Totals {
                debits: total.clone(),
                credits: total,
                balanced: true,
                error: None,
            }
        }
        Err(LedgerError::Unbalanced {
            ref debits,
            ref credits,
            ..
        }) => Totals {
            debits: debits.clone(),
            credits: credits.clone(),
            balanced: false,
            error: None,
        },
        Err(other) => Totals {
            debits: String::new(),
            credits: String::new(),
            balanced: false,
            error: Some(other.to_detail()),
        },
    }
}
