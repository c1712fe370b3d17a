//! The connected QBO company's or Xero organisation's chart of accounts, through the shop's stored
//! tokens; the page saves a mapping through `PUT /api/config` (its `exports`).
//! - `GET /api/accounts/:provider?shop=`: the accounts, and the config's roles with the accounts
//!   each may be mapped to and the kinds of account it may create (the core decides which)
//! - `POST /api/accounts/:provider?shop=` `{role, name, type, subtype?, code?}`: a missing account
//!   created in the books (QBO `POST …/account`, Xero `PUT Accounts`), answered as the chart lists
//!   it; a refusal names the field (`name`, `type`, `code`) the page shows it at.

use crate::config::Settings;
use crate::connect::Provider;
use crate::http::{excerpt, Reply};
use crate::http_error::{HttpError, HttpResult};
use crate::intake::read_capped;
use crate::reply::{self, Obj};
use crate::sinks::{oauth, Ctx, Outcome};
use crate::store::Db;
use ledgerbridge_core::json::write::to_string;
use ledgerbridge_core::rules::{
    created_account, new_account_body, qbo_chart, xero_chart, NewAccount,
};
use worker::{Env, Method, Request, Response};

/// A create request is a few short fields.
const BODY_CAP: usize = 2048;

/// What a call to the books needs: where, with which tokens, and the shop it is for.
struct Books<'a> {
    env: &'a Env,
    db: &'a Db,
    settings: &'a Settings,
    shop: &'a str,
    provider: Provider,
}

impl Books<'_> {
    fn name(&self) -> &'static str {
        match self.provider {
            Provider::Qbo => "qbo",
            Provider::Xero => "xero",
        }
    }

    /// One authorized call: `path` under the company (QBO, after `/v3/company/{realm}/`) or the
    /// API (Xero, after `/api.xro/2.0/`).
    async fn call(&self, method: Method, path: &str, body: Option<&str>) -> HttpResult<Reply> {
        let shop_config = self.settings.shop(self.shop);
        let ctx = Ctx {
            env: self.env,
            db: self.db,
            settings: self.settings,
            shop: self.shop,
            shop_config: &shop_config,
            attempts: 0,
        };
        let json_body = [("content-type", "application/json")];
        let reply = match self.provider {
            Provider::Qbo => {
                let mut cfg = shop_config.qbo_or_default();
                if cfg.realm_id.is_empty() {
                    cfg.realm_id = account(self.db, "qbo", self.shop).await?;
                }
                let sep = if path.contains('?') { '&' } else { '?' };
                let url = format!(
                    "{}/v3/company/{}/{path}{sep}minorversion={}",
                    cfg.base_url.trim_end_matches('/'),
                    cfg.realm_id,
                    cfg.minor_version,
                );
                let mut headers = vec![("accept", "application/json")];
                if body.is_some() {
                    headers.extend(json_body);
                }
                oauth::send(
                    &ctx,
                    &oauth::QBO,
                    &cfg.token_url,
                    method,
                    &url,
                    &headers,
                    body,
                )
                .await
            }
            Provider::Xero => {
                let mut cfg = shop_config.xero_or_default();
                if cfg.tenant_id.is_empty() {
                    cfg.tenant_id = account(self.db, "xero", self.shop).await?;
                }
                let url = format!("{}/api.xro/2.0/{path}", cfg.base_url.trim_end_matches('/'));
                let mut headers = vec![
                    ("xero-tenant-id", cfg.tenant_id.as_str()),
                    ("accept", "application/json"),
                ];
                if body.is_some() {
                    headers.extend(json_body);
                }
                oauth::send(
                    &ctx,
                    &oauth::XERO,
                    &cfg.token_url,
                    method,
                    &url,
                    &headers,
                    body,
                )
                .await
            }
        };
        reply.map_err(unreachable_target)
    }

    fn refused(&self, reply: &Reply) -> HttpError {
        HttpError::new(
            502,
            "E_TARGET_REFUSED",
            format!(
                "{} answered {}: {}",
                self.name(),
                reply.status,
                excerpt(&reply.body)
            ),
        )
    }
}

pub async fn accounts(
    req: &Request,
    env: &Env,
    settings: &Settings,
    provider: Provider,
) -> HttpResult<Response> {
    let (_, shop) = crate::setup::one_shop(req, env, settings)?;
    let db = Db::new(env)?;
    let books = Books {
        env,
        db: &db,
        settings,
        shop: &shop,
        provider,
    };
    let path = match provider {
        Provider::Qbo => format!(
            "query?query={}",
            oauth::form_escape("select * from Account maxresults 1000")
        ),
        Provider::Xero => "Accounts".to_string(),
    };
    let answer = books.call(Method::Get, &path, None).await?;
    if !(200..300).contains(&answer.status) {
        return Err(books.refused(&answer));
    }
    let name = books.name();
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
    let (config, version) = crate::setup::effective_mapping(&db, &settings.shop(&shop), &shop)
        .await
        .map_err(HttpError::internal)?;
    let roles = config.role_choices(name, &chart, &seen.gateways(), &seen.tax_titles());
    Ok(reply::json(
        Obj::new()
            .str("provider", name)
            .str("shop", &shop)
            .opt_int("version", version)
            .raw("accounts", to_string(&chart))
            .raw("roles", to_string(&roles))
            .text(),
    )?)
}

/// `POST /api/accounts/:provider?shop=`: the role's classes come from the config in effect (with
/// the gateways and tax titles of recent orders, as the picker got them), the body and its
/// checks from the core; nothing is stored here (the page maps the role and saves as usual).
pub async fn create(
    mut req: Request,
    env: &Env,
    settings: &Settings,
    provider: Provider,
) -> HttpResult<Response> {
    let (_, shop) = crate::setup::one_shop(&req, env, settings)?;
    let text = read_capped(&mut req, BODY_CAP).await?;
    let new = NewAccount::from_json(&text)
        .map_err(|e| HttpError::bad_request("E_BAD_BODY", e.to_string()))?;
    let db = Db::new(env)?;
    let seen = crate::setup::seen(&db, &shop).await?;
    let (config, _) = crate::setup::effective_mapping(&db, &settings.shop(&shop), &shop)
        .await
        .map_err(HttpError::internal)?;
    let role = config
        .roles(&seen.gateways(), &seen.tax_titles())
        .into_iter()
        .find(|r| r.path == new.role)
        .ok_or_else(|| {
            let mut e = HttpError::bad_request(
                "E_INVALID_VALUE",
                format!("no account role {:?} in this shop's mapping", new.role),
            );
            e.path = "role".into();
            e
        })?;
    let books = Books {
        env,
        db: &db,
        settings,
        shop: &shop,
        provider,
    };
    let body = new_account_body(books.name(), &role.classes, &new).map_err(|e| {
        let mut refused = HttpError::from(e);
        refused.status = 400;
        refused
    })?;
    let (method, path) = match provider {
        Provider::Qbo => (Method::Post, "account"),
        Provider::Xero => (Method::Put, "Accounts"),
    };
    let answer = books.call(method, path, Some(&body)).await?;
    if !(200..300).contains(&answer.status) {
        return Err(field_refusal(provider, &answer).unwrap_or_else(|| books.refused(&answer)));
    }
    let account = created_account(books.name(), &answer.body).map_err(|e| {
        HttpError::new(
            502,
            "E_TARGET_REFUSED",
            format!("the created account is unreadable: {e}"),
        )
    })?;
    Ok(reply::json(
        Obj::new()
            .str("provider", books.name())
            .str("shop", &shop)
            .str("role", &role.path)
            .raw("account", to_string(&account))
            .text(),
    )?
    .with_status(201))
}

/// A refusal the merchant can fix at a field: QBO's duplicate name (6240), Xero's validation
/// messages (a name or code taken). The provider's own sentence, never its JSON.
fn field_refusal(provider: Provider, reply: &Reply) -> Option<HttpError> {
    if reply.status != 400 {
        return None;
    }
    let v: serde_json::Value = serde_json::from_str(&reply.body).ok()?;
    let (path, message) = match provider {
        Provider::Qbo => {
            let error = v.pointer("/Fault/Error/0")?;
            if error.get("code")?.as_str()? != "6240" {
                return None;
            }
            (
                "name",
                "QuickBooks already has an account with this name".to_string(),
            )
        }
        Provider::Xero => {
            if v.get("Type")?.as_str()? != "ValidationException" {
                return None;
            }
            let message = v
                .pointer("/Elements/0/ValidationErrors/0/Message")?
                .as_str()?
                .to_string();
            let path = if message.to_lowercase().contains("code") {
                "code"
            } else {
                "name"
            };
            (path, format!("Xero: {message}"))
        }
    };
    let mut e = HttpError::bad_request("E_ACCOUNT_REFUSED", message);
    e.path = path.into();
    Some(e)
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
