//! The mapping per shop, set up from the admin page (issue #12): stored in D1 as versions, each
//! validated by the core's own loader (as `validate-config`), with who saved it, when, from when
//! it applies and what changed (the core's diff). The worker maps with the newest version in
//! effect, else the `SHOPS` var's mapping, so a deployment without a saved config keeps working.
//!
//! - `GET /api/config?shop=` → the effective config, its version (`null` = from the deployment)
//!   and its account roles
//! - `PUT /api/config?shop=[&effective_at=]` (body: TOML or JSON) → the new version
//! - `GET /api/config/versions?shop=` → the history, newest first
//! - `POST /api/config/preview?shop=[&n=]` (body: a candidate) → the last n (≤ 20) orders mapped
//!   with the current and the candidate config; nothing is stored
//!
//! A saved version never rewrites booked entries: each entry records the version it was mapped
//! with (`entries.config_version`).

use crate::api::{authorize, Caller};
use crate::config::{Settings, ShopConfig};
use crate::http_error::{HttpError, HttpResult};
use crate::reply::{self, Obj};
use crate::store::{now_ms, Db, NewConfig};
use ledgerbridge_core::engine::Seen;
use ledgerbridge_core::json::write;
use ledgerbridge_core::rules::{summarize, ConfigChange};
use ledgerbridge_core::{map, Config, ConfigInput, Platform};
use worker::{Env, Request, Response};

/// Orders a preview re-maps at most: enough to see a change, few enough to answer at once.
const PREVIEW_MAX: i64 = 20;

/// The config a shop's orders are mapped with now, and its version (`None`: the `SHOPS` var's).
pub async fn effective_mapping(
    db: &Db,
    shop_config: &ShopConfig,
    shop: &str,
) -> Result<(Config, Option<i64>), String> {
    let stored = db
        .effective_config(shop, now_ms())
        .await
        .map_err(|e| format!("reading the stored config of {shop}: {e}"))?;
    match stored {
        Some(row) => {
            let mut config = Config::load(ConfigInput::Json(&row.config)).map_err(|e| {
                format!(
                    "stored config v{} of {shop}: {e} [{} at {}]",
                    row.version,
                    e.code(),
                    e.path()
                )
            })?;
            config.shop = shop.to_string();
            Ok((config, Some(row.version)))
        }
        None => shop_config.mapping(shop).map(|c| (c, None)),
    }
}

/// The gateways and tax titles of the shop's recent orders, so each gets its roles.
pub(crate) async fn seen(db: &Db, shop: &str) -> HttpResult<Seen> {
    let mut seen = Seen::default();
    for order in db.recent_orders(shop, PREVIEW_MAX).await? {
        if let Some(p) = Platform::ALL.iter().find(|p| p.as_str() == order.platform) {
            seen.add(*p, order.payload.as_bytes());
        }
    }
    Ok(seen)
}

#[derive(Default)]
struct SetupQuery {
    shop: Option<String>,
    effective_at: Option<String>,
    n: Option<String>,
}

/// The one shop a setup call is about: a session token's own, or the `shop` an API key names.
pub(crate) fn one_shop(
    req: &Request,
    env: &Env,
    settings: &Settings,
) -> HttpResult<(Caller, String)> {
    let q = setup_query(req)?;
    let caller = authorize(req, env, settings, q.shop.as_deref())?;
    let shop = caller.scope(q.shop.as_deref())?.ok_or_else(|| {
        let mut e = HttpError::bad_request("E_BAD_QUERY", "name the shop: ?shop=");
        e.path = "shop".into();
        e
    })?;
    if !settings.accepts_shop(&shop) {
        return Err(HttpError::forbidden(format!("{shop} is not in SHOPS")));
    }
    Ok((caller, shop))
}

fn setup_query(req: &Request) -> HttpResult<SetupQuery> {
    let [shop, effective_at, n] = crate::peek::query(req, ["shop", "effective_at", "n"])?;
    Ok(SetupQuery {
        shop,
        effective_at,
        n,
    })
}

/// Who saved a version, as the history shows it.
fn who(caller: &Caller) -> String {
    match caller {
        Caller::Admin => "api key".into(),
        Caller::Shop(shop) => format!("session token of {shop}"),
    }
}

/// A candidate config from a request body, read and validated by the core exactly as
/// `validate-config` reads a file; a refusal is a 400 with the core's code and the field's path.
async fn candidate(req: &mut Request, settings: &Settings, shop: &str) -> HttpResult<Config> {
    let body = req.text().await?;
    if body.len() > settings.max_body_bytes {
        return Err(HttpError::new(
            413,
            "E_PAYLOAD_TOO_LARGE",
            format!("a config is at most {} bytes", settings.max_body_bytes),
        ));
    }
    let mut config = Config::load(ConfigInput::Text(&body)).map_err(|e| {
        let mut refused = HttpError::from(e);
        refused.status = 400;
        refused
    })?;
    config.shop = shop.to_string();
    Ok(config)
}

/// `GET /api/config?shop=`. Written by hand (`reply::Obj`, members sorted as `json!` sorted them)
/// so the roles' and the config's serde derives stay out of the worker; the config member is the
/// stored text with every object's members sorted, as the `Value` it used to be.
pub async fn get(req: &Request, env: &Env, settings: &Settings) -> HttpResult<Response> {
    let (_, shop) = one_shop(req, env, settings)?;
    let db = Db::new(env)?;
    let (config, version) = effective_mapping(&db, &settings.shop(&shop), &shop)
        .await
        .map_err(HttpError::internal)?;
    let latest = db.latest_config(&shop).await?;
    let seen = seen(&db, &shop).await?;
    let pending = latest.filter(|l| Some(l.version) != version).map_or_else(
        || "null".to_string(),
        |l| {
            Obj::new()
                .int("version", l.version)
                .int("effective_at", l.effective_at)
                .text()
        },
    );
    let roles = config.roles(&seen.gateways(), &seen.tax_titles());
    let body = Obj::new()
        .str("shop", &shop)
        .opt_int("version", version)
        .str(
            "source",
            if version.is_some() {
                "saved"
            } else {
                "deployment"
            },
        )
        .raw("pending", pending)
        .raw("roles", write::to_string(&roles))
        .raw("config", reply::value(&config).to_string())
        .text();
    Ok(reply::json(body)?)
}

/// `PUT /api/config?shop=[&effective_at=]`: `effective_at` in Unix ms, default now; a date in the
/// past means now (entries already booked are never re-mapped by a save).
pub async fn put(mut req: Request, env: &Env, settings: &Settings) -> HttpResult<Response> {
    let (caller, shop) = one_shop(&req, env, settings)?;
    let now = now_ms();
    let effective_at = match setup_query(&req)?.effective_at.as_deref() {
        None | Some("") => now,
        Some(text) => {
            let at: i64 = text.parse().map_err(|_| {
                let mut e = HttpError::bad_request(
                    "E_BAD_QUERY",
                    format!("effective_at={text:?}: want Unix milliseconds"),
                );
                e.path = "effective_at".into();
                e
            })?;
            at.max(now)
        }
    };
    let config = candidate(&mut req, settings, &shop).await?;
    let db = Db::new(env)?;
    let before = last_saved_or_deployed(&db, settings, &shop).await?;
    let changes = before.diff(&config);
    let summary = summarize(&changes);
    let text = ledgerbridge_core::json::write::to_string(&config);
    let version = db
        .add_config(
            &NewConfig {
                shop: &shop,
                config: &text,
                created_by: &who(&caller),
                effective_at,
                summary: &summary,
            },
            now,
        )
        .await?
        .ok_or_else(|| HttpError::internal("config insert returned no version"))?;
    let body = Obj::new()
        .str("shop", &shop)
        .int("version", version)
        .int("effective_at", effective_at)
        .str("summary", &summary)
        .raw("changes", changes_json(&changes))
        .text();
    Ok(reply::json(body)?.with_status(201))
}

/// The changes as `json!` wrote them: each `{"after", "before", "path"}`, `null` for a side the
/// field does not exist on.
fn changes_json(changes: &[ConfigChange]) -> String {
    let items: Vec<String> = changes
        .iter()
        .map(|c| {
            Obj::new()
                .str("path", &c.path)
                .opt("before", c.before.as_deref())
                .opt("after", c.after.as_deref())
                .text()
        })
        .collect();
    reply::list(&items)
}

/// What a new save is compared with: the newest saved version whatever its date, else the
/// deployment's mapping (the default chart when that one is broken: saving is how it gets fixed).
async fn last_saved_or_deployed(db: &Db, settings: &Settings, shop: &str) -> HttpResult<Config> {
    match db.latest_config(shop).await? {
        Some(row) => Config::load(ConfigInput::Json(&row.config)).map_err(|e| {
            HttpError::internal(format!("stored config v{} of {shop}: {e}", row.version))
        }),
        None => Ok(settings.shop(shop).mapping(shop).unwrap_or_default()),
    }
}

/// `GET /api/config/versions?shop=`.
pub async fn versions(req: &Request, env: &Env, settings: &Settings) -> HttpResult<Response> {
    let (_, shop) = one_shop(req, env, settings)?;
    let versions = Db::new(env)?.config_versions(&shop).await?;
    let versions: Vec<String> = versions.iter().map(|v| v.json()).collect();
    let answer = Obj::new().str("shop", &shop).list("versions", &versions);
    Ok(reply::json(answer.text())?)
}

/// `POST /api/config/preview?shop=[&n=]`: the last n orders, before (the config in effect) and
/// after (the candidate), through the same core. An order that does not map shows its error.
pub async fn preview(mut req: Request, env: &Env, settings: &Settings) -> HttpResult<Response> {
    let (_, shop) = one_shop(&req, env, settings)?;
    let n = match setup_query(&req)?.n.as_deref() {
        None | Some("") => PREVIEW_MAX,
        Some(text) => match text.parse::<i64>() {
            Ok(v) if (1..=PREVIEW_MAX).contains(&v) => v,
            _ => {
                let mut e = HttpError::bad_request(
                    "E_BAD_QUERY",
                    format!("n={text:?}: want 1 to {PREVIEW_MAX}"),
                );
                e.path = "n".into();
                return Err(e);
            }
        },
    };
    let after = candidate(&mut req, settings, &shop).await?;
    let db = Db::new(env)?;
    let (before, version) = effective_mapping(&db, &settings.shop(&shop), &shop)
        .await
        .map_err(HttpError::internal)?;
    let mut orders = Vec::new();
    for order in db.recent_orders(&shop, n).await? {
        let Some(platform) = Platform::ALL
            .iter()
            .copied()
            .find(|p| p.as_str() == order.platform)
        else {
            continue;
        };
        // A mapped side as the `Value` `json!` held (every object's members sorted).
        let side = |config: &Config| match map(platform, order.payload.as_bytes(), config) {
            Ok(mapped) => reply::value(&mapped).to_string(),
            Err(e) => {
                let error = Obj::new()
                    .str("code", e.code())
                    .str("path", e.path())
                    .str("message", &e.to_string());
                Obj::new().raw("error", error.text()).text()
            }
        };
        orders.push(
            Obj::new()
                .str("platform", &order.platform)
                .str("order_id", &order.order_id)
                .raw("before", side(&before))
                .raw("after", side(&after))
                .text(),
        );
    }
    let body = Obj::new()
        .str("shop", &shop)
        .opt_int("version", version)
        .raw("changes", changes_json(&before.diff(&after)))
        .list("orders", &orders)
        .text();
    Ok(reply::json(body)?)
}
