//! Delivery of one booked entry to one target. Each target is a file; this module holds what they
//! share: the outcome type and the reading of a target's HTTP answer (the HTTP itself is
//! [`crate::http`]).

pub mod d1;
pub mod documents;
pub mod oauth;
pub mod qbo;
mod qbo_documents;
pub mod webhook;
pub mod xero;
mod xero_documents;

use crate::config::{Settings, ShopConfig, Target};
use crate::http::{backoff, excerpt, retry_after, Reply};
use crate::store::Db;
use ledgerbridge_core::Entry;
use worker::Env;

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

/// The common reading of an HTTP answer: 2xx delivered (with `reference`), 429 wait as told
/// (or a minute), 401 (handled by OAuth sinks before this), 408/5xx retry with backoff,
/// other 4xx park with the answer's text.
// `&dyn`: one copy for all the sinks' reference closures.
pub fn classify(reply: &Reply, attempts: i64, reference: &dyn Fn(&Reply) -> String) -> Outcome {
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

/// The company (QBO realm) or organisation (Xero tenant) the shop connected from the admin page,
/// for a shop whose SHOPS entry names none.
pub async fn connected_account(ctx: &Ctx<'_>, provider: &str) -> Result<String, Outcome> {
    match ctx.db.connection(provider, ctx.shop).await {
        Ok(Some(c)) => Ok(c.account_id),
        Ok(None) => Err(Outcome::Park(format!(
            "no {provider} account connected for {}: connect it on the admin page (or set SHOPS[{}].{provider}), then POST /api/replay",
            ctx.shop, ctx.shop
        ))),
        Err(e) => Err(Outcome::Retry {
            reason: format!("D1: {e}"),
            after_s: 5,
        }),
    }
}
