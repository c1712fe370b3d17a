//! Shopify: the REST-shaped webhook JSON of `orders/create|paid|updated|cancelled` and
//! `refunds/create`, and the worker's envelopes: an order with its fetched GraphQL transactions
//! (`fetched`) and a Shopify Payments payout (`payout`).

#[cfg(test)]
mod envelope_tests;
mod fetched;
#[cfg(test)]
mod fetched_serde;
mod order;
mod payout;
#[cfg(test)]
mod payout_serde;
mod refund;
mod wire;
#[cfg(test)]
mod wire_serde;
#[cfg(test)]
mod wire_tests;

use crate::error::{LedgerError, Result};
use crate::model::Event;
use crate::model::SourceFields;
use crate::platforms::de::{currency, limit, timestamp, Dec};
use crate::platforms::totals::non_negative;

pub use fetched::{
    gid_number, order_envelope, order_transactions_request, ORDER_KEY, ORDER_TRANSACTIONS_KEY,
    ORDER_TRANSACTIONS_QUERY,
};
pub use payout::FEES_BOOKED_WITH_ORDERS_KEY;

pub static FIELDS: SourceFields = SourceFields {
    platform: "shopify",
    label: "Shopify",
    lines: "line_items",
    shipping: "shipping_lines",
    tip: "total_tip_received",
    tenders: "transactions",
    gateway: "payment_gateway_names",
    refunds: "refunds",
    refund_lines: "refund_line_items",
    adjustments: "order_adjustments",
};

pub fn parse(bytes: &[u8]) -> Result<Event> {
    // One parse decides the topic: payouts are rare, so only they pay for a second, typed parse.
    let payload = wire::Payload::parse(bytes)?;
    if payload.payout {
        return payout::payout(bytes).map(Event::Payout);
    }
    if let Some(order) = payload.order {
        return fetched::order(order, payload.order_transactions).map(Event::Order);
    }
    if payload.refund_line_items.is_some() && payload.line_items.is_none() {
        refund::standalone(payload).map(Event::Refund)
    } else {
        order::order(payload).map(Event::Order)
    }
}

/// Deserializes into the wire structs and drops them: the baseline the mapping benchmark compares
/// against (parsing alone, without building the canonical model or entries).
#[doc(hidden)]
pub fn deserialize_only(bytes: &[u8]) -> Result<()> {
    wire::Payload::parse(bytes).map(drop)
}

/// The unsuffixed shop-money field, else the `*_set.shop_money.amount` twin.
/// Paths are built by the closure only when the field is missing.
fn money(
    plain: Option<Dec>,
    set: Option<&wire::MoneyBag>,
    path: impl FnOnce() -> String,
) -> Result<rust_decimal::Decimal> {
    plain
        .or_else(|| set.and_then(wire::MoneyBag::shop_amount))
        .map(|d| d.0)
        .ok_or_else(|| LedgerError::MissingField { path: path() })
}

/// The unsuffixed shop-money field, else its `*_set` twin; `None` when the payload has neither.
fn optional_money(
    plain: Option<Dec>,
    set: Option<&wire::MoneyBag>,
) -> Option<rust_decimal::Decimal> {
    plain
        .or_else(|| set.and_then(wire::MoneyBag::shop_amount))
        .map(|d| d.0)
}

/// Tax lines of the item whose path `owner` builds (e.g. `line_items[0]`).
fn tax_lines(
    lines: Vec<wire::TaxLine>,
    owner: &dyn Fn() -> String,
) -> Result<Vec<crate::model::TaxLine>> {
    lines
        .into_iter()
        .enumerate()
        .map(|(i, t)| {
            let path = || format!("{}.tax_lines[{i}].price", owner());
            let amount = non_negative(money(t.price, t.price_set.as_ref(), path)?, path)?;
            Ok(crate::model::TaxLine {
                title: t.title,
                rate: t.rate.map(|r| r.0),
                amount,
            })
        })
        .collect()
}
