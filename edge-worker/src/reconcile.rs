//! The reconciliation pull: webhooks get lost, and a lost delivery would be a lost sale.
//! - WooCommerce does not redeliver a webhook that failed (it disables the hook after repeated
//!   failures instead). Every sweep asks each configured store for the orders modified since its
//!   cursor and records each as an event with the delivery id `pull:<order id>:<date_modified_gmt>`:
//!   a version already pulled is a no-op at intake, and one that also arrived by webhook maps to
//!   the same entry id, which the plan skips as a duplicate.
//! - Stripe retries for three days, then gives up. Every sweep lists the events whose delivery
//!   failed (`delivery_success=false`) since its cursor and records each under its event id, the
//!   delivery id the webhook intake uses, so a late webhook of the same event is a duplicate.
//!
//! Nothing is posted twice; nothing the store has is missed for long.

use crate::config::{text, Settings};
use crate::http::call;
use crate::peek;
use crate::queue;
use crate::store::{Db, NewEvent, Recorded};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ledgerbridge_core::model::Timestamp;
use worker::{Env, Method, Result};

/// Orders per page, and pages per store per sweep (the cron runs every two minutes).
const PAGE: usize = 50;
const PAGES_MAX: usize = 4;
/// The first pull of a store looks this far back.
const FIRST_LOOKBACK_MS: i64 = 24 * 3_600_000;

/// The WooCommerce REST credentials (one consumer key for the deployment) as a Basic header.
pub(crate) fn woo_basic(env: &Env) -> Option<String> {
    let key = text(env, "WOOCOMMERCE_API_KEY")?;
    let secret = text(env, "WOOCOMMERCE_API_SECRET")?;
    Some(format!("Basic {}", B64.encode(format!("{key}:{secret}"))))
}

/// A listed WooCommerce order's id and `date_modified_gmt` (its version): what names its event.
/// Peeked with the core's Reader (issue #17); an id that is not a number or a string, or a
/// version that is not a string, makes it `None`, as the serde derive's refusal did.
pub(crate) fn woo_peek(raw: &str) -> Option<(String, String)> {
    let [id, modified] = peek::members(raw, ["id", "date_modified_gmt"]).ok()?;
    let id = id?;
    let id = match id.as_bytes().first()? {
        b'"' => peek::text(Some(id))?,
        b'-' | b'0'..=b'9' => id.to_string(),
        _ => return None,
    };
    let modified = match modified {
        Some(m) => peek::text(Some(m))?,
        None => String::new(),
    };
    Some((id, modified))
}

/// Pulls every store that has `woocommerce.base_url` configured; returns the events recorded.
pub async fn run(env: &Env, settings: &Settings, db: &Db, now: i64) -> Result<usize> {
    let mut recorded = 0;
    if let Some(basic) = woo_basic(env) {
        for (shop, base_url) in settings.woocommerce_stores() {
            match pull_store(env, settings, db, &shop, &base_url, &basic, now).await {
                Ok(n) => recorded += n,
                // One unreachable store must not stop the others (or the sweeper).
                Err(e) => worker::console_warn!("reconcile {shop}: {e}"),
            }
        }
    }
    if let Some(key) = text(env, "STRIPE_API_KEY") {
        let bearer = format!("Bearer {key}");
        for (shop, api_base) in settings.stripe_accounts() {
            match pull_stripe(env, settings, db, &shop, &api_base, &bearer, now).await {
                Ok(n) => recorded += n,
                Err(e) => worker::console_warn!("reconcile stripe {shop}: {e}"),
            }
        }
    }
    recorded += crate::reconcile_shopify::run(env, settings, db, now).await?;
    Ok(recorded)
}

/// A listed Stripe event: `(id, type, created, account)`; `None` (the event skipped) when its id
/// or `created` is missing or of the wrong type, as the derive refused it.
fn event_peek(raw: &str) -> Option<(String, String, i64, Option<String>)> {
    let [id, kind, created, account] =
        peek::members(raw, ["id", "type", "created", "account"]).ok()?;
    let kind = match kind {
        Some(k) => peek::text(Some(k))?,
        None => String::new(),
    };
    let account = match account {
        Some(a) => Some(peek::text(Some(a))?),
        None => None,
    };
    Some((peek::text(id)?, kind, peek::int(created)?, account))
}

/// Stripe events that were not delivered, created since the cursor (Unix seconds, from a second
/// before it), newest first as Stripe lists them, paged with `starting_after`.
async fn pull_stripe(
    env: &Env,
    settings: &Settings,
    db: &Db,
    shop: &str,
    api_base: &str,
    bearer: &str,
    now: i64,
) -> Result<usize> {
    let mut cursor: i64 = match db.pull_cursor("stripe", shop).await? {
        Some(c) => c.parse().unwrap_or(0),
        None => (now - FIRST_LOOKBACK_MS) / 1000,
    };
    let since = cursor - 1;
    let mut fresh = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..PAGES_MAX {
        let mut url = format!(
            "{}/v1/events?delivery_success=false&created[gte]={since}&limit={PAGE}",
            api_base.trim_end_matches('/')
        );
        if let Some(last) = &after {
            url.push_str(&format!("&starting_after={last}"));
        }
        let body = list_page(settings, &url, &[("authorization", bearer)], "events list").await?;
        let (data, has_more) = crate::fetch::stripe::list(&body)
            .map_err(|e| worker::Error::RustError(format!("events list: {e}")))?;
        for raw in data {
            let Some((id, kind, created, account)) = event_peek(raw) else {
                continue;
            };
            let event = NewEvent {
                platform: "stripe",
                shop: account.as_deref().unwrap_or(shop),
                topic: &kind,
                delivery_id: &id,
                resource: "other",
                order_id: None,
                payload: raw,
                body_sha256: None,
            };
            if let Recorded::New(event_id) = db.record_event(&event, now).await? {
                fresh.push(event_id);
            }
            cursor = cursor.max(created);
            after = Some(id);
        }
        if !has_more {
            break;
        }
    }
    db.set_pull_cursor("stripe", shop, &cursor.to_string(), now)
        .await?;
    queue::enqueue(env, &fresh, &[]).await?;
    Ok(fresh.len())
}

async fn pull_store(
    env: &Env,
    settings: &Settings,
    db: &Db,
    shop: &str,
    base_url: &str,
    basic: &str,
    now: i64,
) -> Result<usize> {
    let mut cursor = match db.pull_cursor("woocommerce", shop).await? {
        Some(c) => c,
        None => gmt_text(now - FIRST_LOOKBACK_MS),
    };
    // `modified_after` is exclusive and has one-second resolution: ask from a second before the
    // cursor, so an order modified later within that second is not skipped (re-found ones are
    // no-ops at intake).
    let since = Timestamp::parse(&format!("{cursor}Z"))
        .map(|t| gmt_text((t.unix() - 1) * 1000))
        .unwrap_or_else(|| cursor.clone());
    let mut fresh = Vec::new();
    for page in 1..=PAGES_MAX {
        let url = format!(
            "{}/wp-json/wc/v3/orders?modified_after={since}&dates_are_gmt=true&orderby=modified&order=asc&per_page={PAGE}&page={page}",
            base_url.trim_end_matches('/')
        );
        let headers = [("authorization", basic), ("accept", "application/json")];
        let body = list_page(settings, &url, &headers, "orders list").await?;
        let orders = peek::items(&body)
            .map_err(|e| worker::Error::RustError(format!("orders list: {e}")))?;
        let count = orders.len();
        for raw in orders {
            let Some((id, modified)) = woo_peek(raw) else {
                continue;
            };
            let event = NewEvent {
                platform: "woocommerce",
                shop,
                topic: "order.reconciled",
                delivery_id: &format!("pull:{id}:{modified}"),
                resource: "order",
                order_id: Some(&id),
                payload: raw,
                body_sha256: None,
            };
            if let Recorded::New(event_id) = db.record_event(&event, now).await? {
                fresh.push(event_id);
            }
            if modified > cursor {
                cursor = modified;
            }
        }
        if count < PAGE {
            break;
        }
    }
    db.set_pull_cursor("woocommerce", shop, &cursor, now)
        .await?;
    queue::enqueue(env, &fresh, &[]).await?;
    Ok(fresh.len())
}

/// One page of a source's list endpoint; anything but a 2xx ends this store's pull for the sweep.
pub(crate) async fn list_page(
    settings: &Settings,
    url: &str,
    headers: &[(&str, &str)],
    what: &str,
) -> Result<String> {
    let reply = call(Method::Get, url, headers, None, settings.target_timeout_ms)
        .await
        .map_err(worker::Error::RustError)?;
    if !(200..300).contains(&reply.status) {
        return Err(worker::Error::RustError(format!(
            "{what} answered {}",
            reply.status
        )));
    }
    Ok(reply.body)
}

/// `YYYY-MM-DDTHH:MM:SS` in UTC, as WooCommerce's `*_gmt` fields and `modified_after` read it.
pub(crate) fn gmt_text(ms: i64) -> String {
    Timestamp::from_unix(ms.div_euclid(1000))
        .map(|t| t.as_str().chars().take(19).collect())
        .unwrap_or_else(|| "1970-01-01T00:00:00".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_orders_and_events_are_peeked_by_id_and_version() {
        let order = r#"{"id":7301,"status":"completed","date_modified_gmt":"2026-12-01T10:00:00"}"#;
        assert_eq!(
            woo_peek(order),
            Some(("7301".into(), "2026-12-01T10:00:00".into()))
        );
        assert_eq!(
            woo_peek(r#"{"id":"A-1"}"#),
            Some(("A-1".into(), String::new()))
        );
        for none in [
            r#"{"id":null}"#,
            r#"{"id":[1]}"#,
            r#"{"id":1,"date_modified_gmt":5}"#,
            r#"{"number":"1"}"#,
            "[1]",
        ] {
            assert_eq!(woo_peek(none), None, "{none}");
        }
        let event = r#"{"id":"evt_1","object":"event","type":"charge.succeeded","created":1764580000,"account":"acct_1","data":{}}"#;
        assert_eq!(
            event_peek(event),
            Some((
                "evt_1".into(),
                "charge.succeeded".into(),
                1_764_580_000,
                Some("acct_1".into())
            ))
        );
        assert_eq!(
            event_peek(r#"{"id":"evt_2","created":1}"#),
            Some(("evt_2".into(), String::new(), 1, None))
        );
        for none in [
            r#"{"id":"evt_1"}"#,
            r#"{"id":1,"created":1}"#,
            r#"{"id":"e","created":1.5}"#,
            r#"{"id":"e","created":1,"account":7}"#,
        ] {
            assert_eq!(event_peek(none), None, "{none}");
        }
    }
}
