//! `GET /api/accounts/:provider?shop=`: the connected QBO company's or Xero organisation's chart
//! of accounts, fetched with the shop's stored tokens, and the config's account roles with the
//! accounts each may be mapped to (the core decides which). Nothing is stored: the page saves a
//! mapping through `PUT /api/config` (its `exports`).

use crate::config::Settings;
use crate::connect::Provider;
use crate::http::excerpt;
use crate::http_error::{HttpError, HttpResult};
use crate::sinks::{oauth, Ctx, Outcome};
use crate::store::Db;
use ledgerbridge_core::rules::{qbo_chart, xero_chart};
use serde_json::json;
use worker::{Env, Method, Request, Response};

pub async fn accounts(
    req: &Request,
    env: &Env,
    settings: &Settings,
    provider: Provider,
) -> HttpResult<Response> {
    let (_, shop) = crate::setup::one_shop(req, env, settings)?;
    let db = Db::new(env)?;
    let shop_config = settings.shop(&shop);
    let ctx = Ctx {
        env,
        db: &db,
        settings,
        shop: &shop,
        shop_config: &shop_config,
        attempts: 0,
    };
    let (name, answer) = match provider {
        Provider::Qbo => {
            let mut cfg = shop_config.qbo_or_default();
            if cfg.realm_id.is_empty() {
                cfg.realm_id = account(&db, "qbo", &shop).await?;
            }
            let url = format!(
                "{}/v3/company/{}/query?minorversion={}&query={}",
                cfg.base_url.trim_end_matches('/'),
                cfg.realm_id,
                cfg.minor_version,
                oauth::form_escape("select * from Account maxresults 1000")
            );
            let headers = [("accept", "application/json")];
            let reply = oauth::send(
                &ctx,
                &oauth::QBO,
                &cfg.token_url,
                Method::Get,
                &url,
                &headers,
                None,
            )
            .await
            .map_err(unreachable_target)?;
            ("qbo", reply)
        }
        Provider::Xero => {
            let mut cfg = shop_config.xero_or_default();
            if cfg.tenant_id.is_empty() {
                cfg.tenant_id = account(&db, "xero", &shop).await?;
            }
            let url = format!(
                "{}/api.xro/2.0/Accounts",
                cfg.base_url.trim_end_matches('/')
            );
            let headers = [
                ("xero-tenant-id", cfg.tenant_id.as_str()),
                ("accept", "application/json"),
            ];
            let reply = oauth::send(
                &ctx,
                &oauth::XERO,
                &cfg.token_url,
                Method::Get,
                &url,
                &headers,
                None,
            )
            .await
            .map_err(unreachable_target)?;
            ("xero", reply)
        }
    };
    if !(200..300).contains(&answer.status) {
        return Err(HttpError::new(
            502,
            "E_TARGET_REFUSED",
            format!(
                "{name} answered {}: {}",
                answer.status,
                excerpt(&answer.body)
            ),
        ));
    }
    let chart = match provider {
        Provider::Qbo => qbo_chart(&answer.body),
        Provider::Xero => xero_chart(&answer.body),
    }
    .map_err(|e| {
        HttpError::new(
            502,
            "E_TARGET_REFUSED",
            format!(
                "{name}'s chart of accounts is unreadable: {e} [{} at {}]",
                e.code(),
                e.path()
            ),
        )
    })?;
    let seen = crate::setup::seen(&db, &shop).await?;
    let (config, version) = crate::setup::effective_mapping(&db, &shop_config, &shop)
        .await
        .map_err(HttpError::internal)?;
    Ok(Response::from_json(&json!({
        "provider": name,
        "shop": shop,
        "version": version,
        "accounts": chart,
        "roles": config.role_choices(name, &chart, &seen.gateways(), &seen.tax_titles()),
    }))?)
}

async fn account(db: &Db, provider: &str, shop: &str) -> HttpResult<String> {
    match db.connection(provider, shop).await? {
        Some(c) => Ok(c.account_id),
        None => Err(HttpError::new(
            409,
            "E_NOT_CONNECTED",
            format!("connect {provider} for {shop} first"),
        )),
    }
}

/// A token that cannot be had (not connected, refused) or a target that did not answer.
fn unreachable_target(outcome: Outcome) -> HttpError {
    match outcome {
        Outcome::Park(why) => HttpError::new(409, "E_NOT_CONNECTED", why),
        Outcome::Retry { reason, .. } | Outcome::Defer { reason, .. } => {
            HttpError::new(503, "E_TARGET_UNAVAILABLE", reason)
        }
        Outcome::Delivered(_) => HttpError::internal("a fetch reported a delivery"),
    }
}
