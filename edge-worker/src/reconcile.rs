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
use crate::queue;
use crate::store::{Db, NewEvent, Recorded};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ledgerbridge_core::model::Timestamp;
use serde::Deserialize;
use serde_json::value::RawValue;
use worker::{Env, Method, Result};

/// Orders per page, and pages per store per sweep (the cron runs every two minutes).
const PAGE: usize = 50;
const PAGES_MAX: usize = 4;
/// The first pull of a store looks this far back.
const FIRST_LOOKBACK_MS: i64 = 24 * 3_600_000;

#[derive(Deserialize)]
struct Peek {
    id: serde_json::Value,
    date_modified_gmt: Option<String>,
}

/// The WooCommerce REST credentials (one consumer key for the deployment) as a Basic header.
pub(crate) fn woo_basic(env: &Env) -> Option<String> {
    let key = text(env, "WOOCOMMERCE_API_KEY")?;
    let secret = text(env, "WOOCOMMERCE_API_SECRET")?;
    Some(format!("Basic {}", B64.encode(format!("{key}:{secret}"))))
}

/// A listed WooCommerce order's id and `date_modified_gmt` (its version): what names its event.
pub(crate) fn woo_peek(raw: &RawValue) -> Option<(String, String)> {
    let peek = serde_json::from_str::<Peek>(raw.get()).ok()?;
    let id = match &peek.id {
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => s.clone(),
        _ => return None,
    };
    Some((id, peek.date_modified_gmt.unwrap_or_default()))
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

#[derive(Deserialize)]
struct EventList<'a> {
    #[serde(borrow)]
    data: Vec<&'a RawValue>,
    #[serde(default)]
    has_more: bool,
}

#[derive(Deserialize)]
struct EventPeek {
    id: String,
    #[serde(rename = "type", default)]
    kind: String,
    created: i64,
    #[serde(default)]
    account: Option<String>,
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
        let list: EventList = serde_json::from_str(&body)
            .map_err(|e| worker::Error::RustError(format!("events list: {e}")))?;
        for raw in &list.data {
            let Ok(peek) = serde_json::from_str::<EventPeek>(raw.get()) else {
                continue;
            };
            let event = NewEvent {
                platform: "stripe",
                shop: peek.account.as_deref().unwrap_or(shop),
                topic: &peek.kind,
                delivery_id: &peek.id,
                resource: "other",
                order_id: None,
                payload: raw.get(),
                body_sha256: None,
            };
            if let Recorded::New(event_id) = db.record_event(&event, now).await? {
                fresh.push(event_id);
            }
            cursor = cursor.max(peek.created);
            after = Some(peek.id);
        }
        if !list.has_more {
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
        let orders: Vec<&RawValue> = serde_json::from_str(&body)
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
                payload: raw.get(),
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
