//! OAuth2 access tokens for QBO and Xero, one token set per (provider, shop) in D1.
//!
//! Refresh is single-flight: a D1 lease lets one invocation refresh while the others wait (two
//! refreshers make the provider revoke the chain with `invalid_grant`). The rotated refresh token
//! is written to D1 before the new access token is used, so a crash right after the refresh
//! cannot lose it.

// The core's error (path and message), as the JSON Reader and its callbacks return it.
#![allow(clippy::result_large_err)]

use super::{Ctx, Outcome};
use crate::config::{text, Target};
use crate::http::{backoff, call, excerpt, retry_after, Reply};
use crate::peek::known;
use crate::seal::{self, TokenKey};
use crate::store::now_ms;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use ledgerbridge_core::json::Reader;
use ledgerbridge_core::LedgerError;
use worker::Method;

/// How long one refresh may hold the lease before another invocation may take over.
const LEASE_MS: i64 = 30_000;
/// Access tokens this close to expiry are refreshed first.
const EARLY_MS: i64 = 60_000;

pub struct Provider {
    pub name: &'static str,
    /// Prefix of its secrets: `<P>_CLIENT_ID`, `<P>_CLIENT_SECRET`, `<P>_REFRESH_TOKEN` (the seed).
    pub secrets: &'static str,
    /// Calls per shop the provider allows, as (window: `m` minute, `d` day, limit); every API call
    /// is counted, a 401 answered one too.
    pub budgets: &'static [(char, i64)],
}

/// 500 requests per minute per realm (Intuit's limits and throttles page). Whether a provider
/// counts a minute on the clock or rolling is not documented, so besides the clock minute a
/// six-second slice is capped too: any rolling 60 s overlaps at most 11 slices, so at most
/// 11 × 45 = 495 calls.
pub const QBO: Provider = Provider {
    name: "qbo",
    secrets: "QBO",
    budgets: &[('s', 45), ('m', 500)],
};
/// 60 calls per minute and 5 000 per day per tenant (Xero's API limits); any rolling 60 s holds
/// at most 11 × 5 = 55 calls.
pub const XERO: Provider = Provider {
    name: "xero",
    secrets: "XERO",
    budgets: &[('s', 5), ('m', 60), ('d', 5_000)],
};

/// A token endpoint's answer (RFC 6749 §5.1), as much of it as is kept.
pub struct Granted {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_in: Option<i64>,
}

/// Read with the core's [`Reader`] (issue #17: one reader for this and the connect flow's token
/// answer instead of two serde derives): other members skipped, `access_token` required.
pub fn granted(text: &str) -> Result<Granted, LedgerError> {
    let mut r = Reader::new(text);
    let (mut access, mut refresh, mut expires_in) = (None, None, None);
    let names = ["access_token", "refresh_token", "expires_in"];
    known(&mut r, &names, &mut |r, at| {
        match at {
            0 => access = Some(r.string()?),
            1 => refresh = r.opt(Reader::string)?,
            _ => expires_in = r.opt(crate::peek::integer)?,
        }
        Ok(())
    })?;
    let access_token = access.ok_or_else(|| r.missing("access_token"))?;
    r.finish()?;
    Ok(Granted {
        access_token,
        refresh_token: refresh,
        expires_in,
    })
}

/// The key tokens are sealed with; without it nothing is stored, so the posting parks (fail closed).
fn token_key(ctx: &Ctx<'_>) -> Result<TokenKey, Outcome> {
    text(ctx.env, "TOKEN_KEY")
        .as_deref()
        .and_then(TokenKey::from_secret)
        .ok_or_else(|| {
            Outcome::Park(format!(
                "OAuth tokens are stored sealed: set the TOKEN_KEY secret ({} characters or more, e.g. `openssl rand -base64 32`), then POST /api/replay",
                seal::MIN_SECRET_LEN
            ))
        })
}

/// The token row with its values opened. A refresh token that does not open (another
/// `TOKEN_KEY`, or a value copied from another row) cannot be used: the account must be connected
/// again. An access token that does not open is only refreshed.
async fn read_row(
    ctx: &Ctx<'_>,
    p: &Provider,
    key: &TokenKey,
) -> Result<Option<crate::store::TokenRow>, Outcome> {
    let Some(mut row) = ctx.db.token(p.name, ctx.shop).await.map_err(d1_failed)? else {
        return Ok(None);
    };
    let aad = seal::row(p.name, ctx.shop);
    row.refresh_token = key
        .open(&aad, &row.refresh_token)
        .ok_or_else(|| {
            Outcome::Park(format!(
                "the stored {} refresh token does not open with this TOKEN_KEY: reconnect the {} account (or restore the key), then POST /api/replay",
                p.name, p.name
            ))
        })?
        .into_text();
    row.access_token = row
        .access_token
        .and_then(|a| key.open(&aad, &a))
        .map(seal::Unsealed::into_text);
    Ok(Some(row))
}

fn d1_failed(e: worker::Error) -> Outcome {
    Outcome::Retry {
        reason: format!("D1: {e}"),
        after_s: 5,
    }
}

/// A usable access token, refreshing it when it is missing, expired or `refused`.
pub async fn access_token(ctx: &Ctx<'_>, p: &Provider, token_url: &str) -> Result<String, Outcome> {
    let now = now_ms();
    let db = ctx.db;
    let key = token_key(ctx)?;
    let aad = seal::row(p.name, ctx.shop);
    let mut row = read_row(ctx, p, &key).await?;
    if row.is_none() {
        let seed = seed(ctx, p)?;
        db.seed_token(p.name, ctx.shop, &key.seal(&aad, &seed), now)
            .await
            .map_err(d1_failed)?;
        row = read_row(ctx, p, &key).await?;
    }
    if let Some(access) = row.as_ref().and_then(|r| fresh(r, now)) {
        return Ok(access);
    }
    if !db
        .take_refresh_lease(p.name, ctx.shop, now, now + LEASE_MS)
        .await
        .map_err(d1_failed)?
    {
        return Err(Outcome::Defer {
            reason: format!("{} token refresh in progress elsewhere", p.name),
            after_s: 2,
        });
    }
    // Another invocation may have refreshed between our read and the lease.
    let row = match read_row(ctx, p, &key).await {
        Ok(row) => row,
        Err(outcome) => {
            db.release_refresh_lease(p.name, ctx.shop)
                .await
                .map_err(d1_failed)?;
            return Err(outcome);
        }
    };
    if let Some(access) = row.as_ref().and_then(|r| fresh(r, now)) {
        db.release_refresh_lease(p.name, ctx.shop)
            .await
            .map_err(d1_failed)?;
        return Ok(access);
    }
    let Some(row) = row else {
        return Err(Outcome::Retry {
            reason: format!("{} token row vanished", p.name),
            after_s: 5,
        });
    };
    let result = refresh(ctx, p, token_url, &row.refresh_token).await;
    match result {
        Ok(granted) => {
            let refresh = granted
                .refresh_token
                .as_deref()
                .unwrap_or(&row.refresh_token);
            let expires_at = now_ms() + granted.expires_in.unwrap_or(1800) * 1000;
            // Stored (lease released) before anything uses the new access token.
            db.store_tokens(
                p.name,
                ctx.shop,
                &key.seal(&aad, &granted.access_token),
                expires_at,
                &key.seal(&aad, refresh),
                now_ms(),
            )
            .await
            .map_err(d1_failed)?;
            Ok(granted.access_token)
        }
        Err(outcome @ Outcome::Park(_)) => {
            // The provider revoked the chain: the stored refresh token is dead. Forgetting it
            // lets the next attempt seed from the secret the merchant sets on reconnecting, and
            // `POST /api/replay` then posts everything parked meanwhile.
            db.forget_tokens(p.name, ctx.shop)
                .await
                .map_err(d1_failed)?;
            Err(outcome)
        }
        Err(outcome) => {
            db.release_refresh_lease(p.name, ctx.shop)
                .await
                .map_err(d1_failed)?;
            Err(outcome)
        }
    }
}

/// The secret a shop's token chain starts from: its own `<P>_REFRESH_TOKEN_<SHOP>` (the shop
/// domain upper-cased, every character but letters and digits `_`), and the bare
/// `<P>_REFRESH_TOKEN` only while this shop is the one shop with the target. A refresh token is
/// one chain at the provider: two shops seeded from it rotate it out from under each other, and
/// both would post into the one company that granted it.
fn seed(ctx: &Ctx<'_>, p: &Provider) -> Result<String, Outcome> {
    let own = own_seed_name(p, ctx.shop);
    if let Some(seed) = text(ctx.env, &own) {
        return Ok(seed);
    }
    let shared = format!("{}_REFRESH_TOKEN", p.secrets);
    let sharing = Target::parse(p.name).map_or(2, |t| ctx.settings.shops_using(t));
    match text(ctx.env, &shared) {
        Some(seed) if sharing <= 1 => Ok(seed),
        Some(_) => Err(Outcome::Park(format!(
            "{shared} is one {} token chain and several shops use {}: set {own} for {}, then POST /api/replay",
            p.name, p.name, ctx.shop
        ))),
        None => Err(Outcome::Park(format!(
            "no {} token for {}: set the {own} secret",
            p.name, ctx.shop
        ))),
    }
}

fn own_seed_name(p: &Provider, shop: &str) -> String {
    let key: String = shop
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("{}_REFRESH_TOKEN_{key}", p.secrets)
}

fn fresh(row: &crate::store::TokenRow, now: i64) -> Option<String> {
    row.access_token
        .clone()
        .filter(|_| row.access_expires_at > now + EARLY_MS)
}

/// Forgets an access token the target answered 401 to.
pub async fn refused(ctx: &Ctx<'_>, p: &Provider, access: &str) -> Result<(), Outcome> {
    let sealed = token_key(ctx)?.seal(&seal::row(p.name, ctx.shop), access);
    // A row written before sealing holds the token in clear until its next refresh.
    ctx.db
        .expire_access(p.name, ctx.shop, &sealed, access)
        .await
        .map_err(d1_failed)
}

async fn refresh(
    ctx: &Ctx<'_>,
    p: &Provider,
    token_url: &str,
    refresh_token: &str,
) -> Result<Granted, Outcome> {
    let id = text(ctx.env, &format!("{}_CLIENT_ID", p.secrets)).unwrap_or_default();
    let secret = text(ctx.env, &format!("{}_CLIENT_SECRET", p.secrets)).unwrap_or_default();
    let basic = format!("Basic {}", B64.encode(format!("{id}:{secret}")));
    let body = format!(
        "grant_type=refresh_token&refresh_token={}",
        form_escape(refresh_token)
    );
    let headers = [
        ("authorization", basic.as_str()),
        ("content-type", "application/x-www-form-urlencoded"),
        ("accept", "application/json"),
    ];
    let reply = call(
        Method::Post,
        token_url,
        &headers,
        Some(body),
        ctx.settings.target_timeout_ms,
    )
    .await
    .map_err(|e| Outcome::Retry {
        reason: format!("{} token refresh: {e}", p.name),
        after_s: backoff(ctx.attempts),
    })?;
    match reply.status {
        200..=299 => granted(&reply.body).map_err(|e| Outcome::Retry {
            reason: format!("{} token answer unreadable: {e}", p.name),
            after_s: 30,
        }),
        400 | 401
            if reply.body.contains("invalid_grant") || reply.body.contains("invalid_client") =>
        {
            Err(Outcome::Park(format!(
            "{} refused the refresh token ({}): reconnect the {} account, set {} (or {}_REFRESH_TOKEN when it is the only shop using {}), then POST /api/replay",
            p.name,
            excerpt(&reply.body),
            p.name,
            own_seed_name(p, ctx.shop),
            p.secrets,
            p.name
        )))
        }
        status => Err(Outcome::Retry {
            reason: format!("{} token refresh answered {status}", p.name),
            after_s: retry_after(&reply).unwrap_or_else(|| backoff(ctx.attempts)),
        }),
    }
}

/// Percent-encoding for a form field or a query-string value.
pub fn form_escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Seconds until the current UTC minute (`m`) or day (`d`) window ends, and the window's name.
pub fn window(kind: char, now_ms: i64) -> (String, u32) {
    let s = now_ms / 1000;
    let len = window_seconds(kind);
    (format!("{kind}:{}", s / len), (len - s % len).max(1) as u32)
}

/// `s`: a six-second slice, `m`: a UTC minute, `d`: a UTC day.
pub fn window_seconds(kind: char) -> i64 {
    match kind {
        's' => 6,
        'm' => 60,
        _ => 86_400,
    }
}

/// Counts a call against every `(window kind, limit)` budget, all or none: when one window is
/// spent, the calls already counted in the others are given back, so a deferred call never eats
/// into, say, the day's budget because the minute's was spent. `Err(Defer)` until the window resets.
pub async fn spend(ctx: &Ctx<'_>, provider: &str, budgets: &[(char, i64)]) -> Result<(), Outcome> {
    let now = now_ms();
    let mut counted: Vec<String> = Vec::new();
    for &(kind, limit) in budgets {
        let (name, left_s) = window(kind, now);
        let calls = ctx
            .db
            .spend(provider, ctx.shop, &name)
            .await
            .map_err(d1_failed)?;
        counted.push(name);
        if calls > limit {
            for name in &counted {
                ctx.db
                    .refund_call(provider, ctx.shop, name)
                    .await
                    .map_err(d1_failed)?;
            }
            let per = match kind {
                's' => "6 s",
                'm' => "minute",
                _ => "day",
            };
            return Err(Outcome::Defer {
                reason: format!("{provider} rate limited: budget of {limit} calls per {per} spent"),
                after_s: left_s,
            });
        }
    }
    Ok(())
}

/// Sends one authorized request the way QBO and Xero both need it: within the provider's budgets,
/// with the current access token, and once more with a fresh token when the answer is 401 (the
/// token expired or was revoked early). `Err` is the outcome to report when no answer can be used:
/// a spent budget (defer), a transport failure (retry with the same idempotency key) or a token
/// that keeps being refused (retry).
pub async fn send(
    ctx: &Ctx<'_>,
    p: &Provider,
    token_url: &str,
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Result<Reply, Outcome> {
    for attempt in 0..2 {
        let token = access_token(ctx, p, token_url).await?;
        spend(ctx, p.name, p.budgets).await?;
        let bearer = format!("Bearer {token}");
        let mut all = vec![("authorization", bearer.as_str())];
        all.extend_from_slice(headers);
        let reply = call(
            method.clone(),
            url,
            &all,
            body.map(str::to_string),
            ctx.settings.target_timeout_ms,
        )
        .await
        .map_err(|e| Outcome::Retry {
            reason: format!("{}: {e}", p.name),
            after_s: backoff(ctx.attempts),
        })?;
        if reply.status == 401 {
            refused(ctx, p, &token).await?;
            if attempt == 0 {
                continue;
            }
            // A token refreshed a moment ago refused too: the provider's side is unsettled (a
            // revocation propagating, clock skew); never a reason to give up on the posting.
            break;
        }
        return Ok(reply);
    }
    Err(Outcome::Retry {
        reason: format!("{} kept refusing fresh access tokens (401)", p.name),
        after_s: backoff(ctx.attempts),
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn token_answers_need_an_access_token_and_whole_seconds() {
        let g = granted(r#"{"token_type":"bearer","access_token":"a","refresh_token":"r","expires_in":3600,"x_refresh_token_expires_in":8726400}"#).unwrap();
        assert_eq!(
            (
                g.access_token.as_str(),
                g.refresh_token.as_deref(),
                g.expires_in
            ),
            ("a", Some("r"), Some(3600))
        );
        let bare = granted(r#"{"access_token":"a","refresh_token":null}"#).unwrap();
        assert_eq!((bare.refresh_token, bare.expires_in), (None, None));
        for (bad, path) in [
            (r#"{"refresh_token":"r"}"#, "access_token"),
            (r#"{"access_token":"a","expires_in":3600.5}"#, "expires_in"),
            (r#"{"access_token":1}"#, "access_token"),
        ] {
            assert_eq!(
                granted(bad).err().map(|e| e.path().to_string()).as_deref(),
                Some(path),
                "{bad}"
            );
        }
    }

    #[test]
    fn each_shop_has_its_own_seed_secret() {
        assert_eq!(
            own_seed_name(&QBO, "demo-1.myshopify.com"),
            "QBO_REFRESH_TOKEN_DEMO_1_MYSHOPIFY_COM"
        );
        assert_eq!(
            own_seed_name(&XERO, "acct_1Ab"),
            "XERO_REFRESH_TOKEN_ACCT_1AB"
        );
    }
}
