//! What a webhook lacks, fetched before mapping: Shopify orders carry no processing fee (the
//! GraphQL Admin API has it per transaction), Stripe events carry a charge's balance transaction
//! (its fee) only as an id, and a Stripe payout names none of the balance transactions it pays out.
//! The fetched document replaces the event's payload, so the preview and any replay map exactly
//! what was booked. A payload that is already the fetched document is left alone, which makes a
//! retry or a replay free.

pub mod shopify;
pub mod stripe;

use crate::config::{Settings, ShopConfig};
use crate::http::Reply;
use crate::store::{Db, EventRow};
use worker::{Env, Result};

/// What the consumer does with an event after the fetch.
pub enum Prepared {
    /// Map it: with `payload` (stored in the event first) or as it is; `note` is kept on the
    /// event (a fee not fetched, orders a payout names that the ledger has not seen).
    Ready {
        payload: Option<String>,
        note: Option<String>,
    },
    /// The source is not ready or is throttling: the event stays `received` with `reason`.
    Retry { reason: String, after_s: u32 },
    /// No retry can help (refused token, unknown object): parked with a readable reason.
    Park(String),
}

impl Prepared {
    pub fn unchanged() -> Prepared {
        Prepared::Ready {
            payload: None,
            note: None,
        }
    }
}

/// Fetches what the event's platform leaves out of its webhooks, where that is configured.
pub async fn prepare(
    env: &Env,
    settings: &Settings,
    shop_config: &ShopConfig,
    db: &Db,
    event: &EventRow,
) -> Result<Prepared> {
    Ok(match event.platform.as_str() {
        "shopify" if event.resource == "order" => {
            shopify::order_fees(env, settings, shop_config, event).await
        }
        "shopify" if event.resource == "payout" => shopify::payout_note(db, event).await?,
        "stripe" => stripe::expand(env, settings, shop_config, event).await,
        _ => Prepared::unchanged(),
    })
}

/// `Retry-After` in whole seconds, rounded up: Shopify sends fractions (`2.0`), Stripe integers.
/// The HTTP-date form (and anything unreadable) is treated as a minute.
pub fn retry_after_s(reply: &Reply) -> Option<u32> {
    let v = reply.header("retry-after")?;
    let secs = v
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0);
    Some(secs.map_or(60, |s| (s.ceil() as u32).clamp(1, 3600)))
}
