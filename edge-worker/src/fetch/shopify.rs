//! Shopify order fees: order webhooks carry no processing fee, and the REST transactions of an
//! order have no fee field either (REST is also legacy since 2024-10). GraphQL
//! `Order.transactions[].fees` has it for Shopify Payments, so the consumer asks for it and stores
//! `{"order": <webhook order>, "order_transactions": <GraphQL answer>}`, both verbatim: the core
//! books the fee with the sale, and the payout then settles the net.

use super::{retry_after_s, Prepared};
use crate::config::{Settings, ShopConfig};
use crate::http::{backoff, call, excerpt};
use crate::store::{order_key, Db, EventRow};
// The query's text is the core's: the adapter reading the answer and the query asking for it
// change together.
use ledgerbridge_core::platforms::shopify::{order_envelope, order_transactions_request};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::BTreeSet;
use worker::{Env, Method, Result};

/// The Admin API version every call names (its path carries it). Shopify supports each stable
/// version for a year; moving it is a code change reviewed against the release notes.
pub const API_VERSION: &str = "2025-10";

#[derive(Deserialize)]
struct Peek<'a> {
    #[serde(borrow, default)]
    order_transactions: Option<&'a RawValue>,
}

/// Whether a stored payload is already the order with its transactions.
pub fn has_transactions(payload: &str) -> bool {
    serde_json::from_str::<Peek>(payload).is_ok_and(|p| p.order_transactions.is_some())
}

#[derive(Deserialize)]
struct Answer<'a> {
    #[serde(borrow, default)]
    data: Option<Data<'a>>,
    #[serde(default)]
    errors: Vec<GqlError>,
    #[serde(default)]
    extensions: Option<Extensions>,
}

#[derive(Deserialize)]
struct Data<'a> {
    #[serde(borrow, default)]
    order: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct GqlError {
    #[serde(default)]
    message: String,
    #[serde(default)]
    extensions: Option<ErrorExtensions>,
}

#[derive(Deserialize)]
struct ErrorExtensions {
    #[serde(default)]
    code: Option<String>,
}

#[derive(Deserialize)]
struct Extensions {
    cost: Option<Cost>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Cost {
    #[serde(default)]
    requested_query_cost: f64,
    throttle_status: Option<Throttle>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Throttle {
    currently_available: f64,
    restore_rate: f64,
}

/// Seconds until the bucket holds the query's cost again (at least one).
fn refill_s(cost: Option<&Cost>) -> u32 {
    let Some(c) = cost else { return 2 };
    let Some(t) = &c.throttle_status else {
        return 2;
    };
    if t.restore_rate <= 0.0 {
        return 60;
    }
    let wait = ((c.requested_query_cost - t.currently_available) / t.restore_rate).ceil();
    (wait.max(1.0) as u32).min(600)
}

pub async fn order_fees(
    env: &Env,
    settings: &Settings,
    shop_config: &ShopConfig,
    event: &EventRow,
) -> Prepared {
    let order_id = event.order_id.as_deref().unwrap_or_default();
    fees_of(
        env,
        settings,
        shop_config,
        &event.shop,
        order_id,
        &event.payload,
    )
    .await
}

/// The order `payload` (REST, the webhook shape) with its transactions and fees: what a webhook's
/// event and a backfilled order are both mapped from, so the two book the same entry.
pub async fn fees_of(
    env: &Env,
    settings: &Settings,
    shop_config: &ShopConfig,
    shop: &str,
    order_id: &str,
    payload: &str,
) -> Prepared {
    if has_transactions(payload) {
        return Prepared::unchanged();
    }
    let Some((base, token)) = shop_config.shopify_admin(env, shop) else {
        // Mapped as before the fetch existed: the fee is then first seen in the payout, which
        // books it there (the payout's flag tells the core whether fees came with the orders).
        return Prepared::Ready {
            payload: None,
            note: Some(
                "fees not fetched: no Admin API token for this shop (SHOPIFY_ADMIN_TOKEN), or it is not a *.myshopify.com shop without shopify.admin_base".into(),
            ),
        };
    };
    if order_id.is_empty() || order_id.len() > 19 || !order_id.bytes().all(|b| b.is_ascii_digit()) {
        return Prepared::Park(format!(
            "{:?} is not a Shopify order id: its fees cannot be fetched",
            excerpt(order_id)
        ));
    }
    let body = order_transactions_request(order_id);
    let url = format!("{base}/admin/api/{API_VERSION}/graphql.json");
    let headers = [
        ("x-shopify-access-token", token.as_str()),
        ("content-type", "application/json"),
        ("accept", "application/json"),
    ];
    let reply = match call(
        Method::Post,
        &url,
        &headers,
        Some(body),
        settings.target_timeout_ms,
    )
    .await
    {
        Ok(r) => r,
        Err(e) => {
            return Prepared::Retry {
                reason: format!("Shopify order fees: {e}"),
                after_s: backoff(1),
            }
        }
    };
    match reply.status {
        200..=299 => {}
        401 | 403 => {
            return Prepared::Park(format!(
                "Shopify refused the Admin API token ({}): set a token with read_orders for this shop, then POST /api/replay: {}",
                reply.status,
                excerpt(&reply.body)
            ))
        }
        429 => {
            return Prepared::Retry {
                reason: "Shopify order fees: rate limited (429)".into(),
                after_s: retry_after_s(&reply).unwrap_or(2),
            }
        }
        500..=599 => {
            return Prepared::Retry {
                reason: format!("Shopify order fees: answered {}", reply.status),
                after_s: backoff(1),
            }
        }
        status => {
            return Prepared::Park(format!(
                "Shopify order fees: answered {status}: {}",
                excerpt(&reply.body)
            ))
        }
    }
    let answer: Answer = match serde_json::from_str(&reply.body) {
        Ok(a) => a,
        Err(e) => {
            return Prepared::Retry {
                reason: format!("Shopify order fees: not GraphQL JSON: {e}"),
                after_s: backoff(1),
            }
        }
    };
    let cost = answer.extensions.as_ref().and_then(|x| x.cost.as_ref());
    let code = |e: &GqlError| e.extensions.as_ref().and_then(|x| x.code.clone());
    if answer
        .errors
        .iter()
        .any(|e| code(e).as_deref() == Some("THROTTLED"))
    {
        return Prepared::Retry {
            reason: "Shopify order fees: GraphQL cost budget spent (THROTTLED)".into(),
            after_s: refill_s(cost),
        };
    }
    if !answer.errors.is_empty() {
        let why = answer
            .errors
            .iter()
            .map(|e| match code(e) {
                Some(c) => format!("{} [{c}]", e.message),
                None => e.message.clone(),
            })
            .collect::<Vec<_>>()
            .join("; ");
        return Prepared::Park(format!("Shopify order fees: {}", excerpt(&why)));
    }
    if answer
        .data
        .and_then(|d| d.order)
        .is_none_or(|o| o.get() == "null")
    {
        return Prepared::Park(format!(
            "Shopify has no order {order_id} for this token (orders older than 60 days need read_all_orders)"
        ));
    }
    // Both bodies are UTF-8 text already, so their concatenation is too.
    let envelope = order_envelope(payload.trim().as_bytes(), reply.body.trim().as_bytes());
    match String::from_utf8(envelope) {
        Ok(payload) => Prepared::Ready {
            payload: Some(payload),
            note: None,
        },
        Err(_) => Prepared::Park("the order envelope is not UTF-8".into()),
    }
}

#[derive(Deserialize)]
struct PayoutPeek {
    #[serde(default)]
    balance_transactions: Vec<ItemPeek>,
}

#[derive(Deserialize)]
struct ItemPeek {
    #[serde(default)]
    source_order_id: Option<serde_json::Value>,
}

/// A payout is booked even when it names orders the ledger has never seen (the bank has the
/// money either way); those orders are named in the event's note so their sales can be chased.
pub async fn payout_note(db: &Db, event: &EventRow) -> Result<Prepared> {
    let Ok(peek) = serde_json::from_str::<PayoutPeek>(&event.payload) else {
        return Ok(Prepared::unchanged());
    };
    let ids: BTreeSet<String> = peek
        .balance_transactions
        .iter()
        .filter_map(|t| match &t.source_order_id {
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            Some(serde_json::Value::String(s)) if !s.is_empty() => Some(s.clone()),
            _ => None,
        })
        .collect();
    let mut missing = Vec::new();
    for id in ids {
        if !db
            .order_seen(&order_key(&event.platform, &event.shop, &id))
            .await?
        {
            missing.push(id);
        }
    }
    Ok(Prepared::Ready {
        payload: None,
        note: (!missing.is_empty()).then(|| {
            format!(
                "payout names orders the ledger has not seen (booked anyway): {}",
                missing.join(", ")
            )
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_after_throttling_is_what_the_bucket_needs_to_refill() {
        let cost = |requested, available, rate| Cost {
            requested_query_cost: requested,
            throttle_status: Some(Throttle {
                currently_available: available,
                restore_rate: rate,
            }),
        };
        assert_eq!(refill_s(Some(&cost(52.0, 2.0, 10.0))), 5);
        assert_eq!(refill_s(Some(&cost(52.0, 51.5, 50.0))), 1);
        assert_eq!(refill_s(None), 2);
    }

    #[test]
    fn a_payload_with_transactions_is_not_fetched_again() {
        assert!(has_transactions(
            r#"{"order":{"id":1},"order_transactions":{"data":{}}}"#
        ));
        assert!(!has_transactions(r#"{"id":1,"line_items":[]}"#));
    }
}
