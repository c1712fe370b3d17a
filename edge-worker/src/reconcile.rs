//! The reconciliation pull: WooCommerce does not redeliver a webhook that failed (it disables the
//! hook after repeated failures instead), so a lost delivery would be a lost sale. Every sweep
//! asks each configured store for the orders modified since its cursor and records each as an
//! event, with the delivery id `pull:<order id>:<date_modified_gmt>`: a version already pulled is
//! a no-op at intake, and one that also arrived by webhook maps to the same entry id, which the
//! plan skips as a duplicate. Nothing is posted twice; nothing the store has is missed for long.

use crate::config::{text, Settings};
use crate::consumer;
use crate::sinks::call;
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

/// Pulls every store that has `woocommerce.base_url` configured; returns the events recorded.
pub async fn run(env: &Env, settings: &Settings, db: &Db, now: i64) -> Result<usize> {
    let (Some(key), Some(secret)) = (
        text(env, "WOOCOMMERCE_API_KEY"),
        text(env, "WOOCOMMERCE_API_SECRET"),
    ) else {
        return Ok(0);
    };
    let basic = format!("Basic {}", B64.encode(format!("{key}:{secret}")));
    let mut recorded = 0;
    for (shop, base_url) in settings.woocommerce_stores() {
        match pull_store(env, settings, db, &shop, &base_url, &basic, now).await {
            Ok(n) => recorded += n,
            // One unreachable store must not stop the others (or the sweeper).
            Err(e) => worker::console_warn!("reconcile {shop}: {e}"),
        }
    }
    Ok(recorded)
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
        let reply = call(
            Method::Get,
            &url,
            &headers,
            None,
            settings.target_timeout_ms,
        )
        .await
        .map_err(worker::Error::RustError)?;
        if !(200..300).contains(&reply.status) {
            return Err(worker::Error::RustError(format!(
                "orders list answered {}",
                reply.status
            )));
        }
        let orders: Vec<&RawValue> = serde_json::from_str(&reply.body)
            .map_err(|e| worker::Error::RustError(format!("orders list: {e}")))?;
        let count = orders.len();
        for raw in orders {
            let Ok(peek) = serde_json::from_str::<Peek>(raw.get()) else {
                continue;
            };
            let id = match &peek.id {
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::String(s) => s.clone(),
                _ => continue,
            };
            let modified = peek.date_modified_gmt.unwrap_or_default();
            let event = NewEvent {
                platform: "woocommerce",
                shop,
                topic: "order.reconciled",
                delivery_id: &format!("pull:{id}:{modified}"),
                resource: "order",
                order_id: Some(&id),
                payload: raw.get(),
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
    consumer::enqueue(env, &fresh, &[]).await?;
    Ok(fresh.len())
}

/// `YYYY-MM-DDTHH:MM:SS` in UTC, as WooCommerce's `*_gmt` fields and `modified_after` read it.
fn gmt_text(ms: i64) -> String {
    Timestamp::from_unix(ms.div_euclid(1000))
        .map(|t| t.as_str().chars().take(19).collect())
        .unwrap_or_else(|| "1970-01-01T00:00:00".to_string())
}
