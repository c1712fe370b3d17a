//! `POST /api/backfill` `{platform, shop, from, to, confirm?, cursor?, limit?}`: a shop's history
//! of [from, to] pulled from its platform, for a ledger that starts after the shop did.
//! - Dry run (the default): each order is mapped with the shop's rules and planned by the core
//!   against the D1 ledger, exactly as the consumer would, and the answer says what would be new,
//!   what would replace a booked entry, and what is booked already. Nothing is written.
//! - `confirm: true`: each order is recorded as an event (delivery id
//!   `backfill:<platform>:<id>:<version>`, the reconciliation pull's shape) and queued, so the
//!   consumer books it like any other delivery. A second run records nothing (same delivery ids),
//!   and an order that also came by webhook maps to the same entry id, which the plan skips.
//!
//! WooCommerce orders and Stripe charges (with their balance transactions expanded) are listed
//! as the reconciliation pull and the consumer's fetch read them. Shopify orders are listed by
//! REST (the webhook shape) and get their fees from the GraphQL fetch the consumer uses
//! (fetch/shopify.rs): mapped without them, a booked order updated since would look changed.
//! The work per request is bounded (Workers' CPU time and subrequests): a few list pages per call,
//! then `truncated: true` with `next`, to pass back as `cursor`.

// The core's error (path and message), as the JSON Reader and its callbacks return it.
#![allow(clippy::result_large_err)]

use crate::api::authorize;
use crate::config::{text, Settings, ShopConfig};
use crate::consumer::mapping::plan_against_ledger;
use crate::fetch::shopify::{fees_of, API_VERSION};
use crate::fetch::Prepared;
use crate::http_error::{HttpError, HttpResult};
use crate::intake::read_capped;
use crate::queue;
use crate::reconcile::{gmt_text, list_page, woo_basic, woo_peek};
use crate::reconcile_shopify::{order_peeks, orders_page};
use crate::reply::{self, Obj};
use crate::store::{now_ms, Db, NewEvent, Recorded};
use ledgerbridge_core::model::Timestamp;
use ledgerbridge_core::money::format_amount;
use ledgerbridge_core::{map, Entry, Platform};
use worker::{Env, Request, Response};

mod body;
use body::read_body;

const BODY_CAP: usize = 4096;
/// Orders per list page (the default and the most a caller may ask for).
const LIMIT_MAX: usize = 50;
/// List pages per call, so at most 100 documents: each costs about five D1 queries (its heads,
/// its entries' ids, its event) against Workers' 1 000 per invocation, and a Shopify order one
/// more subrequest (its fees) against the subrequest cap.
const PAGES_MAX: usize = 2;

/// One pulled order: its id, its version (what names its event) and the payload to map.
struct Doc {
    id: String,
    version: String,
    payload: String,
    /// Why it could not be made ready to map (its fees not fetched): reported, not classified.
    failed: Option<String>,
}

struct Pulled {
    docs: Vec<Doc>,
    pages: usize,
    next: Option<String>,
}

/// The shop has no credentials or address for its platform's API: 409, as connecting a shop's
/// books answers when its app credentials are missing.
fn not_configured(path: &str, message: String) -> HttpError {
    let mut e = HttpError::new(409, "E_NOT_CONFIGURED", message);
    e.path = path.into();
    e
}

fn bad(code: &'static str, path: &str, message: impl Into<String>) -> HttpError {
    let mut e = HttpError::bad_request(code, message);
    e.path = path.into();
    e
}

/// The platform's API refused or failed. A 424 (the request failed because the one it depends on
/// did), not a 5xx: the caller is the shop's admin and must see what the store answered (a refused
/// key, a 429), which every 5xx replaces by a fixed message.
fn source_error(e: worker::Error) -> HttpError {
    HttpError::new(424, "E_SOURCE", e.to_string())
}

/// `YYYY-MM-DD` → Unix seconds of its midnight, UTC.
pub(crate) fn day(text: &str, path: &str) -> HttpResult<i64> {
    let is_date = text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-';
    is_date
        .then(|| Timestamp::parse(text))
        .flatten()
        .map(|t| t.unix())
        .ok_or_else(|| {
            bad(
                "E_BAD_DATE",
                path,
                format!("{path}={text:?}: want YYYY-MM-DD"),
            )
        })
}

pub async fn handle(mut req: Request, env: &Env, settings: &Settings) -> HttpResult<Response> {
    // Who asks is settled before the body is read, as for the other POST routes.
    let caller = authorize(&req, env, settings, None)?;
    let text = read_capped(&mut req, BODY_CAP).await?;
    let body = read_body(&text).map_err(crate::peek::bad_body)?;
    let shop = caller
        .scope(Some(&body.shop))?
        .unwrap_or_else(|| body.shop.clone());
    let platform = match body.platform.as_str() {
        "woocommerce" => Platform::WooCommerce,
        "shopify" => Platform::Shopify,
        "stripe" => Platform::Stripe,
        other => {
            return Err(bad(
                "E_UNSUPPORTED_PLATFORM",
                "platform",
                format!("no backfill for {other:?}: woocommerce, shopify or stripe"),
            ))
        }
    };
    let from = day(&body.from, "from")?;
    let to = day(&body.to, "to")? + 86_399;
    if to < from {
        return Err(bad("E_BAD_DATE", "to", "to is before from"));
    }
    let limit = body.limit.unwrap_or(LIMIT_MAX);
    if !(1..=LIMIT_MAX).contains(&limit) {
        return Err(bad(
            "E_BAD_LIMIT",
            "limit",
            format!("limit: 1 to {LIMIT_MAX}"),
        ));
    }
    let shop_config = settings.shop(&shop);
    let cursor = body.cursor.as_deref().filter(|c| !c.is_empty());
    let pulled = match platform {
        Platform::Shopify => {
            pull_shopify(
                env,
                settings,
                &shop_config,
                &shop,
                (from, to),
                cursor,
                limit,
            )
            .await?
        }
        Platform::Stripe => {
            pull_stripe(
                env,
                settings,
                &shop_config,
                &shop,
                (from, to),
                cursor,
                limit,
            )
            .await?
        }
        _ => pull_woocommerce(env, settings, &shop, (from, to), cursor, limit).await?,
    };
    let db = Db::new(env)?;
    // The mapping the consumer would book these orders with: the shop's saved version in effect
    // (from /admin), else the deployment's, so a dry run after a save shows what the save changed.
    let (config, _) = crate::setup::effective_mapping(&db, &shop_config, &shop)
        .await
        .map_err(HttpError::internal)?;
    let (mut new, mut changed, mut failed) = (Vec::new(), Vec::new(), Vec::new());
    let mut unchanged = 0;
    for doc in &pulled.docs {
        let failure = |code: &str, message: &str| {
            Obj::new()
                .str("id", &doc.id)
                .str("code", code)
                .str("message", message)
                .text()
        };
        if let Some(why) = &doc.failed {
            failed.push(failure("E_FETCH", why));
            continue;
        }
        let mut mapped = match map(platform, doc.payload.as_bytes(), &config) {
            Ok(m) => m,
            Err(e) => {
                failed.push(failure(e.code(), &e.to_string()));
                continue;
            }
        };
        for r in std::mem::take(&mut mapped.rejected) {
            failed.push(failure(&r.code, &r.message));
        }
        let plan = plan_against_ledger(&db, mapped).await?;
        let diff = plan.diff();
        // The entry's total (Σ debits = Σ credits), as the preview widget's totals row shows it.
        let amount = |e: &Entry| format_amount(e.currency, e.total());
        let row = |e: &Entry| {
            Obj::new()
                .str("id", &e.id)
                .str("amount", &amount(e))
                .str("currency", e.currency.code())
        };
        new.extend(diff.new.iter().map(|e| row(e).str("date", &e.date).text()));
        changed.extend(
            diff.changed
                .iter()
                .map(|(e, r)| row(e).str("replaces", r).text()),
        );
        unchanged += diff.unchanged;
    }
    let mut answer = Obj::new()
        .bool("dry_run", !body.confirm)
        .str("platform", platform.as_str())
        .str("shop", &shop)
        .list("new", &new)
        .list("changed", &changed)
        .count("unchanged", unchanged)
        .list("failed", &failed)
        .count("documents", pulled.docs.len())
        .count("pages", pulled.pages)
        .bool("truncated", pulled.next.is_some())
        .opt("next", pulled.next.as_deref());
    if body.confirm {
        let recorded = record(env, &db, platform, &shop, &pulled.docs).await?;
        answer = answer.count("recorded", recorded);
    }
    Ok(reply::json(answer.text())?)
}

/// Records each order as an event and queues the new ones; returns how many were new. Orders
/// that failed their fee fetch are recorded too: the consumer retries or parks them, visibly.
async fn record(
    env: &Env,
    db: &Db,
    platform: Platform,
    shop: &str,
    docs: &[Doc],
) -> HttpResult<usize> {
    // The reconciliation pulls' shapes: Stripe events there carry no order id either.
    let (topic, resource) = match platform {
        Platform::Shopify => ("orders/reconciled", "order"),
        Platform::Stripe => ("charge.reconciled", "other"),
        _ => ("order.reconciled", "order"),
    };
    let now = now_ms();
    let mut fresh = Vec::new();
    for doc in docs {
        let event = NewEvent {
            platform: platform.as_str(),
            shop,
            topic,
            delivery_id: &format!("backfill:{}:{}:{}", platform.as_str(), doc.id, doc.version),
            resource,
            order_id: (resource == "order").then_some(doc.id.as_str()),
            payload: &doc.payload,
            body_sha256: None,
        };
        if let Recorded::New(id) = db.record_event(&event, now).await? {
            fresh.push(id);
        }
    }
    queue::enqueue(env, &fresh, &[]).await?;
    Ok(fresh.len())
}

/// WooCommerce orders created in the window (`after`/`before` are exclusive, hence a second
/// outside each end), oldest first; the cursor is the next page number.
async fn pull_woocommerce(
    env: &Env,
    settings: &Settings,
    shop: &str,
    (from, to): (i64, i64),
    cursor: Option<&str>,
    limit: usize,
) -> HttpResult<Pulled> {
    let base = settings
        .woocommerce_stores()
        .into_iter()
        .find(|(s, _)| s == shop)
        .map(|(_, b)| b)
        .ok_or_else(|| {
            not_configured(
                "shop",
                format!("SHOPS[{shop}].woocommerce.base_url is not set"),
            )
        })?;
    let basic = woo_basic(env).ok_or_else(|| {
        not_configured(
            "",
            "WOOCOMMERCE_API_KEY and WOOCOMMERCE_API_SECRET are not set".into(),
        )
    })?;
    let first: usize = match cursor {
        None => 1,
        Some(c) => c.parse().ok().filter(|p| *p >= 1).ok_or_else(|| {
            bad(
                "E_BAD_CURSOR",
                "cursor",
                "pass back the previous answer's next",
            )
        })?,
    };
    let (after, before) = (gmt_text((from - 1) * 1000), gmt_text((to + 1) * 1000));
    let headers = [
        ("authorization", basic.as_str()),
        ("accept", "application/json"),
    ];
    let mut pulled = Pulled {
        docs: Vec::new(),
        pages: 0,
        next: None,
    };
    for page in first..first + PAGES_MAX {
        let url = format!(
            "{}/wp-json/wc/v3/orders?after={after}&before={before}&dates_are_gmt=true&orderby=date&order=asc&per_page={limit}&page={page}",
            base.trim_end_matches('/')
        );
        let body = list_page(settings, &url, &headers, "orders list")
            .await
            .map_err(source_error)?;
        let orders = crate::peek::items(&body)
            .map_err(|e| source_error(worker::Error::RustError(format!("orders list: {e}"))))?;
        pulled.pages += 1;
        let full = orders.len() >= limit;
        pulled.docs.extend(orders.into_iter().filter_map(|raw| {
            let (id, version) = woo_peek(raw)?;
            Some(Doc {
                id,
                version,
                payload: raw.to_string(),
                failed: None,
            })
        }));
        // A short page is the last one; a full one may have more after it.
        pulled.next = full.then(|| (page + 1).to_string());
        if !full {
            break;
        }
    }
    Ok(pulled)
}

/// Shopify orders created in the window (`status=any`, `Link` pages), each with its fees; the
/// cursor is the next page's `page_info` (a `page_info` request carries only `limit`).
async fn pull_shopify(
    env: &Env,
    settings: &Settings,
    shop_config: &ShopConfig,
    shop: &str,
    (from, to): (i64, i64),
    cursor: Option<&str>,
    limit: usize,
) -> HttpResult<Pulled> {
    let (base, token) = shop_config.shopify_admin(env, shop).ok_or_else(|| {
        not_configured(
            "shop",
            format!("no Admin API token (SHOPIFY_ADMIN_TOKEN or shopify.token_secret) for {shop}, or it is not a *.myshopify.com shop without shopify.admin_base"),
        )
    })?;
    let list = format!("{base}/admin/api/{API_VERSION}/orders.json");
    let mut next = Some(match cursor {
        Some(c)
            if c.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            format!("{list}?limit={limit}&page_info={c}")
        }
        Some(_) => {
            return Err(bad(
                "E_BAD_CURSOR",
                "cursor",
                "pass back the previous answer's next",
            ))
        }
        None => {
            let at = |t: i64| Timestamp::from_unix(t).map(|t| t.as_str().to_string());
            let (Some(min), Some(max)) = (at(from), at(to)) else {
                return Err(bad("E_BAD_DATE", "from", "dates out of range"));
            };
            format!("{list}?status=any&created_at_min={min}&created_at_max={max}&limit={limit}")
        }
    });
    let mut pulled = Pulled {
        docs: Vec::new(),
        pages: 0,
        next: None,
    };
    for _ in 0..PAGES_MAX {
        let Some(url) = next.take() else { break };
        let (body, more) = orders_page(settings, &base, &token, &url)
            .await
            .map_err(source_error)?;
        pulled.pages += 1;
        for (id, version, raw) in order_peeks(&body).map_err(source_error)? {
            let (payload, failed) = match fees_of(env, settings, shop_config, shop, &id, raw).await
            {
                Prepared::Ready { payload, .. } => (payload, None),
                Prepared::Retry { reason, .. } | Prepared::Park(reason) => (None, Some(reason)),
            };
            pulled.docs.push(Doc {
                id,
                version,
                payload: payload.unwrap_or_else(|| raw.to_string()),
                failed,
            });
        }
        next = more;
    }
    pulled.next = next.as_deref().and_then(page_info);
    Ok(pulled)
}

/// Stripe charges created in the window, newest first as Stripe lists them, each with its balance
/// transaction (its fee) expanded: the bare charge the core maps as the consumer's fetch leaves
/// it. The cursor is the last charge id read (`starting_after`). Refunds are separate objects and
/// are not listed here.
async fn pull_stripe(
    env: &Env,
    settings: &Settings,
    shop_config: &ShopConfig,
    shop: &str,
    (from, to): (i64, i64),
    cursor: Option<&str>,
    limit: usize,
) -> HttpResult<Pulled> {
    let base = shop_config
        .stripe
        .as_ref()
        .map(|s| s.api_base.trim_end_matches('/').to_string())
        .ok_or_else(|| not_configured("shop", format!("SHOPS[{shop}].stripe is not set")))?;
    let key = text(env, "STRIPE_API_KEY")
        .ok_or_else(|| not_configured("", "STRIPE_API_KEY is not set".into()))?;
    let bearer = format!("Bearer {key}");
    let mut headers = vec![("authorization", bearer.as_str())];
    // A connected account's charges are its own: listed under `Stripe-Account`.
    if shop.starts_with("acct_") {
        headers.push(("stripe-account", shop));
    }
    let mut after = match cursor {
        Some(c) if c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') => Some(c.to_string()),
        Some(_) => {
            return Err(bad(
                "E_BAD_CURSOR",
                "cursor",
                "pass back the previous answer's next",
            ))
        }
        None => None,
    };
    let mut pulled = Pulled {
        docs: Vec::new(),
        pages: 0,
        next: None,
    };
    for _ in 0..PAGES_MAX {
        let mut url = format!(
            "{base}/v1/charges?created[gte]={from}&created[lte]={to}&limit={limit}&expand[]=data.balance_transaction"
        );
        if let Some(last) = &after {
            url.push_str(&format!("&starting_after={last}"));
        }
        let body = list_page(settings, &url, &headers, "charges list")
            .await
            .map_err(source_error)?;
        let (data, has_more) = crate::fetch::stripe::list(&body)
            .map_err(|e| source_error(worker::Error::RustError(format!("charges list: {e}"))))?;
        pulled.pages += 1;
        for raw in data {
            // A charge without a string id and a whole `created` is skipped, as the derive did.
            let Ok([id, created]) = crate::peek::members(raw, ["id", "created"]) else {
                continue;
            };
            let (Some(id), Some(created)) = (crate::peek::text(id), crate::peek::int(created))
            else {
                continue;
            };
            after = Some(id.clone());
            pulled.docs.push(Doc {
                id,
                version: created.to_string(),
                payload: raw.to_string(),
                failed: None,
            });
        }
        pulled.next = if has_more { after.clone() } else { None };
        if pulled.next.is_none() {
            break;
        }
    }
    Ok(pulled)
}

/// The `page_info` of a Shopify next-page URL: all the caller needs to continue.
fn page_info(url: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    query
        .split('&')
        .find_map(|p| p.strip_prefix("page_info="))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_cursor_is_the_page_info_of_the_next_link() {
        let url =
            "https://s.myshopify.com/admin/api/2025-10/orders.json?limit=50&page_info=eyJx_-9";
        assert_eq!(page_info(url).as_deref(), Some("eyJx_-9"));
        assert_eq!(page_info("https://s/orders.json?limit=50"), None);
    }

    #[test]
    fn dates_are_whole_days() {
        assert_eq!(day("2026-05-01", "from").ok(), Some(1_777_593_600));
        assert!(day("2026-05-01T00:00:00Z", "from").is_err());
        assert!(day("May 1", "from").is_err());
    }
}
