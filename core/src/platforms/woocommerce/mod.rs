//! WooCommerce: the REST v3 order JSON that `order.created|updated` webhooks deliver (built at
//! delivery time from `/wc/v3/orders/{id}`), and the refund object of
//! `GET /wc/v3/orders/{id}/refunds/{refund_id}` as the worker fetches it.

mod order;
mod refund;
mod taxes;
mod wire;

/// Also used by the BigCommerce adapter, whose line totals can be just as indivisible.
pub(crate) use order::priced;

use crate::engine::SourceFields;
use crate::error::{LedgerError, Result};
use crate::model::{Event, Timestamp};
use crate::money::Currency;
use crate::platforms::de;

pub static FIELDS: SourceFields = SourceFields {
    platform: "woocommerce",
    label: "WooCommerce",
    lines: "line_items",
    shipping: "shipping_lines",
    tip: "fee_lines",
    tenders: "payment_method",
    refunds: "refunds",
    refund_lines: "line_items",
    adjustments: "shipping_lines",
};

/// More line items than this is not an order a shop could take; refuse rather than spin.
pub const LINE_ITEMS_MAX: usize = 5_000;

pub fn parse(bytes: &[u8]) -> Result<Event> {
    let payload: wire::Payload = de::from_json(bytes)?;
    if payload.amount.is_some() && payload.status.is_none() {
        refund::standalone(payload).map(Event::Refund)
    } else {
        order::order(payload).map(Event::Order)
    }
}

/// Woo's `*_gmt` fields carry no offset and are UTC by definition; [`Timestamp::parse`] reads
/// offset-less text as UTC, so the entry date is the UTC calendar date.
fn timestamp(text: &str, path: &str) -> Result<Timestamp> {
    Timestamp::parse(text).ok_or_else(|| LedgerError::InvalidTimestamp {
        path: path.to_string(),
        value: text.to_string(),
    })
}

fn currency(code: &str, path: &str) -> Result<Currency> {
    Currency::from_code(code).ok_or_else(|| LedgerError::UnknownCurrency {
        path: path.to_string(),
        value: code.to_string(),
    })
}

fn limit(count: usize, path: &str) -> Result<()> {
    if count > LINE_ITEMS_MAX {
        return Err(LedgerError::LimitExceeded {
            path: path.to_string(),
            what: "items".to_string(),
            limit: LINE_ITEMS_MAX,
        });
    }
    Ok(())
}

/// A gateway name for the chart: Woo's `payment_method` id (`stripe`, `ppcp-gateway`, `cod`).
/// Woo's offline methods are renamed to the chart's receivable names (the customer still owes the
/// money: nothing sits at a processor), and an order naming none (admin-created, free) is `manual`.
fn gateway(payment_method: &str) -> String {
    match payment_method.trim() {
        "" => "manual".to_string(),
        "bacs" => "bank_deposit".to_string(),
        "cheque" => "money_order".to_string(),
        other => other.to_string(),
    }
}
