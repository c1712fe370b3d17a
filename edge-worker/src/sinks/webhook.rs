//! A generic HTTPS receiver, signed per Standard Webhooks (`webhook-id` = the entry id, so a
//! receiver dedupes retries; `webhook-timestamp`; `webhook-signature: v1,<base64>`). The body is
//! the entry's public JSON exactly as booked.

use super::{classify, Ctx, Outcome};
use crate::config::text;
use crate::http::{backoff, call};
use crate::store::now_ms;
use crate::verify::{standard_webhooks_key, standard_webhooks_signature};
use ledgerbridge_core::Entry;
use worker::Method;

pub async fn deliver(ctx: &Ctx<'_>, entry: &Entry, json: &str) -> Outcome {
    let Some(url) = ctx.shop_config.webhook_url.as_deref() else {
        return Outcome::Park("webhook target without webhook_url in SHOPS".into());
    };
    let Some(secret) = text(ctx.env, "WEBHOOK_SECRET") else {
        return Outcome::Park("webhook target without the WEBHOOK_SECRET secret".into());
    };
    let ts = now_ms() / 1000;
    let signature = standard_webhooks_signature(
        &standard_webhooks_key(&secret),
        &entry.id,
        ts,
        json.as_bytes(),
    );
    let ts = ts.to_string();
    let headers = [
        ("content-type", "application/json"),
        ("webhook-id", entry.id.as_str()),
        ("webhook-timestamp", ts.as_str()),
        ("webhook-signature", signature.as_str()),
    ];
    match call(
        Method::Post,
        url,
        &headers,
        Some(json.to_string()),
        ctx.settings.target_timeout_ms,
    )
    .await
    {
        Ok(reply) => classify(&reply, ctx.attempts, &|r| format!("webhook {}", r.status)),
        Err(e) => Outcome::Retry {
            reason: format!("webhook: {e}"),
            after_s: backoff(ctx.attempts),
        },
    }
}
