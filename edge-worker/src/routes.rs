//! Request routing and CORS. Handlers live with their concern (intake, api); this file only
//! decides which one runs and which CORS headers the answer carries.

use crate::config::Settings;
use crate::http_error::{HttpError, HttpResult};
use crate::{
    admin_page, api, backfill, browse, connect, data_request, intake, privacy, ratelimit, setup,
};
use ledgerbridge_core::Platform;
use worker::{Env, Method, Request, Response, Result};

/// What a request with a broken deployment config may still be sending, read and dropped.
const DRAIN_CAP: usize = 1 << 20;

pub async fn fetch(mut req: Request, env: Env) -> Result<Response> {
    let path = req.path();
    let method = req.method();
    let origin = req.headers().get("origin").ok().flatten();
    let settings = match Settings::from_env(&env) {
        Ok(s) => s,
        Err(e) => {
            worker::console_error!("config: {e}");
            // The sender's body is read first: answered while still writing it, the sender saw
            // a reset connection instead of the 500 (a webhook body of a few KB, once the
            // config was refused within microseconds: hardening.test.mjs).
            let _ = crate::intake::read_capped(&mut req, DRAIN_CAP).await;
            return HttpError::internal(e).response();
        }
    };
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let is_api = segments.first() == Some(&"api");
    let guard = ratelimit::Guard::new(&req, is_api && method != Method::Options);
    if let Some(refused) = guard.refusal(&env, &settings).await {
        return cors(
            refused.or_else(|e| e.response())?,
            origin.as_deref(),
            &settings,
        );
    }
    let result = match (method, segments.as_slice()) {
        (Method::Get, ["health"]) => Response::ok("ok").map_err(HttpError::from),
        (Method::Post, ["webhooks", platform]) => match parse_platform(platform) {
            Ok(platform) => intake::handle(req, &env, &settings, platform).await,
            Err(e) => Err(e),
        },
        (Method::Options, ["api", ..]) => Response::empty()
            .map(|r| r.with_status(204))
            .map_err(HttpError::from),
        (Method::Get, ["api", "preview", platform, order_id]) => match parse_platform(platform) {
            Ok(platform) => api::preview(&req, &env, &settings, platform, order_id).await,
            Err(e) => Err(e),
        },
        (Method::Get, ["api", "entries"]) => api::entries(&req, &env, &settings).await,
        (Method::Get, ["api", "status"]) => api::status(&req, &env, &settings).await,
        (Method::Get, ["api", "orders"]) => browse::orders(&req, &env, &settings).await,
        (Method::Get, ["api", "attention"]) => browse::attention(&req, &env, &settings).await,
        (Method::Get, ["api", "clearing"]) => crate::clearing::handle(&req, &env, &settings).await,
        (Method::Get, ["api", "reports", kind]) => {
            crate::reports::handle(&req, &env, &settings, kind).await
        }
        (Method::Post, ["api", "backfill"]) => backfill::handle(req, &env, &settings).await,
        (Method::Post, ["api", "remap"]) => crate::remap::handle(req, &env, &settings).await,
        (Method::Post, ["api", "replay"]) => api::replay(req, &env, &settings).await,
        (Method::Post, ["api", "erasure"]) => privacy::erasure(req, &env, &settings).await,
        (Method::Get, ["api", "data-requests"]) => data_request::list(&req, &env, &settings).await,
        (Method::Post, ["api", "connect", p]) => match connect::Provider::parse(p) {
            Ok(p) => connect::start(&req, &env, &settings, p).await,
            Err(e) => Err(e),
        },
        (Method::Post, ["api", "connect", p, "complete"]) => match connect::Provider::parse(p) {
            Ok(p) => connect::complete(req, &env, &settings, p).await,
            Err(e) => Err(e),
        },
        (Method::Delete, ["api", "connect", p]) => match connect::Provider::parse(p) {
            Ok(p) => connect::disconnect(&req, &env, &settings, p).await,
            Err(e) => Err(e),
        },
        (Method::Get, ["api", "connections"]) => connect::list(&req, &env, &settings).await,
        (Method::Get, ["oauth", "callback", p]) => match connect::Provider::parse(p) {
            Ok(p) => connect::callback(&req, &env, p).await,
            Err(e) => Err(e),
        },
        (Method::Get, ["api", "config"]) => setup::get(&req, &env, &settings).await,
        (Method::Put, ["api", "config"]) => setup::put(req, &env, &settings).await,
        (Method::Get, ["api", "config", "versions"]) => {
            setup::versions(&req, &env, &settings).await
        }
        (Method::Post, ["api", "config", "preview"]) => setup::preview(req, &env, &settings).await,
        (Method::Get, ["api", "accounts", p]) => match connect::Provider::parse(p) {
            Ok(p) => crate::chart::accounts(&req, &env, &settings, p).await,
            Err(e) => Err(e),
        },
        (Method::Post, ["api", "accounts", p]) => match connect::Provider::parse(p) {
            Ok(p) => crate::chart::create(req, &env, &settings, p).await,
            Err(e) => Err(e),
        },
        (Method::Get, ["admin"]) => admin_page::page(&req, &settings),
        _ => Err(HttpError::not_found(format!("no route for {path}"))),
    };
    guard.settle(&env, &settings, &result).await;
    let resp = match result {
        Ok(r) => r,
        Err(e) => {
            if e.status == 500 {
                worker::console_error!("{path}: {}", e.message);
            }
            e.response()?
        }
    };
    if is_api {
        cors(resp, origin.as_deref(), &settings)
    } else {
        Ok(resp)
    }
}

/// The platform a path names, spelled exactly as the core spells it: parsed once here, so no
/// handler compares names, and an unknown one is a 404 before anything is read or counted.
fn parse_platform(segment: &str) -> HttpResult<Platform> {
    Platform::ALL
        .iter()
        .copied()
        .find(|p| p.as_str() == segment)
        .ok_or_else(|| HttpError::not_found(format!("no platform {segment:?}")))
}

/// Only the configured admin origins get an allow header, never `*` (the API is authenticated);
/// `Vary: Origin` keeps caches from serving one origin's answer to another.
fn cors(mut resp: Response, origin: Option<&str>, settings: &Settings) -> Result<Response> {
    let h = resp.headers_mut();
    h.set("vary", "Origin")?;
    if let Some(origin) = origin.filter(|o| settings.admin_origins.iter().any(|a| a == o)) {
        h.set("access-control-allow-origin", origin)?;
        h.set(
            "access-control-allow-methods",
            "GET, POST, PUT, DELETE, OPTIONS",
        )?;
        h.set(
            "access-control-allow-headers",
            "authorization, x-api-key, content-type",
        )?;
        h.set("access-control-max-age", "600")?;
        // What a report's answer says beside its body, readable by an admin embedded elsewhere.
        h.set(
            "access-control-expose-headers",
            "x-report-drilldown, x-ledger-notice",
        )?;
    }
    Ok(resp)
}
