//! The admin API: preview of a stored order, export of the D1 ledger, delivery status. Every route
//! needs either the deployment's API key or a Shopify session token (which limits it to its shop).

// The core's error (path and message), as the JSON Reader and its callbacks return it.
#![allow(clippy::result_large_err)]

use crate::auth::{self, Denied};
use crate::config::{secrets, text, Settings};
use crate::http_error::{HttpError, HttpResult};
use crate::intake::read_capped;
use crate::queue;
use crate::reply::{self, Obj};
use crate::store::{now_ms, order_key, stored_entries, Db};
use ledgerbridge_core::exporters::{document_preview, export, Format, Target as DocumentTarget};
use ledgerbridge_core::journal::{totals as entry_total, EntryTotals};
use ledgerbridge_core::rules::DocumentMode;
use ledgerbridge_core::{map, Entry, Platform};
use serde_json::json;
use worker::{Env, Request, Response};

/// Who is asking: the API key (any shop) or a session token for one shop.
pub enum Caller {
    Admin,
    Shop(String),
}

impl Caller {
    /// The shop this caller may read, given the one asked for (`None` = all shops).
    pub fn scope(&self, asked: Option<&str>) -> HttpResult<Option<String>> {
        match (self, asked) {
            (Caller::Admin, asked) => Ok(asked.map(str::to_string)),
            (Caller::Shop(own), Some(asked)) if !asked.eq_ignore_ascii_case(own) => Err(
                HttpError::forbidden(format!("session token is for {own}, not {asked}")),
            ),
            (Caller::Shop(own), _) => Ok(Some(own.clone())),
        }
    }
}

pub fn authorize(
    req: &Request,
    env: &Env,
    settings: &Settings,
    shop: Option<&str>,
) -> HttpResult<Caller> {
    let header = |n: &str| req.headers().get(n).ok().flatten();
    let presented = header("authorization")
        .and_then(|v| v.strip_prefix("Bearer ").map(|t| t.trim().to_string()))
        .or_else(|| header("x-api-key"))
        .ok_or_else(|| {
            HttpError::unauthorized("send Authorization: Bearer <session token or API key>")
        })?;
    if text(env, "ADMIN_API_KEY").is_some_and(|key| auth::api_key(&presented, &key)) {
        return Ok(Caller::Admin);
    }
    if presented.matches('.').count() != 2 {
        return Err(HttpError::unauthorized("unknown API key"));
    }
    let shopify = secrets(env, &["SHOPIFY_SECRET", "SHOPIFY_SECRET_PREVIOUS"]);
    match auth::session_token(
        &presented,
        &shopify,
        &settings.shopify_client_id,
        shop,
        now_ms() / 1000,
    ) {
        Ok(own) => Ok(Caller::Shop(own)),
        Err(Denied::Unauthenticated(why)) => Err(HttpError::unauthorized(why)),
        Err(Denied::Forbidden(why)) => Err(HttpError::forbidden(why)),
    }
}

#[derive(Default)]
struct Query {
    shop: Option<String>,
    since: Option<String>,
    format: Option<String>,
    limit: Option<String>,
    cursor: Option<String>,
    totals: Option<String>,
}

fn query(req: &Request) -> HttpResult<Query> {
    let [shop, since, format, limit, cursor, totals] = crate::peek::query(
        req,
        ["shop", "since", "format", "limit", "cursor", "totals"],
    )?;
    Ok(Query {
        shop,
        since,
        format,
        limit,
        cursor,
        totals,
    })
}

/// `GET /api/preview/:platform/:order_id[?shop=]`: the stored order's newest version mapped with
/// the shop's current rules (`{entries, warnings, profit}`), each entry's `totals`, and what was
/// posted for it where.
pub async fn preview(
    req: &Request,
    env: &Env,
    settings: &Settings,
    platform: Platform,
    order_id: &str,
) -> HttpResult<Response> {
    let q = query(req)?;
    let caller = authorize(req, env, settings, q.shop.as_deref())?;
    if matches!(caller, Caller::Shop(_)) && platform != Platform::Shopify {
        return Err(HttpError::forbidden(
            "a Shopify session token only previews Shopify orders",
        ));
    }
    let shop = caller.scope(q.shop.as_deref())?;
    let db = Db::new(env)?;
    let event = db
        .latest_order_event(platform.as_str(), shop.as_deref(), order_id)
        .await?
        .ok_or_else(|| HttpError::not_found(format!("no {platform} order {order_id} recorded")))?;
    let (config, _) =
        crate::setup::effective_mapping(&db, &settings.shop(&event.shop), &event.shop)
            .await
            .map_err(HttpError::internal)?;
    let mapped = map(platform, event.payload.as_bytes(), &config)?;
    let postings = db
        .order_postings(&order_key(platform.as_str(), &event.shop, order_id))
        .await?;
    // `Mapped` at the top level (what `<ledger-preview src=…>` reads), with where it went beside it.
    let mut body = reply::value(&mapped);
    if let Some(obj) = body.as_object_mut() {
        use serde_json::Value;
        obj.insert("platform".into(), Value::from(platform.as_str()));
        obj.insert("shop".into(), Value::from(event.shop.as_str()));
        obj.insert("order_id".into(), Value::from(order_id));
        let about = Obj::new()
            .int("id", event.id)
            .str("topic", &event.topic)
            .str("status", event.status.as_str());
        obj.insert(
            "event".into(),
            serde_json::from_str(&about.text()).unwrap_or_default(),
        );
        obj.insert("postings".into(), Value::Array(postings));
        // The totals row of each entry, from the core's balance check: with it the widget shows
        // the entries without downloading the wasm core (it loads it only to map or when absent).
        obj.insert(
            "totals".into(),
            reply::value(&entry_totals(&mapped.entries)),
        );
    }
    let mut text = body.to_string();
    // Document mode: beside the journals that still book, the documents themselves. Spliced in
    // as text so the posts keep the core's bytes (`25.00`, not `25.0` through a float).
    if config.documents.mode == DocumentMode::Documents && text.ends_with('}') {
        let shop_config = settings.shop(&event.shop);
        let documents =
            preview_documents(platform, event.payload.as_bytes(), &config, &shop_config)?;
        text.pop();
        text.push_str(",\"documents\":");
        text.push_str(&documents);
        text.push('}');
    }
    let mut resp = Response::ok(text)?;
    resp.headers_mut().set("content-type", "application/json")?;
    Ok(resp)
}

/// Per accounting target of the shop (SHOPS `targets`: `qbo`, `xero`), what the poster will send
/// for this order, from the same core call (`document_preview` shares `document_posts`' builder):
/// `{target, posts, documents}`, or `{target, error: {code, path, message}}` when the mapping
/// cannot make them (an SKU with no item), so the preview shows why instead of failing whole.
fn preview_documents(
    platform: Platform,
    payload: &[u8],
    config: &ledgerbridge_core::Config,
    shop: &crate::config::ShopConfig,
) -> HttpResult<String> {
    let targets = shop.all_targets().into_iter().filter_map(|t| match t {
        crate::config::Target::Qbo => Some(DocumentTarget::Qbo),
        crate::config::Target::Xero => Some(DocumentTarget::Xero),
        _ => None,
    });
    let mut out = Vec::new();
    for target in targets {
        let one = match document_preview(platform, payload, config, target) {
            Ok(preview) => Ok(ledgerbridge_core::json::write::to_string(&preview)),
            Err(e) => serde_json::to_string(&json!({
                "target": target.as_str(),
                "error": {"code": e.code(), "path": e.path(), "message": e.to_string()},
            })),
        };
        out.push(one.map_err(|e| HttpError::internal(e.to_string()))?);
    }
    Ok(format!("[{}]", out.join(",")))
}

/// `GET /api/entries?since=&format=&shop=[&totals=1]`: the ledger as the core exports it.
pub async fn entries(req: &Request, env: &Env, settings: &Settings) -> HttpResult<Response> {
    let q = query(req)?;
    let caller = authorize(req, env, settings, q.shop.as_deref())?;
    let shop = caller.scope(q.shop.as_deref())?;
    let format: Format = q.format.as_deref().unwrap_or("json").parse()?;
    let (since_date, since_ms) = match q.since.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => (None, None),
        Some(s) if s.bytes().all(|b| b.is_ascii_digit()) => (None, s.parse::<i64>().ok()),
        Some(s) if s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-' => {
            (Some(s.to_string()), None)
        }
        Some(s) => {
            return Err(HttpError::bad_request(
                "E_BAD_SINCE",
                format!("since={s:?}: want YYYY-MM-DD or Unix milliseconds"),
            ))
        }
    };
    let db = Db::new(env)?;
    // Without `limit`/`cursor` the whole ledger (up to 10 000 entries) in one answer, as before;
    // with either, one page, and the next page's cursor in `x-next-cursor` and a `Link` header.
    let (rows, next) = if q.limit.is_some() || q.cursor.is_some() {
        let after = match q.cursor.as_deref().filter(|c| !c.is_empty()) {
            Some(c) => Some(entries_cursor(c)?),
            None => since_ms.map(|ms| (ms, i64::MAX)),
        };
        let limit = crate::browse::page_size(q.limit.as_deref())?;
        db.entries_page(shop.as_deref(), since_date.as_deref(), after, limit)
            .await?
    } else {
        let all = db
            .entries_since(shop.as_deref(), since_date.as_deref(), since_ms)
            .await?;
        (all, None)
    };
    let entries = stored_entries(&rows).map_err(HttpError::internal)?;
    let shop_name = shop.as_deref().unwrap_or("*");
    let (config, _) = crate::setup::effective_mapping(&db, &settings.shop(shop_name), shop_name)
        .await
        .map_err(HttpError::internal)?;
    let mut text = export(&entries, format, &config)?;
    // `totals=1` with JSON: `{entries, totals}`, the totals row of each entry from the core, so the
    // admin page's widget shows the ledger without downloading the wasm core.
    if format.as_str() == "json" && q.totals.as_deref() == Some("1") {
        let totals = ledgerbridge_core::json::write::to_string(&entry_totals(&entries));
        text = format!("{{\"entries\":{text},\"totals\":{totals}}}");
    }
    let content_type = match format.as_str() {
        "csv" => "text/csv; charset=utf-8",
        "json" | "qbo" | "xero" => "application/json",
        _ => "text/plain; charset=utf-8",
    };
    let mut resp = Response::ok(text)?;
    resp.headers_mut().set("content-type", content_type)?;
    if let Some((at, rowid)) = next {
        let cursor = format!("{at}~{rowid}");
        // This request's query with the next cursor in place of its own.
        let escape = crate::sinks::oauth::form_escape;
        let mut query: Vec<String> = crate::peek::query_pairs(&crate::peek::href(req))
            .into_iter()
            .filter(|(k, _)| k != "cursor")
            .map(|(k, v)| format!("{}={}", escape(&k), escape(&v)))
            .collect();
        query.push(format!("cursor={}", escape(&cursor)));
        resp.headers_mut().set("x-next-cursor", &cursor)?;
        resp.headers_mut().set(
            "link",
            &format!("<{}?{}>; rel=\"next\"", req.path(), query.join("&")),
        )?;
    }
    Ok(resp)
}

/// An `/api/entries` cursor: `created_at~rowid` of the last entry of the previous page.
fn entries_cursor(text: &str) -> HttpResult<(i64, i64)> {
    text.split_once('~')
        .and_then(|(a, r)| Some((a.parse().ok()?, r.parse().ok()?)))
        .ok_or_else(|| {
            let mut e = HttpError::bad_request(
                "E_BAD_QUERY",
                "cursor: pass back the x-next-cursor of the previous page",
            );
            e.path = "cursor".into();
            e
        })
}

/// `GET /api/status[?shop=]`: counts of received / posted / pending / parked, with reasons; a
/// session token sees its own shop's.
pub async fn status(req: &Request, env: &Env, settings: &Settings) -> HttpResult<Response> {
    let q = query(req)?;
    let caller = authorize(req, env, settings, q.shop.as_deref())?;
    let shop = caller.scope(q.shop.as_deref())?;
    let db = Db::new(env)?;
    let body = db.status(shop.as_deref()).await?;
    // Orders by state, counted by the same query as `GET /api/orders`, so the page's counts and
    // its list agree; `received` counts events (deliveries), `posted` postings (entry × target).
    let orders = crate::browse::counts(db.order_counts(shop.as_deref()).await?);
    Ok(reply::json(body.set("orders", orders).text())?)
}

const REPLAY_BODY_CAP: usize = 4096;

/// `POST /api/replay` with an optional JSON body `{"shop", "target", "entry_id"}`: parked postings
/// go back to pending with a fresh retry budget and parked events are mapped again (with the
/// shop's current config), once the merchant has fixed what parked them. Targets deduplicate the
/// replay by the same entry-derived keys as the first attempt, so a replay never double-posts.
pub async fn replay(mut req: Request, env: &Env, settings: &Settings) -> HttpResult<Response> {
    /// `{"shop"?, "target"?, "entry_id"?}`, nothing else (an empty body: all of them unset).
    #[derive(Default)]
    struct Body {
        shop: Option<String>,
        target: Option<String>,
        entry_id: Option<String>,
    }
    // Who asks is settled before a byte of the body is read: an unauthenticated caller gets
    // 401 whatever it sends, and a body is a few ids, so anything over the cap is refused unread.
    let caller = authorize(&req, env, settings, None)?;
    let text = read_capped(&mut req, REPLAY_BODY_CAP).await?;
    let body: Body = if text.iter().all(u8::is_ascii_whitespace) {
        Body::default()
    } else {
        crate::peek::body(&text, |r| {
            let mut b = Body::default();
            crate::peek::fields(r, &["shop", "target", "entry_id"], &mut |r, at| {
                let value = r.opt(ledgerbridge_core::json::Reader::string)?;
                match at {
                    0 => b.shop = value,
                    1 => b.target = value,
                    _ => b.entry_id = value,
                }
                Ok(())
            })?;
            Ok(b)
        })
        .map_err(crate::peek::bad_body)?
    };
    let shop = caller.scope(body.shop.as_deref())?;
    let db = Db::new(env)?;
    let now = now_ms();
    let postings = db
        .replay_postings(
            shop.as_deref(),
            body.target.as_deref(),
            body.entry_id.as_deref(),
            now,
        )
        .await?;
    let events = if body.target.is_none() && body.entry_id.is_none() {
        db.replay_events(shop.as_deref(), now).await?
    } else {
        Vec::new()
    };
    queue::enqueue(env, &events, &postings).await?;
    let answer = Obj::new()
        .opt("shop", shop.as_deref())
        .count("postings", postings.len())
        .count("events", events.len());
    Ok(reply::json(answer.text())?)
}

fn entry_totals(entries: &[Entry]) -> Vec<EntryTotals> {
    entries.iter().map(entry_total).collect()
}
