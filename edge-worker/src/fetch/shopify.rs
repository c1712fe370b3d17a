//! Shopify order fees: order webhooks carry no processing fee, and the REST transactions of an
//! order have no fee field either (REST is also legacy since 2024-10). GraphQL
//! `Order.transactions[].fees` has it for Shopify Payments, so the consumer asks for it and stores
//! `{"order": <webhook order>, "order_transactions": <GraphQL answer>}`, both verbatim: the core
//! books the fee with the sale, and the payout then settles the net.

// The core's error (path and message), as the JSON Reader and its callbacks return it.
#![allow(clippy::result_large_err)]

use super::{retry_after_s, Prepared};
use crate::config::{Settings, ShopConfig};
use crate::http::{backoff, call, excerpt};
use crate::store::{order_key, Db, EventRow};
// The query's text is the core's: the adapter reading the answer and the query asking for it
// change together.
use crate::peek::{self, known, raw_or_null};
use ledgerbridge_core::json::Reader;
use ledgerbridge_core::platforms::shopify::{order_envelope, order_transactions_request};
use ledgerbridge_core::LedgerError;
use std::collections::BTreeSet;
use worker::{Env, Method, Result};

/// The Admin API version every call names (its path carries it). Shopify supports each stable
/// version for a year; moving it is a code change reviewed against the release notes.
pub const API_VERSION: &str = "2025-10";

/// Whether a stored payload is already the order with its transactions.
pub fn has_transactions(payload: &str) -> bool {
    peek::members(payload, ["order_transactions"]).is_ok_and(|[t]| t.is_some())
}

/// A GraphQL answer, as much of it as the fetch decides on. Read with the core's [`Reader`]
/// (issue #17: the serde derives of these six structs were about 16 KB of the worker's wasm):
/// other members skipped, a member of the wrong type refuses the whole answer, as the derives did.
struct Answer<'a> {
    /// `data.order`, `None` when absent or `null`.
    order: Option<&'a str>,
    errors: Vec<GqlError>,
    cost: Option<Cost>,
}

struct GqlError {
    message: String,
    code: Option<String>,
}

struct Cost {
    requested_query_cost: f64,
    throttle_status: Option<Throttle>,
}

struct Throttle {
    currently_available: f64,
    restore_rate: f64,
}

fn answer(text: &str) -> Result<Answer<'_>, LedgerError> {
    let mut r = Reader::new(text);
    let mut a = Answer {
        order: None,
        errors: Vec::new(),
        cost: None,
    };
    known(&mut r, &["data", "errors", "extensions"], &mut |r, at| {
        match at {
            0 => {
                if !r.null()? {
                    known(r, &["order"], &mut |r, _| {
                        a.order = raw_or_null(r)?;
                        Ok(())
                    })?;
                }
            }
            1 => a.errors = r.vec(gql_error)?,
            _ => {
                if !r.null()? {
                    known(r, &["cost"], &mut |r, _| {
                        a.cost = r.opt(cost)?;
                        Ok(())
                    })?;
                }
            }
        }
        Ok(())
    })?;
    r.finish()?;
    Ok(a)
}

fn gql_error(r: &mut Reader<'_>) -> Result<GqlError, LedgerError> {
    let mut e = GqlError {
        message: String::new(),
        code: None,
    };
    known(r, &["message", "extensions"], &mut |r, at| {
        match at {
            0 => e.message = r.string()?,
            _ => {
                if !r.null()? {
                    known(r, &["code"], &mut |r, _| {
                        e.code = r.opt(Reader::string)?;
                        Ok(())
                    })?;
                }
            }
        }
        Ok(())
    })?;
    Ok(e)
}

fn cost(r: &mut Reader<'_>) -> Result<Cost, LedgerError> {
    let mut c = Cost {
        requested_query_cost: 0.0,
        throttle_status: None,
    };
    known(
        r,
        &["requestedQueryCost", "throttleStatus"],
        &mut |r, at| {
            match at {
                0 => c.requested_query_cost = float(r)?,
                _ => c.throttle_status = r.opt(throttle)?,
            }
            Ok(())
        },
    )?;
    Ok(c)
}

fn throttle(r: &mut Reader<'_>) -> Result<Throttle, LedgerError> {
    let (mut available, mut rate) = (None, None);
    known(r, &["currentlyAvailable", "restoreRate"], &mut |r, at| {
        let value = Some(float(r)?);
        match at {
            0 => available = value,
            _ => rate = value,
        }
        Ok(())
    })?;
    Ok(Throttle {
        currently_available: available.ok_or_else(|| r.missing("currentlyAvailable"))?,
        restore_rate: rate.ok_or_else(|| r.missing("restoreRate"))?,
    })
}

/// A JSON number as `f64` (the cost figures are small counts; a decimal would add nothing).
fn float(r: &mut Reader<'_>) -> Result<f64, LedgerError> {
    let (text, _) = r.numeral()?;
    text.parse().map_err(|_| LedgerError::InvalidType {
        path: r.path_here(),
        message: format!("invalid type: {text:?}, expected a number"),
    })
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
    let answer = match answer(&reply.body) {
        Ok(a) => a,
        Err(e) => {
            return Prepared::Retry {
                reason: format!("Shopify order fees: not GraphQL JSON: {e}"),
                after_s: backoff(1),
            }
        }
    };
    let cost = answer.cost.as_ref();
    let code = |e: &GqlError| e.code.clone();
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
    if answer.order.is_none() {
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

/// A payout is booked even when it names orders the ledger has never seen (the bank has the
/// money either way); those orders are named in the event's note so their sales can be chased.
pub async fn payout_note(db: &Db, event: &EventRow) -> Result<Prepared> {
    let Ok(ids) = source_orders(&event.payload) else {
        return Ok(Prepared::unchanged());
    };
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

/// The order ids a payout's balance transactions name (`source_order_id`, a number or a
/// non-empty string; others ignored); a payout that is not an object of such items is an error.
fn source_orders(payload: &str) -> Result<BTreeSet<String>, LedgerError> {
    let mut r = Reader::new(payload);
    let mut ids = BTreeSet::new();
    known(&mut r, &["balance_transactions"], &mut |r, _| {
        r.each(&mut |r| {
            known(r, &["source_order_id"], &mut |r, _| {
                match r.lookahead() {
                    b'"' => Some(r.string()?).filter(|s| !s.is_empty()),
                    b'-' | b'0'..=b'9' => Some(r.numeral()?.0.to_string()),
                    _ => {
                        r.skip()?;
                        None
                    }
                }
                .map(|id| ids.insert(id));
                Ok(())
            })
        })
    })?;
    r.finish()?;
    Ok(ids)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
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

    #[test]
    fn graphql_answers_are_read_for_order_errors_and_cost() {
        let a = answer(
            r#"{"data":{"order":{"id":"gid://shopify/Order/1","transactions":[]}},"errors":[{"message":"Throttled","extensions":{"code":"THROTTLED"},"locations":[]}],
            "extensions":{"cost":{"requestedQueryCost":52,"actualQueryCost":null,"throttleStatus":{"maximumAvailable":2000.0,"currentlyAvailable":2.5,"restoreRate":100.0}}}}"#,
        )
        .unwrap();
        assert_eq!(
            a.order,
            Some(r#"{"id":"gid://shopify/Order/1","transactions":[]}"#)
        );
        assert_eq!(
            (a.errors[0].message.as_str(), a.errors[0].code.as_deref()),
            ("Throttled", Some("THROTTLED"))
        );
        assert_eq!(refill_s(a.cost.as_ref()), 1);
        let none = answer(r#"{"data":{"order":null},"extensions":null}"#).unwrap();
        assert!(none.order.is_none() && none.errors.is_empty() && none.cost.is_none());
        assert!(answer(r#"{"data":null}"#).unwrap().order.is_none());
        for bad in [
            r#"{"errors":{"message":"x"}}"#,
            r#"{"errors":[{"message":null}]}"#,
            r#"{"extensions":{"cost":{"throttleStatus":{"restoreRate":1}}}}"#,
            r#"{"data":{},"data":{}}"#,
            r#"{"data":{"order":1}} x"#,
        ] {
            assert!(answer(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_payout_names_its_orders_by_number_or_string() {
        let ids = source_orders(
            r#"{"payout":{"id":1},"balance_transactions":[{"source_order_id":7300000000001},{"source_order_id":"42"},{"source_order_id":""},{"source_order_id":null},{"type":"adjustment"}]}"#,
        )
        .unwrap();
        assert_eq!(
            ids.into_iter().collect::<Vec<_>>(),
            vec!["42", "7300000000001"]
        );
        assert!(source_orders(r#"{"balance_transactions":[1]}"#).is_err());
        assert!(source_orders(r#"{"payout":{}}"#).unwrap().is_empty());
    }
}
