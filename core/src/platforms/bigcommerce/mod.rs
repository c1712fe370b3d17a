//! BigCommerce: webhooks carry only ids (`store/order/*` → `data.id`), so the worker fetches the v2
//! order with its products, shipping addresses and coupons and maps the combined document
//! described in [`wire`] (and in `docs/platforms.md`).

mod date;
mod order;
mod wire;

use crate::error::{LedgerError, Result};
use crate::model::SourceFields;
use crate::model::{Event, Timestamp};
use crate::money::{fits_minor_units, Currency};
use crate::platforms::de::currency;
use rust_decimal::Decimal;

pub static FIELDS: SourceFields = SourceFields {
    platform: "bigcommerce",
    label: "BigCommerce",
    lines: "products",
    shipping: "order.shipping_cost_ex_tax",
    tip: "order.tip",
    tenders: "order.payment_method",
    gateway: "order.payment_method",
    refunds: "order.refunded_amount",
    refund_lines: "products",
    adjustments: "order.refunded_amount",
};

pub fn parse(bytes: &[u8]) -> Result<Event> {
    let envelope = wire::Envelope::parse(bytes)?;
    order::order(envelope).map(Event::Order)
}

/// Reads the wire structs and drops them: parsing alone, for `examples/parse_cost_platforms`.
#[doc(hidden)]
pub fn deserialize_only(bytes: &[u8]) -> Result<()> {
    wire::Envelope::parse(bytes).map(drop)
}

fn timestamp(text: &str, path: &str) -> Result<Timestamp> {
    date::parse(text).ok_or_else(|| LedgerError::InvalidTimestamp {
        path: path.to_string(),
        value: text.to_string(),
    })
}

/// BigCommerce writes money with four decimals. `"50.0000"` is exactly 50.00 and is accepted; a
/// true sub-cent value (`"8.3333"`) cannot be booked in the currency and is refused rather than
/// rounded, so no cent appears or vanishes silently.
fn exact(currency: Currency, value: Decimal, path: &str) -> Result<Decimal> {
    if fits_minor_units(currency, value) {
        Ok(value.normalize())
    } else {
        Err(LedgerError::InvalidAmount {
            path: path.to_string(),
            value: value.to_string(),
            reason: format!(
                "a fraction of a minor unit: {currency} has {} decimal places",
                currency.minor_units()
            ),
        })
    }
}
