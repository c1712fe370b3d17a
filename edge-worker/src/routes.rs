//! Request routing and CORS. Handlers live with their concern (intake, api); this file only
//! decides which one runs and which CORS headers the answer carries.
//!
//! Deployed as two Workers (docs/worker.md, "Two Workers"): the `intake` build answers webhooks
//! and every request that maps orders with the core ([`maps_orders`]) and hands the rest to the
//! `admin` build through the `ADMIN` service binding. So the mapping engine and the platforms'
//! readers are in one Worker, and reports, exports to text, setup, OAuth and privacy requests in
//! the other. A build with both features (the default, and the native tests) answers everything.

use crate::config::Settings;
use crate::http_error::{HttpError, HttpResult};
#[cfg(feature = "admin")]
use crate::{admin_page, browse, connect, data_request, privacy};
use crate::{api, backfill, intake, ratelimit, setup};
use ledgerbridge_core::Platform;
use std::future::Future;
use std::pin::Pin;
use worker::{Env, Method, Request, Response, Result};

/// What a request with a broken deployment config may still be sending, read and dropped.
const DRAIN_CAP: usize = 1 << 20;

pub async fn fetch(mut req: Request, env: Env) -> Result<Response> {
    let path = req.path();
    let method = req.method();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    #[cfg(not(feature = "admin"))]
    if !maps_orders(&method, &segments) {
        return forward_to_admin(req, &env).await;
    }
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
    let is_api = segments.first() == Some(&"api");
    let guard = ratelimit::Guard::new(&req, is_api && method != Method::Options);
    if let Some(refused) = guard.refusal(&env, &settings).await {
        return cors(
            refused.or_else(|e| e.response())?,
            origin.as_deref(),
            &settings,
        );
    }
    // Each handler runs as its own boxed future: awaited inline, every handler's state machine
    // was part of this one poll function (117 KB raw, the worker's largest); a request runs one
    // handler, so this costs one allocation a request.
    let handler: Handler<'_> = match (method, segments.as_slice()) {
        (Method::Get, ["health"]) => ready(Response::ok("ok").map_err(HttpError::from)),
        #[cfg(feature = "intake")]
        (Method::Post, ["webhooks", platform]) => match parse_platform(platform) {
            Ok(platform) => Box::pin(intake::handle(req, &env, &settings, platform)),
            Err(e) => ready(Err(e)),
        },
        #[cfg(feature = "admin")]
        (Method::Options, ["api", ..]) => ready(
            Response::empty()
                .map(|r| r.with_status(204))
                .map_err(HttpError::from),
        ),
        #[cfg(feature = "intake")]
        (Method::Get, ["api", "preview", platform, order_id]) => match parse_platform(platform) {
            Ok(platform) => Box::pin(api::preview(&req, &env, &settings, platform, order_id)),
            Err(e) => ready(Err(e)),
        },
        #[cfg(feature = "admin")]
        (Method::Get, ["api", "entries"]) => Box::pin(api::entries(&req, &env, &settings)),
        #[cfg(feature = "admin")]
        (Method::Get, ["api", "status"]) => Box::pin(api::status(&req, &env, &settings)),
        #[cfg(feature = "admin")]
        (Method::Get, ["api", "orders"]) => Box::pin(browse::orders(&req, &env, &settings)),
        #[cfg(feature = "admin")]
        (Method::Get, ["api", "attention"]) => Box::pin(browse::attention(&req, &env, &settings)),
        #[cfg(feature = "admin")]
        (Method::Get, ["api", "clearing"]) => {
            Box::pin(crate::clearing::handle(&req, &env, &settings))
        }
        #[cfg(feature = "admin")]
        (Method::Get, ["api", "reports", kind]) => {
            Box::pin(crate::reports::handle(&req, &env, &settings, kind))
        }
        #[cfg(feature = "intake")]
        (Method::Post, ["api", "backfill"]) => Box::pin(backfill::handle(req, &env, &settings)),
        #[cfg(feature = "intake")]
        (Method::Post, ["api", "remap"]) => Box::pin(crate::remap::handle(req, &env, &settings)),
        #[cfg(feature = "admin")]
        (Method::Post, ["api", "replay"]) => Box::pin(api::replay(req, &env, &settings)),
        #[cfg(feature = "admin")]
        (Method::Post, ["api", "erasure"]) => Box::pin(privacy::erasure(req, &env, &settings)),
        #[cfg(feature = "admin")]
        (Method::Get, ["api", "data-requests"]) => {
            Box::pin(data_request::list(&req, &env, &settings))
        }
        #[cfg(feature = "admin")]
        (Method::Post, ["api", "connect", p]) => match connect::Provider::parse(p) {
            Ok(p) => Box::pin(connect::start(&req, &env, &settings, p)),
            Err(e) => ready(Err(e)),
        },
        #[cfg(feature = "admin")]
        (Method::Post, ["api", "connect", p, "complete"]) => match connect::Provider::parse(p) {
            Ok(p) => Box::pin(connect::complete(req, &env, &settings, p)),
            Err(e) => ready(Err(e)),
        },
        #[cfg(feature = "admin")]
        (Method::Delete, ["api", "connect", p]) => match connect::Provider::parse(p) {
            Ok(p) => Box::pin(connect::disconnect(&req, &env, &settings, p)),
            Err(e) => ready(Err(e)),
        },
        #[cfg(feature = "admin")]
        (Method::Get, ["api", "connections"]) => Box::pin(connect::list(&req, &env, &settings)),
        #[cfg(feature = "admin")]
        (Method::Get, ["oauth", "callback", p]) => match connect::Provider::parse(p) {
            Ok(p) => Box::pin(connect::callback(&req, &env, p)),
            Err(e) => ready(Err(e)),
        },
        #[cfg(feature = "admin")]
        (Method::Get, ["api", "config"]) => Box::pin(setup::get(&req, &env, &settings)),
        #[cfg(feature = "admin")]
        (Method::Put, ["api", "config"]) => Box::pin(setup::put(req, &env, &settings)),
        #[cfg(feature = "admin")]
        (Method::Get, ["api", "config", "versions"]) => {
            Box::pin(setup::versions(&req, &env, &settings))
        }
        #[cfg(feature = "intake")]
        (Method::Post, ["api", "config", "preview"]) => {
            Box::pin(setup::preview(req, &env, &settings))
        }
        #[cfg(feature = "admin")]
        (Method::Get, ["api", "accounts", p]) => match connect::Provider::parse(p) {
            Ok(p) => Box::pin(crate::chart::accounts(&req, &env, &settings, p)),
            Err(e) => ready(Err(e)),
        },
        #[cfg(feature = "admin")]
        (Method::Post, ["api", "accounts", p]) => match connect::Provider::parse(p) {
            Ok(p) => Box::pin(crate::chart::create(req, &env, &settings, p)),
            Err(e) => ready(Err(e)),
        },
        #[cfg(feature = "admin")]
        (Method::Get, ["admin"]) => ready(admin_page::page(&req, &settings)),
        _ => ready(Err(HttpError::not_found(format!("no route for {path}")))),
    };
    let result = handler.await;
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

/// What the intake Worker answers itself: webhooks, and the API calls that map orders (a
/// preview, a re-map, a backfill, a config's preview) with the engine it needs for webhooks
/// anyway. Everything else is the admin Worker's. The match arms below carry the same split.
#[cfg(not(feature = "admin"))]
fn maps_orders(method: &Method, segments: &[&str]) -> bool {
    matches!(
        (method, segments),
        (Method::Get, ["health"])
            | (Method::Post, ["webhooks", _])
            | (Method::Get, ["api", "preview", _, _])
            | (Method::Post, ["api", "backfill" | "remap"])
            | (Method::Post, ["api", "config", "preview"])
    )
}

/// Hands the request, untouched (headers, body, `cf-connecting-ip` for the API's throttle), to
/// the admin Worker and its answer back as is. A missing binding or a failed call answers 500
/// like any internal error (naming no internals); the deployer reads the reason in the log.
#[cfg(not(feature = "admin"))]
async fn forward_to_admin(req: Request, env: &Env) -> Result<Response> {
    let answer = match env.service("ADMIN") {
        Ok(admin) => admin
            .fetch_request(req)
            .await
            .map_err(|e| format!("the admin Worker: {e}")),
        Err(e) => Err(format!(
            "no ADMIN service binding to the admin Worker (docs/worker.md, \"Two Workers\"): {e}"
        )),
    };
    answer.or_else(|reason| {
        worker::console_error!("{reason}");
        HttpError::internal(reason).response()
    })
}

type Handler<'a> = Pin<Box<dyn Future<Output = HttpResult<Response>> + 'a>>;

fn ready<'a>(result: HttpResult<Response>) -> Handler<'a> {
    Box::pin(std::future::ready(result))
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
