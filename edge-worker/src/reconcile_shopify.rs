//! The Shopify reconciliation pull: Shopify retries a failed webhook 8 times over 4 hours, then
//! drops it (and removes a subscription that keeps failing). Every sweep asks each shop with a
//! `shopify` block and an Admin token for the orders updated since its cursor (REST
//! `orders.json?status=any&updated_at_min=`: the REST order is the shape the webhooks carry, which
//! the core reads) and records each as an event with delivery id `pull:<id>:<updated_at>`. A
//! version pulled before is a no-op at intake; one that also came by webhook maps to the same
//! entry id and is skipped as a duplicate. Pulled orders get their fees fetched like webhooks.
//!
//! The listing's order is not documented, so the cursor (`pull_cursors`, source `shopify`, Unix
//! seconds of the newest `updated_at` seen) moves only after a listing was read to its last page;
//! one cut short by the page cap or an error is read again from the same cursor next sweep.

use crate::config::Settings;
use crate::fetch::shopify::API_VERSION;
use crate::http::{call, excerpt};
use crate::peek;
use crate::queue;
use crate::store::{Db, NewEvent, Recorded};
use ledgerbridge_core::model::Timestamp;
use worker::{Env, Method, Result};

const PAGE: usize = 250;
/// Pages per shop per sweep: 5 000 orders.
const PAGES_MAX: usize = 20;
/// The first pull of a shop looks this far back.
const FIRST_LOOKBACK_S: i64 = 24 * 3600;

fn fail(what: String) -> worker::Error {
    worker::Error::RustError(what)
}

pub async fn run(env: &Env, settings: &Settings, db: &Db, now: i64) -> Result<usize> {
    let mut recorded = 0;
    for (shop, config) in settings.shopify_shops() {
        let Some((base, token)) = config.shopify_admin(env, &shop) else {
            continue;
        };
        match pull_shop(env, settings, db, &shop, &base, &token, now).await {
            Ok(n) => recorded += n,
            Err(e) => worker::console_warn!("reconcile shopify {shop}: {e}"),
        }
    }
    Ok(recorded)
}

async fn pull_shop(
    env: &Env,
    settings: &Settings,
    db: &Db,
    shop: &str,
    base: &str,
    token: &str,
    now: i64,
) -> Result<usize> {
    let cursor: i64 = match db.pull_cursor("shopify", shop).await? {
        Some(c) => c.parse().unwrap_or(0),
        None => now / 1000 - FIRST_LOOKBACK_S,
    };
    // `updated_at_min` has one-second resolution: from a second before the cursor, so an order
    // updated later within that second is not skipped (re-found versions are no-ops).
    let since = Timestamp::from_unix(cursor - 1)
        .map(|t| t.as_str().to_string())
        .ok_or_else(|| fail(format!("cursor {cursor} is not a time")))?;
    let mut next = Some(format!(
        "{base}/admin/api/{API_VERSION}/orders.json?status=any&updated_at_min={since}&limit={PAGE}"
    ));
    let mut fresh = Vec::new();
    let mut newest = cursor;
    let mut complete = false;
    let outcome = async {
        for _ in 0..PAGES_MAX {
            let Some(url) = next.take() else {
                complete = true;
                break;
            };
            let (body, more) = orders_page(settings, base, token, &url).await?;
            for (id, updated_at, raw) in order_peeks(&body)? {
                let event = NewEvent {
                    platform: "shopify",
                    shop,
                    topic: "orders/reconciled",
                    delivery_id: &format!("pull:{id}:{updated_at}"),
                    resource: "order",
                    order_id: Some(&id),
                    payload: raw,
                    body_sha256: None,
                };
                if let Recorded::New(event_id) = db.record_event(&event, now).await? {
                    fresh.push(event_id);
                }
                if let Some(t) = Timestamp::parse(&updated_at) {
                    newest = newest.max(t.unix());
                }
            }
            next = more;
        }
        complete |= next.is_none();
        Ok::<(), worker::Error>(())
    }
    .await;
    if outcome.is_ok() && complete {
        db.set_pull_cursor("shopify", shop, &newest.to_string(), now)
            .await?;
    }
    queue::enqueue(env, &fresh, &[]).await?;
    outcome.map(|()| fresh.len())
}

/// One page of a shop's REST order list (the webhook shape): its body and the next page's URL,
/// which must be the shop's own Admin API (the token goes nowhere else).
pub(crate) async fn orders_page(
    settings: &Settings,
    base: &str,
    token: &str,
    url: &str,
) -> Result<(String, Option<String>)> {
    let headers = [
        ("x-shopify-access-token", token),
        ("accept", "application/json"),
    ];
    let reply = call(Method::Get, url, &headers, None, settings.target_timeout_ms)
        .await
        .map_err(|e| fail(format!("orders list: {e}")))?;
    if !(200..300).contains(&reply.status) {
        return Err(fail(format!(
            "orders list answered {}: {}",
            reply.status,
            excerpt(&reply.body)
        )));
    }
    let next = match reply
        .header("link")
        .as_deref()
        .and_then(crate::payouts::link_next)
    {
        Some(u) if u.starts_with(&format!("{base}/")) => Some(u),
        Some(u) => return Err(fail(format!("a next page elsewhere: {}", excerpt(&u)))),
        None => None,
    };
    Ok((reply.body, next))
}

/// The orders of a list page with their id and `updated_at` (the version that names an event);
/// an order without a readable id is left out.
pub(crate) fn order_peeks(body: &str) -> Result<Vec<(String, String, &str)>> {
    let orders = peek::list(body, "orders").map_err(|e| fail(format!("orders list: {e}")))?;
    // An order without a whole-number id, or with an `updated_at` that is not a string, is
    // skipped, as the serde derive skipped it.
    Ok(orders
        .into_iter()
        .filter_map(|raw| {
            let [id, updated_at] = peek::members(raw, ["id", "updated_at"]).ok()?;
            let updated_at = match updated_at {
                Some(u) => peek::text(Some(u))?,
                None => String::new(),
            };
            Some((peek::whole(id)?.to_string(), updated_at, raw))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn listed_orders_keep_their_text_and_need_a_whole_id() {
        let body = r##"{"orders":[{"id":7300000000001,"updated_at":"2026-12-01T10:00:00-05:00","name":"#1001"}, {"id":"7"},{"id":2},{"id":3,"updated_at":null}]}"##;
        let peeks = order_peeks(body).unwrap();
        assert_eq!(
            peeks,
            vec![
                (
                    "7300000000001".to_string(),
                    "2026-12-01T10:00:00-05:00".to_string(),
                    r##"{"id":7300000000001,"updated_at":"2026-12-01T10:00:00-05:00","name":"#1001"}"##
                ),
                ("2".to_string(), String::new(), r#"{"id":2}"#),
                (
                    "3".to_string(),
                    String::new(),
                    r#"{"id":3,"updated_at":null}"#
                ),
            ]
        );
        assert!(order_peeks(r#"{"next":1}"#).is_err());
        assert!(order_peeks(r#"{"orders":{}}"#).is_err());
    }
}
