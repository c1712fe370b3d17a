//! Connecting QuickBooks Online and Xero from the admin page: the OAuth 2.0 authorization-code
//! flow, with the tokens sealed per shop in D1 (the same `tokens` row the sinks refresh).
//!
//! 1. `POST /api/connect/:provider?shop=` (API key or the shop's session token) stores a fresh
//!    random `state` (hashed: it travels in URLs) bound to the shop and the credential, valid
//!    10 minutes, and answers the provider's authorize URL.
//! 2. The provider redirects the browser to `GET /oauth/callback/:provider?code=&state=[&realmId=]`.
//!    This request carries no credential of ours, so it only parks the code with its state (once)
//!    and sends the browser back to `/admin?connect=<provider>&state=…`.
//! 3. The admin page, with its credential, calls `POST /api/connect/:provider/complete {state}`:
//!    only the caller that started the flow, for the same shop, can complete it. The worker takes
//!    the state out (single use), exchanges the code, finds the Xero tenant (`GET /connections`),
//!    and stores the sealed tokens and the account.
//!
//! Splitting 2 and 3 binds the flow to the admin session without a cookie (which an embedded
//! Shopify admin iframe may not keep): a code obtained by someone else cannot be attached to
//! this shop, because completing needs this shop's credential and a state it issued.
//! `DELETE /api/connect/:provider?shop=` revokes the refresh token at the provider and forgets it.

// The core's error (path and message), as the JSON Reader and its callbacks return it.
#![allow(clippy::result_large_err)]

use crate::api::{authorize, Caller};
use crate::config::{text, Settings, ShopConfig};
use crate::http::{call, excerpt};
use crate::http_error::{HttpError, HttpResult};
use crate::reply::{self, Obj};
use crate::seal::{self, TokenKey};
use crate::sinks::oauth::form_escape;
use crate::store::{now_ms, Db};
use base64::engine::general_purpose::{STANDARD as B64, URL_SAFE_NO_PAD as B64URL};
use base64::Engine;
use sha2::{Digest, Sha256};
use worker::wasm_bindgen::JsCast;
use worker::{Env, Method, Request, Response};

mod read;
use read::{complete_state, with_query, xero_connections};

/// How long an authorization may take from the click to the completion.
const STATE_TTL_MS: i64 = 10 * 60 * 1000;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Provider {
    Qbo,
    Xero,
}

impl Provider {
    pub fn parse(segment: &str) -> HttpResult<Provider> {
        match segment {
            "qbo" => Ok(Provider::Qbo),
            "xero" => Ok(Provider::Xero),
            other => Err(HttpError::not_found(format!(
                "no provider {other:?} to connect (qbo, xero)"
            ))),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Provider::Qbo => "qbo",
            Provider::Xero => "xero",
        }
    }

    fn secrets(self) -> &'static str {
        match self {
            Provider::Qbo => "QBO",
            Provider::Xero => "XERO",
        }
    }

    /// Accounting access and, for Xero, `offline_access` (without it Xero issues no refresh
    /// token); the manual-journal scope for apps created after Xero's granular-scope change.
    fn scope(self) -> &'static str {
        match self {
            Provider::Qbo => "com.intuit.quickbooks.accounting",
            Provider::Xero => {
                "offline_access accounting.transactions accounting.manualjournals accounting.settings"
            }
        }
    }
}

/// The provider's endpoints for a shop (SHOPS overrides, else the documented defaults).
struct Endpoints {
    authorize: String,
    token: String,
    revoke: String,
    connections: Option<String>,
}

fn endpoints(provider: Provider, shop: &ShopConfig) -> Endpoints {
    match provider {
        Provider::Qbo => {
            let c = shop.qbo_or_default();
            Endpoints {
                authorize: c.authorize_url,
                token: c.token_url,
                revoke: c.revoke_url,
                connections: None,
            }
        }
        Provider::Xero => {
            let c = shop.xero_or_default();
            Endpoints {
                authorize: c.authorize_url,
                token: c.token_url,
                revoke: c.revoke_url,
                connections: Some(c.connections_url),
            }
        }
    }
}

fn client(env: &Env, provider: Provider) -> HttpResult<(String, String)> {
    let id = text(env, &format!("{}_CLIENT_ID", provider.secrets()));
    let secret = text(env, &format!("{}_CLIENT_SECRET", provider.secrets()));
    match (id, secret) {
        (Some(id), Some(secret)) => Ok((id, secret)),
        _ => Err(HttpError::new(
            409,
            "E_NOT_CONFIGURED",
            format!(
                "set the {p}_CLIENT_ID and {p}_CLIENT_SECRET secrets (the app's keys) before connecting",
                p = provider.secrets()
            ),
        )),
    }
}

/// Where the provider sends the browser back: `PUBLIC_URL` when set (the address registered
/// with the provider, behind a custom domain), else this request's own origin.
fn redirect_uri(req: &Request, env: &Env, provider: Provider) -> HttpResult<String> {
    let origin = match text(env, "PUBLIC_URL") {
        Some(url) => url.trim_end_matches('/').to_string(),
        None => crate::peek::origin(&crate::peek::href(req)),
    };
    Ok(format!("{origin}/oauth/callback/{}", provider.name()))
}

fn hash(state: &str) -> String {
    Sha256::digest(state.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// 32 bytes from the runtime's CSPRNG (`crypto.getRandomValues`).
fn random_state() -> HttpResult<String> {
    use worker::js_sys::{Function, Reflect, Uint8Array};
    let fail = |what: &str| HttpError::internal(format!("crypto.getRandomValues: {what}"));
    let crypto =
        Reflect::get(&worker::js_sys::global(), &"crypto".into()).map_err(|_| fail("no crypto"))?;
    let get = Reflect::get(&crypto, &"getRandomValues".into())
        .map_err(|_| fail("missing"))?
        .dyn_into::<Function>()
        .map_err(|_| fail("not a function"))?;
    let bytes = Uint8Array::new_with_length(32);
    get.call1(&crypto, &bytes).map_err(|_| fail("failed"))?;
    let mut out = [0u8; 32];
    bytes.copy_to(&mut out);
    Ok(B64URL.encode(out))
}

fn caller_tag(caller: &Caller) -> String {
    match caller {
        Caller::Admin => "admin".into(),
        Caller::Shop(shop) => format!("shop:{shop}"),
    }
}

#[derive(Default)]
struct ShopQuery {
    shop: Option<String>,
}

/// The one shop a connect call is about: a session token's own, or the `shop` an API key names.
fn one_shop(req: &Request, env: &Env, settings: &Settings) -> HttpResult<(Caller, String)> {
    let [shop] = crate::peek::query(req, ["shop"])?;
    let q = ShopQuery { shop };
    let caller = authorize(req, env, settings, q.shop.as_deref())?;
    let shop = caller.scope(q.shop.as_deref())?.ok_or_else(|| {
        let mut e = HttpError::bad_request("E_BAD_QUERY", "name the shop to connect: ?shop=");
        e.path = "shop".into();
        e
    })?;
    if !settings.accepts_shop(&shop) {
        return Err(HttpError::forbidden(format!("{shop} is not in SHOPS")));
    }
    Ok((caller, shop))
}

/// `POST /api/connect/:provider?shop=` → `{authorize_url}`.
pub async fn start(
    req: &Request,
    env: &Env,
    settings: &Settings,
    provider: Provider,
) -> HttpResult<Response> {
    let (caller, shop) = one_shop(req, env, settings)?;
    let (client_id, _) = client(env, provider)?;
    let state = random_state()?;
    let redirect = redirect_uri(req, env, provider)?;
    Db::new(env)?
        .begin_authorization(
            &hash(&state),
            provider.name(),
            &shop,
            &caller_tag(&caller),
            now_ms() + STATE_TTL_MS,
        )
        .await?;
    let ends = endpoints(provider, &settings.shop(&shop));
    let url = with_query(
        &ends.authorize,
        &[
            ("client_id", &client_id),
            ("response_type", "code"),
            ("scope", provider.scope()),
            ("redirect_uri", &redirect),
            ("state", &state),
        ],
    );
    let answer = Obj::new()
        .str("provider", provider.name())
        .str("shop", &shop)
        .str("authorize_url", &url);
    Ok(reply::json(answer.text())?)
}

/// `GET /oauth/callback/:provider?code=&state=[&realmId=]` (or `?error=`): parks the code with its
/// state and sends the browser back to the admin page, which completes the connection.
pub async fn callback(req: &Request, env: &Env, provider: Provider) -> HttpResult<Response> {
    let href = crate::peek::href(req);
    let pairs = crate::peek::query_pairs(&href);
    let param = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    // `query` is escaped already; a 302 to the admin page of this origin.
    let back = |query: String| -> HttpResult<Response> {
        let admin = format!("{}/admin?{query}", crate::peek::origin(&href));
        let redirect = worker::web_sys::Response::redirect(&admin).map_err(worker::Error::from)?;
        Ok(Response::from(redirect))
    };
    let (Some(state), Some(code)) = (param("state"), param("code")) else {
        let why = param("error").unwrap_or_else(|| "no code".into());
        return back(format!(
            "connect_error={}&provider={}",
            form_escape(&why),
            provider.name()
        ));
    };
    let found = Db::new(env)?
        .authorization_called_back(
            &hash(&state),
            provider.name(),
            &code,
            param("realmId").as_deref(),
            now_ms(),
        )
        .await?;
    match found {
        Some(auth) => back(format!(
            "connect={}&state={}&shop={}",
            provider.name(),
            form_escape(&state),
            form_escape(&auth.shop)
        )),
        None => back(format!(
            "connect_error=expired&provider={}",
            provider.name()
        )),
    }
}

/// `POST /api/connect/:provider/complete {state}` → `{provider, shop, account_id, account_name}`.
pub async fn complete(
    mut req: Request,
    env: &Env,
    settings: &Settings,
    provider: Provider,
) -> HttpResult<Response> {
    let caller = authorize(&req, env, settings, None)?;
    let text_body = req.text().await?;
    if text_body.len() > 4096 {
        return Err(HttpError::new(
            413,
            "E_PAYLOAD_TOO_LARGE",
            "a completion body is {\"state\": …}",
        ));
    }
    let state = complete_state(&text_body)
        .map_err(|e| HttpError::bad_request("E_BAD_BODY", e.to_string()))?;
    let db = Db::new(env)?;
    let state_hash = hash(&state);
    let not_yours = || HttpError::forbidden("this authorization was not started by this session");
    let auth = db
        .authorization(&state_hash)
        .await?
        .ok_or_else(|| HttpError::not_found("no such authorization (expired or already used)"))?;
    if auth.provider != provider.name() || auth.caller != caller_tag(&caller) {
        return Err(not_yours());
    }
    caller.scope(Some(&auth.shop))?;
    let Some(code) = auth.code.clone() else {
        return Err(HttpError::new(
            409,
            "E_NOT_AUTHORIZED_YET",
            "the provider has not sent the browser back yet",
        ));
    };
    if auth.expires_at <= now_ms() || !db.take_authorization(&state_hash).await? {
        return Err(HttpError::not_found(
            "no such authorization (expired or already used)",
        ));
    }
    let shop = auth.shop.clone();
    let shop_config = settings.shop(&shop);
    let ends = endpoints(provider, &shop_config);
    let (client_id, client_secret) = client(env, provider)?;
    let basic = format!(
        "Basic {}",
        B64.encode(format!("{client_id}:{client_secret}"))
    );
    let form = format!(
        "grant_type=authorization_code&code={}&redirect_uri={}",
        form_escape(&code),
        form_escape(&redirect_uri(&req, env, provider)?)
    );
    let timeout = settings.target_timeout_ms;
    let reply = call(
        Method::Post,
        &ends.token,
        &[
            ("authorization", basic.as_str()),
            ("content-type", "application/x-www-form-urlencoded"),
            ("accept", "application/json"),
        ],
        Some(form),
        timeout,
    )
    .await
    .map_err(|e| bad_gateway(provider, format!("token endpoint: {e}")))?;
    if reply.status != 200 {
        return Err(bad_gateway(
            provider,
            format!(
                "token endpoint answered {}: {}",
                reply.status,
                excerpt(&reply.body)
            ),
        ));
    }
    let granted = crate::sinks::oauth::granted(&reply.body)
        .map_err(|e| bad_gateway(provider, format!("token answer unreadable: {e}")))?;
    let Some(refresh_token) = &granted.refresh_token else {
        return Err(bad_gateway(
            provider,
            "token answer unreadable: no refresh_token".into(),
        ));
    };
    let (account_id, account_name) = match (provider, ends.connections) {
        (Provider::Xero, Some(url)) => {
            xero_tenant(&url, &granted.access_token, timeout, provider).await?
        }
        _ => (
            auth.account_id.clone().ok_or_else(|| {
                bad_gateway(provider, "the callback carried no realmId".to_string())
            })?,
            None,
        ),
    };
    let key = text(env, "TOKEN_KEY")
        .as_deref()
        .and_then(TokenKey::from_secret)
        .ok_or_else(|| {
            HttpError::new(
                409,
                "E_NOT_CONFIGURED",
                format!(
                    "OAuth tokens are stored sealed: set the TOKEN_KEY secret ({} characters or more) before connecting",
                    seal::MIN_SECRET_LEN
                ),
            )
        })?;
    let aad = seal::row(provider.name(), &shop);
    let now = now_ms();
    db.connect(
        provider.name(),
        &shop,
        &key.seal(&aad, &granted.access_token),
        now + granted.expires_in.unwrap_or(1800) * 1000,
        &key.seal(&aad, refresh_token),
        &account_id,
        account_name.as_deref(),
        now,
    )
    .await?;
    let answer = Obj::new()
        .str("provider", provider.name())
        .str("shop", &shop)
        .str("account_id", &account_id)
        .opt("account_name", account_name.as_deref());
    Ok(reply::json(answer.text())?)
}

fn bad_gateway(provider: Provider, message: String) -> HttpError {
    HttpError::new(502, "E_PROVIDER", format!("{}: {message}", provider.name()))
}

/// The organisation the user just authorised: Xero lists every tenant the token may reach; the
/// first organisation (not a practice) is the one a merchant connects.
async fn xero_tenant(
    url: &str,
    access: &str,
    timeout: u32,
    provider: Provider,
) -> HttpResult<(String, Option<String>)> {
    let bearer = format!("Bearer {access}");
    let reply = call(
        Method::Get,
        url,
        &[
            ("authorization", bearer.as_str()),
            ("accept", "application/json"),
        ],
        None,
        timeout,
    )
    .await
    .map_err(|e| bad_gateway(provider, format!("connections: {e}")))?;
    if reply.status != 200 {
        return Err(bad_gateway(
            provider,
            format!("connections answered {}", reply.status),
        ));
    }
    let list = xero_connections(&reply.body)
        .map_err(|e| bad_gateway(provider, format!("connections unreadable: {e}")))?;
    list.into_iter()
        .find(|(_, _, kind)| kind.as_deref().unwrap_or("ORGANISATION") == "ORGANISATION")
        .map(|(id, name, _)| (id, name))
        .ok_or_else(|| bad_gateway(provider, "no organisation was authorised".into()))
}

/// `DELETE /api/connect/:provider?shop=`: revokes the refresh token at the provider (best effort:
/// a provider that is down must not keep a merchant connected) and forgets tokens and account.
pub async fn disconnect(
    req: &Request,
    env: &Env,
    settings: &Settings,
    provider: Provider,
) -> HttpResult<Response> {
    let (_, shop) = one_shop(req, env, settings)?;
    let db = Db::new(env)?;
    let mut revoked = false;
    let key = text(env, "TOKEN_KEY")
        .as_deref()
        .and_then(TokenKey::from_secret);
    if let (Some(row), Some(key), Ok((id, secret))) = (
        db.token(provider.name(), &shop).await?,
        key,
        client(env, provider),
    ) {
        let aad = seal::row(provider.name(), &shop);
        if let Some(refresh) = key
            .open(&aad, &row.refresh_token)
            .map(seal::Unsealed::into_text)
        {
            let ends = endpoints(provider, &settings.shop(&shop));
            let basic = format!("Basic {}", B64.encode(format!("{id}:{secret}")));
            // Intuit takes JSON `{"token"}`, Xero the RFC 7009 form.
            let (content_type, body) = match provider {
                Provider::Qbo => ("application/json", Obj::new().str("token", &refresh).text()),
                Provider::Xero => (
                    "application/x-www-form-urlencoded",
                    format!("token={}", form_escape(&refresh)),
                ),
            };
            revoked = call(
                Method::Post,
                &ends.revoke,
                &[
                    ("authorization", basic.as_str()),
                    ("content-type", content_type),
                ],
                Some(body),
                settings.target_timeout_ms,
            )
            .await
            .is_ok_and(|r| r.status == 200);
        }
    }
    db.disconnect(provider.name(), &shop).await?;
    let answer = Obj::new()
        .str("provider", provider.name())
        .str("shop", &shop)
        .bool("revoked", revoked);
    Ok(reply::json(answer.text())?)
}

/// `GET /api/connections[?shop=]` → `{connections: [{provider, shop, account_id, account_name, connected_at}]}`.
pub async fn list(req: &Request, env: &Env, settings: &Settings) -> HttpResult<Response> {
    let [shop] = crate::peek::query(req, ["shop"])?;
    let q = ShopQuery { shop };
    let caller = authorize(req, env, settings, q.shop.as_deref())?;
    let shop = caller.scope(q.shop.as_deref())?;
    let connections = Db::new(env)?.connections(shop.as_deref()).await?;
    let connections: Vec<String> = connections.iter().map(|c| c.json()).collect();
    Ok(reply::json(
        Obj::new().list("connections", &connections).text(),
    )?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn states_are_stored_hashed() {
        let h = hash("abc");
        assert_eq!(h.len(), 64);
        assert_ne!(h, "abc");
        assert_eq!(h, hash("abc"));
    }

    #[test]
    fn xero_asks_for_a_refresh_token() {
        assert!(Provider::Xero.scope().contains("offline_access"));
        assert_eq!(Provider::Qbo.scope(), "com.intuit.quickbooks.accounting");
        assert!(Provider::parse("sage").is_err());
    }
}
