//! Delivery of one booked entry to one target. Each target is a file; this module holds what they
//! share: the outcome type, HTTP with a deadline, and the retry rules for HTTP answers.

pub mod d1;
pub mod oauth;
pub mod qbo;
pub mod webhook;
pub mod xero;

use crate::config::{Settings, ShopConfig, Target};
use crate::store::Db;
use futures_util::future::{select, Either};
use ledgerbridge_core::Entry;
use std::time::Duration;
use worker::{AbortController, Delay, Env, Fetch, Headers, Method, Request, RequestInit};

/// What happened to one delivery attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted; the target's reference for the posting.
    Delivered(String),
    /// Failed in a way a later attempt may fix (5xx, timeout, 429); counts as an attempt.
    Retry { reason: String, after_s: u32 },
    /// Not attempted: our own budget or a refresh in progress says wait; not an attempt.
    Defer { reason: String, after_s: u32 },
    /// Will not succeed by retrying (validation error, missing configuration): park it.
    Park(String),
}

/// What a sink needs besides the entry.
pub struct Ctx<'a> {
    pub env: &'a Env,
    pub db: &'a Db,
    pub settings: &'a Settings,
    pub shop: &'a str,
    pub shop_config: &'a ShopConfig,
    /// Attempts made before this one (for the backoff).
    pub attempts: i64,
}

pub async fn deliver(ctx: &Ctx<'_>, target: Target, entry: &Entry, json: &str) -> Outcome {
    match target {
        Target::D1 => d1::deliver(ctx, entry).await,
        Target::Webhook => webhook::deliver(ctx, entry, json).await,
        Target::Qbo => qbo::deliver(ctx, entry).await,
        Target::Xero => xero::deliver(ctx, entry).await,
    }
}

/// An HTTP answer, read whole.
pub struct Reply {
    pub status: u16,
    pub headers: Headers,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers.get(name).ok().flatten()
    }
}

/// Sends a request and reads its answer within `timeout_ms`; on expiry the request is aborted.
/// `Err` is a transport failure (timeout, refused connection): the target may or may not have
/// acted, so only an idempotent retry is safe.
pub async fn call(
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<String>,
    timeout_ms: u32,
) -> Result<Reply, String> {
    let h = Headers::new();
    for (k, v) in headers {
        h.set(k, v).map_err(|e| format!("header {k}: {e}"))?;
    }
    let mut init = RequestInit::new();
    init.with_method(method).with_headers(h);
    if let Some(b) = body {
        init.with_body(Some(b.into()));
    }
    let req =
        Request::new_with_init(url, &init).map_err(|e| format!("bad request to {url}: {e}"))?;
    let controller = AbortController::default();
    let signal = controller.signal();
    let exchange = async move {
        let fetch = Fetch::Request(req);
        let mut resp = fetch
            .send_with_signal(&signal)
            .await
            .map_err(|e| e.to_string())?;
        let body = resp.text().await.map_err(|e| e.to_string())?;
        Ok::<Reply, String>(Reply {
            status: resp.status_code(),
            headers: resp.headers().clone(),
            body,
        })
    };
    let deadline = Delay::from(Duration::from_millis(timeout_ms.into()));
    match select(Box::pin(exchange), Box::pin(deadline)).await {
        Either::Left((reply, _)) => reply,
        Either::Right(((), _)) => {
            controller.abort();
            Err(format!("no answer within {timeout_ms} ms"))
        }
    }
}

/// Exponential backoff by attempts made: 1 s, 2 s, 4 s ... capped at 10 minutes.
pub fn backoff(attempts: i64) -> u32 {
    let exp = attempts.clamp(0, 10) as u32;
    (1u32 << exp).min(600)
}

/// `Retry-After` in seconds (the HTTP-date form is treated as one minute).
pub fn retry_after(reply: &Reply) -> Option<u32> {
    let v = reply.header("retry-after")?;
    Some(v.trim().parse::<u32>().unwrap_or(60))
}

/// The common reading of an HTTP answer: 2xx delivered (with `reference`), 429 wait as told
/// (or a minute), 401 (handled by OAuth sinks before this), 408/5xx retry with backoff,
/// other 4xx park with the answer's text.
pub fn classify(reply: &Reply, attempts: i64, reference: impl FnOnce(&Reply) -> String) -> Outcome {
    match reply.status {
        200..=299 => Outcome::Delivered(reference(reply)),
        429 => Outcome::Retry {
            reason: "rate limited by target (429)".into(),
            after_s: retry_after(reply).unwrap_or(60),
        },
        408 | 500..=599 => Outcome::Retry {
            reason: format!("target answered {}", reply.status),
            after_s: retry_after(reply).unwrap_or_else(|| backoff(attempts)),
        },
        status => Outcome::Park(format!(
            "target refused ({status}): {}",
            excerpt(&reply.body)
        )),
    }
}

/// The first 300 characters of a target's error body, for a readable parked reason.
pub fn excerpt(text: &str) -> String {
    let t: String = text.chars().take(300).collect();
    t.replace(['\n', '\r'], " ")
}
