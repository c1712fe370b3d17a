//! Stripe: `event` objects (`charge.succeeded`, `charge.refunded`, `charge.dispute.*`,
//! `payout.paid`...) and the bare objects a worker fetches (charge or payment_intent with an
//! expanded `balance_transaction`, refund, dispute, payout), plus the worker's payout envelope
//! `{"payout": {...}, "balance_transactions": [...]}` (docs/payouts.md).

mod charge;
mod dispute;
mod payout;
mod wire;

use crate::error::{LedgerError, Result};
use crate::model::SourceFields;
use crate::model::{Event, Timestamp};
use crate::money::{Currency, AMOUNT_ABS_MAX};
use crate::platforms::de::{self, currency};
use rust_decimal::Decimal;

pub static FIELDS: SourceFields = SourceFields {
    platform: "stripe",
    label: "Stripe",
    lines: "charge",
    shipping: "shipping",
    tip: "tip",
    tenders: "balance_transaction",
    gateway: "source",
    refunds: "refunds.data",
    refund_lines: "refund_lines",
    adjustments: "refund",
};

/// The gateway name of every Stripe balance: its clearing account is `Assets:Clearing:Stripe`.
pub const GATEWAY: &str = "stripe";

/// More balance transactions than this in one payout is not a payload to trust.
pub const BALANCE_TRANSACTIONS_MAX: usize = 50_000;

const OBJECTS: &str =
    "charge, payment_intent, refund, dispute, payout, event, or a payout envelope";

pub fn parse(bytes: &[u8]) -> Result<Event> {
    let text = de::utf8(bytes)?;
    let top = wire::parse(text, wire::Top::read)?;
    if let Some(payout) = top.payout {
        return payout::envelope(payout, top.balance_transactions);
    }
    match (top.object.as_deref(), top.data) {
        (Some("event"), Some(data)) => {
            let kind = top.kind.unwrap_or_default();
            wire::parse(data.object, wire::tag)
                .and_then(|tag| object(data.object, tag.as_deref(), Some(&kind), top.created))
                .map_err(|e| e.within("data.object"))
        }
        (Some("event"), None) => Err(LedgerError::MissingField {
            path: "data.object".to_string(),
        }),
        // A bare object: its tag is the `object` the top-level pass has read already.
        (tag, _) => object(text, tag, None, None),
    }
}

/// One Stripe object, tagged `tag`; `event` is the type of the event that carried it, when one did.
fn object(
    text: &str,
    tag: Option<&str>,
    event: Option<&str>,
    event_created: Option<i64>,
) -> Result<Event> {
    match tag {
        Some("charge") => charge::charge(wire::parse(text, wire::Charge::read)?).map(Event::Order),
        Some("payment_intent") => {
            charge::payment_intent(wire::parse(text, wire::PaymentIntent::read)?).map(Event::Order)
        }
        Some("refund") => charge::refund(wire::parse(text, wire::Refund::read)?).map(Event::Refund),
        Some("dispute") => dispute::dispute(
            wire::parse(text, wire::Dispute::read)?,
            event,
            event_created,
        )
        .map(Event::Dispute),
        Some("payout") => payout::bare(wire::parse(text, wire::Payout::read)?).map(Event::Payout),
        Some(other) => Err(LedgerError::InvalidValue {
            path: "object".to_string(),
            value: other.to_string(),
            reason: format!("not a money object ledgerbridge books (expected {OBJECTS})"),
        }),
        None => Err(LedgerError::MissingField {
            path: "object".to_string(),
        }),
    }
}

/// Integer minor units → an exact amount: 5413 USD → 54.13, 5413 JPY → 5413.
fn minor(value: i64, currency: Currency, path: &str) -> Result<Decimal> {
    let amount = Decimal::new(value, currency.minor_units());
    if amount.abs() >= Decimal::from(AMOUNT_ABS_MAX) {
        return Err(LedgerError::AmountTooLarge {
            path: path.to_string(),
            value: value.to_string(),
        });
    }
    Ok(amount)
}

fn unix(seconds: i64, path: &str) -> Result<Timestamp> {
    Timestamp::from_unix(seconds).ok_or_else(|| LedgerError::InvalidTimestamp {
        path: path.to_string(),
        value: seconds.to_string(),
    })
}

/// The fee of a balance transaction: `fee`, which must agree with `fee_details[]` when both are
/// present, else their sum.
fn bt_fee(bt: &wire::BalanceTransaction, path: &str) -> Result<i64> {
    let mut details: i64 = 0;
    for (i, d) in bt.fee_details.iter().enumerate() {
        details = details
            .checked_add(d.amount)
            .ok_or_else(|| LedgerError::AmountTooLarge {
                path: format!("{path}.fee_details[{i}].amount"),
                value: d.amount.to_string(),
            })?;
    }
    match bt.fee {
        Some(fee) if !bt.fee_details.is_empty() && fee != details => {
            Err(LedgerError::InvalidValue {
                path: format!("{path}.fee"),
                value: fee.to_string(),
                reason: format!("differs from the sum of fee_details[].amount ({details})"),
            })
        }
        Some(fee) => Ok(fee),
        None => Ok(details),
    }
}
