//! Throttling of credential guessing on `/api/*`: each client IP may present a wrong API key or
//! session token a few times per window (`AUTH_FAILURE_LIMIT` per `AUTH_FAILURE_WINDOW_S`), then
//! every API call from it answers 429 with `Retry-After` until the window ends. Fixed windows
//! counted in D1 (`auth_failures`), so a locked-out address, right key or not, is let in again
//! at the next window: a guesser is slowed, a merchant who mistyped is never locked out for good.

use crate::config::Settings;
use crate::http_error::{HttpError, HttpResult};
use crate::store::{now_ms, Db};
use worker::{Env, Request, Response};

pub struct Guard {
    /// `None` for a request the guard does not watch (not the API, or a CORS preflight).
    ip: Option<String>,
}

impl Guard {
    pub fn new(req: &Request, watched: bool) -> Guard {
        let ip = watched.then(|| {
            // Set by Cloudflare's edge, not by the client; without it (local runs) all callers
            // share one counter.
            req.headers()
                .get("cf-connecting-ip")
                .ok()
                .flatten()
                .map(|ip| ip.trim().to_string())
                .filter(|ip| !ip.is_empty())
                .unwrap_or_else(|| "unknown".into())
        });
        Guard { ip }
    }

    /// The 429 to answer instead of running the handler, when this address has failed too often
    /// in the current window. A D1 failure here lets the request through (logged): the handler
    /// needs D1 too and fails on its own, and the key check itself is constant-time.
    pub async fn refusal(&self, env: &Env, settings: &Settings) -> Option<HttpResult<Response>> {
        let ip = self.ip.as_deref()?;
        let (window, left_s) = window(settings, now_ms());
        let failures = match Db::new(env) {
            Ok(db) => db.auth_failures(ip, window).await,
            Err(e) => Err(e),
        };
        match failures {
            Ok(n) if n >= settings.auth_failure_limit => Some(too_many(left_s)),
            Ok(_) => None,
            Err(e) => {
                worker::console_error!("auth_failures read: {e}");
                None
            }
        }
    }

    /// Counts the answer when it refused the credential (401; a valid token for another shop,
    /// 403, is no guess).
    pub async fn settle(&self, env: &Env, settings: &Settings, result: &HttpResult<Response>) {
        let Some(ip) = self.ip.as_deref() else {
            return;
        };
        if !matches!(result, Err(e) if e.status == 401) {
            return;
        }
        let (window, _) = window(settings, now_ms());
        let counted = match Db::new(env) {
            Ok(db) => db.count_auth_failure(ip, window).await,
            Err(e) => Err(e),
        };
        if let Err(e) = counted {
            worker::console_error!("auth_failures count: {e}");
        }
    }
}

/// The current window's number and the seconds left in it.
fn window(settings: &Settings, now_ms: i64) -> (i64, u32) {
    let len = settings.auth_failure_window_s;
    let s = now_ms / 1000;
    (s / len, (len - s % len).max(1) as u32)
}

/// Windows before the current one are over: their counts can go.
pub async fn prune(db: &Db, settings: &Settings, now: i64) -> worker::Result<()> {
    db.prune_auth_failures(window(settings, now).0).await
}

fn too_many(retry_after_s: u32) -> HttpResult<Response> {
    let e = HttpError::new(
        429,
        "E_RATE_LIMITED",
        format!("too many failed API credentials from this address; retry in {retry_after_s} s"),
    );
    let mut resp = e.response()?;
    resp.headers_mut()
        .set("retry-after", &retry_after_s.to_string())?;
    Ok(resp)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_window_ends_on_its_boundary_and_says_how_long_is_left() {
        let mut settings = crate::config::tests::settings("{}");
        settings.auth_failure_window_s = 60;
        assert_eq!(window(&settings, 120_000), (2, 60));
        assert_eq!(window(&settings, 179_999), (2, 1));
        assert_eq!(window(&settings, 180_000), (3, 60));
    }
}
