//! Shopify's mandatory privacy webhooks: `customers/redact` (a customer's orders) and
//! `shop/redact` (everything of a shop, 48 hours after uninstall). Stored payloads keep what the
//! books are made of and lose the people in them (the core's `redact_personal_data`, which maps
//! to the same entries); booked entries carry no personal data and stay, still balanced.
//! The request itself is stored already redacted (intake), and handled here, off the webhook's
//! 5-second budget, since a shop may have thousands of stored events.

use crate::privacy;
use crate::store::{now_ms, Db};
use serde::Deserialize;
use worker::Result;

/// Events rewritten per D1 transaction.
const PAGE: i64 = 100;

#[derive(Deserialize)]
struct Request {
    #[serde(default)]
    orders_to_redact: Option<Vec<serde_json::Value>>,
}

/// Erases what the request names; returns how many stored payloads were rewritten.
pub async fn run(db: &Db, platform: &str, shop: &str, topic: &str, request: &str) -> Result<usize> {
    let orders = if topic == "shop/redact" {
        None
    } else {
        let parsed: Request = serde_json::from_str(request)
            .map_err(|e| worker::Error::RustError(format!("redact request: {e}")))?;
        let ids: Vec<String> = parsed
            .orders_to_redact
            .unwrap_or_default()
            .iter()
            .filter_map(|v| match v {
                serde_json::Value::Number(n) => Some(n.to_string()),
                serde_json::Value::String(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        if ids.is_empty() {
            return Ok(0);
        }
        Some(serde_json::to_string(&ids).map_err(|e| worker::Error::RustError(e.to_string()))?)
    };
    let mut after = 0;
    let mut rewritten = 0;
    loop {
        let page = db
            .payloads_to_erase(platform, shop, orders.as_deref(), after, PAGE)
            .await?;
        let Some(last) = page.last() else {
            return Ok(rewritten);
        };
        after = last.id;
        let rows: Vec<(i64, Option<String>)> = page
            .iter()
            .map(|row| privacy::redacted(row.id, &row.payload))
            .collect();
        rewritten += rows.iter().filter(|(_, p)| p.is_some()).count();
        db.redact_payloads(&rows, now_ms()).await?;
    }
}
