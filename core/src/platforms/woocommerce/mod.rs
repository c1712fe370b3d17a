//! WooCommerce: the REST v3 order JSON that `order.created|updated` webhooks deliver (built at
//! delivery time from `/wc/v3/orders/{id}`), and the refund object of
//! `GET /wc/v3/orders/{id}/refunds/{refund_id}` as the worker fetches it.

mod gateway_fee;
mod order;
mod refund;
mod taxes;
mod wire;

/// Also used by the BigCommerce adapter, whose line totals can be just as indivisible.
pub(crate) use order::priced;

use crate::error::Result;
use crate::model::Event;
use crate::model::SourceFields;
use crate::platforms::de::{currency, limit, timestamp};

pub static FIELDS: SourceFields = SourceFields {
    platform: "woocommerce",
    label: "WooCommerce",
    lines: "line_items",
    shipping: "shipping_lines",
    tip: "fee_lines",
    tenders: "payment_method",
    gateway: "payment_method",
    refunds: "refunds",
    refund_lines: "line_items",
    adjustments: "shipping_lines",
};

pub fn parse(bytes: &[u8]) -> Result<Event> {
    let payload = wire::Payload::parse(bytes)?;
    if payload.amount.is_some() && payload.status.is_none() {
        refund::standalone(payload).map(Event::Refund)
    } else {
        order::order(payload).map(Event::Order)
    }
}

/// Reads the wire structs and drops them: parsing alone, for `examples/parse_cost_platforms`.
#[doc(hidden)]
pub fn deserialize_only(bytes: &[u8]) -> Result<()> {
    wire::Payload::parse(bytes).map(drop)
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
